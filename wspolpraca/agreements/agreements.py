"""Agreements (PRODUCT II9): from the mayor's decision to the signed contract and its
annexes.

When a call's results are published (`evaluations.signals.results_published`) each
granted offer gets one `Agreement` (`prepare_agreements`); a small-grant offer gets its
own once its comment window has closed (`prepare_small_grant_agreement`). Either way:

- the number is ``UM/<year>/<department symbol, or its id>/<offer id, 5 digits>``: the
  offer has at most one agreement, so the number is unique;
- the amount is the grant, the dates are the offer's, the department is the call's (or,
  for a small grant, the one the offer was addressed to);
- a grant lower than requested leaves the agreement waiting for the updated cost
  calculation and schedule (BUDGET_UPDATE → BUDGET_REVIEW → READY, `submit_budget_update`,
  `accept_budget_update`, `return_budget_update`; every version is kept), otherwise it is
  READY at once;
- tranches are proposed, one per budget year of the task that has costs, split by the
  cost lines' shares of each year (rounded to the grosz, the remainder on the last), the
  first planned `settings.TRANCHE_DAYS_AFTER_SIGNING` days after signing and those of later
  years on 31 January. Until it is signed the first date is provisional (counted from the
  day the agreement was prepared) and moves with the signing date unless the official set
  another one. The official may change planned dates and amounts before signing
  (`set_tranches`) and records payments at any time after (`record_payment`).

`sign` freezes version 1 (`AgreementVersion`: the content with its SHA-256 and the PDF);
nothing signed changes in place after that: `add_annex` makes version N+1.

The cost calculation and schedule are kept as JSON (`BudgetUpdate.cost_lines` and
`.schedule`): ``{"name", "action", "unit", "unit_cost", "quantity", "year"}`` and
``{"action", "starts", "ends"}``, where ``action`` is the id of the offer's `Action` (None
for an administrative cost, or any cost of a small grant), amounts are decimal strings and
dates ISO strings. `cost_calculation(agreement)` reads the one in force for anyone who
needs it (reports compare expenses with it).

Every change is written to the audit trail on the agreement (codes in audit_labels.py).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from num2words import num2words

from wspolpraca.city.models import department_of, department_recipients
from wspolpraca.competitions.models import FundingMode
from wspolpraca.core import mail
from wspolpraca.core.audit import record
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.offers.checks import percent
from wspolpraca.offers.models import Offer
from wspolpraca.organizations.rules import is_platform_admin
from wspolpraca.organizations.services import organization_admins

from . import documents
from .models import Agreement, AgreementVersion, BudgetUpdate, Tranche
from .signals import agreement_amended, agreement_signed

ZERO = Decimal("0")
CENT = Decimal("0.01")
# Statuses in which the agreement is not signed yet: its tranches are still a proposal.
UNSIGNED = (
    Agreement.Status.BUDGET_UPDATE,
    Agreement.Status.BUDGET_REVIEW,
    Agreement.Status.READY,
)
# Statuses under which a signed agreement may still get an annex or a payment.
SIGNED = (Agreement.Status.SIGNED,)
PAID_STATUSES = (
    Agreement.Status.SIGNED,
    Agreement.Status.SETTLED,
    Agreement.Status.TERMINATED,
)


class AgreementError(Exception):
    """A refused action on an agreement; `message` is shown to the person, each of
    `problems` ((key, message): key a form field such as "own_contribution" or a row
    field such as ("cost_lines", 2, "year"), or None) next to what it is about."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self):
        return str(self.message)


def _refuse_unless(user, perm, agreement, message):
    if not user.has_perm(perm, agreement):
        raise AgreementError(message)


def _locked(agreement):
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("offer", "offer__call", "organization", "department")
        .get(pk=agreement.pk)
    )


def amount_in_words(amount):
    """12345.67 → "dwanaście tysięcy trzysta czterdzieści pięć złotych, sześćdziesiąt
    siedem groszy": agreements state the grant in Polish words, whatever the reader's
    language, as the contract is Polish."""
    return num2words(Decimal(amount), lang="pl", to="currency", currency="PLN")


def agreement_url(agreement):
    return settings.SITE_URL + reverse("agreements:detail", args=[agreement.pk])


# Numbers and tranches.


def agreement_number(department, offer, on):
    """UM/<year>/<department symbol or id>/<offer id>: unique, as an offer has at most one
    agreement."""
    symbol = "".join((department.short_name or "").split()).replace("/", "-")[:20]
    return f"UM/{on.year}/{symbol or department.pk}/{offer.pk:05d}"


def provisional_first_payment(agreement):
    """The first tranche's planned date before signing: the term after the day the
    agreement was prepared (moved to the same term after the signing date at signing)."""
    prepared = timezone.localdate(agreement.created_at)
    return prepared + dt.timedelta(days=settings.TRANCHE_DAYS_AFTER_SIGNING)


