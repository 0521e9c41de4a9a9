"""Forms of controls, ratings and evaluation meetings. The rules (notice, what a monitoring
visit must describe, who may rate) are the services'; these forms only read what was
typed."""

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from wspolpraca.organizations.models import PublicBenefitArea

from .feedback import QUESTIONS, SCALE
from .models import Control, CooperationRating, EvaluationMeeting

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlanControlForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What will it be?"),
        choices=[(value, capfirst(label)) for value, label in Control.Kind.choices],
        widget=forms.RadioSelect,
        help_text=_(
            "A control checks the task's documents and accounts. A monitoring visit looks at "
            "how the task goes for the people it serves."
        ),
        error_messages={"required": _("Choose a control or a monitoring visit.")},
    )
    planned_on = forms.DateField(
        label=_("Planned on"),
        widget=DATE_WIDGET,
        help_text=ngettext_lazy(
            "A control needs at least %(days)d day's notice; a monitoring visit may be "
            "planned from today.",
            "A control needs at least %(days)d days' notice; a monitoring visit may be "
            "planned from today.",
            "days",
        ),
        error_messages={
            "required": _("Enter the planned date."),
            "invalid": _("Enter the date as day, month and year."),
        },
    )
    scope = forms.CharField(
        label=_("Scope"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What you will look at, and what the organization should have ready. For a "
            "monitoring visit: which activities you will see and whom you would like to "
            "talk to."
        ),
        error_messages={"required": _("Describe what the control will look at.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["planned_on"]
        field.help_text = field.help_text % {"days": settings.CONTROL_NOTICE_DAYS}


class FindingsForm(forms.Form):
    carried_out_on = forms.DateField(
        label=_("Carried out on"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Enter the day of the visit."),
            "invalid": _("Enter the date as day, month and year."),
        },
    )
    quality = forms.CharField(
        label=_("Quality of the task"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "For whom the task works, how the participants take part, whether the plan "
            "holds and what results can already be seen — not only whether the papers are "
            "in order."
        ),
        error_messages={
            "required": _(
                "Describe the quality of the task: who it reaches, how the participants take "
                "part, whether the plan holds and what results can be seen."
            )
        },
    )
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("What you found, with the documents or facts it rests on."),
        error_messages={"required": _("State the findings of the control.")},
    )
    recommendations = forms.CharField(
        label=_("Recommendations"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What the organization should do, if anything. It answers on the platform."),
    )

    def __init__(self, *args, control, **kwargs):
        super().__init__(*args, **kwargs)
        if control.kind == Control.Kind.MONITORING:
            self.fields["quality"].required = True
        else:
            self.fields["findings"].required = True
            # A control is about the papers; what it saw of the task is welcome too.
            self.fields["quality"].help_text = _(
                "What the control saw of the task itself, if anything."
            )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("The organization's answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What you did about the recommendations, or where you disagree with the "
            "findings and why."
        ),
        error_messages={"required": _("Write the organization's answer to the findings.")},
    )


class RatingForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=ngettext_lazy(
            "Seen only by the department, without your organization's name, together with "
            "the other comments once it has at least %(minimum)d rating in the year.",
            "Seen only by the department, without your organization's name, together with "
            "the other comments once it has at least %(minimum)d ratings in the year.",
            "minimum",
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {}
        for name in QUESTIONS:
            questions[name] = forms.TypedChoiceField(
                label=CooperationRating._meta.get_field(name).verbose_name,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer from 1 to 5.")},
            )
        # The questions first, the comment last.
        self.fields = {**questions, "comment": self.fields["comment"]}
        field = self.fields["comment"]
        field.help_text = field.help_text % {"minimum": settings.FEEDBACK_MIN_RATINGS}


class EvaluationMeetingForm(forms.ModelForm):
    class Meta:
        model = EvaluationMeeting
        fields = ["area", "year", "held_at", "place", "notes"]
        labels = {"area": _("Which calls does it look back on?")}
        help_texts = {
            "area": _("The public benefit area of the calls the meeting evaluates."),
            "year": _("The year of the calls evaluated."),
            "place": _("The address and room, or the link to an online meeting."),
            "notes": _(
                "After the meeting: its conclusions, to be used when preparing the next "
                "calls. Shown publicly."
            ),
        }
        widgets = {"held_at": DATETIME_WIDGET}
        error_messages = {
            "area": {"required": _("Choose the area of the calls.")},
            "year": {"required": _("Enter the year of the calls.")},
            "held_at": {
                "required": _("Enter the date and time of the meeting."),
                "invalid": _("Enter the date and the time, e.g. 15.03.2026 17:00."),
            },
            "place": {"required": _("Enter where the meeting takes place.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = PublicBenefitArea.objects.current()
        if self.instance.pk:  # an area since taken out of the act stays choosable
            current = current | PublicBenefitArea.objects.filter(pk=self.instance.area_id)
        self.fields["area"].queryset = current.order_by("position", "code")
        self.fields["area"].label_from_instance = lambda area: area.short_label
        self.fields["year"].widget.attrs.update({"inputmode": "numeric"})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter the year as four digits, e.g. 2026."))
        return year
