"""The tracker's forms: a postulate's new status, a note of what was done, a link to what
answers it, and the CSV import. The rules (a rejection needs its reason, which addresses
a link may have) are in `tracker`; these only collect what was typed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import TrackedPostulate, TrackerLink

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": _("Enter the date."), "invalid": _("Enter a real date.")}
# The largest CSV the import takes: the 2018 catalogue is under 100 kB.
MAX_IMPORT_SIZE = 5 * 1024 * 1024


def add_service_error(form, error):
    """Put a TrackerError next to its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _today():
    return timezone.localdate()


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=TrackedPostulate.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the new status."),
            "invalid_choice": _("Choose the new status."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Required when the postulate is rejected. Shown to the public."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("What was done"),
        help_text=_("Shown in the postulate's history with the new status."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    date = forms.DateField(
        label=_("Date"),
        help_text=_("When the status changed."),
        initial=_today,
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"),
        help_text=_("For example: a meeting held, a call announced, a decision taken."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what was done about the postulate.")},
    )
    date = forms.DateField(
        label=_("Date"),
        help_text=_("When it happened."),
        initial=_today,
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )


class LinkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the link points to"),
        choices=TrackerLink.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the link points to."),
            "invalid_choice": _("Choose what the link points to."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        help_text=_("As people know it, e.g. the name of the call."),
        max_length=300,
        error_messages={"required": _("Enter the title of what the link points to.")},
    )
    url = forms.CharField(
        label=_("Address"),
        help_text=_(
            "An address on this site starting with /, such as /konkursy/12/, or a full "
            "address starting with https://."
        ),
        max_length=500,
        error_messages={"required": _("Enter the address the link points to.")},
    )


# The forms of the progress page, by the `action` each posts (and the prefix of its fields).
PROGRESS_FORMS = {"status": StatusForm, "note": NoteForm, "link": LinkForm}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "The tracker's CSV as the export gives it: UTF-8, cells separated by "
            "semicolons, the first row naming the columns. Entries are matched by code."
        ),
        error_messages={
            "required": _("Choose the CSV file to import."),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_SIZE:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it into smaller files.")
            )
        return upload