def propose_tranches(amount, starts, ends, lines, first_payment):
    """[(year, amount, planned_on)]: one per budget year of the task with costs, the
    grant split by each year's share of the costs (`lines`: objects or dicts with `year`
    and `value`), rounded to the grosz with the remainder on the last. A task without
    costs gets equal shares. The first is paid on `first_payment`, later ones on
    31 January of their year."""
    years = list(range(starts.year, ends.year + 1))
    weights = dict.fromkeys(years, ZERO)
    for line in lines:
        year = line["year"] if isinstance(line, dict) else line.year
        value = line["value"] if isinstance(line, dict) else line.value
        weights[min(max(int(year), years[0]), years[-1])] += Decimal(value)
    total = sum(weights.values(), ZERO)
    if total <= ZERO:
        weights, total = dict.fromkeys(years, Decimal("1")), Decimal(len(years))
    used = [year for year in years if weights[year] > ZERO]
    proposal, allotted = [], ZERO
    for index, year in enumerate(used):
        if index == len(used) - 1:
            part = Decimal(amount) - allotted
        else:
            part = (Decimal(amount) * weights[year] / total).quantize(CENT, ROUND_HALF_UP)
            allotted += part
        planned = first_payment if index == 0 else dt.date(year, 1, 31)
        proposal.append((year, part, planned))
    return proposal


def _tranche_plan(tranches):
    """The tranches as the audit trail keeps them: one line each."""
    return [
        f"{t.number}. {t.year}: {money(t.amount)}, {t.planned_on.isoformat()}"
        + (f" ({_('paid on')} {t.paid_on.isoformat()})" if t.paid_on else "")
        for t in tranches
    ]


def _replace_tranches(agreement, lines):
    """Propose the tranches again from `lines` (the cost calculation in force)."""
    agreement.tranches.all().delete()
    Tranche.objects.bulk_create(
        Tranche(agreement=agreement, number=number, year=year, amount=part, planned_on=planned)
        for number, (year, part, planned) in enumerate(
            propose_tranches(
                agreement.amount,
                agreement.starts,
                agreement.ends,
                lines,
                provisional_first_payment(agreement),
            ),
            start=1,
        )
    )


# The cost calculation.


@dataclass
class CostCalculation:
    """The cost calculation and schedule in force: the accepted updated budget after a
    cut, else the offer's. Lines and schedule rows are dicts with Decimal amounts and
    dates, and the action's name under `action_name`."""

    source: str  # "offer" or "budget_update"
    update: BudgetUpdate | None
    lines: list
    schedule: list
    own_contribution: Decimal
    other_sources: Decimal
    total: Decimal = ZERO
    administrative: Decimal = ZERO
    by_year: dict = field(default_factory=dict)


def _decimal(value):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _day(value):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def _action_names(offer):
    return {action.pk: action.name for action in offer.actions.all()}


def _typed_lines(lines, names):
    typed = []
    for line in lines:
        unit_cost = _decimal(line.get("unit_cost")) or ZERO
        quantity = _decimal(line.get("quantity")) or ZERO
        action = line.get("action")
        typed.append(
            {
                "name": line.get("name", ""),
                "action": action,
                "action_name": names.get(action, "") if action else "",
                "unit": line.get("unit", ""),
                "unit_cost": unit_cost,
                "quantity": quantity,
                "year": int(line.get("year") or 0),
                "value": (unit_cost * quantity).quantize(CENT),
            }
        )
    return typed


def _typed_schedule(schedule, names):
    return [
        {
            "action": row.get("action"),
            "action_name": names.get(row.get("action"), ""),
            "starts": _day(row.get("starts")),
            "ends": _day(row.get("ends")),
        }
        for row in schedule
    ]


def offer_cost_lines(offer):
    """The offer's cost lines in the JSON shape of `BudgetUpdate.cost_lines`."""
    return [
        {
            "name": line.name,
            "action": line.action_id,
            "unit": line.unit,
            "unit_cost": str(line.unit_cost),
            "quantity": str(line.quantity),
            "year": line.year,
        }
        for line in offer.cost_lines.all()
    ]


def offer_schedule(offer):
    """The offer's actions' dates in the JSON shape of `BudgetUpdate.schedule`."""
    return [
        {
            "action": action.pk,
            "starts": action.starts.isoformat() if action.starts else "",
            "ends": action.ends.isoformat() if action.ends else "",
        }
        for action in offer.actions.all()
    ]


def accepted_update(agreement):
    return (
        agreement.budget_updates.filter(status=BudgetUpdate.Status.ACCEPTED)
        .order_by("-reviewed_at", "-pk")
        .first()
    )


def cost_calculation(agreement):
    """The cost calculation and schedule in force for `agreement` (see CostCalculation)."""
    offer = agreement.offer
    names = _action_names(offer)
    update = accepted_update(agreement)
    if update is not None:
        lines = _typed_lines(update.cost_lines, names)
        schedule = _typed_schedule(update.schedule, names)
        own, other = update.own_contribution, ZERO
        source = "budget_update"
    else:
        lines = _typed_lines(offer_cost_lines(offer), names)
        schedule = _typed_schedule(offer_schedule(offer), names)
        own = offer.own_financial + offer.own_personal + offer.own_in_kind
        other = offer.other_public_funds + offer.beneficiary_fees
        source = "offer"
    calculation = CostCalculation(source, update, lines, schedule, own, other)
    for line in lines:
        calculation.total += line["value"]
        if line["action"] is None:
            calculation.administrative += line["value"]
        calculation.by_year[line["year"]] = (
            calculation.by_year.get(line["year"], ZERO) + line["value"]
        )
    calculation.by_year = dict(sorted(calculation.by_year.items()))
    return calculation


# Preparing agreements.


