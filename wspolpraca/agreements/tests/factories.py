"""Granted offers and agreements for tests, built through the services as people would.

    offer = decided_offer()                                   # granted 9 000,00 zł as asked
    offer = decided_offer(amount=Decimal("8000.00"))          # a cut: 8 000 of 9 000 asked
    agreement = ready_agreement()                             # prepared, READY to sign
    agreement = ready_agreement(amount=Decimal("8000.00"))    # BUDGET_UPDATE (a cut)
    agreement = signed_agreement()                            # SIGNED, version 1 with its PDF
    admin, official = admin_of(agreement), official_for(agreement)

A decided offer's call is past its deadline (support mode, CallFactory's); its costs are
`requested` + the own contribution (at least 1 000,00 zł and at least 10% of all costs),
one action line and a 1 000,00 zł administrative line. `cost_years=[2027, 2028]` splits
the action line across those years (the task's dates must span them: pass `starts`/`ends`
and a call whose window holds them).
"""

import datetime as dt
from decimal import ROUND_CEILING, Decimal

from django.utils import timezone

from wspolpraca.city.models import Official
from wspolpraca.competitions.models import Call
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.evaluations.models import Decision, FormalCheck
from wspolpraca.evaluations.tests.factories import close_call, official_of, org_admin_of
from wspolpraca.offers.models import CostLine
from wspolpraca.offers.services import submit_offer
from wspolpraca.offers.tests.factories import complete_offer
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import OrganizationFactory

from .. import agreements as services
from ..models import Agreement

REPRESENTATIVE = "Jan Kowalski — Zastępca Prezydenta Miasta"


