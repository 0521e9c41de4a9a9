"""The forms of the commission's pages: setting it up, the declaration, conflicts and
score sheets. The rules themselves are in `commission.py`; these only read what was typed."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wspolpraca.organizations.models import Organization

from .models import Commission, CommissionMember, ConflictOfInterest


def plain_number(value):
    """7.50 as 7.5 and 8.00 as 8: points and weights as people write them."""
    return value.quantize(Decimal("1")) if value % 1 == 0 else value.normalize()


class CommissionDetailsForm(forms.ModelForm):
    class Meta:
        model = Commission
        fields = ["appointment_reference", "without_ngo_reason"]
        help_texts = {
            "appointment_reference": _(
                "The number and date of the mayor's order that appoints the commission."
            ),
            "without_ngo_reason": _(
                "Only if no member nominated by an organization can sit on the commission: "
                "why not (for example, no organization nominated anyone, or every nominating "
                "organization applies in this call). It goes into the minutes."
            ),
        }
        widgets = {"without_ngo_reason": forms.Textarea(attrs={"rows": 3})}


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person's account"),
        help_text=_(
            "The person must already have an account on the platform with this address: "
            "ask them to create one first. They will have to sign in with two factors."
        ),
    )
    role = forms.ChoiceField(
        label=_("Role in the commission"),
        choices=CommissionMember.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the person's role.")},
    )
    nominated_by = forms.CharField(
        label=_("Nominating organization"),
        required=False,
        max_length=120,
        help_text=_(
            "For a member nominated by an organization: the organization's KRS number, or "
            "the last part of its address on this site. An organization with an offer in "
            "this call cannot nominate."
        ),
    )
    paid = forms.BooleanField(
        label=_("The city pays for the person's participation"), required=False
    )
    fee = forms.DecimalField(
        label=_("Fee (zł)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=True,
        help_text=_("What the city pays the person for the work of this commission."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "width-10"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if self.user is None:
            raise forms.ValidationError(
                _(
                    "No account has this address. Ask the person to create an account on the "
                    "platform first, then add them."
                )
            )
        return email

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


class DeclarationForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I declare that the above is true"),
        error_messages={"required": _("Tick the box to declare that the above is true.")},
    )


class ConflictForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Why you cannot evaluate this offer impartially"),
        choices=ConflictOfInterest.Ground.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The ground is kept for the department. The minutes say only that you did not "
            "evaluate this offer."
        ),
        error_messages={"required": _("Choose the ground of the conflict.")},
    )


class OpinionForm(forms.Form):
    text = forms.CharField(
        label=_("Your opinion of the offer"),
        help_text=_(
            "As an expert you have an advisory voice: the members read your opinion beside "
            "the offer before they score it, and the minutes keep it. You can change it "
            "until the commission closes its work."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write your opinion of the offer.")},
    )


class ScoreForm(forms.Form):
    """Points and a justification for each criterion. A draft may leave criteria empty;
    submitting needs them all, so every field is shown as required."""

    def __init__(self, *args, criteria, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for number, criterion in enumerate(criteria, start=1):
            names = {"number": number, "criterion": criterion.name, "max": criterion.max_points}
            hint = ngettext(
                "From 0 to %(max)s point; halves are allowed.",
                "From 0 to %(max)s points; halves are allowed.",
                criterion.max_points,
            ) % {"max": criterion.max_points}
            if criterion.weight != 1:
                hint += " " + str(
                    _("Weight in the total: %(weight)s.")
                    % {"weight": formats.number_format(plain_number(criterion.weight))}
                )
            if criterion.description:
                hint += " " + criterion.description
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=pgettext_lazy("score form", "%(number)s. %(criterion)s — points") % names,
                help_text=hint,
                required=not draft,
                min_value=0,
                max_value=criterion.max_points,
                max_digits=6,
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "width-5"}),
                error_messages={
                    "required": _("Give the points for “%(criterion)s”.") % names,
                    "invalid": _("Give the points for “%(criterion)s” as a number.") % names,
                    "min_value": _("Give between 0 and %(max)s points for “%(criterion)s”.")
                    % names,
                    "max_value": _("Give between 0 and %(max)s points for “%(criterion)s”.")
                    % names,
                },
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=pgettext_lazy("score form", "%(number)s. %(criterion)s — justification")
                % names,
                required=not draft,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "required": _("Justify the points for “%(criterion)s”.") % names,
                },
            )

    def full_clean(self):
        super().full_clean()
        # Shown as required whatever the button: submitting needs every field.
        for field in self.fields.values():
            field.required = True

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            points = cleaned.get(f"points_{criterion.pk}")
            if points is not None and (points * 2) % 1 != 0:
                self.add_error(
                    f"points_{criterion.pk}",
                    _("Give whole or half points for “%(criterion)s”, such as 7 or 7.5.")
                    % {"criterion": criterion.name},
                )
            justification = cleaned.get(f"justification_{criterion.pk}")
            if justification and points is None and f"points_{criterion.pk}" not in self.errors:
                self.add_error(
                    f"points_{criterion.pk}",
                    _(
                        "Give the points for “%(criterion)s” to keep its justification; you "
                        "can change both until you submit."
                    )
                    % {"criterion": criterion.name},
                )
        return cleaned

    def scores(self):
        """What was typed, as `commission.save_sheet` takes it."""
        return {
            criterion.pk: {
                "points": self.cleaned_data.get(f"points_{criterion.pk}"),
                "justification": self.cleaned_data.get(f"justification_{criterion.pk}") or "",
            }
            for criterion in self.criteria
        }

    @staticmethod
    def initial_from(sheet):
        if sheet is None:
            return {}
        initial = {}
        for score in sheet.scores.all():
            initial[f"points_{score.criterion_id}"] = plain_number(score.points)
            initial[f"justification_{score.criterion_id}"] = score.justification
        return initial
