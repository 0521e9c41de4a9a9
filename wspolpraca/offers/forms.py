"""The forms of a draft offer's steps, and of starting one.

A step's page is one `StepForms`: the offer's fields of that step (`StepForm`) and a
formset per kind of row on it (partners, actions, results, cost lines). Every field is
optional for the form: a draft is saved as it is typed, half-filled, and only a value that
cannot be read (a date that is not a date, an amount that is not a number) is refused,
next to its field. What the offer needs before it is submitted is `checks.problems`, and
the "(optional)" hint follows those needs (`StepForm.required_names`), not the form's.

Each field has, under its hint, one message area (`id_<field>_check`) that holds its
errors and the rule checks (sums, limits, dates) for it; the autosave response replaces
just these areas, never the inputs the person is typing in.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import BadRequest
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.accounts.forms import validate_single_line
from wspolpraca.city.models import Department
from wspolpraca.competitions.models import LegalRules
from wspolpraca.core.forms import SiteBoundField
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.organizations.models import Organization

from . import checks
from .drafts import ROW_KINDS, ordered_rows
from .models import Offer

# Spaces people type inside amounts ("12 000,50"), the no-break ones too, and "zł".
_AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f']+|zł$|zl$|pln$", re.IGNORECASE)


def parse_amount(text):
    """An amount as people type it: "12 000,50", "12000.50", "1.234,50 zł" → Decimal."""
    text = _AMOUNT_NOISE.sub("", (text or "").strip())
    text = _AMOUNT_NOISE.sub("", text)
    if not text:
        return None
    if "," in text and "." in text:
        # "1.234,50": the dot groups thousands, the comma starts the grosze.
        text = text.replace(".", "")
    text = text.replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]*)?", text, re.ASCII):
        raise ValueError(text)
    return Decimal(text)


class AmountInput(forms.TextInput):
    """A text box for an amount: the phone's number pad, the value written the local way
    without grouping ("1234,50"), an empty box for 0 where 0 means "nothing given"."""

    def __init__(self, attrs=None, *, blank_zero=False, money=True):
        super().__init__(
            {"inputmode": "decimal", "autocomplete": "off", "class": "width-10", **(attrs or {})}
        )
        self.blank_zero = blank_zero
        self.money = money

    def format_value(self, value):
        if isinstance(value, Decimal | int | float):
            if self.blank_zero and not value:
                return None
            if not self.money:
                return checks.number(value)
            return formats.number_format(Decimal(value), decimal_pos=2)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    widget = AmountInput
    default_error_messages = {
        "invalid": gettext_lazy("Enter an amount in złoty, such as 1234,50."),
        "min_value": gettext_lazy("The amount cannot be less than 0."),
        "max_digits": gettext_lazy("This amount is too large."),
        "max_whole_digits": gettext_lazy("This amount is too large."),
        "max_decimal_places": gettext_lazy("Give at most two digits after the comma (the grosze)."),
    }

    money = True

    def __init__(self, *, max_digits=12, blank_zero=False, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs["widget"] = AmountInput(blank_zero=blank_zero, money=self.money)
        super().__init__(max_digits=max_digits, decimal_places=2, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = parse_amount(str(value))
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number is None or not number.is_finite():
            return None
        return number

    def widget_attrs(self, widget):
        # The step, min and max attributes are for number inputs; this is a text box.
        return {}


class QuantityField(AmountField):
    money = False
    default_error_messages = {
        "invalid": gettext_lazy("Enter a number, such as 12 or 2,5."),
        "min_value": gettext_lazy("The number cannot be less than 0."),
    }

    def __init__(self, **kwargs):
        super().__init__(max_digits=10, **kwargs)


class DayField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    input_formats = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
    default_error_messages = {"invalid": gettext_lazy("Enter a date, such as 15.03.2027.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class YearField(forms.IntegerField):
    default_error_messages = {"invalid": gettext_lazy("Enter a year, such as 2027.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            min_value=2000,
            max_value=2100,
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": "4", "autocomplete": "off"}
            ),
            error_messages={
                "min_value": _year_range_message(),
                "max_value": _year_range_message(),
            },
            **kwargs,
        )

    def widget_attrs(self, widget):
        return {"inputmode": "numeric", "maxlength": "4"}


def _year_range_message():
    return gettext_lazy("Enter a year between 2000 and 2100.")


class OfferBoundField(SiteBoundField):
    """A field of an offer's step: its message area (`<id>_check`) is always on the page
    and described by the input, and "(optional)" follows what a submitted offer needs."""

    @property
    def template_name(self):
        return "offers/forms/field.html"

    @property
    def check_id(self):
        return f"{self.auto_id}_check"

    @property
    def messages(self):
        return [*self.errors, *self.form.check_messages.get(self.html_name, [])]

    @property
    def is_optional(self):
        if self.is_hidden or isinstance(self.field.widget, forms.CheckboxInput):
            return False
        return self.name not in self.form.required_names

    @property
    def aria_describedby(self):
        described = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                described.append(f"{self.auto_id}_helptext")
            described.append(self.check_id)
        return " ".join(described)


class OfferFormMixin:
    bound_field_class = OfferBoundField
    # What the offer needs before it is submitted; the rest shows "(optional)".
    required_names = frozenset()

    def init_checks(self):
        self.check_messages = {}

    def message_slots(self):
        """{message area id: messages} of this form's fields."""
        return {
            self[name].check_id: self[name].messages
            for name in self.fields
            if not self[name].is_hidden
        }