def _prepare(offer, amount, by, now):
    """One agreement for `offer` granted `amount`, with its tranches; the caller holds the
    locks and has checked the person."""
    requested = offer.requested_grant or ZERO
    cut = amount < requested
    agreement = Agreement(
        offer=offer,
        organization=offer.organization,
        department=offer.call.department if offer.call_id else offer.department,
        number=agreement_number(
            offer.call.department if offer.call_id else offer.department,
            offer,
            timezone.localdate(now),
        ),
        status=Agreement.Status.BUDGET_UPDATE if cut else Agreement.Status.READY,
        amount=amount,
        starts=offer.starts,
        ends=offer.ends,
        created_by=by,
        created_at=now,
    )
    agreement.save()
    _replace_tranches(agreement, list(offer.cost_lines.all()))
    tranches = list(agreement.tranches.all())
    record(
        by,
        "agreement.prepared",
        agreement,
        {
            "status": [None, agreement.status],
            "amount": [None, str(amount)],
            "tranche_plan": [None, _tranche_plan(tranches)],
        },
    )
    mail.send(
        organization_admins(offer.organization),
        gettext_lazy("Agreement %(number)s for your task is being prepared"),
        "agreements/email/agreement_prepared.txt",
        {
            "agreement": agreement,
            "offer": offer,
            "requested": requested,
            "cut": cut,
            "tranches": tranches,
            "url": agreement_url(agreement),
        },
        subject_params={"number": agreement.number},
    )
    return agreement


def prepare_agreements(call, by):
    """One agreement per offer granted in `call`, as its results are published (the
    receiver of `results_published`). Offers that already have one are left alone, so a
    second call creates nothing. Returns the agreements made."""
    from wspolpraca.competitions.models import Call
    from wspolpraca.evaluations.models import Decision

    if not by.has_perm("evaluations.manage_evaluation", call):
        raise AgreementError(
            _("Only an official of the call's department prepares its agreements.")
        )
    now = timezone.now()
    made = []
    with transaction.atomic():
        # One publication at a time prepares the call's agreements.
        Call.objects.select_for_update(of=("self",)).filter(pk=call.pk).first()
        decisions = (
            Decision.objects.filter(
                offer__call=call,
                outcome=Decision.Outcome.GRANTED,
                offer__status=Offer.Status.SUBMITTED,
                offer__agreement__isnull=True,
                amount__gt=0,
            )
            .select_related("offer", "offer__organization", "offer__call__department")
            .order_by("offer__pk")
        )
        for decision in decisions:
            made.append(_prepare(decision.offer, decision.amount, by, now))
    return made


def on_results_published(sender, call, by, **kwargs):
    """Receiver of `evaluations.signals.results_published`."""
    prepare_agreements(call, by)


def small_grant_problem(offer, now=None):
    """Why `offer` cannot get its small-grant agreement now (a message), or None."""
    from wspolpraca.offers.small_grants import CommentPhase, comment_phase, format_moment

    now = now or timezone.now()
    if offer.kind != Offer.Kind.SMALL_GRANT:
        return _("This is not a small-grant offer.")
    if offer.status != Offer.Status.SUBMITTED:
        return _("Only a submitted small-grant offer gets an agreement.")
    if comment_phase(offer, now) != CommentPhase.CLOSED:
        if offer.comments_open_until:
            return _(
                "The offer is open to comments until %(until)s; its agreement is prepared "
                "after that."
            ) % {"until": format_moment(offer.comments_open_until)}
        return _("The offer has not been published for comments yet.")
    decision = getattr(offer, "decision", None)
    if decision is not None and decision.outcome != decision.Outcome.GRANTED:
        return _("The city decided not to award this grant.")
    return None


def _locked_small_grant(offer, by, refusal):
    """The small-grant offer, locked, once `by` is shown to act for the department it was
    sent to (or is a platform administrator); else AgreementError(`refusal`)."""
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("organization", "department")
        .get(pk=offer.pk)
    )
    department = department_of(by)
    if not (is_platform_admin(by) or (department and department.pk == offer.department_id)):
        raise AgreementError(refusal)
    return offer


def prepare_small_grant_agreement(offer, by):
    """The simplified path (art. 19a): a small-grant offer gets its agreement once its
    comment window has closed, prepared by an official of the department it was sent to.
    The grant is the one decided, or the one requested. Returns the agreement (the same
    one when it already exists)."""
    from wspolpraca.evaluations.models import Decision

    now = timezone.now()
    with transaction.atomic():
        offer = _locked_small_grant(
            offer,
            by,
            _("Only an official of the department the offer was sent to prepares its agreement."),
        )
        existing = Agreement.objects.filter(offer=offer).first()
        if existing is not None:
            return existing
        problem = small_grant_problem(offer, now)
        if problem:
            raise AgreementError(problem)
        decision = Decision.objects.filter(offer=offer).first()
        amount = decision.amount if decision and decision.amount else offer.requested_grant
        if not amount or amount <= ZERO:
            raise AgreementError(_("The offer asks for no grant."))
        return _prepare(offer, amount, by, now)


SMALL_GRANT_REASON_MAX = 5000


