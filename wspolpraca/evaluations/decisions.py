"""The mayor's decisions on a call's offers and the public results (PRODUCT II8).

Once the commission has closed its work, the call's department enters the mayor's
decision on each formally correct offer: a grant of an amount, or a rejection with
reasons. The grants together stay within the call's budget (the call's row is locked
while one is entered, so two officials deciding at once cannot exceed it), and a grant
cut by more than the city's limit (`LegalRules.award_cut_warning_percent`) of what was
asked needs a reason. Decisions may change until the results are published; then they
are final. Publication adds the rejection of the offers rejected on formal grounds, marks
the call decided, tells the apps above (`signals.results_published`) and every
applicant, and opens the term in which anyone may ask for the reasons of a decision
(`LegalRules.reasons_request_days`). Every step is recorded in the audit trail.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, Sum
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wspolpraca.city.models import department_recipients
from wspolpraca.competitions.models import Call, LegalRules
from wspolpraca.core import mail
from wspolpraca.core.audit import record
from wspolpraca.core.caching import touch
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.offers.models import Offer
from wspolpraca.organizations.models import Membership

from .commission import ranking
from .models import Commission, Decision, FormalCheck, ReasonsRequest
from .signals import results_published

PERMISSION = "evaluations.manage_evaluation"
CENT = Decimal("0.01")
# The longest question or answer about the reasons of a decision, in characters.
MAX_TEXT = 5000


class DecisionError(Exception):
    """A refused decision, publication or request for reasons; the message is shown to
    the person, next to `field` when it names one of the form's fields."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


class CutNeedsReason(DecisionError):
    """The grant is lower than requested by more than the city's limit: give a reason.
    `cut` is the cut in % of the request, `limit` the city's limit."""

    def __init__(self, message, *, cut, limit):
        super().__init__(message, field="reason")
        self.cut = cut
        self.limit = limit


class PublicationRefused(DecisionError):
    """The results cannot be published yet; `obstacles` says why, one sentence each."""

    def __init__(self, obstacles):
        super().__init__(" ".join(str(o) for o in obstacles))
        self.obstacles = obstacles


def _two_places(value):
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def related_or_none(obj, name):
    """A reverse one-to-one (formal_check, decision) loaded by select_related, or None."""
    try:
        return getattr(obj, name)
    except (FormalCheck.DoesNotExist, Decision.DoesNotExist):
        return None


def _refuse_unless_manager(user, call, message=None):
    if not (user.is_authenticated and user.has_perm(PERMISSION, call)):
        raise DecisionError(
            message or _("Only an official of the call's department may decide on its offers.")
        )


def current_offers(call):
    """The offers the call decides on: submitted and not withdrawn or replaced by a
    correction (a correction is the offer's current version)."""
    return Offer.objects.filter(call=call, status=Offer.Status.SUBMITTED)


# Scores and ranking.


def scores_by_offer(call):
    """The commission's mean score of each offer of `call`, as the commission's ranking has
    it (`commission.ranking`: the submitted sheets of its members): {offer pk: Decimal}.
    Offers nobody scored, and calls without a commission, have none. A constant number of
    queries."""
    commission = Commission.objects.select_related("call").filter(call=call).first()
    if commission is None:
        return {}
    return {row.offer.pk: row.mean for row in ranking(commission) if row.mean is not None}


