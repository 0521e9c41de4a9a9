"""Demo data of the public tasks: a year of calls in every state, offers (drafts,
submitted, joint, small grants inside and after their comment window) and requests to the
city (open and overdue). Every text is invented for the demo.

Dates are set relative to today, so the demo always shows open calls, calls in
evaluation and decided ones. Records are written directly (no e-mails go out); submitted
offers are frozen by the same function as a real submission, at a past time.
"""

from datetime import datetime, time, timedelta
from decimal import ROUND_UP, Decimal

from django.utils import timezone

from wspolpraca.competitions import services as call_services
from wspolpraca.competitions.city_requests import answer_due_for
from wspolpraca.competitions.models import Call, CallQuestion, CityRequest, Criterion
from wspolpraca.offers import services as offer_services
from wspolpraca.offers.models import Action, CostLine, Offer, OfferComment, Partner, Result

# The states a department's calls go through, in the order the demo hands them out.
STATES = ["open", "evaluation", "decided", "open", "upcoming", "annulled", "draft", "evaluation"]

QUESTIONS = [
    (
        "Czy koszty dojazdu uczestników mogą być pokryte z dotacji?",
        "Tak, jeśli są niezbędne do udziału w zadaniu i wykazane w kalkulacji kosztów.",
    ),
    ("Czy jedna organizacja może złożyć dwie oferty w tym konkursie?", ""),
]
ACTIONS = [
    ("Rekrutacja uczestników", "Ogłoszenia w dzielnicy i spotkania informacyjne."),
    ("Zajęcia warsztatowe", "Cotygodniowe spotkania w małych grupach."),
    ("Podsumowanie i ewaluacja", "Ankiety uczestników i raport z realizacji."),
]


def _at(day, hour=15, minute=30):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _round_up(amount, step=100):
    return (amount / step).quantize(Decimal("1"), rounding=ROUND_UP) * step


def make_calls(planned_calls, official):
    """A call from each planned call of this year, in the state STATES gives it."""
    today = timezone.localdate()
    calls = []
    for n, planned in enumerate(planned_calls):
        state = STATES[n % len(STATES)]
        call = call_services.draft_call_from_planned(planned, official)
        support = call.funding_mode == "support"
        published = {
            "open": today - timedelta(days=8),
            "upcoming": today - timedelta(days=2),
            "evaluation": today - timedelta(days=45),
            "decided": today - timedelta(days=120),
            "annulled": today - timedelta(days=60),
            "draft": None,
        }[state]
        deadline_day = (published or today) + timedelta(days=25)
        call.description = (
            f"{planned.title}: zadanie dla mieszkańców Krakowa, prowadzone w kilku "
            "dzielnicach, z naciskiem na osoby, do których trudno dotrzeć."
        )
        call.min_grant = Decimal("5000")
        call.max_grant = _round_up(call.budget / 4, 1000)
        call.min_own_contribution_percent = Decimal("10") if support else Decimal("0")
        call.admin_cost_cap_percent = Decimal("10")
        call.deadline = _at(deadline_day)
        call.task_starts = deadline_day + timedelta(days=30)
        call.task_ends = deadline_day + timedelta(days=200)
        call.selection_date = deadline_day + timedelta(days=21)
        call.award_rules = (
            "Dotacja pokrywa koszty bezpośrednio związane z zadaniem. Kwota dotacji może być "
            "niższa od wnioskowanej; wtedy oferent składa zaktualizowaną kalkulację."
        )
        call.task_conditions = (
            "Zadanie realizowane na terenie Krakowa, w terminie wskazanym w ogłoszeniu, "
            "z zachowaniem standardów dostępności dla osób z niepełnosprawnościami."
        )
        call.selection_procedure = (
            "Ocena formalna w ciągu 7 dni od terminu składania ofert, następnie ocena "
            "merytoryczna komisji konkursowej według kryteriów z ogłoszenia."
        )
        call.previous_funding = (
            "W ubiegłym roku na zadania tego rodzaju przeznaczono "
            f"{call.budget * Decimal('0.9'):.0f} zł, w tym dotacje dla 6 organizacji."
        )
        call.contact = "Wydział prowadzący konkurs, tel. +48 12 616 00 00, konkursy@example.org"
        if state == "upcoming":
            call.offers_from = _at(today + timedelta(days=5), 8, 0)
        call.save()
        Criterion.objects.create(
            call=call,
            kind=Criterion.Kind.OWN,
            name="Dostępność działań dla osób z niepełnosprawnościami",
            max_points=5,
            weight=Decimal("1.5"),
            order=10,
        )
        Criterion.objects.create(
            call=call,
            kind=Criterion.Kind.BONUS,
            code="young",
            name="Młoda organizacja (zarejestrowana nie dawniej niż 3 lata temu)",
            max_points=3,
            order=11,
        )
        if published:
            call.status = Call.Status.PUBLISHED
            call.published_bip_on = published
            call.published_board_on = published
            call.published_at = _at(published, 9, 0)
            call.save()
            call_services.add_version(call, official, "Pierwsza publikacja.")
        if state == "decided":
            call.status = Call.Status.DECIDED
            call.decided_at = _at(deadline_day + timedelta(days=20), 12, 0)
            call.save()
        if state == "annulled":
            call.status = Call.Status.ANNULLED
            call.annulled_at = _at(deadline_day + timedelta(days=3), 12, 0)
            call.annulment_reason = "Nie wpłynęła żadna oferta spełniająca wymogi formalne."
            call.save()
            call_services.add_version(call, official, f"Unieważniono: {call.annulment_reason}")
        if state in ("open", "evaluation"):
            for question, answer in QUESTIONS:
                CallQuestion.objects.create(
                    call=call,
                    question=question,
                    asked_at=call.published_at + timedelta(days=2),
                    answer=answer,
                    answered_by=official if answer else None,
                    answered_at=call.published_at + timedelta(days=3) if answer else None,
                )
        calls.append((state, call))
    return calls