def refuse_small_grant(offer, by, reason):
    """The city does not award a small-grant offer after its comment window (art. 19a
    leaves the choice to it): recorded as a decision not to award, with the reasons the
    organization's administrators are e-mailed. Final; no agreement follows."""
    from wspolpraca.evaluations.models import Decision

    reason = (reason or "").strip()
    if not reason:
        raise AgreementError(_("Give the reasons: the organization will read them."))
    if len(reason) > SMALL_GRANT_REASON_MAX:
        raise AgreementError(
            _("Write at most %(max)s characters; this text has %(count)s.")
            % {"max": SMALL_GRANT_REASON_MAX, "count": len(reason)}
        )
    now = timezone.now()
    with transaction.atomic():
        offer = _locked_small_grant(
            offer, by, _("Only an official of the department the offer was sent to decides on it.")
        )
        if Agreement.objects.filter(offer=offer).exists():
            raise AgreementError(
                _("The offer's agreement is already prepared: it is not refused now.")
            )
        problem = small_grant_problem(offer, now)
        if problem:
            raise AgreementError(problem)
        decision = Decision.objects.create(
            offer=offer,
            outcome=Decision.Outcome.REJECTED,
            reason=reason,
            decided_by=by,
            decided_at=now,
        )
        record(
            by,
            "decision.small_grant_refused",
            decision,
            {"outcome": [None, Decision.Outcome.REJECTED], "reason": [None, reason]},
        )
        mail.send(
            organization_admins(offer.organization),
            gettext_lazy("The city does not award the small grant for offer %(number)s"),
            "agreements/email/small_grant_refused.txt",
            {"offer": offer, "decision": decision},
            subject_params={"number": offer.number},
        )
    return decision


def small_grants_awaiting(department, now=None):
    """The department's small-grant offers whose comment window has closed and that have
    no agreement yet (nor a refusal), the one waiting longest first."""
    now = now or timezone.now()
    return (
        Offer.objects.filter(
            kind=Offer.Kind.SMALL_GRANT,
            status=Offer.Status.SUBMITTED,
            department=department,
            comments_open_until__lt=now,
            agreement__isnull=True,
        )
        .exclude(decision__outcome="rejected")
        .select_related("organization")
        .order_by("comments_open_until", "pk")
    )


# Tranches.


def set_tranches(agreement, by, rows):
    """Change the planned dates and amounts of the tranches before signing. `rows`:
    [{"number", "planned_on", "amount"}] for every tranche; the amounts add up to the
    grant."""
    with transaction.atomic():
        agreement = _locked(agreement)
        _refuse_unless(
            by,
            "agreements.manage_agreement",
            agreement,
            _("Only an official of the supervising department changes the tranches."),
        )
        if agreement.status not in UNSIGNED:
            raise AgreementError(
                _("The agreement is signed: its tranches change only by an annex.")
            )
        if agreement.status != Agreement.Status.READY:
            raise AgreementError(
                _(
                    "The tranches are proposed again from the updated budget once it is "
                    "accepted; change them then."
                )
            )
        tranches = {t.number: t for t in agreement.tranches.all()}
        before = _tranche_plan(tranches.values())
        by_number = {row["number"]: row for row in rows}
        if set(by_number) != set(tranches):
            raise AgreementError(_("Give the date and amount of every tranche."))
        problems = []
        for number, row in by_number.items():
            if row.get("amount") is None or row["amount"] < ZERO:
                problems.append(
                    ((("tranches", number, "amount")), _("Enter the amount of the tranche."))
                )
            if row.get("planned_on") is None:
                problems.append(
                    (("tranches", number, "planned_on"), _("Enter the planned payment date."))
                )
        if problems:
            raise AgreementError(_("Correct the tranches."), problems)
        _check_sum([row["amount"] for row in rows], agreement.amount)
        for number, tranche in tranches.items():
            tranche.amount = by_number[number]["amount"]
            tranche.planned_on = by_number[number]["planned_on"]
        Tranche.objects.bulk_update(tranches.values(), ["amount", "planned_on"])
        after = _tranche_plan(tranches.values())
        if before != after:
            record(by, "agreement.tranches_changed", agreement, {"tranche_plan": [before, after]})
    return agreement


def _check_sum(amounts, grant):
    total = sum(amounts, ZERO)
    if total != grant:
        raise AgreementError(
            _(
                "The tranches add up to %(total)s; they must add up to the grant, %(grant)s "
                "(the difference is %(difference)s)."
            )
            % {
                "total": money(total),
                "grant": money(grant),
                "difference": money(abs(total - grant)),
            }
        )


def record_payment(tranche, by, paid_on):
    """Record the day a tranche was paid (None clears a mistaken date). Only under a
    signed agreement, never in the future."""
    with transaction.atomic():
        agreement = _locked(tranche.agreement)
        tranche = Tranche.objects.select_for_update().get(pk=tranche.pk, agreement=agreement)
        _refuse_unless(
            by,
            "agreements.manage_agreement",
            agreement,
            _("Only an official of the supervising department records payments."),
        )
        if agreement.status not in PAID_STATUSES:
            raise AgreementError(_("A tranche is paid only once the agreement is signed."))
        if paid_on is not None and paid_on > timezone.localdate():
            raise AgreementError(
                _("The payment date cannot be in the future."),
                [(("tranches", tranche.number, "paid_on"), _("Enter a date no later than today."))],
            )
        if paid_on is not None and agreement.signed_on and paid_on < agreement.signed_on:
            raise AgreementError(
                _("A tranche cannot be paid before the agreement was signed."),
                [
                    (
                        ("tranches", tranche.number, "paid_on"),
                        _("Enter a date on or after the signing, %(date)s.")
                        % {"date": agreement.signed_on.strftime("%d.%m.%Y")},
                    )
                ],
            )
        if tranche.paid_on == paid_on:
            return tranche
        old = tranche.paid_on
        tranche.paid_on = paid_on
        tranche.save(update_fields=["paid_on"])
        record(
            by,
            "agreement.tranche_paid",
            agreement,
            {
                "tranche": [None, tranche.number],
                "paid_on": [
                    old.isoformat() if old else None,
                    paid_on.isoformat() if paid_on else None,
                ],
            },
        )
    return tranche