# The step's fields: labels as questions, hints in the person's words.
LABELS = {
    "contact_name": gettext_lazy("Contact person for questions about the offer"),
    "contact_email": gettext_lazy("Their e-mail address"),
    "contact_phone": gettext_lazy("Their phone number"),
    "correspondence_address": gettext_lazy("Address for correspondence"),
    "title": gettext_lazy("Title of the task"),
    "starts": gettext_lazy("Start of the task"),
    "ends": gettext_lazy("End of the task"),
    "summary": gettext_lazy("Summary of the task"),
    "complementarity": gettext_lazy("Complementarity with other actions"),
    "results_effects": gettext_lazy("What will come of the task"),
    "results_change": gettext_lazy("What will change for the people served"),
    "results_durability": gettext_lazy("How the results will last"),
    "earlier_activity": gettext_lazy("Your earlier activity in this field"),
    "resources": gettext_lazy("Staff, material and financial resources"),
    "other_information": gettext_lazy("Other information"),
    "representatives": gettext_lazy("Persons authorised to represent the offeror"),
}
SMALL_GRANT_LABELS = {
    "summary": gettext_lazy("Description of the task"),
    "results_effects": gettext_lazy("Expected results"),
}
HINTS = {
    "contact_name": gettext_lazy(
        "The department asks this person if anything in the offer needs explaining."
    ),
    "correspondence_address": gettext_lazy("Only if it differs from the seat shown above."),
    "summary": gettext_lazy("Where it happens, for whom, and how it meets their needs."),
    "complementarity": gettext_lazy(
        "If the task adds to other actions, yours or others', say how."
    ),
    "results_effects": gettext_lazy("The direct effects: what will be done or made."),
    "results_durability": gettext_lazy("What will remain after the task ends."),
    "earlier_activity": gettext_lazy(
        "Tasks of this kind you have carried out, with or without public money."
    ),
    "resources": gettext_lazy(
        "The people who will do the work and their qualifications, the rooms and equipment "
        "you will use, and other money you have for the task."
    ),
    "own_personal": gettext_lazy("The value of the work of volunteers and members."),
    "own_in_kind": gettext_lazy("The value of rooms, equipment and things you provide."),
    "other_public_funds": gettext_lazy("Grants from other public bodies for this task."),
    "beneficiary_fees": gettext_lazy("Only in paid activity (section VI)."),
    "other_information": gettext_lazy(
        "Anything else the department should know; in a joint offer, how the offerors share "
        "the work and who represents them."
    ),
    "representatives": gettext_lazy(
        "Names and functions, as the register shows who represents the organization."
    ),
}
SINGLE_LINE = {"contact_name", "contact_phone", "correspondence_address", "title"}


