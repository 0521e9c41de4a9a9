"""What must hold before an offer is submitted, and its budget in numbers.

`budget(offer)` adds up the cost table (V.A) and the sources (V.B); `problems(offer)` lists,
in the order of the form's steps, everything that stops a submission, each as a
`Problem(step, field, message)` in plain words that name the numbers. The pages show them
next to their fields (live, as the person types, on the costs step) and all together on
the check-your-answers page; `services.submit_offer` refuses while any is left.

Both read the offer's rows through `offer.<rows>.all()`, so a prefetch of partners, actions,
results and cost lines serves them without further queries. The law's numbers come from
`LegalRules`, the call's from the call.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.competitions.models import Call, FundingMode, LegalRules
from wspolpraca.core.templatetags.core_tags import money

from .drafts import DECLARATION_FIELDS, ROW_KINDS, STEPS, ordered_rows, steps_for
from .models import Offer

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Problem:
    """One thing to fix: on which step, at which field (None: the step as a whole) and
    what, in words that say how to fix it. `missing` marks an answer not given yet
    (shown when the person checks the offer), as opposed to a rule broken by what was
    given (shown at once, next to the field)."""

    step: str
    field: str | None
    message: str
    missing: bool = False

    @property
    def anchor(self):
        """The id of the element on the step's page the problem points at."""
        return f"id_{self.field}" if self.field else "step-heading"


# Budget.


@dataclass
class ActionCosts:
    number: int
    action: object
    total: Decimal


@dataclass
class Source:
    key: str
    label: str
    value: Decimal
    share: Decimal | None


@dataclass
class Budget:
    actions: list
    direct: Decimal
    administrative: Decimal
    total: Decimal
    per_year: list
    sources: list
    own_contribution: Decimal
    own_share: Decimal | None
    grant: Decimal
    grant_share: Decimal | None
    sources_total: Decimal
    difference: Decimal
    partner_shares: Decimal

    @property
    def balanced(self):
        return self.difference == ZERO

    @property
    def lead_share(self):
        """V.C: what the lead organization carries of a joint offer's costs."""
        return self.total - self.partner_shares


def share(part, total):
    """`part` as a percentage of `total`, to two decimals; None when there is no total."""
    if not total:
        return None
    return (part * 100 / total).quantize(CENT)