# The updated budget after a cut.


def _check_lines(agreement, cost_lines, actions, problems):
    """The cost lines as kept, their total and the administrative part; what is wrong
    with them is added to `problems`."""
    first_year, last_year = agreement.starts.year, agreement.ends.year
    total = administrative = ZERO
    stored_lines = []
    for index, line in enumerate(cost_lines):
        row = _("Cost %(n)s") % {"n": index + 1}
        action = line.get("action")
        if action is not None and action not in actions:
            problems.append(
                (
                    ("cost_lines", index, "action"),
                    _("%(row)s: choose an action of the task.") % {"row": row},
                )
            )
        if not (line.get("name") or "").strip():
            problems.append(
                (
                    ("cost_lines", index, "name"),
                    _("%(row)s: enter the kind of cost.") % {"row": row},
                )
            )
        if not (line.get("unit") or "").strip():
            problems.append(
                (("cost_lines", index, "unit"), _("%(row)s: enter the unit.") % {"row": row})
            )
        unit_cost, quantity = line.get("unit_cost"), line.get("quantity")
        if unit_cost is None or unit_cost <= ZERO:
            problems.append(
                (
                    ("cost_lines", index, "unit_cost"),
                    _("%(row)s: enter the cost of one unit.") % {"row": row},
                )
            )
        if quantity is None or quantity <= ZERO:
            problems.append(
                (
                    ("cost_lines", index, "quantity"),
                    _("%(row)s: enter the number of units.") % {"row": row},
                )
            )
        year = line.get("year")
        if year is None or not first_year <= year <= last_year:
            problems.append(
                (
                    ("cost_lines", index, "year"),
                    _("%(row)s: enter a year of the task (%(first)s–%(last)s).")
                    % {"row": row, "first": first_year, "last": last_year},
                )
            )
        value = ((unit_cost or ZERO) * (quantity or ZERO)).quantize(CENT)
        total += value
        if action is None:
            administrative += value
        stored_lines.append(
            {
                "name": (line.get("name") or "").strip(),
                "action": action,
                "unit": (line.get("unit") or "").strip(),
                "unit_cost": str(unit_cost),
                "quantity": str(quantity),
                "year": year,
            }
        )
    return stored_lines, total, administrative


def _check_schedule(agreement, schedule, actions, problems):
    """The schedule as kept: each action of the offer once, within the task."""
    stored_schedule = []
    seen = set()
    for index, row in enumerate(schedule):
        action = actions.get(row.get("action"))
        if action is None or action.pk in seen:
            problems.append(("schedule", _("Give the dates of each action of the task once.")))
            continue
        seen.add(action.pk)
        starts, ends = row.get("starts"), row.get("ends")
        if starts is None:
            problems.append(
                (
                    ("schedule", index, "starts"),
                    _("%(action)s: enter the start date.") % {"action": action.name},
                )
            )
        if ends is None:
            problems.append(
                (
                    ("schedule", index, "ends"),
                    _("%(action)s: enter the end date.") % {"action": action.name},
                )
            )
        if starts and ends and ends < starts:
            problems.append(
                (
                    ("schedule", index, "ends"),
                    _("%(action)s must end on or after the day it starts.")
                    % {"action": action.name},
                )
            )
        for name, day in (("starts", starts), ("ends", ends)):
            if day and not agreement.starts <= day <= agreement.ends:
                problems.append(
                    (
                        ("schedule", index, name),
                        _("%(action)s: the date must be within the task, %(starts)s – %(ends)s.")
                        % {
                            "action": action.name,
                            "starts": agreement.starts.strftime("%d.%m.%Y"),
                            "ends": agreement.ends.strftime("%d.%m.%Y"),
                        },
                    )
                )
        stored_schedule.append(
            {
                "action": action.pk,
                "starts": starts.isoformat() if starts else "",
                "ends": ends.isoformat() if ends else "",
            }
        )
    if set(actions) - seen:
        problems.append(("schedule", _("Give the dates of each action of the task once.")))
    return stored_schedule


def _check_sources(agreement, total, administrative, own_contribution, problems):
    """The costs equal the grant and the own contribution, the own share reaches the
    call's minimum (support mode) and administrative costs stay under its cap."""
    expected = agreement.amount + own_contribution
    if total != expected:
        problems.append(
            (
                "own_contribution",
                _(
                    "The costs add up to %(total)s, but the grant of %(grant)s and your own "
                    "contribution of %(own)s add up to %(expected)s: they must be equal (the "
                    "difference is %(difference)s)."
                )
                % {
                    "total": money(total),
                    "grant": money(agreement.amount),
                    "own": money(own_contribution),
                    "expected": money(expected),
                    "difference": money(abs(total - expected)),
                },
            )
        )
    call = agreement.offer.call
    if call is not None and total > ZERO:
        minimum = call.min_own_contribution_percent or ZERO
        if (
            call.funding_mode == FundingMode.SUPPORT
            and minimum > ZERO
            and own_contribution * 100 < minimum * total
        ):
            problems.append(
                (
                    "own_contribution",
                    _(
                        "Your own contribution of %(own)s is less than the %(min)s of all "
                        "costs the call asks for, that is %(needed)s."
                    )
                    % {
                        "own": money(own_contribution),
                        "min": percent(minimum),
                        "needed": money((minimum * total / 100).quantize(CENT)),
                    },
                )
            )
        cap = call.admin_cost_cap_percent
        if cap is not None and administrative * 100 > cap * total:
            problems.append(
                (
                    "cost_lines",
                    _(
                        "Administrative costs of %(admin)s are more than the %(cap)s of all "
                        "costs the call allows, that is %(max)s."
                    )
                    % {
                        "admin": money(administrative),
                        "cap": percent(cap),
                        "max": money((cap * total / 100).quantize(CENT, "ROUND_DOWN")),
                    },
                )
            )


