"""The forms of strategies and programmes: the list's filters (GET), a strategy, an
indicator, a yearly value, a target, a report and a monitoring team member. The forms read
and check what was typed; the rules are in strategy_services.py."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import Department
from wspolpraca.core.uploads import PDF, accept_upload
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.organizations.models import Organization, PublicBenefitArea
from wspolpraca.organizations.widgets import AreaChoiceWidget, area_short_label

from .strategy_models import Indicator, Strategy, StrategyReport

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YEAR_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric", "class": "width-5"})


def add_service_error(form, error):
    """Put a StrategyError next to its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def year_field(label, **kwargs):
    return forms.IntegerField(
        label=label,
        min_value=1990,
        max_value=2100,
        widget=YEAR_WIDGET,
        error_messages={"invalid": _("Give a year as four digits, e.g. 2025.")},
        **kwargs,
    )


# --- the list's filters ----------------------------------------------------------------


class StrategyFilterForm(forms.Form):
    """Every filter a URL parameter, so that a filtered list can be shared."""

    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("all kinds")), *Strategy.Kind.choices],
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any status")), *Strategy.Status.choices],
        widget=PlainSelect,
    )
    department = forms.ModelChoiceField(
        label=_("Owner department"),
        required=False,
        queryset=Department.objects.all(),
        empty_label=_("all departments"),
        widget=PlainSelect,
    )
    area = forms.ChoiceField(label=_("Public benefit area"), required=False, widget=PlainSelect)
    year = forms.IntegerField(
        label=_("In force in the year"),
        required=False,
        min_value=1990,
        max_value=2100,
        widget=YEAR_WIDGET,
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["area"].choices = [("", _("all areas"))] + [
            (a.code, area_short_label(a)) for a in PublicBenefitArea.objects.current()
        ]

    def filter(self, queryset):
        # A value that is not valid is left out (and shown with its error); the others
        # still filter.
        self.is_valid()
        data = dict.fromkeys(self.fields) | getattr(self, "cleaned_data", {})
        if data["q"]:
            queryset = search_strategies(queryset, data["q"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["status"]:
            queryset = queryset.filter(current_status=data["status"])
        if data["department"]:
            queryset = queryset.filter(department=data["department"])
        if data["area"]:
            queryset = queryset.filter(areas__code=data["area"])
        if data["year"]:
            queryset = queryset.in_force_in(data["year"])
        return queryset


def search_strategies(queryset, query):
    """Strategies whose title, summary or resolution has every word of `query`, in any
    form, with or without Polish letters (the same tokens as core.search; prefix match on
    the stored document, the same on SQLite and PostgreSQL)."""
    from django.db.models import Q

    from wspolpraca.core.search import query_groups

    for group in query_groups(query):
        any_form = Q()
        for variant in group:
            any_form |= Q(search_document__contains=" " + variant)
        queryset = queryset.filter(any_form)
    return queryset


# --- a strategy ------------------------------------------------------------------------


class AreaField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return area_short_label(obj)


class ConsultationField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class StrategyForm(forms.ModelForm):
    year_from = year_field(_("First year"))
    year_to = year_field(
        _("Last year"), help_text=_("For a yearly programme, the same year as the first.")
    )
    areas = AreaField(
        label=_("Public benefit areas"),
        queryset=PublicBenefitArea.objects.none(),
        widget=AreaChoiceWidget,
        required=False,
    )
    consultations = ConsultationField(
        label=_("Consultations that shaped it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The public consultations of its owner department."),
    )

    class Meta:
        model = Strategy
        fields = [
            "kind",
            "title",
            "year_from",
            "year_to",
            "department",
            "areas",
            "summary",
            "document",
            "document_url",
            "status_setting",
            "resolution",
            "adopted_on",
            "consultations",
        ]
        widgets = {
            "adopted_on": DATE_WIDGET,
            "kind": forms.RadioSelect,
            "status_setting": forms.RadioSelect,
        }
        help_texts = {
            "document": _("A PDF file of at most 10 MB; or give a link below."),
            "document_url": _("Where the document is published, e.g. in the BIP."),
            "adopted_on": _(
                "A yearly cooperation programme is adopted by 30 November of the year before."
            ),
        }

    def __init__(self, *args, may_choose_department, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = PublicBenefitArea.objects.current()
        self.fields["kind"].choices = Strategy.Kind.choices
        self.fields["status_setting"].choices = Strategy.StatusSetting.choices
        if not may_choose_department:
            del self.fields["department"]
        owner = department or (self.instance.department if self.instance.pk else None)
        from django.apps import apps

        consultation = apps.get_model("consultations", "Consultation")
        choices = consultation.objects.public()
        if owner is not None:
            choices = choices.filter(department=owner)
        if self.instance.pk:
            choices = choices | consultation.objects.filter(strategies=self.instance)
        self.fields["consultations"].queryset = choices.distinct().order_by("-pk")

    def _post_clean(self):
        # The services check the period and the document (errors next to their fields);
        # the model's own checks would repeat them above the form.
        pass

    def clean_document(self):
        file = accept_upload(
            self.cleaned_data.get("document"), types=(PDF,), max_size=settings.ATTACHMENT_MAX_SIZE
        )
        if file is False or isinstance(file, UploadedFile):
            return file
        return None  # no new file: the stored one stays

    def service_data(self):
        return dict(self.cleaned_data)


# --- monitoring ------------------------------------------------------------------------


class IndicatorForm(forms.ModelForm):
    baseline_year = year_field(_("Baseline year"), required=False)

    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction", "description", "baseline_value", "baseline_year"]
        widgets = {"direction": forms.RadioSelect}
        help_texts = {
            "baseline_value": _("The value before the strategy began; with its year."),
            "description": _("What is counted, and where the numbers come from."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = Indicator.Direction.choices

    def _post_clean(self):
        pass


class ValueForm(forms.Form):
    year = year_field(_("Year"))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("Where the number comes from, e.g. a department's report or GUS."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = _("In %(unit)s.") % {"unit": indicator.unit}
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year - 1


class TargetForm(forms.Form):
    year = year_field(_("Year"))
    value = forms.DecimalField(label=_("Target value"), max_digits=14, decimal_places=2)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = _("In %(unit)s.") % {"unit": indicator.unit}


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=300)
    year = year_field(_("Year it covers"))
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Its main findings, in a few sentences."),
    )
    file = forms.FileField(
        label=_("File (PDF)"), required=False, help_text=_("A PDF file of at most 10 MB.")
    )
    url = forms.URLField(
        label=_("Or a link to it"), required=False, help_text=_("E.g. its page in the BIP.")
    )
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Empty: today."),
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = StrategyReport.Kind.choices
        if not strategy.is_yearly_cooperation:
            kinds = [(v, label) for v, label in kinds if v != StrategyReport.Kind.EXECUTION]
        self.fields["kind"].choices = kinds

    def clean_file(self):
        return accept_upload(
            self.cleaned_data.get("file"), types=(PDF,), max_size=settings.ATTACHMENT_MAX_SIZE
        )


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    krs = forms.CharField(
        label=_("KRS number of their organization"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "width-10"}),
        help_text=_(
            "Links the member to the organization's page in the directory. Empty for city staff."
        ),
    )
    role = forms.CharField(
        label=_("Role in the team"),
        required=False,
        max_length=200,
        help_text=_("E.g. chair, member."),
    )

    def clean_krs(self):
        number = self.cleaned_data["krs"].strip()
        if not number:
            return None
        if not number.isdigit():
            raise forms.ValidationError(_("A KRS number has only digits."))
        organization = Organization.objects.filter(krs=number.zfill(10)).first()
        if organization is None:
            raise forms.ValidationError(
                _("No organization with this KRS number is in the directory.")
            )
        return organization

    def service_data(self):
        data = dict(self.cleaned_data)
        data["organization"] = data.pop("krs")
        return data
