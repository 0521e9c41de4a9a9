"""Demo data of what follows the deadline: last year's calls carried through to the end,
and this year's calls in evaluation and decided given their evaluation.

Last year (three calls of three departments): offers submitted, the formal check (one
offer rejected on form, one corrected after a request), a commission per call (the
department's official in the chair, a member appointed by the mayor, a member nominated by
an organization that did not apply, an expert), declarations, one declared conflict, every
sheet scored and justified, the work closed with its minutes; the mayor's decisions (a grant
cut by 15% with its reason, a rejection), the results published, a request for reasons
answered; agreements (the cut one after its updated budget), signed, tranches paid, an
annex; final reports accepted, one returned for a correction, one overdue; settlements (one
with a refund), a control answered, a monitoring visit, ratings of the cooperation (enough
for one department's averages to show) and an evaluation meeting.

This year: the calls in evaluation get their checklist and some checks (a correction
waiting for the demo NGO admin's organization), one a commission scoring with the demo
official in the chair; the decided calls get their whole evaluation, results and
agreements waiting for the updated budget, for its review, ready and signed.

Everything goes through the services, as the officials, members and organizations would
do it, so the records agree with each other and the audit trail holds each step; no e-mail
goes out (`core.mail.muted`). The services act by the server's clock; the story then moves
each record's dates, and its audit entries', to when it happened, with queryset updates,
as `public_tasks` does for submissions. Every name and text is invented for the demo.
"""

import hashlib
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from unittest import mock

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role
from wspolpraca.agreements import agreements as agreement_services
from wspolpraca.agreements import controls, feedback, reports
from wspolpraca.agreements.models import (
    Agreement,
    AgreementVersion,
    BudgetUpdate,
    Control,
    CooperationRating,
    Report,
    ReportVersion,
    Settlement,
)
from wspolpraca.city.models import Department, Official
from wspolpraca.competitions import services as call_services
from wspolpraca.competitions.models import (
    Call,
    CallSchedule,
    CallVersion,
    Criterion,
    PlannedCall,
)
from wspolpraca.core import mail
from wspolpraca.core.models import AuditEntry
from wspolpraca.demo import public_tasks
from wspolpraca.evaluations import commission as commission_services
from wspolpraca.evaluations import decisions, formal
from wspolpraca.evaluations.models import (
    Commission,
    CommissionMember,
    ConflictOfInterest,
    CorrectionRequest,
    Decision,
    FormalCheck,
    ReasonsRequest,
    ScoreSheet,
)
from wspolpraca.offers import services as offer_services
from wspolpraca.offers.models import Offer, Partner
from wspolpraca.organizations.models import Membership, Organization, PublicBenefitArea

Role = CommissionMember.Role
DEFAULT_KINDS = set(call_services.DEFAULT_ELIGIBLE_KINDS)
CITY_REPRESENTATIVE = "Anna Nowak — Zastępczyni Prezydenta Miasta Krakowa"
CUT = Decimal("0.85")

# Last year's calls: (department symbol, task, funding mode, money, areas, deadline
# (month, day), task (from, to) as (month, day), offers' titles). The first title of the
# culture call is the demo NGO admin's organization's.
LAST_YEAR = [
    (
        "WS",
        "Profilaktyka uzależnień wśród młodzieży",
        "support",
        240_000,
        ["32", "6"],
        (3, 14),
        ((4, 15), (10, 31)),
        [
            "Szkoła bez używek — warsztaty dla klas siódmych i ósmych",
            "Streetworking na osiedlach Nowej Huty",
            "Klub młodzieżowy „Przystań” na Podgórzu",
            "Sport zamiast dopalaczy — wieczorne treningi dla nastolatków",
            "Rodzice w sieci — spotkania dla rodziców nastolatków",
            "Rodzinny festyn na osiedlu",
        ],
    ),
    (
        "WSN",
        "Aktywizacja seniorów w klubach dzielnicowych",
        "support",
        200_000,
        ["10"],
        (3, 21),
        ((5, 5), (10, 15)),
        [
            "Cyfrowy senior — kursy obsługi smartfona i bankowości",
            "Klub wspomnień w bibliotece dzielnicowej",
        ],
    ),
    (
        "KD",
        "Letnie wydarzenia kulturalne w dzielnicach",
        "support",
        320_000,
        ["16"],
        (4, 4),
        ((5, 20), (9, 15)),
        [
            "Lato z muzyką dawną na dziedzińcach",
            "Kino plenerowe na osiedlach",
        ],
    ),
]

# What the expert writes about the offers (advisory voice, no points).
EXPERT_OPINIONS = [
    "Zakładane rezultaty są realne przy tej liczbie uczestników; warto dopisać, jak "
    "organizacja dotrze do osób, które dotąd nie korzystały z podobnych zajęć.",
    "Stawki w kosztorysie odpowiadają cenom rynkowym. Harmonogram zostawia mało czasu na "
    "podsumowanie zadania i zebranie opinii uczestników.",
    "Oferta trafnie odpowiada na potrzeby dzielnicy; brakuje pomysłu na utrzymanie efektów "
    "po zakończeniu finansowania.",
]