def check_budget(agreement, cost_lines, schedule, own_contribution):
    """The updated cost calculation and schedule as they will be kept (JSON), or
    AgreementError with a problem per field. `cost_lines`: [{"name", "action" (an action
    id of the offer, or None), "unit", "unit_cost", "quantity", "year"}] (Decimals and
    ints); `schedule`: [{"action", "starts", "ends"}] (dates)."""
    actions = {action.pk: action for action in agreement.offer.actions.all()}
    problems = []
    if not cost_lines:
        problems.append(("cost_lines", _("Add at least one cost.")))
    stored_lines, total, administrative = _check_lines(agreement, cost_lines, actions, problems)
    stored_schedule = _check_schedule(agreement, schedule, actions, problems)
    if own_contribution is None or own_contribution < ZERO:
        problems.append(("own_contribution", _("Enter your own contribution, 0 or more.")))
        own_contribution = ZERO
    if cost_lines:
        _check_sources(agreement, total, administrative, own_contribution, problems)
    if problems:
        raise AgreementError(
            ngettext(
                "The updated budget has %(count)d problem to fix.",
                "The updated budget has %(count)d problems to fix.",
                len(problems),
            )
            % {"count": len(problems)},
            problems,
        )
    return stored_lines, stored_schedule


def submit_budget_update(agreement, by, cost_lines, schedule, own_contribution, note=""):
    """The organization's updated cost calculation and schedule after a cut, sent to the
    department for review (an admin of the organization, while the agreement waits for
    it). Every submitted version is kept."""
    with transaction.atomic():
        agreement = _locked(agreement)
        _refuse_unless(
            by,
            "agreements.act_for_organization",
            agreement,
            _("Only an administrator of the organization sends the updated budget."),
        )
        if agreement.status != Agreement.Status.BUDGET_UPDATE:
            raise AgreementError(_("The agreement is not waiting for an updated budget."))
        stored_lines, stored_schedule = check_budget(
            agreement, cost_lines, schedule, own_contribution
        )
        update = BudgetUpdate.objects.create(
            agreement=agreement,
            cost_lines=stored_lines,
            schedule=stored_schedule,
            own_contribution=own_contribution,
            note=(note or "").strip(),
            submitted_by=by,
        )
        agreement.status = Agreement.Status.BUDGET_REVIEW
        agreement.save(update_fields=["status"])
        record(
            by,
            "agreement.budget_submitted",
            agreement,
            {
                "status": [Agreement.Status.BUDGET_UPDATE, Agreement.Status.BUDGET_REVIEW],
                "budget_update": [None, update.pk],
                "own_contribution": [None, str(own_contribution)],
            },
        )
        mail.send(
            department_recipients(agreement.department),
            gettext_lazy("Updated budget for agreement %(number)s to review"),
            "agreements/email/agreement_budget_submitted.txt",
            {
                "agreement": agreement,
                "update": update,
                "url": settings.SITE_URL
                + reverse("agreements:review_budget", args=[agreement.pk, update.pk]),
            },
            subject_params={"number": agreement.number},
        )
    return update


def _review(update, by):
    agreement = _locked(update.agreement)
    update = BudgetUpdate.objects.select_for_update().get(pk=update.pk, agreement=agreement)
    _refuse_unless(
        by,
        "agreements.manage_agreement",
        agreement,
        _("Only an official of the supervising department reviews the updated budget."),
    )
    if (
        agreement.status != Agreement.Status.BUDGET_REVIEW
        or update.status != BudgetUpdate.Status.SUBMITTED
    ):
        raise AgreementError(_("This updated budget is not waiting for a review."))
    return agreement, update


def accept_budget_update(update, by):
    """Accept the updated budget: the agreement is ready to sign, with the tranches
    proposed again from the accepted cost calculation."""
    now = timezone.now()
    with transaction.atomic():
        agreement, update = _review(update, by)
        before = _tranche_plan(agreement.tranches.all())
        update.status = BudgetUpdate.Status.ACCEPTED
        update.reviewed_by, update.reviewed_at = by, now
        update.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        agreement.status = Agreement.Status.READY
        agreement.save(update_fields=["status"])
        _replace_tranches(agreement, _typed_lines(update.cost_lines, {}))
        tranches = list(agreement.tranches.all())
        record(
            by,
            "agreement.budget_accepted",
            agreement,
            {
                "status": [Agreement.Status.BUDGET_REVIEW, Agreement.Status.READY],
                "budget_update": [None, update.pk],
                "tranche_plan": [before, _tranche_plan(tranches)],
            },
        )
        mail.send(
            organization_admins(agreement.organization),
            gettext_lazy("Updated budget for agreement %(number)s accepted"),
            "agreements/email/agreement_budget_accepted.txt",
            {"agreement": agreement, "update": update, "url": agreement_url(agreement)},
            subject_params={"number": agreement.number},
        )
    return update


