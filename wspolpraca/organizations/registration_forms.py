"""Forms of the two registration steps."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
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

    # People type numbers with spaces and dashes ("123-456-32-18"); the clean_* methods
    # compact them, so the typed length may exceed the stored one.
    TYPED_LENGTHS = {"krs": 20, "nip": 20, "regon": 24}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, length in self.TYPED_LENGTHS.items():
            field = self.fields[name]
            field.max_length = length
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.widget.attrs["maxlength"] = str(length)

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