# Short justifications per criterion (by its code; "" is the city's own criterion of
# accessibility): for high, middling and low points.
JUSTIFICATIONS = {
    "ability": (
        "Doświadczony zespół i realny harmonogram; podobne działania prowadzone od lat.",
        "Plan wykonalny, ale harmonogram napięty w miesiącach wakacyjnych.",
        "Oferta nie pokazuje ludzi ani zaplecza na tak szeroki zakres działań.",
    ),
    "costs": (
        "Koszty uzasadnione, stawki zgodne z rynkowymi.",
        "Kalkulacja poprawna, część stawek na górnej granicy.",
        "Koszty zawyżone w stosunku do liczby uczestników.",
    ),
    "quality": (
        "Prowadzący z kwalifikacjami do tych zajęć, rekrutacja opisana konkretnie.",
        "Kwalifikacje kadry wystarczające, opis rekrutacji ogólnikowy.",
        "Brak opisu kwalifikacji osób prowadzących zajęcia.",
    ),
    "own_funds": (
        "Wkład finansowy wyraźnie ponad wymagane minimum.",
        "Wkład finansowy na poziomie wymaganego minimum.",
        "Wkład finansowy ledwie spełnia wymóg ogłoszenia.",
    ),
    "contribution": (
        "Praca wolontariuszy i członków opisana i policzona w godzinach.",
        "Wkład osobowy opisany, bez wyceny godzin pracy.",
        "Wkład osobowy zadeklarowany bez żadnego opisu.",
    ),
    "record": (
        "Wcześniejsze dotacje miasta rozliczone w terminie i bez uwag.",
        "Wcześniejsze zadania rozliczone, jedno sprawozdanie złożone po terminie.",
        "Organizacja nie realizowała dotąd zadań publicznych.",
    ),
    "": (
        "Zajęcia w miejscach bez barier, materiały także w tekście łatwym do czytania.",
        "Dostępność zapewniona częściowo, brak tłumacza PJM.",
        "Oferta pomija potrzeby osób z niepełnosprawnościami.",
    ),
}
YOUNG = (
    "Organizacja zarejestrowana w ciągu trzech lat przed terminem składania ofert.",
    "Organizacja działa dłużej niż trzy lata.",
)
CUT_REASON = (
    "Dotację obniżono o 15%: komisja uznała za zawyżone stawki za prowadzenie zajęć i liczbę "
    "godzin dyżurów; zakres rezultatów może zostać zachowany przy mniejszej liczbie godzin."
)
BUDGET_REASON = (
    "Środki w konkursie wystarczyły na część wnioskowanej kwoty; oferent może ograniczyć "
    "zakres działań w zaktualizowanej kalkulacji."
)
REJECT_REASON = (
    "Oferta uzyskała najniższą średnią ocenę komisji. Komisja wskazała ogólnikowy opis "
    "rekrutacji uczestników i brak doświadczenia kadry w pracy z tą grupą; środki "
    "wystarczyły na oferty ocenione wyżej."
)
FUNDS_REASON = "Środki przeznaczone na zadanie wyczerpały oferty ocenione wyżej."
OUT_OF_SCOPE = (
    "Oferta dotyczy organizacji jednodniowego festynu rodzinnego, a konkurs dotyczy "
    "całorocznej profilaktyki uzależnień wśród młodzieży: zadanie nie mieści się w zakresie "
    "ogłoszenia."
)
OUT_OF_SCOPE_THIS_YEAR = [
    "Zajęcia opisane w ofercie są przeznaczone wyłącznie dla członków organizacji, a "
    "ogłoszenie wymaga działań otwartych dla wszystkich mieszkańców.",
    "Oferta przewiduje wyłącznie zakup sprzętu, a ogłoszenie dotyczy prowadzenia zajęć: "
    "zadanie nie mieści się w zakresie konkursu.",
]
REPRESENTATION = (
    "Według KRS organizację reprezentuje dwóch członków zarządu łącznie, a w ofercie "
    "wskazano jedną osobę. Prosimy poprawić dane osób upoważnionych do reprezentacji."
)


