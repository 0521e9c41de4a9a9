"""Forms of the requests to the city: the choice of kind, each kind's questions, and the
official's decision in the back office. The rules are in `city_requests`; the forms
only ask and show its errors next to the fields."""

import re
from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wspolpraca.accounts.forms import validate_single_line
from wspolpraca.city.models import Department
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.organizations.forms import IdMultipleChoiceField
from wspolpraca.organizations.models import PublicBenefitArea
from wspolpraca.organizations.widgets import AreaChoiceWidget, area_short_label

from . import city_requests
from .models import CityRequest

Kind = CityRequest.Kind


class HintedRadioSelect(forms.RadioSelect):
    """Radios with a hint under each option (GOV.UK "radios with hints"): `hints` maps an
    option's value to its text; the radio is described by it."""

    option_template_name = "competitions/requests/widgets/hinted_radio_option.html"

    def __init__(self, attrs=None, choices=(), hints=None):
        super().__init__(attrs, choices)
        self.hints = hints or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        hint = self.hints.get(str(value))
        if hint:
            option["hint"] = hint
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_hint"
        return option


def kind_hints(legal_rules=None):
    """Each kind's explanation and the city's term for answering it."""
    return {
        kind: [info.explanation, city_requests.answer_term(kind, legal_rules)]
        for kind, info in city_requests.KINDS.items()
    }


class ChooseKindForm(forms.Form):
    """The first step: what the organization asks for, and for which organization when
    the person administers several."""

    kind = forms.ChoiceField(
        label=_("What do you want to ask the city for?"),
        choices=Kind.choices,
        error_messages={"required": _("Choose what you are asking the city for.")},
    )

    def __init__(self, *args, organizations=(), legal_rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(value, capfirst(label)) for value, label in Kind.choices]
        self.fields["kind"].choices = choices
        self.fields["kind"].widget = HintedRadioSelect(
            choices=choices, hints=kind_hints(legal_rules)
        )
        self.organizations = {o.slug: o for o in organizations}
        if len(self.organizations) > 1:
            self.fields["organization"] = forms.ChoiceField(
                label=_("Which organization is the request from?"),
                choices=[(o.slug, o.name) for o in organizations],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose the organization the request is from.")},
            )

    def clean_organization(self):
        return self.organizations[self.cleaned_data["organization"]]


class IdChoiceField(forms.ModelChoiceField):
    """Refuses anything but an id the database can hold before it asks the database."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value)
            if not (text.isascii() and text.isdigit() and int(text) < 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


# Spaces (the no-break ones too) people put between thousands: "12 500,50".
_AMOUNT_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class AmountField(forms.DecimalField):
    """An amount in złoty typed as people write it: "12 500,50", "12500.50", "12500"."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    WHOLE_DIGITS = 10

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", self.WHOLE_DIGITS + 2)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Write the amount in złoty, e.g. 12 500 or 12 500,50.")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = _AMOUNT_SPACES.sub("", str(value)).replace(",", ".")
        match = re.fullmatch(r"([0-9]+)(?:\.([0-9]+))?", text, re.ASCII)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        whole, fraction = match.group(1).lstrip("0"), (match.group(2) or "").rstrip("0")
        if len(fraction) > 2:
            raise forms.ValidationError(
                _("Give the amount to the grosz: at most two digits after the comma."),
                code="max_decimal_places",
            )
        if len(whole) > self.WHOLE_DIGITS:
            raise forms.ValidationError(_("This amount is too large."), code="max_whole_digits")
        return Decimal(text)


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# What each kind calls the common fields: a patronage is over an event, a loan is of things.
LABELS = {
    "title": {
        Kind.OWN_INITIATIVE: _("Name of the task"),
        Kind.PATRONAGE: _("Name of the event or project"),
        Kind.PARTNERSHIP: _("Name of the project"),
        Kind.EQUIPMENT_LOAN: _("What would you like to borrow?"),
    },
    "description": {
        Kind.OWN_INITIATIVE: _("Describe the task"),
        Kind.PATRONAGE: _("Describe the event or project"),
        Kind.PARTNERSHIP: _("Describe the project and the city's part in it"),
        Kind.EQUIPMENT_LOAN: _("What is it for?"),
    },
    "starts": {
        Kind.OWN_INITIATIVE: _("The task would start on"),
        Kind.PATRONAGE: _("First day of the event"),
        Kind.PARTNERSHIP: _("The project would start on"),
        Kind.EQUIPMENT_LOAN: _("Borrowed from"),
    },
    "ends": {
        Kind.OWN_INITIATIVE: _("The task would end on"),
        Kind.PATRONAGE: _("Last day of the event"),
        Kind.PARTNERSHIP: _("The project would end on"),
        Kind.EQUIPMENT_LOAN: _("Returned on"),
    },
    "estimated_cost": {
        Kind.OWN_INITIATIVE: _("Estimated cost of the task (zł)"),
        Kind.PARTNERSHIP: _("Estimated budget of the project (zł)"),
    },
}
HINTS = {
    "description": {
        Kind.OWN_INITIATIVE: _(
            "What the task is for and for whom, what you would do, and why an organization "
            "is well placed to do it. The city weighs how it fits the cooperation "
            "programme's priorities, its quality and the money available."
        ),
        Kind.PATRONAGE: _("What happens, for whom, where, and who organizes it."),
        Kind.PARTNERSHIP: _(
            "What the project should achieve, who the partners are, where the money would "
            "come from and what you ask the city to do."
        ),
        Kind.EQUIPMENT_LOAN: _(
            "The event, where it takes place, and how you will carry and look after the equipment."
        ),
    },
    "estimated_cost": {
        Kind.OWN_INITIATIVE: _("All costs of the task, in złoty, e.g. 12 500."),
        Kind.PARTNERSHIP: _("In złoty, if you know it already."),
    },
    "starts": {Kind.OWN_INITIATIVE: _("If you know it already.")},
}