def return_budget_update(update, by, reason):
    """Return the updated budget to the organization with the reason; it sends another."""
    reason = (reason or "").strip()
    now = timezone.now()
    with transaction.atomic():
        agreement, update = _review(update, by)
        if not reason:
            raise AgreementError(
                _("Write why the budget is returned."),
                [("reason", _("Write why the budget is returned."))],
            )
        update.status = BudgetUpdate.Status.RETURNED
        update.reviewed_by, update.reviewed_at = by, now
        update.return_reason = reason
        update.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
        agreement.status = Agreement.Status.BUDGET_UPDATE
        agreement.save(update_fields=["status"])
        record(
            by,
            "agreement.budget_returned",
            agreement,
            {
                "status": [Agreement.Status.BUDGET_REVIEW, Agreement.Status.BUDGET_UPDATE],
                "budget_update": [None, update.pk],
                "return_reason": [None, reason],
            },
        )
        mail.send(
            organization_admins(agreement.organization),
            gettext_lazy("Updated budget for agreement %(number)s returned"),
            "agreements/email/agreement_budget_returned.txt",
            {"agreement": agreement, "update": update, "url": agreement_url(agreement)},
            subject_params={"number": agreement.number},
        )
    return update


# Signing and annexes.


def _freeze_version(agreement, by, number, annex_reason="", changes=None):
    content = documents.build_content(
        agreement, version=number, annex_reason=annex_reason, changes=changes or []
    )
    version = AgreementVersion(
        agreement=agreement,
        number=number,
        annex_reason=annex_reason,
        content=content,
        content_sha256=documents.sha256_of(content),
        created_by=by,
    )
    pdf = documents.agreement_pdf(version)
    version.pdf.save(f"{agreement.pk}-v{number}.pdf", ContentFile(pdf), save=False)
    version.save()
    return version


def sign(agreement, by, signed_on, city_representative):
    """Record the agreement as signed on `signed_on` for the city by
    `city_representative`: version 1 is frozen (content, SHA-256, PDF) and from then on
    the agreement changes only by an annex."""
    city_representative = (city_representative or "").strip()
    with transaction.atomic():
        agreement = _locked(agreement)
        _refuse_unless(
            by,
            "agreements.manage_agreement",
            agreement,
            _("Only an official of the supervising department records the signing."),
        )
        if agreement.status != Agreement.Status.READY:
            if agreement.status in (
                Agreement.Status.BUDGET_UPDATE,
                Agreement.Status.BUDGET_REVIEW,
            ):
                raise AgreementError(
                    _(
                        "The grant is lower than requested: the agreement is signed once the "
                        "organization's updated budget is accepted."
                    )
                )
            raise AgreementError(_("This agreement is already signed."))
        problems = []
        if signed_on is None:
            problems.append(("signed_on", _("Enter the date of signing.")))
        elif signed_on > timezone.localdate():
            problems.append(("signed_on", _("The date of signing cannot be in the future.")))
        if not city_representative:
            problems.append(
                ("city_representative", _("Enter who signed the agreement for the city."))
            )
        if problems:
            raise AgreementError(problems[0][1], problems)
        tranches = list(agreement.tranches.all())
        before = _tranche_plan(tranches)
        provisional = provisional_first_payment(agreement)
        if tranches and tranches[0].planned_on == provisional:
            tranches[0].planned_on = signed_on + dt.timedelta(
                days=settings.TRANCHE_DAYS_AFTER_SIGNING
            )
            tranches[0].save(update_fields=["planned_on"])
        early = [t for t in tranches if t.planned_on < signed_on]
        if early:
            raise AgreementError(
                _(
                    "Tranche %(number)s is planned for %(date)s, before the signing. Change "
                    "the tranches first."
                )
                % {"number": early[0].number, "date": early[0].planned_on.strftime("%d.%m.%Y")}
            )
        agreement.status = Agreement.Status.SIGNED
        agreement.signed_on = signed_on
        agreement.signed_by = by
        agreement.city_representative = city_representative
        agreement.save(update_fields=["status", "signed_on", "signed_by", "city_representative"])
        version = _freeze_version(agreement, by, 1)
        record(
            by,
            "agreement.signed",
            agreement,
            {
                "status": [Agreement.Status.READY, Agreement.Status.SIGNED],
                "signed_on": [None, signed_on.isoformat()],
                "city_representative": [None, city_representative],
                "content_sha256": [None, version.content_sha256],
                "tranche_plan": [before, _tranche_plan(tranches)],
            },
        )
        agreement_signed.send(sender=Agreement, agreement=agreement, by=by)
        mail.send(
            organization_admins(agreement.organization),
            gettext_lazy("Agreement %(number)s is signed"),
            "agreements/email/agreement_signed.txt",
            {"agreement": agreement, "version": version, "url": agreement_url(agreement)},
            subject_params={"number": agreement.number},
        )
    return agreement