def _ranks(scores):
    """Competition ranks (1, 2, 2, 4) by score, highest first: {offer pk: rank}."""
    ordered = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    ranks, previous, rank = {}, None, 0
    for position, (pk, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[pk] = rank
    return ranks


@dataclass
class OfferRow:
    """One offer of a call on the officials' decisions page."""

    offer: Offer
    formal_status: str
    score: Decimal | None
    rank: int | None
    decision: Decision | None

    @property
    def formal_label(self):
        return FormalCheck.Status(self.formal_status).label

    @property
    def passed(self):
        return self.formal_status == FormalCheck.Status.PASSED

    @property
    def failed(self):
        return self.formal_status == FormalCheck.Status.FAILED

    @property
    def cut_percent(self):
        if self.decision is None:
            return None
        return cut_percent(self.offer.requested_grant, self.decision.amount)


def offer_rows(call):
    """Every current offer of `call` with its formal state, mean score, rank and decision,
    in rank order: the scored offers by score, then the formally correct ones without a
    score, then the rest (rejected on formal grounds, still being checked). A constant
    number of queries."""
    offers = current_offers(call).select_related("organization", "formal_check", "decision")
    scores = scores_by_offer(call)
    ranks = _ranks(scores)
    rows = []
    for offer in offers:
        check = related_or_none(offer, "formal_check")
        status = check.status if check else FormalCheck.Status.PENDING
        rows.append(
            OfferRow(
                offer=offer,
                formal_status=status,
                score=scores.get(offer.pk),
                rank=ranks.get(offer.pk),
                decision=related_or_none(offer, "decision"),
            )
        )

    def order(row):
        group = 0 if row.score is not None else 1 if row.passed else 2
        return (group, -(row.score or 0), row.offer.organization.name, row.offer.pk)

    return sorted(rows, key=order)


def cut_percent(requested, amount):
    """How much lower than `requested` the grant `amount` is, in % of the request."""
    if not requested or amount is None:
        return None
    return _two_places((requested - amount) * 100 / requested)


def cut_needs_reason(requested, amount, limit):
    """Whether the grant is lower than requested by strictly more than `limit` per cent
    (computed exactly: a cut of exactly the limit needs no reason)."""
    if not requested or amount is None:
        return False
    return (requested - amount) * 100 > Decimal(limit) * requested


def granted_total(call, exclude_offer=None):
    """The sum of the grants decided in `call` (0 when none)."""
    decisions = Decision.objects.filter(
        offer__call=call,
        offer__status=Offer.Status.SUBMITTED,
        outcome=Decision.Outcome.GRANTED,
    )
    if exclude_offer is not None:
        decisions = decisions.exclude(offer=exclude_offer)
    return decisions.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def commission_closed(call):
    return Commission.objects.filter(call=call, status=Commission.Status.CLOSED).exists()


# Deciding.


def check_open_for_decisions(call):
    if call.status == Call.Status.DECIDED:
        raise DecisionError(_("The results of this call are published: its decisions are final."))
    if call.status != Call.Status.PUBLISHED:
        raise DecisionError(_("Decisions are made only in a published call."))
    if call.deadline >= timezone.now():
        raise DecisionError(_("The call still accepts offers: decisions come after the deadline."))
    if not commission_closed(call):
        raise DecisionError(
            _("Decisions can be entered once the commission has closed its work on the call.")
        )


def _check_amount(offer, call, amount, reason):
    if amount is None:
        raise DecisionError(_("Enter the amount of the grant."), field="amount")
    amount = Decimal(amount)
    if amount <= 0:
        raise DecisionError(_("A grant must be more than 0 zł."), field="amount")
    if amount != amount.quantize(CENT):
        raise DecisionError(_("Enter the amount in złoty and grosze."), field="amount")
    requested = offer.requested_grant or Decimal("0")
    if amount > requested:
        raise DecisionError(
            _("A grant cannot be more than the offer asked for: %(requested)s.")
            % {"requested": money(requested)},
            field="amount",
        )
    # The smallest and largest grant announced in the call bind the decision as they bound
    # the offers: below the smallest, the offer is not awarded, with the reasons.
    if call.min_grant is not None and amount < call.min_grant:
        raise DecisionError(
            _(
                "The call's smallest grant is %(min)s. Award at least that much, or do not "
                "award a grant and give the reasons."
            )
            % {"min": money(call.min_grant)},
            field="amount",
        )
    if call.max_grant is not None and amount > call.max_grant:
        raise DecisionError(
            _("The call's largest grant is %(max)s.") % {"max": money(call.max_grant)},
            field="amount",
        )
    left = call.budget - granted_total(call, exclude_offer=offer)
    if amount > left:
        raise DecisionError(
            _(
                "The grants would exceed the public money for the task "
                "(%(budget)s): %(left)s is left for this offer."
            )
            % {"budget": money(call.budget), "left": money(max(left, Decimal("0")))},
            field="amount",
        )
    limit = LegalRules.current().award_cut_warning_percent
    if cut_needs_reason(requested, amount, limit) and not reason:
        cut = cut_percent(requested, amount)
        raise CutNeedsReason(
            _(
                "This grant is %(cut)s%% lower than requested: more than the %(limit)s%% "
                "the city's rule allows without a reason. Give the reason for the cut."
            )
            % {"cut": number_format(cut, decimal_pos=2), "limit": limit},
            cut=cut,
            limit=limit,
        )
    return amount


def decide(offer, by, outcome, amount=None, reason=""):
    """Enter (or, before publication, change) the mayor's decision on `offer`: a grant of
    `amount` or a rejection with `reason`. Stores the commission's mean score with it."""
    reason = (reason or "").strip()
    if len(reason) > MAX_TEXT:
        raise DecisionError(
            _("Write at most %(max)s characters; this text has %(count)s.")
            % {"max": MAX_TEXT, "count": len(reason)},
            field="reason",
        )
    with transaction.atomic():
        # The call's row is the lock: whoever decides in the call waits for the other, so
        # the budget is checked against the grants actually committed.
        call = Call.objects.select_for_update().filter(pk=offer.call_id).first()
        if call is None:
            raise DecisionError(_("Only offers in a call are decided here."))
        _refuse_unless_manager(by, call)
        offer = (
            current_offers(call)
            .select_related("organization", "formal_check", "decision")
            .filter(pk=offer.pk)
            .first()
        )
        if offer is None:
            raise DecisionError(_("This offer was withdrawn or replaced by a correction."))
        check_open_for_decisions(call)
        check = related_or_none(offer, "formal_check")
        if check is None or check.status != FormalCheck.Status.PASSED:
            raise DecisionError(
                _(
                    "Only formally correct offers are decided on; an offer rejected on "
                    "formal grounds is rejected with the publication of the results."
                )
            )
        if outcome == Decision.Outcome.GRANTED:
            amount = _check_amount(offer, call, amount, reason)
        elif outcome == Decision.Outcome.REJECTED:
            amount = None
            if not reason:
                raise DecisionError(
                    _("Give the reasons for not awarding a grant: the applicant will read them."),
                    field="reason",
                )
        else:
            raise DecisionError(_("Choose the decision."), field="outcome")

        score = scores_by_offer(call).get(offer.pk)
        decision = related_or_none(offer, "decision")
        before = (
            {
                "outcome": decision.outcome,
                "amount": decision.amount,
                "score": decision.score,
                "reason": decision.reason,
            }
            if decision
            else {}
        )
        after = {"outcome": outcome, "amount": amount, "score": score, "reason": reason}
        if decision is None:
            decision = Decision(offer=offer)
        for name, value in after.items():
            setattr(decision, name, value)
        decision.decided_by = by
        decision.decided_at = timezone.now()
        decision.save()
        record(
            by,
            "decision.changed" if before else "decision.made",
            decision,
            {name: [_plain(before.get(name)), _plain(value)] for name, value in after.items()},
        )
    return decision


def _plain(value):
    if value is None or isinstance(value, str):
        return value
    return str(value)


# Publishing the results.


def publication_obstacles(call, rows=None):
    """Why the results of `call` cannot be published now (empty when they can)."""
    if call.status == Call.Status.DECIDED:
        return [_("The results of this call are already published.")]
    if call.status != Call.Status.PUBLISHED:
        return [_("Only the results of a published call can be published.")]
    obstacles = []
    if call.deadline >= timezone.now():
        obstacles.append(_("The call still accepts offers: results come after the deadline."))
    if not commission_closed(call):
        obstacles.append(_("The commission has not closed its work on the call."))
    rows = offer_rows(call) if rows is None else rows
    if not rows:
        obstacles.append(_("No offer was submitted: the call is annulled, not decided."))
        return obstacles
    unchecked = [row for row in rows if not (row.passed or row.failed)]
    if unchecked:
        obstacles.append(
            ngettext(
                "%(count)d offer has no finished formal check: %(offers)s.",
                "%(count)d offers have no finished formal check: %(offers)s.",
                len(unchecked),
            )
            % {"count": len(unchecked), "offers": _names(unchecked)}
        )
    if rows and not any(row.passed for row in rows) and not unchecked:
        obstacles.append(
            _("No offer met the formal requirements: the call is annulled, not decided.")
        )
    undecided = [row for row in rows if row.passed and row.decision is None]
    if undecided:
        obstacles.append(
            ngettext(
                "%(count)d formally correct offer has no decision yet: %(offers)s.",
                "%(count)d formally correct offers have no decision yet: %(offers)s.",
                len(undecided),
            )
            % {"count": len(undecided), "offers": _names(undecided)}
        )
    granted = sum((row.decision.amount for row in rows if is_grant(row.decision)), Decimal("0"))
    if granted > call.budget:
        obstacles.append(
            _("The grants (%(granted)s) exceed the public money for the task (%(budget)s).")
            % {"granted": money(granted), "budget": money(call.budget)}
        )
    return obstacles


def is_grant(decision):
    return decision is not None and decision.outcome == Decision.Outcome.GRANTED


def _names(rows):
    return "; ".join(f"{row.offer.number} ({row.offer.organization.name})" for row in rows)


def reasons_deadline(call):
    """The last moment one may ask for the reasons of a decision in `call`: the results'
    publication plus `LegalRules.reasons_request_days` days, to the second."""
    if call.decided_at is None:
        return None
    return call.decided_at + timedelta(days=LegalRules.current().reasons_request_days)


def publish_results(call, by):
    """Publish the results of `call`: every formally correct offer has its decision, the
    offers rejected on formal grounds are rejected with their formal reason, the call is
    decided from now, agreements can be prepared, and every applicant is told."""
    now = timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().select_related("department").get(pk=call.pk)
        _refuse_unless_manager(
            by, call, _("Only an official of the call's department may publish its results.")
        )
        rows = offer_rows(call)
        obstacles = publication_obstacles(call, rows)
        if obstacles:
            raise PublicationRefused(obstacles)
        for row in rows:
            if row.failed and row.decision is None:
                reason = row.offer.formal_check.rejection_reason or _(
                    "The offer was rejected on formal grounds."
                )
                row.decision = Decision.objects.create(
                    offer=row.offer,
                    outcome=Decision.Outcome.REJECTED,
                    reason=reason,
                    decided_by=by,
                    decided_at=now,
                )
                record(
                    by,
                    "decision.rejected_on_form",
                    row.decision,
                    {"outcome": [None, Decision.Outcome.REJECTED], "reason": [None, reason]},
                )
        old_status = call.status
        call.status = Call.Status.DECIDED
        call.decided_at = now
        call.save(update_fields=["status", "decided_at", "updated_at"])
        granted = [row for row in rows if is_grant(row.decision)]
        record(
            by,
            "call.results_published",
            call,
            {
                "status": [old_status, call.status],
                "decided_at": [None, now.isoformat()],
                "granted": [None, str(sum((r.decision.amount for r in granted), Decimal("0")))],
            },
        )
        touch("competitions")
        results_published.send(sender=Call, call=call, by=by)
        _tell_applicants(call, rows)
    return call


def _tell_applicants(call, rows):
    """E-mail each applicant's administrators their decision: the amount or the reasons,
    and until when they may ask for the reasons."""
    organizations = {row.offer.organization_id for row in rows}
    admins = {}
    memberships = Membership.objects.filter(
        organization_id__in=organizations,
        role=Membership.Role.ADMIN,
        user__is_active=True,
    ).select_related("user")
    for membership in memberships:
        admins.setdefault(membership.organization_id, []).append(membership.user)
    deadline = reasons_deadline(call)
    days = LegalRules.current().reasons_request_days
    for row in rows:
        granted = is_grant(row.decision)
        mail.send(
            admins.get(row.offer.organization_id, []),
            gettext_lazy("Results of the call: decision on offer %(number)s"),
            "evaluations/email/decision_granted.txt"
            if granted
            else "evaluations/email/decision_rejected.txt",
            {
                "call": call,
                "offer": row.offer,
                "decision": row.decision,
                "reasons_until": deadline,
                "reasons_days": days,
            },
            subject_params={"number": row.offer.number},
        )


# The public results.


@dataclass
class ResultRow:
    """One row of the published results."""

    rank: int | None
    offer_pk: int
    number: str
    applicant: str
    task: str
    requested: Decimal | None
    amount: Decimal | None
    score: Decimal | None
    outcome: str
    rejected_on_form: bool

    @property
    def granted(self):
        return self.outcome == Decision.Outcome.GRANTED

    @property
    def outcome_label(self):
        return Decision.Outcome(self.outcome).label


def results_of(call):
    """The published results of `call`, one row per decided offer (the ones rejected on
    formal grounds too), in rank order: by the commission's mean score, highest first,
    then the offers without a score. One query."""
    decisions = Decision.objects.filter(
        offer__call=call, offer__status=Offer.Status.SUBMITTED
    ).select_related("offer__organization", "offer__formal_check")
    scores = {d.offer_id: d.score for d in decisions if d.score is not None}
    ranks = _ranks(scores)
    rows = []
    for decision in decisions:
        offer = decision.offer
        check = related_or_none(offer, "formal_check")
        rows.append(
            ResultRow(
                rank=ranks.get(offer.pk),
                offer_pk=offer.pk,
                number=offer.number or "",
                applicant=offer.organization.name,
                task=offer.title,
                requested=offer.requested_grant,
                amount=decision.amount if decision.outcome == Decision.Outcome.GRANTED else None,
                score=decision.score,
                outcome=decision.outcome,
                rejected_on_form=check is not None and check.status == FormalCheck.Status.FAILED,
            )
        )
    rows.sort(
        key=lambda r: (
            r.rejected_on_form,
            r.score is None,
            -(r.score or 0),
            r.applicant,
            r.offer_pk,
        )
    )
    return rows


def results_totals(rows):
    """How many offers were granted and how much in all."""
    granted = [row for row in rows if row.granted]
    return {
        "granted_count": len(granted),
        "granted_amount": sum((row.amount for row in granted), Decimal("0")),
        "rejected_count": len(rows) - len(granted),
    }


def days_to_results(call):
    """Calendar days from the deadline for offers to the publication of the results (in
    the city's time zone), or None while the results are not published."""
    if call.decided_at is None:
        return None
    return (timezone.localdate(call.decided_at) - timezone.localdate(call.deadline)).days


def days_to_results_by_department(year=None):
    """The average number of days from the deadline to the results of each department's
    decided calls (those whose results were published in `year`, or all), in one aggregate
    query: [{"department_id", "department", "calls", "average_days"}] by department name.
    The days are counted as `days_to_results` counts them."""
    calls = Call.objects.filter(status=Call.Status.DECIDED, decided_at__isnull=False)
    if year is not None:
        calls = calls.filter(decided_at__year=year)
    waited = ExpressionWrapper(
        TruncDate("decided_at") - TruncDate("deadline"), output_field=DurationField()
    )
    rows = (
        calls.values("department_id", "department__name")
        .annotate(calls=Count("id"), average=Avg(waited))
        .order_by("department__name", "department_id")
    )
    return [
        {
            "department_id": row["department_id"],
            "department": row["department__name"],
            "calls": row["calls"],
            "average_days": _days(row["average"]),
        }
        for row in rows
    ]


def _days(duration):
    """A duration (or a number of microseconds, as some databases average it) in days,
    to one decimal place."""
    if duration is None:
        return None
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration) / 1e6
    return Decimal(str(seconds / 86400)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Requests for the reasons of a decision.


def _clean_text(text, field, empty_message):
    text = (text or "").strip()
    if not text:
        raise DecisionError(empty_message, field=field)
    if len(text) > MAX_TEXT:
        raise DecisionError(
            _("Write at most %(max)s characters; this text has %(count)s.")
            % {"max": MAX_TEXT, "count": len(text)},
            field=field,
        )
    return text


def reasons_open(call, now=None):
    """Whether one may still ask for the reasons of a decision in `call` (to the second:
    the last moment allowed is the publication plus the term)."""
    deadline = reasons_deadline(call)
    return (
        call.status == Call.Status.DECIDED
        and deadline is not None
        and (now or timezone.now()) <= deadline
    )


def ask_for_reasons(offer, by, question):
    """Anyone signed in asks the call's department for the reasons of the decision on
    `offer`, within the term after the results; the department is told by e-mail."""
    now = timezone.now()
    if not by.is_authenticated:
        raise DecisionError(_("Sign in to ask for the reasons of a decision."))
    question = _clean_text(question, "question", _("Write what you would like to know."))
    with transaction.atomic():
        offer = (
            Offer.objects.select_related("call__department", "organization", "decision")
            .filter(pk=offer.pk, status=Offer.Status.SUBMITTED)
            .first()
        )
        call = offer.call if offer is not None else None
        if (
            call is None
            or call.status != Call.Status.DECIDED
            or not related_or_none(offer, "decision")
        ):
            raise DecisionError(
                _("The results of this call are not published: there is no decision to explain."),
                field="offer",
            )
        if not reasons_open(call, now):
            raise DecisionError(
                _(
                    "The term to ask for the reasons of the decisions in this call ended on "
                    "%(deadline)s."
                )
                % {
                    "deadline": timezone.localtime(reasons_deadline(call)).strftime(
                        "%d.%m.%Y %H:%M:%S"
                    )
                }
            )
        reasons_request = ReasonsRequest.objects.create(
            offer=offer, asked_by=by, question=question, asked_at=now
        )
        record(by, "reasons_request.asked", reasons_request, {"question": [None, question]})
        mail.send(
            department_recipients(call.department),
            gettext_lazy("Request for the reasons of the decision on offer %(number)s"),
            "evaluations/email/decision_reasons_asked.txt",
            {"call": call, "offer": offer, "reasons_request": reasons_request},
            subject_params={"number": offer.number},
        )
    return reasons_request


def answer_reasons(reasons_request, by, answer):
    """The call's department answers a request for reasons; the person who asked gets the
    answer by e-mail. A request is answered once."""
    answer = _clean_text(answer, "answer", _("Write the answer."))
    with transaction.atomic():
        reasons_request = (
            ReasonsRequest.objects.select_for_update(of=("self",))
            .select_related("offer__call", "offer__organization", "asked_by")
            .get(pk=reasons_request.pk)
        )
        call = reasons_request.offer.call
        _refuse_unless_manager(
            by, call, _("Only an official of the call's department may answer this request.")
        )
        if reasons_request.answered_at is not None:
            raise DecisionError(_("This request has already been answered."))
        reasons_request.answer = answer
        reasons_request.answered_by = by
        reasons_request.answered_at = timezone.now()
        reasons_request.save(update_fields=["answer", "answered_by", "answered_at"])
        record(by, "reasons_request.answered", reasons_request, {"answer": [None, answer]})
        mail.send(
            [reasons_request.asked_by],
            gettext_lazy("The reasons of the decision on offer %(number)s"),
            "evaluations/email/decision_reasons_answered.txt",
            {"call": call, "offer": reasons_request.offer, "reasons_request": reasons_request},
            subject_params={"number": reasons_request.offer.number},
        )
    return reasons_request


# On the offer's own page (the receipt, PRODUCT II8): the decision once it is public.


def decision_section(request, offer):
    """The published decision on `offer` with its reasons, the way to ask for more, and
    the questions the viewer asked with their answers; "" before the results are out."""
    call = offer.call
    # A call's decisions are public with its results; a small grant's refusal at once.
    if call is not None and call.status != Call.Status.DECIDED:
        return ""
    if call is None and offer.kind != Offer.Kind.SMALL_GRANT:
        return ""
    decision = Decision.objects.filter(offer=offer).first()
    if decision is None:
        return ""
    asked = (
        list(ReasonsRequest.objects.filter(offer=offer, asked_by=request.user).order_by("asked_at"))
        if call is not None
        else []
    )
    requested = offer.requested_grant or Decimal("0")
    cut = (
        cut_percent(requested, decision.amount)
        if decision.outcome == Decision.Outcome.GRANTED and decision.amount < requested
        else None
    )
    return render_to_string(
        "evaluations/decisions/_offer_decision.html",
        {
            "offer": offer,
            "call": call,
            "decision": decision,
            "cut": cut,
            "asked": asked,
            "reasons_open": call is not None and reasons_open(call),
            "reasons_deadline": reasons_deadline(call) if call is not None else None,
        },
        request=request,
    )