def _moment(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _day_of(moment):
    return timezone.localdate(moment)


def _half_points(value, maximum):
    return min(max(Decimal(round(value * 2)) / 2, Decimal("0")), Decimal(maximum))


def _floor_hundreds(amount):
    return (amount / 100).quantize(Decimal("1"), rounding=ROUND_DOWN) * 100


@contextmanager
def dated(moment):
    """The audit entries written inside the block are dated `moment` (when the step took
    place in the story, not when the demo replayed it)."""
    last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    AuditEntry.objects.filter(pk__gt=last).update(created_at=moment)


def _update(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def _patch_audit(obj, action, **values):
    """Give the latest `action` entry on `obj` the values its change had in the story
    (a due date, or a checksum of a document drawn up again with the story's dates)."""
    entry = AuditEntry.objects.for_object(obj).filter(action=action).order_by("-pk").first()
    if entry is None:
        return
    changes = dict(entry.changes)
    for key, value in values.items():
        if value is None:
            changes.pop(key, None)
        else:
            changes[key] = [(changes.get(key) or [None])[0], value]
    AuditEntry.objects.filter(pk=entry.pk).update(changes=changes)


def _no_pdf(*args, **kwargs):
    return b""


def _people(n):
    from wspolpraca.demo.management.commands.demo import PEOPLE

    return PEOPLE[n % len(PEOPLE)]


class Story:
    """The people and the steps of the story; `accounts` are the demo accounts it adds."""

    def __init__(self, calls, organizations, rng):
        self.calls = calls
        self.organizations = organizations
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.accounts = []
        self.official = User.objects.get(email="urzednik@example.org")
        # The accounts the story adds sign in with the demo accounts' password (its hash
        # is reused: hashing it again would cost a second each).
        self.password = self.official.password
        self.coordinator = User.objects.get(email="koordynator@example.org")
        self.areas = {a.code: a for a in PublicBenefitArea.objects.all()}
        self.merits = {}

    # People.

    def person(self, email, full_name, role=User.Role.RESIDENT, label=None):
        user, created = User.objects.get_or_create(
            email=email, defaults={"role": role, "full_name": full_name, "password": self.password}
        )
        if created:
            if role != User.Role.RESIDENT:
                apply_role(user)
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if label:
                self.accounts.append((label, email))
        return user

    def manager_of(self, department):
        """The department's official: the demo official's, or one made for the story."""
        official = (
            Official.objects.filter(department=department, user__role=User.Role.OFFICIAL)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if official:
            return User.objects.get(pk=official.user_id)
        slug = (department.short_name or str(department.pk)).lower().replace("ś", "s")
        first, last = _people(department.position + 3)
        user = self.person(
            f"urzednik.{slug}@example.org",
            f"{first} {last}",
            User.Role.OFFICIAL,
            label=f"official of {department.short_name}",
        )
        Official.objects.get_or_create(user=user, defaults={"department": department})
        return User.objects.get(pk=user.pk)

    def city_member(self, manager):
        """Who sits for the mayor beside the chair: the demo official, or the demo
        coordinator on the demo official's own department's commissions."""
        return self.coordinator if manager == self.official else self.official

    def admin_of(self, organization):
        """An administrator of `organization`: its first, or one made for the story."""
        membership = (
            Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership:
            return membership.user
        first, last = _people(organization.pk)
        user = self.person(f"zarzad.{organization.pk}@example.org", f"{first} {last}")
        Membership.objects.create(organization=organization, user=user, role=Membership.Role.ADMIN)
        return user

    def commission_people(self):
        """The member nominated by organizations (of one that applies in none of the
        calls evaluated) and the expert, made once."""
        if hasattr(self, "nominee"):
            return
        submitted = Offer.objects.exclude(status=Offer.Status.DRAFT)
        applicants = set(submitted.values_list("organization_id", flat=True)) | set(
            Partner.objects.filter(offer__in=submitted, organization__isnull=False).values_list(
                "organization_id", flat=True
            )
        )
        applicants |= {o.pk for o in self.organizations[:2]}
        others = Organization.objects.exclude(pk__in=applicants).order_by("pk")
        free = (
            others.filter(verification=Organization.Verification.VERIFIED).first() or others.first()
        )
        self.nominator = free
        self.nominee = None
        if free is not None:
            self.nominee = self.person(
                "komisja.ngo@example.org",
                "Joanna Kozłowska",
                label="commission member (NGO)",
            )
            Membership.objects.get_or_create(
                organization=free, user=self.nominee, defaults={"role": Membership.Role.MEMBER}
            )
        self.expert = self.person(
            "ekspert@example.org", "Krzysztof Jankowski", label="commission expert"
        )

    # Offers.

    def offer(self, call, organization, when, *, title="", grant=None, merit=None):
        author = self.admin_of(organization)
        offer = Offer.objects.create(
            call=call,
            department=call.department,
            organization=organization,
            created_by=author,
            starts=call.task_starts,
            ends=call.task_ends,
            title=title,
        )
        if grant is None:
            spread = call.max_grant - call.min_grant
            grant = public_tasks._round_up(
                call.min_grant + spread * Decimal(self.rng.uniform(0.3, 0.9))
            )
        public_tasks._fill(offer, organization, self.rng, grant, call.min_own_contribution_percent)
        with dated(when):
            offer_services.freeze(offer, author, when)
        _update(Offer, offer.pk, created_at=when - timedelta(days=9))
        if merit is not None:
            self.merits[offer.pk] = merit
        offer.refresh_from_db()
        return offer

    def merit(self, offer):
        if offer.pk not in self.merits:
            self.merits[offer.pk] = self.rng.uniform(0.45, 0.85)
        return self.merits[offer.pk]

    # The formal check.

    def answers(self, call, unmet=None):
        unmet = unmet or {}
        return {
            r.pk: (r.pk not in unmet, unmet.get(r.pk, "")) for r in formal.ensure_checklist(call)
        }

    def requirement(self, call, step):
        return next(r for r in formal.ensure_checklist(call) if r.step == step)

    def passes(self, offer, manager, when):
        with dated(when):
            check = formal.check_offer(offer, self.answers(offer.call), manager)
        _update(FormalCheck, check.pk, checked_at=when)
        return check

    def rejected_on_form(self, offer, manager, when, reason):
        scope = self.requirement(offer.call, "task")
        with dated(when):
            check = formal.check_offer(offer, self.answers(offer.call, {scope.pk: reason}), manager)
            formal.reject_on_form(check, reason, manager)
        _update(FormalCheck, check.pk, checked_at=when)

    def correction_asked(self, offer, manager, when, due=None):
        """The representation does not match the register: a correction of the
        declarations' part is asked for (due a week later by default)."""
        representation = self.requirement(offer.call, "declarations")
        due = due or formal.end_of_day(_day_of(when) + timedelta(days=7))
        with dated(when):
            check = formal.check_offer(
                offer, self.answers(offer.call, {representation.pk: REPRESENTATION}), manager
            )
            request = formal.request_correction(
                check,
                ["declarations"],
                REPRESENTATION,
                max(due, self.now + timedelta(hours=1)),
                manager,
            )
        _update(FormalCheck, check.pk, checked_at=when)
        _update(CorrectionRequest, request.pk, requested_at=when)
        request.story_due = due
        if due > self.now:
            self.due_of(request)
        return request

    def due_of(self, request, copy=None):
        """The request (and the correction made) due when the story says, once the
        correction no longer needs the due time to come."""
        due = request.story_due
        _update(CorrectionRequest, request.pk, due=due)
        _patch_audit(request, "formal.correction_requested", due=due.isoformat())
        if copy is not None:
            _update(Offer, copy.pk, correction_due=due)
            _patch_audit(copy, "offer.correction_started", correction_due=due.isoformat())

    def corrected(self, request, when):
        """The organization corrects the representation; returns the new version."""
        admin = self.admin_of(request.offer.organization)
        with dated(when):
            copy = formal.start_correction(request, admin)
            copy.representatives = "Prezes zarządu i skarbnik, łącznie, zgodnie z wpisem w KRS"
            copy.save(update_fields=["representatives"])
            offer_services.freeze(copy, admin, when)
        _update(Offer, copy.pk, created_at=when - timedelta(hours=3))
        self.due_of(request, copy)
        copy.refresh_from_db()
        return copy

    # The commission.

    def commission(self, call, manager, chair, city, when, *, reference, scoring_after=None):
        """Appointed at `when`, all four seats taken, scoring started (three days later
        unless `scoring_after` says) and every declaration signed; returns (commission,
        {role: member})."""
        self.commission_people()
        with dated(when):
            commission = commission_services.commission_for(call, manager)
            commission_services.update_details(
                commission,
                manager,
                appointment_reference=reference,
                without_ngo_reason=""
                if self.nominee
                else "Żadna organizacja niebiorąca udziału w konkursie nie zgłosiła kandydata.",
            )
            seats = {
                Role.CHAIR: commission_services.add_member(commission, chair, Role.CHAIR, manager),
                Role.CITY: commission_services.add_member(commission, city, Role.CITY, manager),
                Role.EXPERT: commission_services.add_member(
                    commission, self.expert, Role.EXPERT, manager, paid=True, fee="600.00"
                ),
            }
            if self.nominee:
                seats[Role.NGO] = commission_services.add_member(
                    commission, self.nominee, Role.NGO, manager, nominated_by=self.nominator
                )
        CommissionMember.objects.filter(commission=commission).update(added_at=when)
        started = when + (scoring_after or timedelta(days=3))
        with dated(started):
            commission = commission_services.start_scoring(commission, manager)
        for n, member in enumerate(seats.values()):
            signed = started + timedelta(minutes=20 + 7 * n)
            with dated(signed):
                commission_services.sign_declaration(member, member.user)
            _update(CommissionMember, member.pk, declaration_signed_at=signed)
        _update(Commission, commission.pk, started_at=started)
        commission.refresh_from_db()
        for member in seats.values():
            member.refresh_from_db()
        return commission, seats

    def scores(self, member, offer, call):
        """Points for every criterion of `call`, near the offer's merit, with a short
        justification fitting them."""
        merit = self.merit(offer)
        registered = offer.organization.registration_date
        young = registered is not None and registered > _day_of(call.deadline) - timedelta(
            days=3 * 365
        )
        given = {}
        for criterion in call.criteria.all():
            if criterion.kind == Criterion.Kind.BONUS:
                points = Decimal(criterion.max_points) if young else Decimal("0")
                text = YOUNG[0] if young else YOUNG[1]
            else:
                value = criterion.max_points * (merit + self.rng.uniform(-0.07, 0.07))
                points = _half_points(value, criterion.max_points)
                share = points / criterion.max_points
                texts = JUSTIFICATIONS.get(criterion.code, JUSTIFICATIONS[""])
                text = texts[0] if share >= Decimal("0.75") else texts[1 if share >= 0.5 else 2]
            given[criterion.pk] = {"points": points, "justification": text}
        return given

    def score(self, member, offer, when, submit=True):
        with dated(when):
            sheet = commission_services.save_sheet(
                member, offer, self.scores(member, offer, offer.call), member.user, submit=submit
            )
        if submit:
            _update(ScoreSheet, sheet.pk, submitted_at=when)
        return sheet

    def score_all(self, commission, seats, offers, first, conflict=None):
        """Every voting member scores every offer (but the one they declare a conflict
        for, `conflict` = (member, offer, ground)) over the days from `first`."""
        if conflict:
            member, offer, ground = conflict
            with dated(first):
                found = commission_services.declare_conflict(member, offer, ground, member.user)
            _update(ConflictOfInterest, found.pk, declared_at=first)
        for n, member in enumerate(m for m in seats.values() if m.votes):
            for k, offer in enumerate(offers):
                if conflict and (member, offer) == conflict[:2]:
                    continue
                self.score(member, offer, first + timedelta(days=n, hours=1 + k, minutes=13 * n))
        # The expert's advisory opinions, written on the first day.
        for expert in (m for m in seats.values() if m.role == Role.EXPERT):
            for k, offer in enumerate(offers):
                with dated(first + timedelta(minutes=30 + 20 * k)):
                    commission_services.give_opinion(
                        expert, offer, EXPERT_OPINIONS[k % len(EXPERT_OPINIONS)], expert.user
                    )

    def closed(self, commission, chair, when):
        """The chair closes the work; the minutes are drawn up with the story's dates.

        `close` draws them up dated now, and that document would go straight into the
        bin: the demo leaves the drawing to after the dating (the minutes are by far its
        slowest document, and `make run` should stay quick)."""
        with dated(when), mock.patch.object(commission_services, "minutes_pdf", _no_pdf):
            commission_services.close(commission, chair)
        _update(Commission, commission.pk, closed_at=when)
        commission.refresh_from_db()
        old = commission.minutes_pdf.name
        pdf = commission_services.minutes_pdf(commission)
        commission.minutes_pdf.save(f"komisja-{commission.pk}.pdf", ContentFile(pdf), save=False)
        commission.minutes_pdf.storage.delete(old)
        sha = hashlib.sha256(pdf).hexdigest()
        _update(
            Commission, commission.pk, minutes_pdf=commission.minutes_pdf.name, minutes_sha256=sha
        )
        _patch_audit(commission, "commission.closed", minutes_sha256=sha)
        return commission

    # Decisions and results.

    def decide_all(self, call, manager, when, *, keep=(), cut=1, rejected=1):
        """The mayor's decisions by the commission's ranking: the `rejected` lowest are
        not awarded, the offer at position `cut` is cut by 15% with the reason, the rest
        get what they asked for while the money lasts. Offers of `keep` are neither cut
        nor rejected. Returns {offer pk: decision}."""
        rows = [row for row in decisions.offer_rows(call) if row.passed]
        losers = (
            {row.offer.pk for row in [r for r in rows if r.offer.pk not in keep][-rejected:]}
            if rejected
            else set()
        )
        cut_pk = None
        if cut is not None:
            cut_pk = next(
                (
                    row.offer.pk
                    for row in rows[cut:]
                    if row.offer.pk not in keep and row.offer.pk not in losers
                ),
                None,
            )
        left = call.budget
        made = {}
        for n, row in enumerate(rows):
            offer = row.offer
            moment = when + timedelta(minutes=10 * n)
            requested = offer.requested_grant
            outcome, amount, reason = Decision.Outcome.GRANTED, requested, ""
            if offer.pk in losers:
                outcome, amount, reason = Decision.Outcome.REJECTED, None, REJECT_REASON
            elif offer.pk == cut_pk:
                amount, reason = _floor_hundreds(requested * CUT), CUT_REASON
            if outcome == Decision.Outcome.GRANTED and amount > left:
                amount, reason = _floor_hundreds(left), BUDGET_REASON
                if amount < (call.min_grant or Decimal("1")):
                    outcome, amount, reason = Decision.Outcome.REJECTED, None, FUNDS_REASON
            with dated(moment):
                decision = decisions.decide(offer, manager, outcome, amount, reason)
            _update(Decision, decision.pk, decided_at=moment)
            if amount:
                left -= amount
            made[offer.pk] = decision
        return made

    def published(self, call, manager, when, then=None):
        """The results are published and the agreements prepared (as the results are),
        numbered in the year they were; `then()` runs before the results are dated (a
        request for reasons is refused once its term is over)."""
        with dated(when):
            decisions.publish_results(call, manager)
        if then is not None:
            then()
        Decision.objects.filter(offer__call=call, decided_at__gt=when).update(decided_at=when)
        _update(Call, call.pk, decided_at=when)
        prepared = when + timedelta(days=1)
        made = {}
        for agreement in Agreement.objects.filter(offer__call=call).select_related(
            "department", "offer"
        ):
            number = agreement_services.agreement_number(
                agreement.department, agreement.offer, _day_of(prepared)
            )
            entries = AuditEntry.objects.for_object(agreement)
            entries.update(created_at=prepared)
            if number != agreement.number:
                _update(Agreement, agreement.pk, number=number)
                entries.update(object_repr=number)
                agreement.number = number
            made[agreement.offer_id] = agreement
        return made

    def reasons(self, offer, manager, asked, answered, question, answer):
        asker = self.admin_of(offer.organization)
        with dated(asked):
            request = decisions.ask_for_reasons(offer, asker, question)
        with dated(answered):
            decisions.answer_reasons(request, manager, answer)
        _update(ReasonsRequest, request.pk, asked_at=asked, answered_at=answered)

    # Agreements.

    def budget_sent(self, agreement, when):
        """The organization's updated cost calculation after the cut: the grant's cut
        taken off the first action's costs, the own contribution kept."""
        offer = agreement.offer
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
        target = next(line for line in lines if line["action"] is not None)
        target["unit_cost"] = target["unit_cost"] * target["quantity"] - (
            offer.requested_grant - agreement.amount
        )
        target["quantity"] = Decimal("1")
        schedule = [
            {"action": action.pk, "starts": action.starts, "ends": action.ends}
            for action in offer.actions.all()
        ]
        own = offer.own_financial + offer.own_personal + offer.own_in_kind
        with dated(when):
            update = agreement_services.submit_budget_update(
                agreement,
                self.admin_of(agreement.organization),
                lines,
                schedule,
                own,
                "Mniej godzin zajęć prowadzonych przez dwie osoby jednocześnie; rezultaty "
                "bez zmian.",
            )
        _update(BudgetUpdate, update.pk, submitted_at=when)
        return update

    def budget_accepted(self, update, manager, when):
        with dated(when):
            agreement_services.accept_budget_update(update, manager)
        _update(BudgetUpdate, update.pk, reviewed_at=when)

    def signed(self, agreement, manager, on, *, paid=True):
        """Signed on the day `on`; the tranches planned by today paid on their day."""
        on = min(on, self.today)
        with dated(_moment(on, 12)):
            agreement_services.sign(agreement, manager, on, CITY_REPRESENTATIVE)
        AgreementVersion.objects.filter(agreement=agreement, number=1).update(
            created_at=_moment(on, 12)
        )
        if paid:
            for tranche in agreement.tranches.filter(planned_on__lte=self.today):
                with dated(_moment(tranche.planned_on, 11)):
                    agreement_services.record_payment(tranche, manager, tranche.planned_on)
        agreement.refresh_from_db()
        return agreement

    def prepared_on(self, call, when):
        """The agreements dated when they were prepared — after signing, which moves the
        first tranche's provisional date (counted from the preparation) to the signing's.
        An unsigned agreement's provisional date follows its preparation."""
        for agreement in Agreement.objects.filter(offer__call=call):
            provisional = agreement_services.provisional_first_payment(agreement)
            _update(Agreement, agreement.pk, created_at=when)
            if agreement.status in agreement_services.UNSIGNED:
                agreement.created_at = when
                agreement.tranches.filter(number=1, planned_on=provisional).update(
                    planned_on=agreement_services.provisional_first_payment(agreement)
                )

    # Reports.

    def report_values(self, report, saving=Decimal("0")):
        """A complete report: every cost as in the agreement (the first `saving` lower),
        the grant used on the costs in order, the own contribution as planned."""
        content = reports.working_content(report)
        planned = {row["key"]: Decimal(row["planned"]) for row in content["sources"]}
        limit = Decimal(content["grant_limit"]["amount"])
        used = min(planned["grant"], limit) - saving
        left, lines, incurred_total = used, {}, Decimal("0")
        for n, line in enumerate(content["costs"]["lines"]):
            incurred = Decimal(line["contract"]) - (saving if n == 0 else 0)
            from_grant = min(incurred, left)
            left -= from_grant
            incurred_total += incurred
            lines[line["key"]] = {"incurred": f"{incurred:.2f}", "from_grant": f"{from_grant:.2f}"}
        non_financial = planned["own_non_financial"]
        other = planned["other_public"] + planned["fees"]
        own = incurred_total - used - non_financial - other
        return {
            "achievements": (
                "Zajęcia ukończyło więcej uczestników, niż planowaliśmy; w ankietach 9 na 10 "
                "osób oceniło je dobrze lub bardzo dobrze."
            ),
            "actions": (
                "Rekrutacja przez szkoły i rady dzielnic, potem cotygodniowe zajęcia w małych "
                "grupach i spotkanie podsumowujące z rodzinami uczestników."
            ),
            "other_income": "",
            "fees_info": "Nie pobieraliśmy opłat od uczestników.",
            "additional_info": "",
            "results": {
                row["key"]: {"achieved": f"{self.rng.randint(41, 58)}", "comment": ""}
                for row in content["results"]
            },
            "lines": lines,
            "sources": {
                "own_financial": {"actual": f"{own:.2f}"},
                "own_non_financial": {"actual": f"{non_financial:.2f}"},
                "other_public": {"actual": f"{planned['other_public']:.2f}"},
                "fees": {"actual": f"{planned['fees']:.2f}"},
            },
            "declarations": dict.fromkeys(reports.DECLARATIONS, True),
        }

    def report_submitted(self, report, when, saving=Decimal("0")):
        admin = self.admin_of(report.agreement.organization)
        with dated(when):
            report = reports.save_draft(report, admin, self.report_values(report, saving))
            problems = reports.report_problems(report)
            if problems:
                raise RuntimeError(f"The demo's report is incomplete: {problems}")
            reports.submit_report(report, admin)
        # The version was frozen now: it is dated when it was submitted, in time.
        version = report.versions.order_by("-number").first()
        content = dict(version.content)
        content["submitted_at"] = timezone.localtime(when).isoformat(timespec="seconds")
        content["days_late"] = reports.days_late(report, when)
        sha = reports.sha256_of(content)
        _update(ReportVersion, version.pk, content=content, content_sha256=sha, submitted_at=when)
        _update(Report, report.pk, submitted_at=when)
        _patch_audit(
            report, "report.submitted", content_sha256=sha, days_late=content["days_late"] or None
        )
        report.refresh_from_db()
        return report

    def report_accepted(self, report, manager, when):
        with dated(when):
            reports.accept_report(report, manager)
        _update(Report, report.pk, reviewed_at=when)

    def report_returned(self, report, manager, when, reason):
        with dated(when):
            reports.return_report(report, manager, reason)
        _update(Report, report.pk, reviewed_at=when)

    def settled(self, agreement, manager, when, *, refund_paid=None):
        with dated(when):
            settlement = reports.settle(agreement, manager)
        _update(Settlement, settlement.pk, settled_at=when)
        if settlement.refund_due and refund_paid:
            with dated(_moment(refund_paid, 11)):
                reports.record_refund(settlement, manager, refund_paid)
        settlement.refresh_from_db()
        return settlement

    def rated(self, agreement, when, answers, comment=""):
        rating = feedback.rate_cooperation(
            agreement, self.admin_of(agreement.organization), *answers, comment=comment
        )
        _update(CooperationRating, rating.pk, created_at=when)

    # Controls.

    def control(self, agreement, manager, kind, on, scope, **findings):
        """Planned (with the notice the rules ask for), carried out on the day `on`, its
        findings given; returns the control."""
        with dated(_moment(on - timedelta(days=10), 9)):
            control = controls.plan_control(
                agreement, manager, kind, self.today + timedelta(days=8), scope
            )
        _update(
            Control,
            control.pk,
            planned_on=on,
            notice_sent_at=_moment(on - timedelta(days=10), 9),
            created_at=_moment(on - timedelta(days=10), 9),
        )
        _patch_audit(control, "control.planned", planned_on=on.isoformat())
        control.refresh_from_db()
        with dated(_moment(on + timedelta(days=2), 14)):
            controls.record_findings(control, manager, on, **findings)
        control.refresh_from_db()
        return control


# Last year.


def last_year_calls(story):
    """Three calls of last year's schedule, published in winter, past their deadline in
    spring; returns [(call, manager, titles)]."""
    year = story.today.year - 1
    schedule, _created = CallSchedule.objects.get_or_create(
        year=year, defaults={"published_at": _moment(date(year, 1, 12), 9)}
    )
    made = []
    for symbol, task, mode, amount, codes, (month, day), task_dates, titles in LAST_YEAR:
        department = Department.objects.get(short_name=symbol)
        manager = story.manager_of(department)
        deadline_day = date(year, month, day)
        published = deadline_day - timedelta(days=30)
        planned = PlannedCall.objects.create(
            schedule=schedule,
            department=department,
            title=f"{task} w {year} r.",
            funding_mode=mode,
            planned_announcement=published,
            planned_deadline=deadline_day,
            planned_amount=Decimal(amount),
            description="Zadanie z rocznego programu współpracy z organizacjami.",
        )
        planned.areas.set([story.areas[c] for c in codes if c in story.areas])
        with dated(_moment(published - timedelta(days=5), 9)):
            call = call_services.draft_call_from_planned(planned, manager)
        (starts_month, starts_day), (ends_month, ends_day) = task_dates
        call.description = (
            f"{task}: zadanie dla mieszkańców Krakowa, prowadzone w kilku dzielnicach, "
            "z naciskiem na osoby, do których trudno dotrzeć."
        )
        call.min_grant = Decimal("5000")
        call.max_grant = Decimal(amount) / 4
        call.min_own_contribution_percent = Decimal("10")
        call.admin_cost_cap_percent = Decimal("10")
        call.deadline = public_tasks._at(deadline_day)
        call.task_starts = date(year, starts_month, starts_day)
        call.task_ends = date(year, ends_month, ends_day)
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
            f"W {year - 1} r. na zadania tego rodzaju przeznaczono "
            f"{Decimal(amount) * Decimal('0.85'):.0f} zł, w tym dotacje dla 5 organizacji."
        )
        call.contact = "Wydział prowadzący konkurs, tel. +48 12 616 00 00, konkursy@example.org"
        call.status = Call.Status.PUBLISHED
        call.published_bip_on = call.published_board_on = published
        call.published_at = _moment(published, 9)
        call.created_at = _moment(published - timedelta(days=5), 9)
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
        with dated(call.published_at):
            version = call_services.add_version(call, manager, "Pierwsza publikacja.")
        CallVersion.objects.filter(pk=version.pk).update(published_at=call.published_at)
        made.append((call, manager, titles))
    return made


def last_year(story):
    calls = last_year_calls(story)
    verified = [
        o
        for o in story.organizations[2:]
        if o.verification == Organization.Verification.VERIFIED and o.kind in DEFAULT_KINDS
    ]
    # Each call's applicants: different organizations; the culture call's first is the
    # demo NGO admin's.
    needed = sum(len(titles) for _call, _manager, titles in calls)
    if len(verified) < needed:
        verified = [o for o in story.organizations[2:] if o.kind in DEFAULT_KINDS]
    pool = story.rng.sample(verified, needed)
    offers = {}
    for n, (call, _manager, titles) in enumerate(calls):
        applicants = [pool.pop() for _ in titles]
        if n == 2:
            applicants[0] = story.organizations[0]
        offers[call.pk] = [
            story.offer(
                call,
                organization,
                call.deadline - timedelta(days=1 + k % 5, hours=k * 2, minutes=17 * k),
                title=title,
                grant=Decimal(story.rng.randrange(150, 420) * 100),
                merit=0.93 if organization == story.organizations[0] else None,
            )
            for k, (organization, title) in enumerate(zip(applicants, titles, strict=True))
        ]
    prevention, seniors, culture = calls
    prevention_story(story, *prevention[:2], offers[prevention[0].pk])
    seniors_story(story, *seniors[:2], offers[seniors[0].pk])
    culture_story(story, *culture[:2], offers[culture[0].pk])
    meeting(story, *prevention[:2])


def evaluated(story, call, manager, offers, *, chair, city, reference, conflict=None):
    """The commission's whole work on `offers` (all formally correct): appointed on the
    fifth day after the deadline, scoring from the eighth, closed on the fifteenth."""
    deadline = _day_of(call.deadline)
    commission, seats = story.commission(
        call, manager, chair, city, _moment(deadline + timedelta(days=5), 9), reference=reference
    )
    if conflict is not None and Role.NGO in seats:
        conflict = (seats[Role.NGO], conflict, ConflictOfInterest.Ground.REPRESENTED)
    else:
        conflict = None
    story.score_all(
        commission, seats, offers, _moment(deadline + timedelta(days=9), 9), conflict=conflict
    )
    story.closed(commission, chair, _moment(deadline + timedelta(days=15), 13))
    return commission


def report_of(agreement):
    return agreement.reports.get(kind=Report.Kind.FINAL)


def closed_year(story, agreement, manager, *, submitted, accepted, saving=Decimal("0")):
    """The final report submitted and accepted, the grant settled."""
    report = story.report_submitted(report_of(agreement), _moment(submitted, 14), saving)
    story.report_accepted(report, manager, _moment(accepted, 10))
    return story.settled(
        agreement,
        manager,
        _moment(accepted + timedelta(days=4), 12),
        refund_paid=accepted + timedelta(days=15) if saving else None,
    )


def prevention_story(story, call, manager, offers):
    """The prevention call (the demo official's department): six offers, one rejected on
    form and one corrected; five scored, with a declared conflict; five grants (one cut)
    carried to their settlement, with a control, a monitoring visit, an annex, a refund
    and five ratings of the department."""
    deadline = _day_of(call.deadline)
    *regular, to_correct, out_of_scope = offers
    story.merits[out_of_scope.pk] = 0.3
    for n, offer in enumerate(regular):
        story.passes(offer, manager, _moment(deadline + timedelta(days=2), 9 + n))
    story.rejected_on_form(
        out_of_scope, manager, _moment(deadline + timedelta(days=2), 15), OUT_OF_SCOPE
    )
    request = story.correction_asked(to_correct, manager, _moment(deadline + timedelta(days=3), 10))
    corrected = story.corrected(request, _moment(deadline + timedelta(days=6), 16, 40))
    story.merits[corrected.pk] = story.merit(to_correct)
    story.passes(corrected, manager, _moment(deadline + timedelta(days=7), 9))
    scored = [*regular, corrected]
    evaluated(
        story,
        call,
        manager,
        scored,
        chair=story.official,
        city=story.coordinator,
        reference=f"Zarządzenie nr 812/{deadline.year} Prezydenta Miasta Krakowa",
        conflict=regular[2],
    )
    story.decide_all(call, manager, _moment(deadline + timedelta(days=17), 11), rejected=0)
    published = deadline + timedelta(days=19)
    agreements = story.published(call, manager, _moment(published, 12))
    grants = [
        agreements[row.offer.pk] for row in decisions.offer_rows(call) if row.offer.pk in agreements
    ]
    cut = next(a for a in grants if a.status == Agreement.Status.BUDGET_UPDATE)
    update = story.budget_sent(cut, _moment(published + timedelta(days=4), 13))
    story.budget_accepted(update, manager, _moment(published + timedelta(days=6), 10))
    signed_on = published + timedelta(days=9)
    for agreement in grants:
        story.signed(agreement, manager, signed_on)
    story.prepared_on(call, _moment(published + timedelta(days=1), 9))
    others = [a for a in grants if a != cut]
    annexed, controlled, visited, saving = others[0], others[1], others[2], cut
    with dated(_moment(date(deadline.year, 9, 22), 10)):
        version = agreement_services.add_annex(
            annexed,
            manager,
            "Przesunięcie zakończenia zadania o dwa tygodnie: zajęcia w jednej ze szkół "
            "przeniesiono z powodu remontu sali gimnastycznej.",
            ends=annexed.ends + timedelta(days=14),
        )
    AgreementVersion.objects.filter(pk=version.pk).update(
        created_at=_moment(date(deadline.year, 9, 22), 10)
    )
    reports.schedule_reports(annexed, manager)
    control = story.control(
        controlled,
        manager,
        Control.Kind.CONTROL,
        date(deadline.year, 7, 10),
        "Dokumentacja finansowa zadania i listy obecności uczestników za maj i czerwiec.",
        quality="",
        findings=(
            "Dokumentacja finansowa kompletna. Dwie listy obecności z czerwca bez podpisu "
            "osoby prowadzącej zajęcia."
        ),
        recommendations="Uzupełnić podpisy na listach i podpisywać je po każdych zajęciach.",
    )
    answered = _moment(date(deadline.year, 7, 21), 15)
    with dated(answered):
        controls.answer_control(
            control,
            story.admin_of(controlled.organization),
            "Podpisy uzupełniono 18 lipca; prowadzący podpisują listy na koniec każdych zajęć.",
        )
    _update(Control, control.pk, answered_at=answered)
    visit = story.control(
        visited,
        manager,
        Control.Kind.MONITORING,
        date(deadline.year, 6, 12),
        "Zajęcia w klubie młodzieżowym: uczestnicy, prowadzenie zajęć, zgodność z harmonogramem.",
        quality=(
            "Na zajęciach 14 osób w wieku 13–16 lat, w tym cztery spoza szkół objętych "
            "rekrutacją. Prowadzący angażuje całą grupę, młodzież sama zaproponowała temat "
            "kolejnego spotkania. Harmonogram realizowany bez opóźnień."
        ),
        findings="Zadanie realizowane zgodnie z umową.",
        recommendations="Warto zapraszać rodziców na spotkanie podsumowujące.",
    )
    with dated(_moment(date(deadline.year, 6, 20), 9)):
        controls.close_control(visit, manager)
    for n, agreement in enumerate(grants):
        agreement.refresh_from_db()
        ends = agreement.ends
        settlement = closed_year(
            story,
            agreement,
            manager,
            submitted=ends + timedelta(days=12 + n),
            accepted=ends + timedelta(days=19 + n),
            saving=Decimal("1240.00") if agreement == saving else Decimal("0"),
        )
        story.rated(
            agreement,
            settlement.settled_at + timedelta(days=3),
            RATINGS[n % len(RATINGS)],
            COMMENTS[n % len(COMMENTS)],
        )


RATINGS = [(5, 4, 4, 5), (4, 4, 3, 4), (5, 5, 4, 4), (3, 4, 3, 4), (4, 5, 5, 4)]
COMMENTS = [
    "Szybsze odpowiedzi na pytania o zmiany w kosztorysie.",
    "",
    "Wzór sprawozdania z wyprzedzeniem, jeszcze przed końcem zadania.",
    "Transza mogłaby przychodzić przed pierwszymi zajęciami.",
    "",
]


def seniors_story(story, call, manager, offers):
    """The seniors' call: two offers scored, a grant settled and rated, a rejection whose
    reasons were asked for and given."""
    deadline = _day_of(call.deadline)
    for n, offer in enumerate(offers):
        story.passes(offer, manager, _moment(deadline + timedelta(days=3), 10 + n))
    evaluated(
        story,
        call,
        manager,
        offers,
        chair=manager,
        city=story.city_member(manager),
        reference=f"Zarządzenie nr 845/{deadline.year} Prezydenta Miasta Krakowa",
    )
    made = story.decide_all(call, manager, _moment(deadline + timedelta(days=17), 11), cut=None)
    published = deadline + timedelta(days=20)
    rejected = next(o for o in offers if made[o.pk].outcome == Decision.Outcome.REJECTED)
    agreements = story.published(
        call,
        manager,
        _moment(published, 12),
        then=lambda: story.reasons(
            rejected,
            manager,
            _moment(published + timedelta(days=3), 18),
            _moment(published + timedelta(days=8), 11),
            "Prosimy o wyjaśnienie, dlaczego oferta otrzymała niską ocenę za jakość zadania "
            "i kwalifikacje prowadzących.",
            "Komisja oceniła, że oferta nie opisuje doświadczenia prowadzących w pracy "
            "z osobami starszymi ani sposobu docierania do osób samotnych. Karty ocen "
            "z uzasadnieniami są w protokole, który udostępniamy na prośbę oferenta.",
        ),
    )
    for agreement in agreements.values():
        story.signed(agreement, manager, published + timedelta(days=12))
    story.prepared_on(call, _moment(published + timedelta(days=1), 9))
    for n, agreement in enumerate(agreements.values()):
        agreement.refresh_from_db()
        settlement = closed_year(
            story,
            agreement,
            manager,
            submitted=agreement.ends + timedelta(days=20),
            accepted=agreement.ends + timedelta(days=27),
        )
        if n == 0:
            story.rated(agreement, settlement.settled_at + timedelta(days=6), (4, 3, 4, 4))


def culture_story(story, call, manager, offers):
    """The culture call: two grants; the demo NGO admin's report returned for a
    correction, the other overdue."""
    deadline = _day_of(call.deadline)
    for n, offer in enumerate(offers):
        story.passes(offer, manager, _moment(deadline + timedelta(days=2), 11 + n))
    evaluated(
        story,
        call,
        manager,
        offers,
        chair=manager,
        city=story.city_member(manager),
        reference=f"Zarządzenie nr 903/{deadline.year} Prezydenta Miasta Krakowa",
    )
    story.decide_all(
        call, manager, _moment(deadline + timedelta(days=16), 11), cut=None, rejected=0
    )
    published = deadline + timedelta(days=18)
    agreements = story.published(call, manager, _moment(published, 12))
    returned, overdue = (agreements[o.pk] for o in offers)
    for agreement in (returned, overdue):
        story.signed(agreement, manager, published + timedelta(days=8))
        agreement.refresh_from_db()
    story.prepared_on(call, _moment(published + timedelta(days=1), 9))
    ends = returned.ends
    report = story.report_submitted(report_of(returned), _moment(ends + timedelta(days=24), 20))
    story.report_returned(
        report,
        manager,
        _moment(ends + timedelta(days=33), 10),
        "W zestawieniu kosztów honoraria muzyków wykazano w całości z dotacji, a według "
        "umowy część z nich pokrywa wkład własny. Prosimy poprawić podział kosztów między "
        "źródła i opisać liczbę widzów na każdym koncercie.",
    )


def meeting(story, call, manager):
    """The department's evaluation meeting on the year's calls of the area, with notes."""
    year = _day_of(call.deadline).year
    area = call.areas.order_by("code").first() or next(iter(story.areas.values()))
    with dated(_moment(date(year, 11, 20), 9)):
        feedback.add_evaluation_meeting(
            manager,
            year=year,
            area=area,
            held_at=_moment(date(year, 12, 12), 10),
            place="Urząd Miasta Krakowa, pl. Wszystkich Świętych 3–4, sala Portretowa",
            notes=(
                "Siedem organizacji i dwoje urzędników. Organizacje prosiły o wcześniejsze "
                "ogłaszanie konkursu, tak by zajęcia ruszały we wrześniu, oraz o jeden wzór "
                "listy obecności dla wszystkich zadań. Wydział przygotuje wzór do końca "
                "stycznia i rozważy konkurs dwuletni."
            ),
        )


# This year.


def this_year(story):
    in_evaluation = [call for state, call in story.calls if state == "evaluation"]
    decided = [call for state, call in story.calls if state == "decided"]
    for n, call in enumerate(in_evaluation):
        evaluation_call(story, call, n)
    for n, call in enumerate(decided):
        decided_call(story, call, n)


def _current_offers(call):
    return list(
        Offer.objects.filter(call=call, status=Offer.Status.SUBMITTED)
        .select_related("organization")
        .order_by("pk")
    )


def evaluation_call(story, call, n):
    """The first call in evaluation: some offers checked, the demo NGO admin's asked for a
    correction; the second: all checked, its commission scoring with the demo official in
    the chair; the others: their checklist and a first check."""
    manager = story.manager_of(call.department)
    deadline = _day_of(call.deadline)
    if n == 0:
        own = story.offer(
            call,
            story.organizations[0],
            call.deadline - timedelta(days=2, hours=5),
            title="Świetlica sąsiedzka z zajęciami dla całych rodzin",
        )
    offers = _current_offers(call)
    checked = _moment(max(deadline + timedelta(days=2), story.today - timedelta(days=3)), 9)
    checked = min(checked, story.now - timedelta(hours=6))
    if n == 0:
        for k, offer in enumerate([o for o in offers if o != own][:2]):
            story.passes(offer, manager, checked + timedelta(minutes=20 * k))
        story.correction_asked(
            own, manager, checked + timedelta(hours=1), due=formal.default_correction_due()
        )
        return
    if n > 1 or len(offers) < 2:
        formal.ensure_checklist(call)
        story.passes(offers[0], manager, checked)
        return
    *good, bad = offers
    for k, offer in enumerate(good):
        story.passes(offer, manager, checked + timedelta(minutes=20 * k))
    story.rejected_on_form(
        bad,
        manager,
        checked + timedelta(hours=2),
        "Zadanie ma trwać do końca roku szkolnego, a ogłoszenie dopuszcza realizację tylko do "
        "daty w nim podanej.",
    )
    appointed = min(checked + timedelta(hours=3), story.now - timedelta(hours=5))
    _commission, seats = story.commission(
        call,
        manager,
        story.official,
        story.city_member(story.official) if manager == story.official else manager,
        appointed,
        reference=f"Zarządzenie nr 1702/{deadline.year} Prezydenta Miasta Krakowa",
        scoring_after=timedelta(minutes=10),
    )
    chair, city, nominee = seats[Role.CHAIR], seats[Role.CITY], seats.get(Role.NGO)
    for k, offer in enumerate(good):
        moment = appointed + timedelta(hours=1, minutes=15 * k)
        story.score(city, offer, moment)
        if nominee:
            story.score(nominee, offer, moment + timedelta(minutes=40))
    # The chair has scored one offer, saved a draft of another and has the rest to do.
    story.score(chair, good[0], appointed + timedelta(hours=2))
    if len(good) > 1:
        story.score(chair, good[1], appointed + timedelta(hours=2, minutes=30), submit=False)


def decided_call(story, call, n):
    """A call whose results are out: its evaluation replayed, the results published on the
    day `public_tasks` gave, and agreements in every state before the task."""
    manager = story.manager_of(call.department)
    decided_at = call.decided_at
    Call.objects.filter(pk=call.pk).update(status=Call.Status.PUBLISHED, decided_at=None)
    call.refresh_from_db()
    deadline = _day_of(call.deadline)
    own = None
    if n == 0:
        own = story.offer(
            call,
            story.organizations[0],
            call.deadline - timedelta(days=3, hours=2),
            title="Wspólne podwórko — zajęcia dla dzieci i seniorów",
            merit=0.93,
        )
    offers = _current_offers(call)
    if len(offers) > 3:
        bad = [o for o in offers if o != own][-1]
        offers.remove(bad)
        story.rejected_on_form(
            bad, manager, _moment(deadline + timedelta(days=2), 14), OUT_OF_SCOPE_THIS_YEAR[n % 2]
        )
    for k, offer in enumerate(offers):
        story.passes(
            offer, manager, _moment(deadline + timedelta(days=2), 9) + timedelta(minutes=20 * k)
        )
    evaluated(
        story,
        call,
        manager,
        offers,
        chair=manager,
        city=story.city_member(manager),
        reference=f"Zarządzenie nr {1400 + 37 * n}/{deadline.year} Prezydenta Miasta Krakowa",
    )
    published = decided_at or _moment(deadline + timedelta(days=20), 12)
    story.decide_all(
        call,
        manager,
        published - timedelta(days=2),
        keep=(own.pk,) if own else (),
    )
    agreements = story.published(call, manager, published)
    ranked = [
        agreements[row.offer.pk] for row in decisions.offer_rows(call) if row.offer.pk in agreements
    ]
    signing = _day_of(published) + timedelta(days=10)
    cut = [a for a in ranked if a.status == Agreement.Status.BUDGET_UPDATE]
    ready = [a for a in ranked if a.status == Agreement.Status.READY]
    if n == 1 and cut:
        story.budget_sent(cut[0], _moment(signing - timedelta(days=2), 13))
    if own is not None and own.pk in agreements:
        agreement = story.signed(agreements[own.pk], manager, signing)
        noticed = story.now - timedelta(days=1)
        with dated(noticed):
            visit = controls.plan_control(
                agreement,
                manager,
                Control.Kind.MONITORING,
                story.today + timedelta(days=6),
                "Zajęcia popołudniowe w świetlicy: kto przychodzi, jak prowadzone są zajęcia, "
                "czy harmonogram jest realizowany.",
            )
        _update(Control, visit.pk, notice_sent_at=noticed, created_at=noticed)
        ready = [a for a in ready if a.pk != agreement.pk]
    if not own and ready:
        story.signed(ready[0], manager, signing + timedelta(days=1))
    story.prepared_on(call, published + timedelta(days=1))


def make_evaluation(calls, organizations, rng):
    """Last year's calls carried to the end and this year's evaluated, without a single
    e-mail; returns the demo accounts added, as (what for, e-mail)."""
    story = Story(calls, organizations, rng)
    with mail.muted():
        last_year(story)
        this_year(story)
    return story.accounts
