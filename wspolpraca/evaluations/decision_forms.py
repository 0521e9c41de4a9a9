"""The forms of the decisions and of the requests for reasons. They only read what was
typed; the rules (budget, the cut that needs a reason, the term) are the services'
(`decisions`), whose errors the views show next to the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .decisions import MAX_TEXT
from .models import Decision


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision.")},
    )
    amount = forms.DecimalField(
        label=_("Grant (zł)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("Only for a grant: at most the amount the offer asked for."),
        error_messages={
            "invalid": _("Enter the amount in złoty, e.g. 8500 or 8500,50."),
            "max_decimal_places": _("Enter the amount in złoty and grosze."),
        },
        localize=True,
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Required for a rejection and for a grant cut by more than the city's limit. "
            "The applicant reads them."
        ),
    )


class ReasonsQuestionForm(forms.Form):
    offer = forms.ModelChoiceField(
        label=_("Which offer's decision"),
        queryset=None,
        empty_label=_("Choose the offer"),
        error_messages={"required": _("Choose the offer whose decision you ask about.")},
    )
    question = forms.CharField(
        label=_("What would you like to know?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For example, why the offer was not chosen or why its grant was lowered."),
        error_messages={"required": _("Write what you would like to know.")},
    )

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers
        self.fields["offer"].label_from_instance = lambda offer: (
            f"{offer.organization.name} — {offer.title} ({offer.number})"
        )


class ReasonsAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The person who asked gets it by e-mail."),
        error_messages={"required": _("Write the answer.")},
    )
