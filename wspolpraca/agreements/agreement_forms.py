"""The forms of the agreements' pages: the list's filters, the updated budget (a formset of
cost lines with empty rows to add, one of the schedule's actions), the tranches, the
signing and the annex. They read what people type; the rules (sums, shares, dates) are
the service's (`agreements.py`), whose problems the views put next to these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.accounts.forms import validate_single_line
from wspolpraca.offers.forms import AmountField, DayField, QuantityField, YearField

from .models import Agreement

# The choice of a cost under no action (administrative, or any cost of a small grant).
NO_ACTION = "0"
# Empty rows the cost calculation offers for new costs, and how many more "Add rows" adds.
EXTRA_COST_ROWS = 2
MORE_COST_ROWS = 3


class AgreementFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year of the task"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "4"}),
        error_messages={
            "invalid": _("Enter a year, such as 2027."),
            "min_value": _("Enter a year between 2000 and 2100."),
            "max_value": _("Enter a year between 2000 and 2100."),
        },
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("agreement", "Status"),
        required=False,
        choices=[("", _("all statuses")), *Agreement.Status.choices],
    )


def _required(message):
    return {"required": message}


class CostRowForm(forms.Form):
    """One cost line of the updated cost calculation."""

    action = forms.ChoiceField(label=_("Action"), error_messages=_required(_("Choose the action.")))
    name = forms.CharField(
        label=_("Kind of cost"),
        max_length=300,
        validators=[validate_single_line],
        error_messages=_required(_("Enter the kind of cost.")),
    )
    unit = forms.CharField(
        label=_("Unit"),
        help_text=_("Such as hour, piece, month."),
        max_length=40,
        validators=[validate_single_line],
        error_messages=_required(_("Enter the unit.")),
    )
    unit_cost = AmountField(
        label=_("Cost of one unit (zł)"),
        required=True,
        error_messages=_required(_("Enter the cost of one unit.")),
    )
    quantity = QuantityField(
        label=_("Number of units"),
        required=True,
        error_messages=_required(_("Enter the number of units.")),
    )
    year = YearField(label=_("Year"), required=True)

    def __init__(self, *args, action_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = action_choices
        # An empty row starts under no action, so that it is still "unchanged" when sent.
        self.initial.setdefault("action", NO_ACTION)
        self.fields["year"].error_messages["required"] = _("Enter the year of the cost.")

    def clean_action(self):
        value = self.cleaned_data.get("action")
        return int(value) if value and value != NO_ACTION else None


class BaseCostFormSet(forms.BaseFormSet):
    def __init__(self, *args, action_choices=(), **kwargs):
        self.action_choices = action_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"action_choices": self.action_choices}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this cost")

    def rows(self):
        """(form, cleaned row) for each filled row not marked for removal; call after
        is_valid()."""
        return _kept_rows(self)


def _kept_rows(formset):
    kept = []
    for form in formset.forms:
        if formset._should_delete_form(form):
            continue
        data = getattr(form, "cleaned_data", None) or {}
        if not data or (form.empty_permitted and not form.has_changed()):
            continue
        kept.append((form, {k: v for k, v in data.items() if k != "DELETE"}))
    return kept


def cost_formset(data=None, *, initial=(), action_choices=(), extra=EXTRA_COST_ROWS):
    formset_class = forms.formset_factory(
        CostRowForm,
        formset=BaseCostFormSet,
        extra=extra,
        can_delete=True,
        max_num=200,
        absolute_max=250,
    )
    return formset_class(
        data, initial=list(initial), prefix="cost_lines", action_choices=action_choices
    )


class ScheduleRowForm(forms.Form):
    """One action's dates in the updated schedule."""

    action = forms.IntegerField(widget=forms.HiddenInput)
    starts = DayField(
        label=_("From"), required=True, error_messages=_required(_("Enter the start date."))
    )
    ends = DayField(
        label=_("Until"), required=True, error_messages=_required(_("Enter the end date."))
    )


