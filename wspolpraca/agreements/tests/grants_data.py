"""Calls, offers, decisions and agreements written straight to the database, for the tests
of the statistics, the grants API and the 360Giving package (no services: those are the
colleagues' and tested there).

`known_data()` is a small data set whose every number is worked out in its docstring.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.agreements.models import Agreement
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.models import Call
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.evaluations.models import Decision
from wspolpraca.offers.models import Offer
from wspolpraca.offers.tests.factories import OfferFactory
from wspolpraca.organizations.models import PublicBenefitArea
from wspolpraca.organizations.tests.factories import OrganizationFactory

WARSAW = ZoneInfo("Europe/Warsaw")


def at(*args):
    return datetime(*args, tzinfo=WARSAW)


def decided_call(deadline, days=30, **fields):
    """A call whose results were published `days` after its `deadline`."""
    fields.setdefault("status", Call.Status.DECIDED)
    if fields["status"] == Call.Status.DECIDED:
        fields.setdefault("decided_at", deadline + timedelta(days=days))
    return CallFactory(
        deadline=deadline,
        offers_from=deadline - timedelta(days=30),
        published_at=deadline - timedelta(days=30),
        task_starts=deadline.date() + timedelta(days=60),
        task_ends=deadline.date() + timedelta(days=240),
        **fields,
    )


def offer_in(call, requested, *, organization=None, status=Offer.Status.SUBMITTED, **fields):
    fields.setdefault("title", f"Zadanie za {requested} zł")
    fields.setdefault("summary", "Warsztaty dla seniorów w domu kultury.")
    return OfferFactory(
        call=call,
        organization=organization or OrganizationFactory(kind="foundation"),
        status=status,
        requested_grant=Decimal(requested),
        starts=call.task_starts,
        ends=call.task_ends,
        submitted_at=call.deadline - timedelta(days=1),
        **fields,
    )


def decide(offer, amount=None, *, by=None, score="45.00", decided_at=None):
    """A grant of `amount` (a rejection when None) on `offer`, decided with its call."""
    granted = amount is not None
    return Decision.objects.create(
        offer=offer,
        outcome=Decision.Outcome.GRANTED if granted else Decision.Outcome.REJECTED,
        amount=Decimal(amount) if granted else None,
        score=Decimal(score) if score is not None else None,
        reason="" if granted else "Za mało punktów.",
        decided_by=by or UserFactory(),
        decided_at=decided_at or offer.call.decided_at or offer.call.deadline,
    )


def agreement_for(decision, *, number=None, status=Agreement.Status.SIGNED, by=None):
    offer = decision.offer
    return Agreement.objects.create(
        offer=offer,
        organization=offer.organization,
        department=offer.call.department,
        number=number or f"UM/{offer.pk:05d}",
        status=status,
        amount=decision.amount,
        starts=offer.starts,
        ends=offer.ends,
        signed_on=date(offer.call.decided_at.year, 12, 1) if offer.call.decided_at else None,
        created_by=by or decision.decided_by,
        created_at=decision.decided_at + timedelta(days=7),
    )


@dataclass
class KnownData:
    culture: PublicBenefitArea
    social: PublicBenefitArea
    department_a: object
    department_b: object
    calls: dict = field(default_factory=dict)
    offers: dict = field(default_factory=dict)
    decisions: dict = field(default_factory=dict)


def known_data():
    """Two years, two departments, one cut grant, and what must not count.

    | call | year | dept | mode        | areas     | status    | days | offers: requested → decision |
    | c1   | 2024 | A    | support     | 16        | decided   | 31   | o1 10 000 → 10 000; o2 20 000 → rejected; a withdrawn offer |
    | c2   | 2024 | B    | entrustment | 16, 1     | decided   | 20   | o3 10 000 → 8 000 (cut 20%) |
    | c3   | 2025 | A    | support     | 1         | decided   | 40   | o4 5 000 → 5 000 |
    | c4   | 2025 | B    | support     | 16        | published | —    | o5 7 000 → 7 000 entered, results not published |
    | c5   | 2025 | A    | support     | 16        | draft     | —    | — |

    Totals: 4 calls announced, 3 decided, 4 offers, 3 grants, 45 000 requested, 23 000
    granted (25 000 asked by the granted offers: cut 8.0%), days (31+20+40)/3 = 30.3.
    2024: 2, 2, 3 offers, 2 grants, 40 000, 18 000, cut 10.0%, 25.5 days.
    2025: 2, 1, 1 offer, 1 grant, 5 000, 5 000, cut 0.0%, 40.0 days.
    A: 2, 2, 3, 2, 35 000, 15 000, 0.0%, 35.5. B: 2, 1, 1, 1, 10 000, 8 000, 20.0%, 20.0.
    Area 16: 3 calls, 2 decided, 3 offers, 2 grants, 18 000. Area 1: 2, 2, 2, 2, 13 000.
    Modes: support 3 calls, 2 decided, 3 offers, 15 000; entrustment 1, 1, 1, 8 000.
    Dates avoid the change of clocks, so the days are whole.
    """
    data = KnownData(
        culture=PublicBenefitArea.objects.get(code="16"),
        social=PublicBenefitArea.objects.get(code="1"),
        department_a=DepartmentFactory(name="Wydział Kultury", short_name="WK", position=1),
        department_b=DepartmentFactory(name="Wydział Sportu", short_name="WS", position=2),
    )
    by = UserFactory()
    c = data.calls
    c["c1"] = decided_call(
        at(2024, 4, 2, 12),
        days=31,
        department=data.department_a,
        areas=[data.culture],
        reference="K/2024/1",
    )
    c["c2"] = decided_call(
        at(2024, 5, 6, 12),
        days=20,
        department=data.department_b,
        funding_mode="entrustment",
        areas=[data.culture, data.social],
        reference="K/2024/2",
    )
    c["c3"] = decided_call(
        at(2025, 1, 10, 12), days=40, department=data.department_a, areas=[data.social]
    )
    c["c4"] = decided_call(
        at(2025, 3, 3, 12),
        department=data.department_b,
        areas=[data.culture],
        status=Call.Status.PUBLISHED,
    )
    c["c5"] = decided_call(
        at(2025, 6, 2, 12),
        department=data.department_a,
        areas=[data.culture],
        status=Call.Status.DRAFT,
    )
    o, d = data.offers, data.decisions
    o["o1"] = offer_in(c["c1"], "10000.00", title="Teatr na podwórku")
    o["o2"] = offer_in(c["c1"], "20000.00", title="Festiwal odrzucony")
    o["withdrawn"] = offer_in(c["c1"], "99000.00", status=Offer.Status.WITHDRAWN)
    o["o3"] = offer_in(c["c2"], "10000.00", title="Liga osiedlowa")
    o["o4"] = offer_in(c["c3"], "5000.00", title="Klub seniora")
    o["o5"] = offer_in(c["c4"], "7000.00", title="Nieogłoszony grant")
    d["o1"] = decide(o["o1"], "10000.00", by=by, score="52.50")
    d["o2"] = decide(o["o2"], None, by=by, score="30.00")
    d["o3"] = decide(o["o3"], "8000.00", by=by, score="48.00")
    d["o4"] = decide(o["o4"], "5000.00", by=by)
    d["o5"] = decide(o["o5"], "7000.00", by=by, decided_at=at(2025, 4, 1, 12))
    agreement_for(d["o1"], number="UM/2024/001", by=by)
    return data
