"""Forms of surveys: the builder's (settings, a question with its options) and the one a
person answers, built from the survey's questions."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import Department, TrainingTopic
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.organizations.models import PublicBenefitArea
from wspolpraca.organizations.widgets import AreaChoiceWidget

from . import surveys
from .models import Survey, SurveyOption, SurveyQuestion

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OPTION_ROWS = 3  # empty option rows offered each time the question's page is shown


def add_service_error(form, error):
    """Put a SurveyError next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class SurveyForm(forms.ModelForm):
    """The survey's settings. The window is chosen in days: it opens at the start of the
    first and closes at the end of the last, in the city's time."""

    department = forms.ModelChoiceField(
        label=_("Owning department"),
        queryset=Department.objects.order_by("name"),
        widget=PlainSelect,
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE_WIDGET)
    closes_on = forms.DateField(
        label=_("Closes at the end of"),
        widget=DATE_WIDGET,
        help_text=_("Answers are accepted until midnight of this day."),
    )

    class Meta:
        model = Survey
        fields = [
            "title",
            "introduction",
            "department",
            "opens_on",
            "closes_on",
            "audience",
            "areas",
            "per_organization",
            "anonymous",
        ]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "audience": forms.RadioSelect,
            "areas": AreaChoiceWidget,
        }

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = PublicBenefitArea.objects.current().order_by("position")
        survey = self.instance
        if survey.pk:
            self.initial["opens_on"] = timezone.localdate(survey.opens_at)
            self.initial["closes_on"] = timezone.localdate(survey.closes_at - timedelta(seconds=1))
        else:
            today = timezone.localdate()
            self.initial.setdefault("opens_on", today)
            self.initial.setdefault("closes_on", today + timedelta(days=20))
        if department is not None:
            # An official's surveys belong to their own department.
            del self.fields["department"]
        if survey.published_at is not None:
            for name in surveys.FIXED_WHEN_PUBLISHED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed once the survey is published.")

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on"):
            data["opens_at"], data["closes_at"] = surveys.window(
                data["opens_on"], data["closes_on"]
            )
        return data

    def service_fields(self):
        """The cleaned data as `surveys.create_survey`/`update_survey` take it."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "introduction",
                "opens_at",
                "closes_at",
                "audience",
                "per_organization",
                "anonymous",
            )
        }
        return fields, list(data.get("areas") or [])


def _condition_label(option):
    return _("Question %(number)s: “%(option)s”") % {
        "number": option.question.position,
        "option": option.text,
    }


class ConditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _condition_label(obj)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = SurveyQuestion
        fields = [
            "text",
            "hint",
            "kind",
            "required",
            "max_choices",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
            "show_if",
        ]
        widgets = {"kind": forms.RadioSelect}
        field_classes = {"show_if": ConditionChoiceField}

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        field = self.fields["show_if"]
        field.queryset = surveys.condition_choices(survey, before=self.instance)
        field.widget = PlainSelect(choices=field.choices)
        field.empty_label = _("Always ask")
        field.help_text = _(
            "Ask this question only of those who chose this option in an earlier question."
        )
        if not self.instance.pk:
            self.initial.setdefault("required", True)


class OptionForm(forms.ModelForm):
    class Meta:
        model = SurveyOption
        fields = ["text", "topic"]
        widgets = {"topic": PlainSelect}
        labels = {"text": _("Option")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
        self.fields["topic"].queryset = TrainingTopic.objects.all()
        self.fields["topic"].empty_label = _("No training topic")


OptionFormSet = forms.inlineformset_factory(
    SurveyQuestion,
    SurveyOption,
    form=OptionForm,
    extra=OPTION_ROWS,
    can_delete=True,
    can_order=False,
)


def kept_options(formset):
    """The options the builder keeps, in order: filled rows not marked for deletion."""
    kept = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if not (form.cleaned_data.get("text") or "").strip():
            continue
        kept.append(form.save(commit=False))
    return kept


# ---------------------------------------------------------------------------------------
# Answering


def field_name(question):
    return f"q{question.pk}"


class _Conditional:
    """A field that is required only when its question's condition is met: shown as
    required (no "(optional)"), but an empty value passes here and `AnswerForm.clean`
    decides, from the other answers, whether it was needed."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


def _conditional(field_class):
    return type(f"Conditional{field_class.__name__}", (_Conditional, field_class), {})