def official_for(agreement_or_department):
    """An official of the agreement's (or the department's) department, with TOTP: an
    existing one, or a new one."""
    department = getattr(agreement_or_department, "department", agreement_or_department)
    official = (
        Official.objects.filter(department=department, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return official.user if official else official_of(department)


def admin_of(agreement_or_organization):
    """An admin of the agreement's (or the given) organization: an existing one, or a new one."""
    organization = getattr(agreement_or_organization, "organization", agreement_or_organization)
    membership = (
        Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else org_admin_of(organization)


def _shape_costs(offer, requested, own, cost_years):
    """Costs of `requested` + `own`: the action line carries all but the 1 000,00 zł
    administrative line, split over `cost_years` when given."""
    total = requested + own
    action_line = offer.cost_lines.filter(action__isnull=False).get()
    action_value = total - Decimal("1000.00")
    years = cost_years or [action_line.year]
    share = (action_value / len(years)).quantize(Decimal("0.01"))
    for index, year in enumerate(years):
        value = share if index < len(years) - 1 else action_value - share * (len(years) - 1)
        line = action_line if index == 0 else CostLine(offer=offer, action=action_line.action)
        line.name = line.name if index == 0 else f"{action_line.name} {year}"
        line.unit = "ryczałt"
        line.unit_cost = value
        line.quantity = Decimal("1")
        line.year = year
        line.order = index
        line.save()


def decided_offer(
    amount=None,
    requested=Decimal("9000.00"),
    *,
    call=None,
    organization=None,
    official=None,
    cost_years=None,
    **fields,
):
    """A submitted offer in a call past its deadline, formally correct, granted `amount`
    (the `requested` grant by default). `fields` go to the offer (title, starts, ends …).
    The call may be shared between offers: it is opened for the submission and closed
    again. Returns the offer; its decision is `offer.decision`."""
    call = call or CallFactory()
    if call.deadline < timezone.now():
        Call.objects.filter(pk=call.pk).update(deadline=timezone.now() + dt.timedelta(days=1))
        call.refresh_from_db()
    organization = organization or OrganizationFactory(kind="foundation")
    own = max(Decimal("1000.00"), (requested / 9).quantize(Decimal("1"), ROUND_CEILING))
    fields.setdefault("own_financial", own - Decimal("500.00"))
    fields.setdefault("own_personal", Decimal("500.00"))
    offer = complete_offer(call, grant=requested, organization=organization, **fields)
    _shape_costs(offer, requested, own, cost_years)
    offer = submit_offer(offer, by=admin_of(organization))
    close_call(call)
    official = official or official_for(call.department)
    now = timezone.now()
    FormalCheck.objects.create(
        offer=offer, status=FormalCheck.Status.PASSED, checked_by=official, checked_at=now
    )
    Decision.objects.create(
        offer=offer,
        outcome=Decision.Outcome.GRANTED,
        amount=requested if amount is None else amount,
        score=Decimal("25.00"),
        decided_by=official,
        decided_at=now,
    )
    offer.refresh_from_db()
    return offer


def ready_agreement(amount=None, requested=Decimal("9000.00"), *, official=None, **kwargs):
    """The agreement prepared for a `decided_offer(amount, requested, **kwargs)` as its
    call's results are published: READY, or BUDGET_UPDATE after a cut."""
    offer = decided_offer(amount, requested, official=official, **kwargs)
    official = official or official_for(offer.call.department)
    services.prepare_agreements(offer.call, by=official)
    return Agreement.objects.get(offer=offer)


def budget_lines_for(agreement, own_contribution=None):
    """An updated cost calculation and schedule for `agreement` after a cut, as the
    service takes them: the offer's lines with the action line lowered so that the costs
    are the grant plus `own_contribution` (by default the smallest the call allows, at
    least 1 000,00 zł). Returns (cost_lines, schedule, own_contribution)."""
    offer = agreement.offer
    percent = offer.call.min_own_contribution_percent if offer.call else Decimal("0")
    if own_contribution is None:
        minimum = agreement.amount * percent / (100 - percent)
        own_contribution = max(Decimal("1000.00"), minimum.quantize(Decimal("1"), ROUND_CEILING))
    lines = [
        {
            "name": line.name,
            "action": line.action_id,
            "unit": line.unit,
            "unit_cost": line.unit_cost,
            "quantity": line.quantity,
            "year": line.year,
        }
        for line in offer.cost_lines.all()
    ]
    total = agreement.amount + own_contribution
    action_lines = [line for line in lines if line["action"] is not None]
    target = (action_lines or lines)[-1]
    others = sum(
        (line["unit_cost"] * line["quantity"] for line in lines if line is not target),
        Decimal("0"),
    )
    target.update(unit_cost=(total - others).quantize(Decimal("0.01")), quantity=Decimal("1"))
    schedule = [
        {"action": action.pk, "starts": action.starts, "ends": action.ends}
        for action in offer.actions.all()
    ]
    return lines, schedule, own_contribution


def accept_budget(agreement, official=None, own_contribution=None):
    """Send (as an admin) and accept (as an official) an updated budget for a cut
    agreement; returns the agreement, READY."""
    lines, schedule, own = budget_lines_for(agreement, own_contribution)
    update = services.submit_budget_update(
        agreement, admin_of(agreement), lines, schedule, own, "Mniej warsztatów."
    )
    services.accept_budget_update(update, official or official_for(agreement))
    agreement.refresh_from_db()
    return agreement


def signed_agreement(
    amount=None,
    requested=Decimal("9000.00"),
    *,
    signed_on=None,
    official=None,
    representative=REPRESENTATIVE,
    **kwargs,
):
    """A signed agreement (version 1 frozen, its PDF rendered) for a
    `decided_offer(amount, requested, **kwargs)`; after a cut its updated budget is sent
    and accepted first. `signed_on` is today by default."""
    agreement = ready_agreement(amount, requested, official=official, **kwargs)
    official = official or official_for(agreement)
    if agreement.status == Agreement.Status.BUDGET_UPDATE:
        agreement = accept_budget(agreement, official)
    services.sign(
        agreement,
        official,
        signed_on=signed_on or timezone.localdate(),
        city_representative=representative,
    )
    agreement.refresh_from_db()
    return agreement