def percent(value):
    """12.50 → "12,5%", 10.00 → "10%" in Polish."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(CENT)
    places = 2
    if value == value.to_integral():
        places = 0
    elif value * 10 == (value * 10).to_integral():
        places = 1
    return f"{formats.number_format(value, decimal_pos=places)}%"


def number(value):
    """A quantity without needless zeros: 90.00 → "90", 2.50 → "2,5"."""
    if value is None:
        return ""
    value = Decimal(value)
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number_format(value, decimal_pos=places)


SOURCE_LABELS = {
    "requested_grant": gettext_lazy("Requested grant"),
    "own_financial": gettext_lazy("Own financial contribution"),
    "own_personal": gettext_lazy("Personal contribution (volunteers, members' work)"),
    "own_in_kind": gettext_lazy("Contribution in kind"),
    "other_public_funds": gettext_lazy("Other public funds"),
    "beneficiary_fees": gettext_lazy("Fees from the people served"),
}


def source_fields(offer):
    return STEPS["costs"].fields_for(offer)


def budget(offer):
    """The totals of the cost table and the sources, with their shares of all costs."""
    is_small_grant = offer.kind == Offer.Kind.SMALL_GRANT
    lines = ordered_rows(offer, "cost_lines")
    actions = [] if is_small_grant else ordered_rows(offer, "actions")
    by_action = {}
    administrative = ZERO
    years = {}
    for line in lines:
        value = line.value
        years[line.year] = years.get(line.year, ZERO) + value
        if line.action_id is None:
            administrative += value
        else:
            by_action[line.action_id] = by_action.get(line.action_id, ZERO) + value
    action_costs = [
        ActionCosts(number, action, by_action.get(action.pk, ZERO))
        for number, action in enumerate(actions, start=1)
    ]
    if is_small_grant:
        # The simplified form has one list of costs: none is "administrative".
        direct, administrative = administrative + sum(by_action.values(), ZERO), ZERO
    else:
        direct = sum(by_action.values(), ZERO)
    total = direct + administrative
    values = {name: getattr(offer, name) or ZERO for name in source_fields(offer)}
    sources = [
        Source(name, str(SOURCE_LABELS[name]), value, share(value, total))
        for name, value in values.items()
    ]
    own = values.get("own_financial", ZERO) + values.get("own_personal", ZERO)
    own += values.get("own_in_kind", ZERO)
    sources_total = sum(values.values(), ZERO)
    grant = values.get("requested_grant", ZERO)
    partners = [] if is_small_grant else ordered_rows(offer, "partners")
    return Budget(
        actions=action_costs,
        direct=direct,
        administrative=administrative,
        total=total,
        per_year=sorted(years.items()),
        sources=sources,
        own_contribution=own,
        own_share=share(own, total),
        grant=grant,
        grant_share=share(grant, total),
        sources_total=sources_total,
        difference=total - sources_total,
        partner_shares=sum((p.cost_share for p in partners), ZERO),
    )


# Problems.


def _date(value):
    return formats.date_format(value, "j E Y")


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# What to say when a field of the offer is left empty, per field.
REQUIRED = {
    "contact_name": gettext_lazy("Enter the name of the contact person."),
    "contact_email": gettext_lazy("Enter the contact person's e-mail address."),
    "title": gettext_lazy("Enter the title of the task."),
    "starts": gettext_lazy("Enter the day the task starts."),
    "ends": gettext_lazy("Enter the day the task ends."),
    "summary": gettext_lazy("Describe the task: where, for whom, and how it meets their needs."),
    "results_effects": gettext_lazy("Describe what will come of the task."),
    "results_change": gettext_lazy("Describe what will change for the people served."),
    "results_durability": gettext_lazy("Describe how the results will last."),
    "earlier_activity": gettext_lazy("Describe your earlier activity in this field."),
    "resources": gettext_lazy("Describe the staff, material and financial resources you have."),
    "requested_grant": gettext_lazy("Enter the grant you ask for."),
    "representatives": gettext_lazy(
        "Enter the persons authorised to represent the offeror, with their functions."
    ),
}
SMALL_GRANT_REQUIRED = {
    "summary": gettext_lazy("Describe the task."),
    "results_effects": gettext_lazy("Describe the expected results."),
}
# Row fields that must be filled, and what to say, per kind of row.
ROW_REQUIRED = {
    "partners": {
        "name": gettext_lazy("enter the partner's name"),
        "kind": gettext_lazy("choose its legal form"),
        "register_number": gettext_lazy("enter its KRS or other register number"),
        "address": gettext_lazy("enter its seat address"),
    },
    "actions": {
        "name": gettext_lazy("enter the name of the action"),
        "starts": gettext_lazy("enter the day it starts"),
        "ends": gettext_lazy("enter the day it ends"),
    },
    "results": {
        "name": gettext_lazy("enter the result"),
        "target_value": gettext_lazy("enter its target value"),
        "monitoring": gettext_lazy("say how it will be monitored"),
    },
    "cost_lines": {
        "name": gettext_lazy("enter the kind of cost"),
        "unit": gettext_lazy("enter the unit"),
    },
}
ROW_NAMES = {
    "partners": gettext_lazy("Partner %(n)s"),
    "actions": gettext_lazy("Action %(n)s"),
    "results": gettext_lazy("Result %(n)s"),
    "cost_lines": gettext_lazy("Cost %(n)s"),
}


class _Collector:
    def __init__(self):
        self.found = []

    def add(self, step, field, message, missing=False):
        self.found.append(Problem(step, field, str(message), missing))


def problems(offer, now=None):
    """Everything that must be fixed before `offer` can be submitted, in the order of the
    form's steps; an empty list when it is ready."""
    now = now or timezone.now()
    found = _Collector()
    steps = {step.key for step in steps_for(offer)}
    rules = LegalRules.current() if offer.kind == Offer.Kind.SMALL_GRANT else None
    numbers = budget(offer)
    _basic(offer, found, now)
    _offeror(offer, found, numbers)
    _task(offer, found, rules)
    if "resources" in steps:
        _required(offer, found, "resources", STEPS["resources"].fields)
    _costs(offer, found, numbers, rules)
    if "other" in steps:
        _other(offer, found)
    _declarations(offer, found)
    return found.found