class RequestForm(forms.Form):
    """A request of one kind: only the kind's fields, named in the kind's words."""

    department = IdChoiceField(
        label=_("Which department should answer?"),
        queryset=Department.objects.all(),
        empty_label=_("Choose a department"),
        help_text=_(
            "The department that deals with the topic. If you are not sure, ask one of the "
            "city's coordinators for cooperation with organizations."
        ),
        error_messages={
            "required": _("Choose the department that should answer."),
            "invalid_choice": _("Choose a department from the list."),
        },
    )
    title = forms.CharField(
        max_length=300,
        validators=[validate_single_line],
        error_messages={"required": _("Give the request a title.")},
    )
    description = forms.CharField(
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe what you propose or ask for.")},
    )
    areas = IdMultipleChoiceField(
        label=_("Public benefit areas"),
        queryset=PublicBenefitArea.objects.current(),
        required=False,
        widget=AreaChoiceWidget,
        help_text=_("The areas of public benefit the request concerns."),
    )
    estimated_cost = AmountField(required=False)
    starts = forms.DateField(
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Write the date as day, month and year.")},
    )
    ends = forms.DateField(
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Write the date as day, month and year.")},
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        info = city_requests.KINDS[kind]
        for name in list(self.fields):
            if name not in info.fields:
                del self.fields[name]
        for name, field in self.fields.items():
            if name in LABELS:
                field.label = LABELS[name].get(kind, field.label)
            if name in HINTS and kind in HINTS[name]:
                field.help_text = HINTS[name][kind]
            if name in info.required:
                field.required = True
        # The same words as the rules use when a required answer is missing.
        for name, message in city_requests.check_request(kind, {}).items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message

    def clean(self):
        cleaned = super().clean()
        for field, message in city_requests.check_request(self.kind, cleaned).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def answers(self):
        """The answers as the check-your-answers page shows them: (field, label, text),
        where text is a list of lines (several areas), empty when nothing was given."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, "") or (name == "areas" and not value):
                lines = []
            elif name == "areas":
                lines = [area_short_label(area) for area in value]
            elif name == "estimated_cost":
                lines = [money(value)]
            elif name in ("starts", "ends"):
                lines = [formats.date_format(value)]
            else:
                lines = [str(value)]
            rows.append({"name": name, "label": field.label, "lines": lines})
        return rows


class DecisionForm(forms.Form):
    """The official's answer to a request (back office)."""

    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the request")), ("reject", _("Reject the request"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "accept",
        error_messages={"required": _("Choose whether the city accepts the request.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The organization reads it: say why, in plain words."),
        error_messages={
            "required": _("Write the reason for the decision: the organization will read it.")
        },
    )
    call_planned_for = forms.DateField(
        label=_("The call will be announced by"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Needed when you accept an own-initiative offer: the act requires the answer "
            "to say when the call for the task will be announced."
        ),
        error_messages={"invalid": _("Write the date as day, month and year.")},
    )

    def __init__(self, *args, city_request, **kwargs):
        super().__init__(*args, **kwargs)
        if city_request.kind != Kind.OWN_INITIATIVE:
            del self.fields["call_planned_for"]