def _fill(offer, organization, rng, grant, own_percent, partner=None):
    """Sections of a complete offer whose sums meet the call's limits."""
    own = _round_up(grant * own_percent / (100 - own_percent)) + 200 if own_percent else 200
    total = grant + own
    admin = _round_up(total * Decimal("0.05"))
    offer.title = (
        offer.title
        or f"{offer.call.title if offer.call else 'Zadanie'} — {organization.short_name or organization.name}"[
            :300
        ]
    )
    offer.summary = (
        "Zajęcia odbywają się w siedzibie organizacji i w dwóch szkołach dzielnicy. "
        "Uczestnicy to osoby, które dotąd nie korzystały z podobnej oferty."
    )
    offer.complementarity = "Uzupełnia działania rady dzielnicy i miejskiego programu."
    offer.results_effects = f"{rng.randint(20, 80)} uczestników ukończy cykl zajęć."
    offer.results_change = "Uczestnicy częściej angażują się w życie sąsiedzkie."
    offer.results_durability = "Powstała grupa spotyka się dalej z pomocą wolontariuszy."
    offer.earlier_activity = "Od kilku lat prowadzimy podobne zajęcia, także z dotacji miasta."
    offer.resources = "Dwie osoby prowadzące z doświadczeniem, sala, sprzęt, wolontariusze."
    offer.contact_name = "Osoba do kontaktu w sprawie oferty"
    offer.contact_email = organization.email
    offer.contact_phone = organization.phone
    offer.requested_grant = grant
    offer.own_financial = own - 200 if own > 200 else Decimal("0")
    offer.own_personal = Decimal("200") if own >= 200 else own
    for name in (
        "declares_public_benefit",
        "declares_fees",
        "declares_no_arrears",
        "declares_register_data",
        "declares_truth",
        "declares_personal_data",
    ):
        setattr(offer, name, True)
    offer.representatives = "Prezes zarządu i członek zarządu, łącznie"
    offer.save()
    starts, ends = offer.starts, offer.ends
    actions = []
    for order, (name, description) in enumerate(ACTIONS):
        actions.append(
            Action.objects.create(
                offer=offer,
                name=name,
                description=description,
                target_group="Mieszkańcy",
                starts=starts,
                ends=ends,
                order=order,
                partner=partner if partner and order == 1 else None,
            )
        )
    work = total - admin
    CostLine.objects.create(
        offer=offer,
        action=actions[1],
        name="Wynagrodzenie osób prowadzących zajęcia",
        unit="usługa",
        unit_cost=work,
        quantity=Decimal("1"),
        year=starts.year,
    )
    CostLine.objects.create(
        offer=offer,
        action=None,
        name="Obsługa księgowa",
        unit="usługa",
        unit_cost=admin,
        quantity=Decimal("1"),
        year=starts.year,
    )
    Result.objects.create(
        offer=offer, name="Liczba uczestników", target_value="40", monitoring="Listy obecności"
    )


