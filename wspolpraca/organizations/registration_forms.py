"""Forms of the two registration steps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import registration
from .forms import OrganizationForm, clean_krs_number


class KrsLookupForm(forms.Form):
    """Step 1: the KRS number to read the register with."""

    krs = forms.CharField(
        label=_("KRS number"),
        max_length=20,
        help_text=_("Ten digits; you may leave out the leading zeros, e.g. 123456."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_krs(self):
        return clean_krs_number(self.cleaned_data.get("krs"))


class RegistrationForm(OrganizationForm):
    """Step 2: everything about the organization, prefilled from the KRS when it was read."""

    def clean_krs(self):
        value = clean_krs_number(self.cleaned_data.get("krs"))
        existing = registration.existing_with_krs(value)
        if existing is not None:
            raise ValidationError(registration.duplicate_message(existing))
        return value or None

    def validate_unique(self):
        # The KRS number was checked above: a record found by the KRS watch that nobody
        # administers may be taken over, which the model's unique check would refuse.
        exclude = self._get_validation_exclusions()
        exclude.add("krs")
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)