def schedule_formset(data=None, *, initial=()):
    formset_class = forms.formset_factory(ScheduleRowForm, extra=0, max_num=200, absolute_max=250)
    return formset_class(data, initial=list(initial), prefix="schedule")


class BudgetForm(forms.Form):
    own_contribution = AmountField(
        label=_("Own contribution (zł)"),
        help_text=_(
            "What the organization adds to the grant: money, volunteers' and members' work, "
            "things. The costs must add up to the grant and this."
        ),
        required=True,
        error_messages=_required(_("Enter your own contribution, 0 or more.")),
    )
    note = forms.CharField(
        label=_("What changed and why"),
        help_text=_("For the department: which costs or actions you lowered or dropped."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReturnBudgetForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the budget is returned"),
        help_text=_("The organization sees this and corrects its budget accordingly."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("Write why the budget is returned.")),
    )


class TrancheRowForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    planned_on = DayField(
        label=_("Planned payment"),
        required=True,
        error_messages=_required(_("Enter the planned payment date.")),
    )
    amount = AmountField(
        label=_("Amount (zł)"),
        required=True,
        error_messages=_required(_("Enter the amount of the tranche.")),
    )


def tranche_formset(data=None, *, initial=()):
    formset_class = forms.formset_factory(TrancheRowForm, extra=0, max_num=50, absolute_max=60)
    return formset_class(data, initial=list(initial), prefix="tranches")


class PaymentRowForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = DayField(label=_("Paid on"), help_text=_("Empty: not paid yet."), required=False)


def payment_formset(data=None, *, initial=()):
    formset_class = forms.formset_factory(PaymentRowForm, extra=0, max_num=50, absolute_max=60)
    return formset_class(data, initial=list(initial), prefix="payments")


class SignForm(forms.Form):
    signed_on = DayField(
        label=_("Date of signing"),
        help_text=_("The date both parties signed, as written on the agreement."),
        required=True,
        error_messages=_required(_("Enter the date of signing.")),
    )
    city_representative = forms.CharField(
        label=_("Signed for the city by"),
        help_text=_("Name and function, such as: Jan Kowalski, Deputy Mayor."),
        max_length=300,
        validators=[validate_single_line],
        error_messages=_required(_("Enter who signed the agreement for the city.")),
    )


class AnnexForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the annex"),
        help_text=_("What the parties agreed to change and why; it is written in the annex."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("Write the reason for the annex.")),
    )
    amount = AmountField(label=_("New grant (zł)"), help_text=_("Empty: the grant stays as it is."))
    ends = DayField(label=_("New end of the task"), help_text=_("Empty: the end stays as it is."))


class AnnexTrancheRowForm(forms.Form):
    """An unpaid tranche after the annex, or a new one (no number)."""

    number = forms.IntegerField(widget=forms.HiddenInput, required=False)
    year = YearField(label=_("Budget year"), help_text=_("Empty: the year of the payment."))
    planned_on = DayField(label=_("Planned payment"))
    amount = AmountField(label=_("Amount (zł)"))

    def clean(self):
        data = super().clean()
        filled = data.get("planned_on") or data.get("amount") is not None
        if filled and not data.get("DELETE"):
            if not data.get("planned_on"):
                self.add_error("planned_on", _("Enter the planned payment date."))
            if data.get("amount") is None:
                self.add_error("amount", _("Enter the amount of the tranche."))
        return data


class BaseAnnexTrancheFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this tranche")

    def rows(self):
        """(form, cleaned row) for each filled row not marked for removal."""
        return _kept_rows(self)


def annex_tranche_formset(data=None, *, initial=()):
    formset_class = forms.formset_factory(
        AnnexTrancheRowForm,
        formset=BaseAnnexTrancheFormSet,
        extra=1,
        can_delete=True,
        max_num=50,
        absolute_max=60,
    )
    return formset_class(data, initial=list(initial), prefix="tranches")


class SmallGrantRefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the grant is not awarded"),
        help_text=_("The organization's administrators are e-mailed these reasons."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Give the reasons: the organization will read them.")},
    )