def _required(offer, found, step, names):
    messages = REQUIRED
    if offer.kind == Offer.Kind.SMALL_GRANT:
        messages = {**REQUIRED, **SMALL_GRANT_REQUIRED}
    for name in names:
        if name in messages and _blank(getattr(offer, name)):
            found.add(step, name, messages[name], missing=True)


def _rows_required(offer, found, step, kind):
    rows = ordered_rows(offer, kind)
    row_kind = ROW_KINDS[kind]
    for index, row in enumerate(rows):
        missing = [
            name for name in ROW_REQUIRED[kind] if _blank(getattr(row, row_kind.attname(name)))
        ]
        if missing:
            found.add(
                step,
                f"{kind}-{index}-{missing[0]}",
                _("%(row)s: %(what)s.")
                % {
                    "row": ROW_NAMES[kind] % {"n": index + 1},
                    "what": ", ".join(str(ROW_REQUIRED[kind][name]) for name in missing),
                },
                missing=True,
            )
    return rows


def _basic(offer, found, now):
    call = offer.call
    if call is None:
        return
    if call.status != Call.Status.PUBLISHED or (call.offers_from and now < call.offers_from):
        found.add("basic", None, _("This call does not accept offers."))
    elif now > call.deadline:
        found.add(
            "basic",
            None,
            _("The deadline for offers in this call passed on %(deadline)s.")
            % {"deadline": formats.date_format(timezone.localtime(call.deadline), "j E Y, H:i")},
        )


def _offeror(offer, found, numbers):
    _required(offer, found, "offeror", STEPS["offeror"].fields_for(offer))
    call = offer.call
    organization = offer.organization
    if call is not None and call.eligible_kinds and organization.kind not in call.eligible_kinds:
        found.add(
            "offeror",
            None,
            _("%(kind)s may not apply in this call. The call is open to: %(kinds)s.")
            % {
                "kind": capfirst(organization.get_kind_display()),
                "kinds": ", ".join(str(label) for label in call.eligible_kind_labels),
            },
        )
    if "partners" not in STEPS["offeror"].rows_for(offer):
        return
    _rows_required(offer, found, "offeror", "partners")
    if numbers.partner_shares > numbers.total:
        found.add(
            "offeror",
            "partners",
            _(
                "The partners' shares of the costs add up to %(shares)s, more than all the "
                "costs of the task: %(total)s."
            )
            % {"shares": money(numbers.partner_shares), "total": money(numbers.total)},
        )


def _task(offer, found, rules):
    step = STEPS["task"]
    _required(offer, found, "task", step.fields_for(offer))
    starts, ends = offer.starts, offer.ends
    call = offer.call
    if starts and ends and ends < starts:
        found.add(
            "task",
            "ends",
            _("The task must end on or after the day it starts (%(starts)s).")
            % {"starts": _date(starts)},
        )
    if call is not None:
        if starts and starts < call.task_starts:
            found.add(
                "task",
                "starts",
                _("The call allows the task to start on %(date)s at the earliest.")
                % {"date": _date(call.task_starts)},
            )
        if ends and ends > call.task_ends:
            found.add(
                "task",
                "ends",
                _("The call requires the task to end by %(date)s.")
                % {"date": _date(call.task_ends)},
            )
    if rules is not None and starts and ends and ends >= starts:
        days = (ends - starts).days + 1
        if days > rules.small_grant_max_days:
            found.add(
                "task",
                "ends",
                _(
                    "A small-grant task may last at most %(max)s days (art. 19a); this one "
                    "lasts %(days)s days."
                )
                % {"max": rules.small_grant_max_days, "days": days},
            )
    rows = step.rows_for(offer)
    if "actions" in rows:
        _actions(offer, found)
    if "results" in rows:
        if not ordered_rows(offer, "results"):
            found.add("task", "results", _("Add at least one result to the table."), missing=True)
        _rows_required(offer, found, "task", "results")