class AnswerForm(forms.Form):
    """One field per question, in order. Whether a question with a condition must be
    answered is decided in `clean`, from the answers given (surveys.applicable); its hint
    says when to answer it, so the form works without JavaScript."""

    def __init__(self, *args, survey, questions, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = questions
        self.organizations = list(organizations)
        if survey.for_organizations and len(self.organizations) > 1:
            self.fields["organization"] = forms.TypedChoiceField(
                label=_("Which organization do you answer for?"),
                choices=[(o.pk, o.name) for o in self.organizations],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose the organization you answer for.")},
            )
        for question in questions:
            self.fields[field_name(question)] = self._field(question)

    def _field(self, question):
        hints = [question.hint] if question.hint else []
        if question.show_if_id:
            hints.append(
                _("Answer only if you chose “%(option)s” in question %(number)s.")
                % {"option": question.show_if.text, "number": question.show_if.question.position}
            )
        common = {
            "label": f"{question.position}. {question.text}",
            "help_text": " ".join(str(h) for h in hints),
            "required": question.required,
        }
        conditional = question.required and question.show_if_id is not None

        def kind(field_class):
            return _conditional(field_class) if conditional else field_class

        Kind = SurveyQuestion.Kind
        if question.kind == Kind.SINGLE:
            return kind(forms.ChoiceField)(
                choices=[(str(o.pk), o.text) for o in question.options.all()],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
                **common,
            )
        if question.kind == Kind.MULTIPLE:
            if question.max_choices:
                common["help_text"] = " ".join(
                    [
                        common["help_text"],
                        str(_("Choose at most %(n)s.") % {"n": question.max_choices}),
                    ]
                ).strip()
            return kind(forms.MultipleChoiceField)(
                choices=[(str(o.pk), o.text) for o in question.options.all()],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one answer.")},
                **common,
            )
        if question.kind == Kind.SCALE:
            choices = []
            for point in range(1, question.scale_max + 1):
                label = str(point)
                if point == 1 and question.scale_min_label:
                    label = f"1 — {question.scale_min_label}"
                elif point == question.scale_max and question.scale_max_label:
                    label = f"{point} — {question.scale_max_label}"
                choices.append((str(point), label))
            return kind(forms.ChoiceField)(
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                error_messages={"required": _("Choose a point of the scale.")},
                **common,
            )
        limit = surveys.TEXT_LIMITS[question.kind]
        widget = forms.Textarea(attrs={"rows": 6}) if question.kind == Kind.LONG_TEXT else None
        return kind(forms.CharField)(
            max_length=limit,
            widget=widget,
            error_messages={
                "required": _("Write your answer."),
                "max_length": _("Shorten the answer to %(limit_value)d characters or fewer."),
            },
            **common,
        )

    def clean(self):
        data = super().clean()
        values = self.values(data)
        counted = surveys.applicable(self.questions, values)
        for question in self.questions:
            name = field_name(question)
            answer = values.get(question.pk)
            if question.pk not in counted:
                continue
            if question.show_if_id and question.required and answer in (None, "", []):
                if name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
            if (
                question.kind == SurveyQuestion.Kind.MULTIPLE
                and question.max_choices
                and len(answer or []) > question.max_choices
            ):
                self.add_error(
                    name, _("Choose at most %(n)s answers.") % {"n": question.max_choices}
                )
        return data

    def values(self, data=None):
        """{question pk: answer} of the fields that have a value."""
        data = self.cleaned_data if data is None else data
        found = {}
        for question in self.questions:
            value = data.get(field_name(question))
            if value not in (None, "", []):
                found[question.pk] = value
        return found

    def kept_values(self):
        """The answers that count: those of questions whose condition is met."""
        values = self.values()
        counted = surveys.applicable(self.questions, values)
        return {pk: v for pk, v in values.items() if pk in counted}

    def organization(self):
        if not self.survey.for_organizations:
            return None
        if "organization" in self.fields:
            chosen = self.cleaned_data.get("organization")
            return next((o for o in self.organizations if o.pk == chosen), None)
        return self.organizations[0] if self.organizations else None

    def summary(self):
        """(question, answer as text) for the check-your-answers page: only the questions
        that count, with skipped ones left out."""
        values = self.kept_values()
        rows = []
        for question in self.questions:
            if question.pk not in surveys.applicable(self.questions, self.values()):
                continue
            value = values.get(question.pk)
            if value in (None, "", []):
                text = _("Not answered")
            elif question.is_choice:
                chosen = {str(v) for v in (value if isinstance(value, list) else [value])}
                text = "; ".join(o.text for o in question.options.all() if str(o.pk) in chosen)
            elif question.kind == SurveyQuestion.Kind.SCALE:
                text = dict(self.fields[field_name(question)].choices).get(value, value)
            else:
                text = value
            rows.append((question, text))
        return rows


class SurveyFilterForm(forms.Form):
    obszar = forms.ModelChoiceField(
        label=_("Area"),
        queryset=PublicBenefitArea.objects.none(),
        required=False,
        widget=PlainSelect,
        empty_label=_("All areas"),
    )
    stan = forms.ChoiceField(
        label=_("Surveys"),
        required=False,
        choices=[("", _("Open now")), ("zakonczone", _("Closed, with results published"))],
        widget=PlainSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obszar"].queryset = PublicBenefitArea.objects.current().order_by("position")
