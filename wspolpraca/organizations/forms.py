import re

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from stdnum.pl import nip, regon

from wspolpraca.accounts.forms import validate_single_line
from wspolpraca.core import uploads
from wspolpraca.core.widgets import MapPointWidget

from .models import Membership, Organization
from .widgets import AreaChoiceWidget

# Spaces and dashes people type inside numbers ("123-456-32-18"), the no-break space too.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def ascii_digits(value):
    """`value` without spaces and dashes when the rest is ASCII digits only, else None.

    str.isdigit() also accepts full-width ("１２３") and Arabic-Indic digits, and python-stdnum
    quietly folds some of them; such a number would then be stored or compared in another
    form than the one typed, so the duplicate checks could be bypassed. Numbers in law are
    written with the digits 0-9 only."""
    compact = _SEPARATORS.sub("", value or "")
    if compact.isascii() and compact.isdigit():
        return compact
    return None


def clean_krs_number(value):
    """KRS has no checksum: ten digits, zero-padded. Shorter input is padded."""
    value = (value or "").strip()
    if not value:
        return ""
    digits = ascii_digits(value)
    if digits is None or len(digits) > 10:
        raise forms.ValidationError(_("A KRS number has up to ten digits, e.g. 0000123456."))
    value = digits.zfill(10)
    if value == "0000000000":
        raise forms.ValidationError(_("This is not a valid KRS number."))
    return value


def clean_nip_number(value):
    value = (value or "").strip()
    if not value:
        return ""
    # The EU VAT prefix is sometimes typed in front ("PL 521-300-37-00").
    if value[:2].upper() == "PL":
        value = value[2:]
    compact = ascii_digits(value)
    if compact is None or not nip.is_valid(compact):
        raise forms.ValidationError(_("This NIP is not valid: check the ten digits."))
    return compact


def clean_regon_number(value):
    """REGON has 9 or 14 digits; the register sends 9 digits and 00000, so check the first 9."""
    value = (value or "").strip()
    if not value:
        return ""
    compact = ascii_digits(value)
    if compact is None:
        raise forms.ValidationError(_("This REGON is not valid: check the digits."))
    if len(compact) == 14 and compact.endswith("00000"):
        compact = compact[:9]
    if not regon.is_valid(compact):
        raise forms.ValidationError(_("This REGON is not valid: check the digits."))
    return compact


POSTAL_CODE = re.compile(r"[0-9]{2}-[0-9]{3}", re.ASCII)


def clean_postal_code(value):
    """A Polish postal code, 00-000, with the digits 0-9 only; spaces around are dropped."""
    value = (value or "").strip().replace(" ", "")
    if value and not POSTAL_CODE.fullmatch(value):
        raise forms.ValidationError(_("Write the postal code as 00-000."))
    return value


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses anything but ids the database can hold before it asks the database: a number
    too large for an integer column makes SQLite and PostgreSQL raise instead of finding
    nothing."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and int(text) < 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class OrganizationForm(forms.ModelForm):
    """What an organization's admin edits about it."""

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "krs",
            "nip",
            "regon",
            "other_register",
            "registration_date",
            "street",
            "postal_code",
            "city",
            "district",
            "latitude",
            "longitude",
            "areas",
            "target_groups",
            "description",
            "statutory_goals",
            "website",
            "email",
            "phone",
            "logo",
        ]
        field_classes = {"areas": IdMultipleChoiceField, "target_groups": IdMultipleChoiceField}
        widgets = {
            "registration_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # The form design's widgets (docs/forms.md): a point set on a map, not typed
            # coordinates; the areas grouped by theme with a filter box.
            "latitude": MapPointWidget,
            "longitude": forms.HiddenInput,
            "areas": AreaChoiceWidget,
            "target_groups": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "statutory_goals": forms.Textarea(attrs={"rows": 5}),
        }

    # People type numbers with spaces and dashes ("123-456-32-18"); the clean_* methods
    # compact them, so the typed length may exceed the stored one.
    TYPED_LENGTHS = {"krs": 20, "nip": 20, "regon": 24}
    # Fields that are one line of text; a line break there is refused next to the field.
    SINGLE_LINE = ("name", "short_name", "other_register", "street", "city", "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, length in self.TYPED_LENGTHS.items():
            field = self.fields[name]
            field.max_length = length
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.widget.attrs["maxlength"] = str(length)
        for name in self.SINGLE_LINE:
            if name in self.fields:
                self.fields[name].validators.append(validate_single_line)

    def clean_krs(self):
        value = clean_krs_number(self.cleaned_data.get("krs"))
        if value and Organization.objects.filter(krs=value).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("An organization with this KRS number is already on the platform.")
            )
        return value or None

    def clean_nip(self):
        return clean_nip_number(self.cleaned_data.get("nip"))

    def clean_regon(self):
        return clean_regon_number(self.cleaned_data.get("regon"))

    def clean_postal_code(self):
        return clean_postal_code(self.cleaned_data.get("postal_code"))

    def clean_logo(self):
        # See core/uploads.py: size cap, type read from the content, stored under a
        # random name.
        return uploads.accept_upload(
            self.cleaned_data.get("logo"),
            types=uploads.IMAGE_TYPES,
            max_size=settings.LOGO_MAX_SIZE,
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and kind not in Organization.KINDS_OUTSIDE_KRS and kind != Organization.Kind.OTHER:
            if not cleaned.get("krs") and "krs" not in self.errors:
                self.add_error(
                    "krs", _("Organizations of this legal form are in the KRS: give the number.")
                )
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return cleaned


class InvitationForm(forms.Form):
    # As long as the invitation's column holds: PostgreSQL refuses longer values outright.
    email = forms.EmailField(label=_("E-mail of the person to invite"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Who are you in the organization?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The administrators (or the platform team) will read it before they decide."),
        max_length=2000,
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TransferAdminForm(forms.Form):
    stay_admin = forms.BooleanField(
        label=_("Stay an administrator as well"),
        help_text=_("Leave this unticked to become an ordinary member after handing over."),
        required=False,
    )