def _field_for(offer, name):
    model_field = Offer._meta.get_field(name)
    label = LABELS.get(name) or capfirst(model_field.verbose_name)
    if offer.kind == Offer.Kind.SMALL_GRANT:
        label = SMALL_GRANT_LABELS.get(name, label)
    options = {"label": label, "help_text": HINTS.get(name, ""), "required": False}
    if name in checks.SOURCE_LABELS:
        options["label"] = f"{checks.SOURCE_LABELS[name]} (zł)"
        return AmountField(blank_zero=name != "requested_grant", **options)
    if model_field.get_internal_type() == "DateField":
        return DayField(**options)
    if model_field.get_internal_type() == "BooleanField":
        return forms.BooleanField(**options)
    if model_field.get_internal_type() == "TextField":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **options)
    if model_field.get_internal_type() == "EmailField":
        return forms.EmailField(
            max_length=model_field.max_length,
            error_messages={
                "invalid": _("Enter an e-mail address such as name@example.org."),
            },
            **options,
        )
    field = forms.CharField(max_length=model_field.max_length, **options)
    if name in SINGLE_LINE:
        field.validators.append(validate_single_line)
    return field


class StepForm(OfferFormMixin, forms.Form):
    """The offer's own fields on one step."""

    def __init__(self, offer, step, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_checks()
        for name in step.fields_for(offer):
            self.fields[name] = _field_for(offer, name)
            self.initial[name] = getattr(offer, name)
        required = set(checks.REQUIRED) | set(checks.DECLARATION_FIELDS)
        if offer.kind == Offer.Kind.SMALL_GRANT:
            required -= {"results_change", "results_durability", "earlier_activity"}
        self.required_names = frozenset(required)
        self._add_hints(offer)

    def _add_hints(self, offer):
        call = offer.call
        fields = self.fields
        if "starts" in fields:
            if call is not None:
                fields["starts"].help_text = _(
                    "The call allows the task from %(starts)s to %(ends)s."
                ) % {
                    "starts": formats.date_format(call.task_starts, "j E Y"),
                    "ends": formats.date_format(call.task_ends, "j E Y"),
                }
            elif offer.kind == Offer.Kind.SMALL_GRANT:
                fields["starts"].help_text = _(
                    "A small-grant task lasts at most %(days)s days."
                ) % {"days": LegalRules.current().small_grant_max_days}
        if "requested_grant" in fields:
            fields["requested_grant"].help_text = _grant_hint(offer)


def _grant_hint(offer):
    call = offer.call
    if offer.kind == Offer.Kind.SMALL_GRANT:
        return _("At most %(max)s (art. 19a).") % {
            "max": money(LegalRules.current().small_grant_max_amount)
        }
    if call is None:
        return ""
    if call.min_grant and call.max_grant:
        return _("The call gives grants from %(min)s to %(max)s.") % {
            "min": money(call.min_grant),
            "max": money(call.max_grant),
        }
    if call.max_grant:
        return _("The call gives grants of at most %(max)s.") % {"max": money(call.max_grant)}
    return _("The call has %(budget)s for the task in all.") % {"budget": money(call.budget)}


# Rows.


class RowForm(OfferFormMixin, forms.Form):
    """One row of a formset; `row` is the stored row it edits."""

    row_kind = None
    id = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, offer, rows_by_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_checks()
        self.offer = offer
        self.rows_by_id = rows_by_id
        self.row = None
        self.required_names = frozenset(checks.ROW_REQUIRED.get(self.row_kind, {}))
        for name in self.fields:
            self.fields[name].required = name == "id"

    def clean_id(self):
        pk = self.cleaned_data["id"]
        if pk not in self.rows_by_id:
            raise forms.ValidationError(_("This row is no longer in the offer."))
        return pk

    prefix_index = None

    @property
    def number(self):
        return self.prefix_index + 1 if self.prefix_index is not None else None

    @property
    def title(self):
        """ "Action 2": the row as the pages and the checks name it."""
        return checks.ROW_NAMES[self.row_kind] % {"n": self.number}


class PartnerForm(RowForm):
    row_kind = "partners"
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=300, validators=[validate_single_line]
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Legal form"),
        choices=[("", gettext_lazy("— choose —")), *Organization.Kind.choices],
    )
    register_number = forms.CharField(
        label=gettext_lazy("KRS or other register number"),
        max_length=200,
        validators=[validate_single_line],
    )
    address = forms.CharField(
        label=gettext_lazy("Seat address"), max_length=300, validators=[validate_single_line]
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        error_messages={
            "invalid": gettext_lazy("Enter an e-mail address such as name@example.org.")
        },
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"), max_length=32, validators=[validate_single_line]
    )
    website = forms.URLField(
        label=gettext_lazy("Website"),
        error_messages={
            "invalid": gettext_lazy("Enter a web address such as https://example.org.")
        },
    )
    cost_share = AmountField(
        label=gettext_lazy("Costs this partner carries (zł)"),
        help_text=gettext_lazy("Section V.C: the part of all costs this partner covers."),
        blank_zero=True,
    )
    actions_and_representation = forms.CharField(
        label=gettext_lazy("What this partner does and who represents it"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionForm(RowForm):
    row_kind = "actions"
    name = forms.CharField(
        label=gettext_lazy("Action"), max_length=300, validators=[validate_single_line]
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3})
    )
    target_group = forms.CharField(
        label=gettext_lazy("For whom"), max_length=300, validators=[validate_single_line]
    )
    starts = DayField(label=gettext_lazy("From"))
    ends = DayField(label=gettext_lazy("Until"))
    done_by_non_party = forms.CharField(
        label=gettext_lazy("Part done by someone who is not an offeror"),
        help_text=gettext_lazy("A subcontractor, for example; leave empty if none."),
        max_length=300,
        validators=[validate_single_line],
    )
    partner = forms.TypedChoiceField(label=gettext_lazy("Carried out by"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partners = ordered_rows(self.offer, "partners")
        if partners:
            self.fields["partner"].choices = [
                ("", self.offer.organization.name),
                *[
                    (p.pk, p.name or _("Partner %(n)s") % {"n": n})
                    for n, p in enumerate(partners, 1)
                ],
            ]
            self.fields["partner"].empty_value = None
        else:
            del self.fields["partner"]


class ResultForm(RowForm):
    row_kind = "results"
    name = forms.CharField(
        label=gettext_lazy("Result"), max_length=300, validators=[validate_single_line]
    )
    target_value = forms.CharField(
        label=gettext_lazy("Target value"),
        help_text=gettext_lazy("For example: 120 people, 8 workshops."),
        max_length=100,
        validators=[validate_single_line],
    )
    monitoring = forms.CharField(
        label=gettext_lazy("How it is monitored"),
        help_text=gettext_lazy("For example: attendance lists, a survey."),
        max_length=300,
        validators=[validate_single_line],
    )


class CostLineForm(RowForm):
    row_kind = "cost_lines"
    name = forms.CharField(
        label=gettext_lazy("Kind of cost"), max_length=300, validators=[validate_single_line]
    )
    unit = forms.CharField(
        label=gettext_lazy("Unit"),
        help_text=gettext_lazy("Such as hour, piece, month."),
        max_length=40,
        validators=[validate_single_line],
    )
    unit_cost = AmountField(label=gettext_lazy("Cost of one unit (zł)"), blank_zero=True)
    quantity = QuantityField(label=gettext_lazy("Number of units"), blank_zero=True)
    year = YearField(label=gettext_lazy("Year"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.required_names = frozenset({"name", "unit", "unit_cost", "quantity", "year"})


ROW_FORMS = {
    "partners": PartnerForm,
    "actions": ActionForm,
    "results": ResultForm,
    "cost_lines": CostLineForm,
}


class BaseRowFormSet(forms.BaseFormSet):
    def __init__(self, *args, offer, rows, **kwargs):
        self.offer = offer
        self.rows = rows
        self.rows_by_id = {row.pk: row for row in rows}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"offer": self.offer, "rows_by_id": self.rows_by_id}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.prefix_index = i
        if self.is_bound:
            raw = self.data.get(form.add_prefix("id"), "")
            pk = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
            form.row = self.rows_by_id.get(pk)
        elif i < len(self.rows):
            form.row = self.rows[i]
        return form


def row_initial(kind, row):
    row_kind = ROW_KINDS[kind]
    initial = {"id": row.pk}
    for name in ROW_FORMS[kind].base_fields:
        if name != "id":
            initial[name] = getattr(row, row_kind.attname(name))
    return initial


def row_formset(offer, kind, data=None):
    rows = ordered_rows(offer, kind)
    formset_class = forms.formset_factory(ROW_FORMS[kind], formset=BaseRowFormSet, extra=0)
    return formset_class(
        data,
        prefix=kind,
        offer=offer,
        rows=rows,
        initial=[row_initial(kind, row) for row in rows],
    )


class StepForms:
    """Everything one step's page edits: the offer's fields and the formsets of rows."""

    def __init__(self, offer, step, data=None):
        self.offer = offer
        self.step = step
        self.form = StepForm(offer, step, data)
        self.formsets = {}
        for kind in step.rows_for(offer):
            # A junk POST without the formset's management data leaves its rows alone.
            if data is not None and f"{kind}-TOTAL_FORMS" not in data:
                continue
            formset = row_formset(offer, kind, data)
            if data is not None and not formset.management_form.is_valid():
                raise BadRequest(f"{kind}: the formset's management form is missing")
            self.formsets[kind] = formset

    @property
    def is_bound(self):
        return self.form.is_bound

    def is_valid(self):
        valid = self.form.is_valid()
        # Every form is validated (no short cut): each shows its own errors.
        for formset in self.formsets.values():
            for form in formset.forms:
                valid = form.is_valid() and valid
        return valid

    def cleaned_data(self):
        """What can be saved of what was posted: every value that could be read, per field
        (`drafts.save_step`'s argument). A value that could not be read is left out, so
        what is stored for it stays until it is corrected."""
        self.is_valid()
        data = dict(self.form.cleaned_data)
        for kind, formset in self.formsets.items():
            data[kind] = [
                dict(form.cleaned_data) for form in formset.forms if "id" in form.cleaned_data
            ]
        return data

    def all_forms(self):
        yield self.form
        for formset in self.formsets.values():
            yield from formset.forms

    def error_list(self):
        """(anchor, label, message) of every error, for the error summary."""
        errors = []
        for form in self.all_forms():
            row = getattr(form, "row_kind", None)
            for name, messages in form.errors.items():
                if name == "__all__" or name not in form.fields:
                    continue
                bound = form[name]
                label = str(bound.label)
                if row:
                    label = f"{checks.ROW_NAMES[row] % {'n': form.number}} — {label}"
                for message in messages:
                    errors.append((bound.auto_id, label, message))
        return errors

    def set_checks(self, found):
        """Put the rule checks of this step (problems not about missing answers) into the
        message areas of their fields; return the step-wide ones."""
        by_field = {}
        step_wide = []
        for problem in found:
            if problem.step != self.step.key or problem.missing:
                continue
            if problem.field is None:
                step_wide.append(problem.message)
            else:
                by_field.setdefault(problem.field, []).append(problem.message)
        for form in self.all_forms():
            form.check_messages = {
                form[name].html_name: by_field.get(form[name].html_name, []) for name in form.fields
            }
        self.group_checks = {
            group: by_field.get(group, []) for group in ("partners", "actions", "results")
        }
        self.group_checks["administrative_costs"] = by_field.get("administrative_costs", [])
        self.group_checks["cost_lines"] = by_field.get("cost_lines", [])
        self.step_checks = step_wide
        return step_wide

    def message_slots(self):
        """{message area id: messages} of every field and group on the page."""
        slots = {}
        for form in self.all_forms():
            slots.update(form.message_slots())
        for group, messages in getattr(self, "group_checks", {}).items():
            slots[f"id_{group}_check"] = messages
        return slots


# Starting an offer.


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organization):
        return organization.name


class StartForm(forms.Form):
    """Which of the person's organizations offers (asked only when there are several)."""

    organization = OrganizationChoiceField(
        label=gettext_lazy("Which organization makes the offer?"),
        queryset=Organization.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": gettext_lazy("Choose the organization that makes the offer.")},
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk
            self.fields["organization"].widget = forms.HiddenInput()

    def clean_organization(self):
        return self.cleaned_data["organization"]


class StartSmallGrantForm(StartForm):
    department = forms.ModelChoiceField(
        label=gettext_lazy("Which department do you ask for the grant?"),
        help_text=gettext_lazy("The department whose area the task belongs to."),
        queryset=Department.objects.all(),
        empty_label=gettext_lazy("— choose —"),
        error_messages={"required": gettext_lazy("Choose the department you ask for the grant.")},
    )