def add_annex(agreement, by, reason, amount=None, ends=None, tranches=None):
    """Change a signed agreement by an annex: version N+1 with its own content and PDF;
    the earlier versions stay as they were. `amount` and `ends` change the grant and the
    end of the task; `tranches` ([{"number" (None for a new one), "year", "planned_on",
    "amount"}]) replaces the plan of the tranches not yet paid (paid ones stay as paid).
    Without `tranches`, a changed grant moves the difference onto the last unpaid one."""
    reason = (reason or "").strip()
    with transaction.atomic():
        agreement = _locked(agreement)
        _refuse_unless(
            by,
            "agreements.manage_agreement",
            agreement,
            _("Only an official of the supervising department makes an annex."),
        )
        if agreement.status not in SIGNED:
            raise AgreementError(_("Only a signed agreement in force is changed by an annex."))
        problems = []
        if not reason:
            problems.append(("reason", _("Write the reason for the annex.")))
        if amount is not None and amount <= ZERO:
            problems.append(("amount", _("The grant must be more than 0 zł.")))
        if ends is not None and ends < agreement.starts:
            problems.append(
                (
                    "ends",
                    _("The task cannot end before it starts (%(date)s).")
                    % {"date": agreement.starts.strftime("%d.%m.%Y")},
                )
            )
        if problems:
            raise AgreementError(problems[0][1], problems)
        new_amount = agreement.amount if amount is None else amount
        new_ends = agreement.ends if ends is None else ends
        current = list(agreement.tranches.all())
        before = _tranche_plan(current)
        plan = _annex_tranches(agreement, current, new_amount, tranches)
        changes = []
        if new_amount != agreement.amount:
            changes.append(
                {
                    "label": str(_("Grant")),
                    "old": money(agreement.amount),
                    "new": money(new_amount),
                }
            )
        if new_ends != agreement.ends:
            changes.append(
                {
                    "label": str(_("Task ends")),
                    "old": agreement.ends.strftime("%d.%m.%Y"),
                    "new": new_ends.strftime("%d.%m.%Y"),
                }
            )
        after = _tranche_plan(plan)
        if after != before:
            changes.append(
                {"label": str(_("Tranches")), "old": "; ".join(before), "new": "; ".join(after)}
            )
        if not changes:
            raise AgreementError(
                _("The annex changes nothing: give a new grant, end date or tranches.")
            )
        audit = {}
        if new_amount != agreement.amount:
            audit["amount"] = [str(agreement.amount), str(new_amount)]
        if new_ends != agreement.ends:
            audit["ends"] = [agreement.ends.isoformat(), new_ends.isoformat()]
        agreement.amount, agreement.ends = new_amount, new_ends
        agreement.save(update_fields=["amount", "ends"])
        kept = {t.pk for t in plan if t.pk}
        agreement.tranches.exclude(pk__in=kept).delete()
        for tranche in plan:
            tranche.save()
        number = (
            agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = _freeze_version(agreement, by, number, annex_reason=reason, changes=changes)
        audit.update(
            {
                "agreement_version": [number - 1, number],
                "annex_reason": [None, reason],
                "content_sha256": [None, version.content_sha256],
            }
        )
        if after != before:
            audit["tranche_plan"] = [before, after]
        record(by, "agreement.annex_added", agreement, audit)
        agreement_amended.send(sender=Agreement, agreement=agreement, by=by)
        mail.send(
            organization_admins(agreement.organization),
            gettext_lazy("Annex to agreement %(number)s"),
            "agreements/email/agreement_annex.txt",
            {
                "agreement": agreement,
                "version": version,
                "changes": changes,
                "url": agreement_url(agreement),
            },
            subject_params={"number": agreement.number},
        )
    return version


def _annex_tranches(agreement, current, amount, rows):
    """The tranches after an annex (unsaved Tranche objects, existing ones changed in
    place); refused when a paid tranche would change or the sum is not the grant."""
    paid = [t for t in current if t.paid_on]
    by_number = {t.number: t for t in current}
    if rows is None:
        plan = [
            Tranche(**{f.attname: getattr(t, f.attname) for f in Tranche._meta.concrete_fields})
            for t in current
        ]
        unpaid = [t for t in plan if not t.paid_on]
        difference = amount - sum((t.amount for t in plan), ZERO)
        if difference:
            if not unpaid or unpaid[-1].amount + difference < ZERO:
                raise AgreementError(
                    _("Give the tranches: the change of the grant does not fit the unpaid ones."),
                    [("tranches", _("Give the tranches that add up to the new grant."))],
                )
            unpaid[-1].amount += difference
        return plan
    plan = [
        Tranche(**{f.attname: getattr(t, f.attname) for f in Tranche._meta.concrete_fields})
        for t in paid
    ]
    next_number = max(by_number, default=0) + 1
    problems = []
    for index, row in enumerate(rows):
        existing = by_number.get(row.get("number"))
        if existing is not None and existing.paid_on:
            if row.get("amount") != existing.amount:
                problems.append(
                    (
                        ("tranches", index, "amount"),
                        _("Tranche %(number)s is paid: its amount stays.")
                        % {"number": existing.number},
                    )
                )
            continue
        if row.get("amount") is None or row["amount"] < ZERO or row.get("planned_on") is None:
            problems.append(
                (
                    ("tranches", index, "amount"),
                    _("Enter the amount and the planned date of the tranche."),
                )
            )
            continue
        if existing is not None:
            tranche = Tranche(
                pk=existing.pk,
                agreement=agreement,
                number=existing.number,
                year=row.get("year") or existing.year,
                amount=row["amount"],
                planned_on=row["planned_on"],
            )
        else:
            tranche = Tranche(
                agreement=agreement,
                number=next_number,
                year=row.get("year") or row["planned_on"].year,
                amount=row["amount"],
                planned_on=row["planned_on"],
            )
            next_number += 1
        plan.append(tranche)
    if problems:
        raise AgreementError(_("Correct the tranches."), problems)
    plan.sort(key=lambda t: t.number)
    _check_sum([t.amount for t in plan], amount)
    return plan
