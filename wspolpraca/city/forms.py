"""The forms of the dialogue bodies: a member, a meeting with its minutes, an opinion or
resolution, an opinion request, and the filters of a body's documents (GET). Rendered with
the site's form layout (core/forms/); the rules are in `services`."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.uploads import PDF, accept_upload
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.organizations.models import Organization

from . import services
from .models import BodyMeeting, BodyMember, Opinion, OpinionRequest

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def add_service_error(form, error):
    """Put a BodyError next to its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _pdf(form, name):
    return accept_upload(
        form.cleaned_data.get(name), types=(PDF,), max_size=settings.ATTACHMENT_MAX_SIZE
    )


def _choices(choices):
    return [(value, capfirst(label)) for value, label in choices]


class MemberForm(forms.ModelForm):
    nominated_by = forms.CharField(
        label=_("Nominating organization"),
        required=False,
        max_length=120,
        help_text=_(
            "For a member representing the organizations: the nominating organization's "
            "KRS number, or the last part of its address on this site."
        ),
    )

    class Meta:
        model = BodyMember
        fields = ["full_name", "role", "representing", "term_start", "term_end"]
        widgets = {
            "role": forms.RadioSelect,
            "representing": forms.RadioSelect,
            "term_start": DATE_WIDGET,
            "term_end": DATE_WIDGET,
        }
        help_texts = {
            "full_name": _("Only the name is shown publicly: no e-mail or phone."),
            "term_end": _("Leave empty while the term has no set end."),
        }
        error_messages = {
            "full_name": {"required": _("Enter the member's full name.")},
            "representing": {"required": _("Choose whom the member represents.")},
            "term_start": {
                "required": _("Enter the day the term starts."),
                "invalid": _("Enter the date as YYYY-MM-DD."),
            },
            "term_end": {"invalid": _("Enter the date as YYYY-MM-DD.")},
        }

    field_order = ["full_name", "role", "representing", "nominated_by", "term_start", "term_end"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _choices(BodyMember.Role.choices)
        self.fields["representing"].choices = _choices(BodyMember.Representing.choices)
        if self.instance.pk and self.instance.organization_id:
            org = self.instance.organization
            self.initial.setdefault("nominated_by", org.krs or org.slug)

    def clean_nominated_by(self):
        value = self.cleaned_data["nominated_by"].strip()
        if not value:
            return None
        organization = Organization.objects.filter(Q(krs=value) | Q(slug=value)).first()
        if organization is None:
            raise forms.ValidationError(
                _("No organization in the directory has this KRS number or address.")
            )
        return organization

    def clean(self):
        cleaned = super().clean()
        # Said here, next to the field, before the model's own check of the term says it
        # in a sentence of its own above the form.
        for field, message in services.member_errors(
            {**cleaned, "organization": cleaned.get("nominated_by")}
        ).items():
            self.add_error("nominated_by" if field == "organization" else field, message)
        return cleaned

    def values(self):
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["organization"] = self.cleaned_data.get("nominated_by")
        return data


class MeetingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Start (date and time)"),
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Enter when the meeting starts."),
            "invalid": _("Enter the date and time, e.g. 2026-05-14 17:00."),
        },
    )
    ends_at = forms.DateTimeField(
        label=_("End (date and time)"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        error_messages={"invalid": _("Enter the date and time, e.g. 2026-05-14 19:00.")},
    )

    class Meta:
        model = BodyMeeting
        fields = [
            "starts_at",
            "ends_at",
            "place",
            "online",
            "online_link",
            "agenda",
            "status",
            "minutes_text",
            "minutes_file",
        ]
        widgets = {
            "status": forms.RadioSelect,
            "agenda": forms.Textarea(attrs={"rows": 8}),
            "minutes_text": forms.Textarea(attrs={"rows": 12}),
        }
        labels = {"online": _("The meeting takes place online (too)")}
        help_texts = {
            "place": _("The address and room. Leave empty for a meeting only online."),
            "online_link": _("Shown on the meeting's page."),
            "agenda": _(
                "One item per line: the items are numbered on the page. Markdown may be used."
            ),
            "minutes_text": _("After the meeting: what was discussed and decided. Markdown."),
            "minutes_file": _("After the meeting: the signed minutes as a PDF file."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _choices(BodyMeeting.Status.choices)

    def clean_minutes_file(self):
        return _pdf(self, "minutes_file")

    def values(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class OpinionForm(forms.ModelForm):
    class Meta:
        model = Opinion
        fields = ["kind", "number", "adopted_on", "title", "text", "file"]
        widgets = {
            "kind": forms.RadioSelect,
            "adopted_on": DATE_WIDGET,
            "text": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {
            "text": _("The full text. Markdown may be used. Or attach the document below."),
            "file": _("The signed document as a PDF file."),
        }
        error_messages = {
            "number": {"required": _("Enter the document's number, e.g. 1/2026.")},
            "title": {"required": _("Enter the title of the document.")},
            "adopted_on": {
                "required": _("Enter the day the body adopted it."),
                "invalid": _("Enter the date as YYYY-MM-DD."),
            },
        }

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _choices(Opinion.Kind.choices)
        if request is not None or self.instance.request_id:
            # The answer to a request is an opinion.
            del self.fields["kind"]

    def clean_file(self):
        return _pdf(self, "file")

    def values(self):
        return {name: self.cleaned_data.get(name) for name in self.fields}


class OpinionRequestForm(forms.ModelForm):
    class Meta:
        model = OpinionRequest
        fields = ["title", "description", "draft_file", "draft_url", "deadline"]
        widgets = {"deadline": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "description": _("What the draft is about and what you ask the body to consider."),
            "draft_file": _("The draft as a PDF file, or give a link below."),
        }
        error_messages = {
            "title": {"required": _("Enter the title of the draft.")},
            "deadline": {
                "required": _("Enter the day by which the body is to give its opinion."),
                "invalid": _("Enter the date as YYYY-MM-DD."),
            },
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].help_text = _(
            "At least %(days)s days from today: the body's shortest term for an opinion."
        ) % {"days": body.opinion_min_days}

    def clean_draft_file(self):
        return _pdf(self, "draft_file")

    def values(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


# ---------------------------------------------------------------------------------------
# The filters of a body's documents, all in the URL


class OpinionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=_choices(Opinion.Kind.choices),
        empty_label=_("all kinds"),
        widget=PlainSelect,
    )
    year = django_filters.NumberFilter(
        label=_("Year adopted"),
        field_name="adopted_on",
        lookup_expr="year",
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "width-5"}),
    )

    class Meta:
        model = Opinion
        fields = ["kind", "year"]
