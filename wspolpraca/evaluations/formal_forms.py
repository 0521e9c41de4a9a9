"""The forms of the formal check: the checklist's requirements, the check of one offer,
the request for a correction and the rejection on formal grounds."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.offers import drafts

MET = "yes"
NOT_MET = "no"


def step_choices(steps=None):
    return [(step.key, str(step)) for step in (steps or drafts.STEPS.values())]


class RequirementForm(forms.Form):
    text = forms.CharField(
        label=_("Requirement"),
        max_length=300,
        help_text=_("One thing an offer must meet, as the call's rules say it."),
        error_messages={"required": _("Write the requirement.")},
    )
    step = forms.ChoiceField(
        label=_("Part of the offer"),
        required=False,
        help_text=_("The part of the offer form the organization changes to correct it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", _("No particular part")), *step_choices()]


class ChecklistForm(forms.Form):
    """Met or not, with a note, for each requirement of the call's checklist."""

    def __init__(self, *args, requirements, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        answers = answers or {}
        choices = [
            (MET, pgettext_lazy("formal requirement", "Met")),
            (NOT_MET, pgettext_lazy("formal requirement", "Not met")),
        ]
        for number, requirement in enumerate(self.requirements, start=1):
            prior = answers.get(requirement.pk)
            step = drafts.STEPS.get(requirement.step)
            self.fields[f"met_{requirement.pk}"] = forms.ChoiceField(
                label=f"{number}. {requirement.text}",
                choices=choices,
                widget=forms.RadioSelect,
                initial=(MET if prior.met else NOT_MET) if prior else None,
                help_text=_("Part of the offer: %(step)s") % {"step": step} if step else "",
                error_messages={
                    "required": _("Say whether the offer meets this requirement."),
                },
            )
            self.fields[f"note_{requirement.pk}"] = forms.CharField(
                label=_("Note on requirement %(number)s") % {"number": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=prior.note if prior else "",
                help_text=_(
                    "Needed when it is not met: what is missing or wrong. The organization "
                    "reads it if you ask for a correction."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        for requirement in self.requirements:
            met = cleaned.get(f"met_{requirement.pk}")
            note = (cleaned.get(f"note_{requirement.pk}") or "").strip()
            if met == NOT_MET and not note:
                self.add_error(
                    f"note_{requirement.pk}",
                    _("Say what is missing or wrong: the requirement is not met."),
                )
        return cleaned

    def answers(self):
        """{requirement pk: (met, note)} for `formal.check_offer`."""
        return {
            requirement.pk: (
                self.cleaned_data[f"met_{requirement.pk}"] == MET,
                self.cleaned_data.get(f"note_{requirement.pk}", ""),
            )
            for requirement in self.requirements
        }


class CorrectionForm(forms.Form):
    steps = forms.MultipleChoiceField(
        label=_("Parts of the offer that may be corrected"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organization can change only these parts; the rest stays as submitted."),
        error_messages={"required": _("Choose at least one part of the offer.")},
    )
    message = forms.CharField(
        label=_("What is to be corrected"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The organization's administrators receive this by e-mail, word for word."),
        error_messages={"required": _("Write what is to be corrected.")},
    )
    due_date = forms.DateField(
        label=_("Correction due by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The corrected offer is accepted until the end of this day (23:59:59); after it "
            "the server refuses it."
        ),
        error_messages={
            "required": _("Give the day the correction is due."),
            "invalid": _("Give the day as a date, such as 2027-03-22."),
        },
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steps"].choices = step_choices(steps)

    def clean_due_date(self):
        day = self.cleaned_data["due_date"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Give a day after today."))
        return day


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the offer is rejected on formal grounds"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The organization's administrators receive this by e-mail, word for word."),
        error_messages={"required": _("Write why the offer is rejected.")},
    )
