from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from stdnum.pl import nip, regon

from .models import Membership, Organization


def clean_krs_number(value):
    """KRS has no checksum: ten digits, zero-padded. Shorter input is padded."""
    value = (value or "").strip().replace(" ", "")
    if not value:
        return ""
    if not value.isdigit() or len(value) > 10:
        raise forms.ValidationError(_("A KRS number has up to ten digits, e.g. 0000123456."))
    value = value.zfill(10)
    if value == "0000000000":
        raise forms.ValidationError(_("This is not a valid KRS number."))
    return value


def clean_nip_number(value):
    value = (value or "").strip()
    if not value:
        return ""
    compact = nip.compact(value)
    if not nip.is_valid(compact):
        raise forms.ValidationError(_("This NIP is not valid: check the ten digits."))
    return compact


def clean_regon_number(value):
    """REGON has 9 or 14 digits; the register sends 9 digits and 00000, so check the first 9."""
    value = (value or "").strip()
    if not value:
        return ""
    compact = regon.compact(value)
    if len(compact) == 14 and compact.endswith("00000"):
        compact = compact[:9]
    if not regon.is_valid(compact):
        raise forms.ValidationError(_("This REGON is not valid: check the digits."))
    return compact


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
            "is_public_benefit",
            "logo",
        ]
        widgets = {
            "registration_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "areas": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "statutory_goals": forms.Textarea(attrs={"rows": 5}),
        }

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
        value = (self.cleaned_data.get("postal_code") or "").strip()
        if value and not (
            len(value) == 6 and value[2] == "-" and (value[:2] + value[3:]).isdigit()
        ):
            raise forms.ValidationError(_("Write the postal code as 00-000."))
        return value

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
    email = forms.EmailField(label=_("E-mail of the person to invite"))
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