def make_offers(calls, organizations, ngo_admin, second_admin, rng):
    """Drafts in open calls, submitted offers (one joint) in open and evaluated calls."""
    count = 0
    open_calls = 0
    for state, call in calls:
        if state not in ("open", "evaluation", "decided"):
            continue
        bidders = rng.sample(organizations[2:], 4)
        if state == "open" and ngo_admin:
            bidders = [organizations[0], organizations[1], *bidders[:2]]
            open_calls += 1
        # The demo organizations have a draft in one open call and a submitted offer in
        # the next, so both pages can be seen with their accounts.
        drafts = (0, 3) if open_calls % 2 else (1, 3)
        for n, organization in enumerate(bidders):
            author = {0: ngo_admin, 1: second_admin}.get(organizations.index(organization))
            offer = Offer.objects.create(
                call=call,
                department=call.department,
                organization=organization,
                created_by=author,
                starts=call.task_starts,
                ends=call.task_ends,
            )
            grant = _round_up(
                call.min_grant + (call.max_grant - call.min_grant) * Decimal(rng.random())
            )
            partner = None
            if n == 2:
                other = organizations[-1 - n]
                partner = Partner.objects.create(
                    offer=offer,
                    organization=other,
                    name=other.name,
                    kind=other.kind,
                    register_number=other.krs or other.other_register or "—",
                    address=f"{other.street}, {other.postal_code} {other.city}",
                    email=other.email,
                    cost_share=Decimal("1000"),
                    actions_and_representation="Prowadzi zajęcia warsztatowe.",
                )
            _fill(offer, organization, rng, grant, call.min_own_contribution_percent, partner)
            draft = state == "open" and n in drafts
            if not draft:
                when = call.deadline - timedelta(
                    days=rng.randint(1, 6), minutes=rng.randint(0, 600)
                )
                offer_services.freeze(offer, author, when)
            count += 1
    return count


def make_small_grants(organizations, departments, rng):
    """Small-grant offers: two inside their comment window, one after it."""
    now = timezone.now()
    for n, days_ago in enumerate([1, 4, 12]):
        organization = organizations[3 + n]
        offer = Offer.objects.create(
            kind=Offer.Kind.SMALL_GRANT,
            department=departments[n % len(departments)],
            organization=organization,
            title=[
                "Sąsiedzki piknik na osiedlu",
                "Warsztaty rękodzieła dla seniorów",
                "Rajd rowerowy po zielonych terenach dzielnicy",
            ][n],
            starts=timezone.localdate() + timedelta(days=20),
            ends=timezone.localdate() + timedelta(days=60),
        )
        _fill(offer, organization, rng, Decimal(rng.choice([4000, 6500, 9000])), Decimal("0"))
        offer_services.freeze(offer, None, now - timedelta(days=days_ago))
        if n != 1:
            OfferComment.objects.create(
                offer=offer,
                author_name="Mieszkanka osiedla",
                text="Dobry pomysł, w zeszłym roku podobne wydarzenie bardzo się udało.",
                created_at=now - timedelta(days=days_ago) + timedelta(hours=5),
            )


def make_requests(organizations, departments, ngo_admin):
    """Requests to the city: open, overdue, accepted and rejected."""
    today = timezone.localdate()
    rows = [
        (
            CityRequest.Kind.OWN_INITIATIVE,
            "Całoroczne zajęcia szachowe dla dzieci",
            10,
            CityRequest.Status.SUBMITTED,
            Decimal("24000"),
        ),
        (
            CityRequest.Kind.OWN_INITIATIVE,
            "Punkt porad dla opiekunów osób starszych",
            45,
            CityRequest.Status.SUBMITTED,
            Decimal("56000"),
        ),
        (
            CityRequest.Kind.PATRONAGE,
            "Festiwal organizacji sąsiedzkich",
            20,
            CityRequest.Status.ACCEPTED,
            None,
        ),
        (
            CityRequest.Kind.EQUIPMENT_LOAN,
            "Wypożyczenie sceny mobilnej na festyn",
            15,
            CityRequest.Status.REJECTED,
            None,
        ),
        (
            CityRequest.Kind.PARTNERSHIP,
            "Wspólny projekt o aktywności fizycznej seniorów",
            50,
            CityRequest.Status.SUBMITTED,
            None,
        ),
    ]
    for n, (kind, title, days_ago, status, cost) in enumerate(rows):
        submitted = timezone.now() - timedelta(days=days_ago)
        decided = status != CityRequest.Status.SUBMITTED
        CityRequest.objects.create(
            kind=kind,
            organization=organizations[n % 3],
            department=departments[n % 3],
            title=title,
            description="Opis potrzeby, planowanych działań i osób, do których są skierowane.",
            estimated_cost=cost,
            starts=today + timedelta(days=40) if kind != CityRequest.Kind.OWN_INITIATIVE else None,
            ends=today + timedelta(days=42) if kind != CityRequest.Kind.OWN_INITIATIVE else None,
            status=status,
            submitted_by=ngo_admin if n % 3 == 0 else None,
            submitted_at=submitted,
            answer_due=answer_due_for(kind, timezone.localdate(submitted)),
            decision_reason=(
                "Wydarzenie wpisuje się w cele programu współpracy."
                if status == CityRequest.Status.ACCEPTED
                else "Scena jest w tym terminie zarezerwowana na inne wydarzenie."
                if decided
                else ""
            ),
            decided_at=submitted + timedelta(days=7) if decided else None,
        )