def _actions(offer, found):
    actions = _rows_required(offer, found, "task", "actions")
    if not actions:
        found.add("task", "actions", _("Add at least one action to the plan."), missing=True)
    for index, action in enumerate(actions):
        name = ROW_NAMES["actions"] % {"n": index + 1}
        if action.starts and action.ends and action.ends < action.starts:
            found.add(
                "task",
                f"actions-{index}-ends",
                _("%(row)s must end on or after the day it starts (%(starts)s).")
                % {"row": name, "starts": _date(action.starts)},
            )
        if action.starts and offer.starts and action.starts < offer.starts:
            found.add(
                "task",
                f"actions-{index}-starts",
                _("%(row)s starts on %(date)s, before the task starts (%(task)s).")
                % {"row": name, "date": _date(action.starts), "task": _date(offer.starts)},
            )
        if action.ends and offer.ends and action.ends > offer.ends:
            found.add(
                "task",
                f"actions-{index}-ends",
                _("%(row)s ends on %(date)s, after the task ends (%(task)s).")
                % {"row": name, "date": _date(action.ends), "task": _date(offer.ends)},
            )


def _costs(offer, found, numbers, rules):
    lines = _rows_required(offer, found, "costs", "cost_lines")
    if not lines:
        found.add("costs", "cost_lines", _("Add at least one cost."), missing=True)
    first_year = offer.starts.year if offer.starts else None
    last_year = offer.ends.year if offer.ends else None
    for index, line in enumerate(lines):
        name = ROW_NAMES["cost_lines"] % {"n": index + 1}
        if line.unit_cost <= ZERO:
            found.add(
                "costs",
                f"cost_lines-{index}-unit_cost",
                _("%(row)s: enter the cost of one unit.") % {"row": name},
                missing=True,
            )
        if line.quantity <= ZERO:
            found.add(
                "costs",
                f"cost_lines-{index}-quantity",
                _("%(row)s: enter the number of units.") % {"row": name},
                missing=True,
            )
        if first_year and last_year and not first_year <= line.year <= last_year:
            found.add(
                "costs",
                f"cost_lines-{index}-year",
                _("%(row)s is in %(year)s, outside the years of the task (%(first)s–%(last)s).")
                % {"row": name, "year": line.year, "first": first_year, "last": last_year},
            )
    _required(offer, found, "costs", ["requested_grant"])
    grant = offer.requested_grant
    if grant is not None and grant <= ZERO:
        found.add("costs", "requested_grant", _("The requested grant must be more than 0 zł."))
    if numbers.total and not numbers.balanced:
        found.add(
            "costs",
            "requested_grant",
            _(
                "The sources add up to %(sources)s, but the costs add up to %(total)s: they "
                "must be equal (the difference is %(difference)s)."
            )
            % {
                "sources": money(numbers.sources_total),
                "total": money(numbers.total),
                "difference": money(abs(numbers.difference)),
            },
        )
    call = offer.call
    if grant is not None and call is not None:
        if call.min_grant is not None and grant < call.min_grant:
            found.add(
                "costs",
                "requested_grant",
                _(
                    "The requested grant of %(grant)s is less than the smallest grant in the "
                    "call: %(min)s."
                )
                % {"grant": money(grant), "min": money(call.min_grant)},
            )
        if call.max_grant is not None and grant > call.max_grant:
            found.add(
                "costs",
                "requested_grant",
                _(
                    "The requested grant of %(grant)s is more than the largest grant in the "
                    "call: %(max)s."
                )
                % {"grant": money(grant), "max": money(call.max_grant)},
            )
        if grant > call.budget:
            found.add(
                "costs",
                "requested_grant",
                _(
                    "The requested grant of %(grant)s is more than all the money of the "
                    "call: %(budget)s."
                )
                % {"grant": money(grant), "budget": money(call.budget)},
            )
    if call is not None and numbers.total:
        minimum = call.min_own_contribution_percent or ZERO
        if (
            call.funding_mode == FundingMode.SUPPORT
            and minimum > ZERO
            and numbers.own_contribution * 100 < minimum * numbers.total
        ):
            found.add(
                "costs",
                "own_financial",
                _(
                    "Your own contribution of %(own)s is %(share)s of all costs; the call "
                    "asks for at least %(min)s, that is %(needed)s."
                )
                % {
                    "own": money(numbers.own_contribution),
                    "share": percent(numbers.own_share),
                    "min": percent(minimum),
                    "needed": money((minimum * numbers.total / 100).quantize(CENT)),
                },
            )
        cap = call.admin_cost_cap_percent
        if cap is not None and numbers.administrative * 100 > cap * numbers.total:
            found.add(
                "costs",
                "administrative_costs",
                _(
                    "Administrative costs of %(admin)s are %(share)s of all costs; the call "
                    "allows at most %(cap)s, that is %(max)s."
                )
                % {
                    "admin": money(numbers.administrative),
                    "share": percent(share(numbers.administrative, numbers.total)),
                    "cap": percent(cap),
                    "max": money((cap * numbers.total / 100).quantize(CENT, "ROUND_DOWN")),
                },
            )
    if rules is not None and grant is not None and grant > rules.small_grant_max_amount:
        found.add(
            "costs",
            "requested_grant",
            _("A small grant may be at most %(max)s (art. 19a); you ask for %(grant)s.")
            % {"max": money(rules.small_grant_max_amount), "grant": money(grant)},
        )
    if rules is not None and grant is not None:
        _small_grant_local_caps(offer, found, rules, grant)


def _small_grant_local_caps(offer, found, rules, grant):
    """The former statutory caps on small grants, now a policy a city may keep (both off
    unless set in the legal rules): per organization and year, and as a share of the year's
    grant money (the calls' budgets and the small grants of the year)."""
    year = timezone.localdate().year
    this_year = Offer.objects.filter(
        kind=Offer.Kind.SMALL_GRANT, status=Offer.Status.SUBMITTED, submitted_at__year=year
    ).exclude(pk=offer.pk)
    cap = rules.small_grant_yearly_cap_per_organization
    if cap is not None:
        earlier = (
            this_year.filter(organization_id=offer.organization_id).aggregate(
                total=Sum("requested_grant")
            )["total"]
            or ZERO
        )
        if earlier + grant > cap:
            found.add(
                "costs",
                "requested_grant",
                _(
                    "The city's rules allow small grants of at most %(cap)s to one "
                    "organization in a year; your organization asked for %(earlier)s this "
                    "year, so this offer may ask for at most %(left)s."
                )
                % {
                    "cap": money(cap),
                    "earlier": money(earlier),
                    "left": money(max(cap - earlier, ZERO)),
                },
            )
    share_cap = rules.small_grant_share_cap_percent
    if share_cap is not None:
        small = (this_year.aggregate(total=Sum("requested_grant"))["total"] or ZERO) + grant
        calls = (
            Call.objects.filter(
                status__in=[Call.Status.PUBLISHED, Call.Status.DECIDED], deadline__year=year
            ).aggregate(total=Sum("budget"))["total"]
            or ZERO
        )
        if small * 100 > share_cap * (calls + small):
            found.add(
                "costs",
                "requested_grant",
                _(
                    "The city's rules allow small grants to take at most %(cap)s%% of the "
                    "year's grant money; with this offer they would take more. Ask the "
                    "department before submitting."
                )
                % {"cap": share_cap},
            )


def _other(offer, found):
    if offer.beneficiary_fees > ZERO and not offer.paid_activity:
        found.add(
            "other",
            "paid_activity",
            _(
                "You plan fees of %(fees)s from the people served: fees are allowed only in "
                "paid activity. Tick it here, or remove the fees in section V."
            )
            % {"fees": money(offer.beneficiary_fees)},
        )


def _declarations(offer, found):
    for name in DECLARATION_FIELDS:
        if not getattr(offer, name):
            label = Offer._meta.get_field(name).verbose_name
            found.add(
                "declarations",
                name,
                _("Tick the declaration: %(declaration)s.") % {"declaration": label},
                missing=True,
            )
    _required(offer, found, "declarations", ["representatives"])
