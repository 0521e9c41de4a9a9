"""The call's evaluation commission (PRODUCT II7): who sits on it, their declarations of
impartiality and conflicts of interest, their blind score sheets, the ranking and the
minutes.

The department that owns the call appoints the commission after the deadline: members
appointed by the mayor, members nominated by organizations — never by an organization
that applies in the call, nor anyone from such an organization — and experts with an
advisory voice, who read the offers but do not score them (art. 15 sec. 2a–2f of the
public benefit act). Without any nominee the commission may work if the reason is
recorded. Each member signs the declaration of impartiality (the grounds of art. 24 of
the administrative procedure code) before anything about an offer is shown to them, and
declares a conflict for an offer they cannot judge: from then on that offer, its scores
and its sheet are closed to them.

Scoring is blind: a member sees the others' sheets of an offer only once their own sheet
of it is submitted, and a submitted sheet is final. The chair sees the ranking once they
have dealt with every offer, everyone else once the chair closes the work; closing renders
the minutes as a PDF kept with its SHA-256.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Max, Min, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wspolpraca.city.models import department_recipients
from wspolpraca.competitions.models import Call
from wspolpraca.core import mail
from wspolpraca.core.audit import record
from wspolpraca.core.pdf import render_pdf
from wspolpraca.offers.models import Offer, Partner
from wspolpraca.organizations.models import Membership, Organization

from .models import (
    Commission,
    CommissionMember,
    ConflictOfInterest,
    ExpertOpinion,
    FormalCheck,
    Score,
    ScoreSheet,
    ScoreSummary,
)

Role = CommissionMember.Role
ROLE_ORDER = [Role.CHAIR, Role.CITY, Role.NGO, Role.EXPERT]
CENT = Decimal("0.01")
MEAN_PLACES = Decimal("0.000001")


class CommissionError(Exception):
    """A refused action of the commission; its message is shown to the person — next to
    `field` when it names a field of the form, with `problems` listed under it."""

    def __init__(self, message, *, field=None, problems=()):
        super().__init__(message)
        self.field = field
        self.problems = [str(problem) for problem in problems]


# What the commission works on.


def offers_to_score(call):
    """The call's current offers that passed the formal check: what the commission scores."""
    return (
        Offer.objects.filter(
            call=call,
            status=Offer.Status.SUBMITTED,
            formal_check__call=call,
            formal_check__status=FormalCheck.Status.PASSED,
        )
        .select_related("organization")
        .order_by("number", "pk")
    )


def applicant_organizations(call):
    """Organizations that applied in `call`: with an offer in it other than a draft
    (submitted, withdrawn or replaced), as its offeror or as a partner of a joint offer."""
    offers = Offer.objects.filter(call=call).exclude(status=Offer.Status.DRAFT)
    partners = Partner.objects.filter(offer__in=offers, organization__isnull=False)
    return Organization.objects.filter(
        Q(pk__in=offers.values("organization")) | Q(pk__in=partners.values("organization"))
    )


def seat_of(commission, user):
    """The seat `user` holds on `commission`, or None."""
    if commission is None or commission.pk is None or not user.is_authenticated:
        return None
    return (
        CommissionMember.objects.select_related("user", "commission__call", "nominated_by")
        .filter(commission=commission, user=user)
        .first()
    )


def members_in_order(commission):
    """The members, chair first, then the mayor's appointees, nominees and experts."""
    members = list(
        commission.members.select_related("user", "nominated_by").order_by("added_at", "pk")
    )
    return sorted(members, key=lambda m: ROLE_ORDER.index(m.role))


def max_total(call):
    """The highest weighted total an offer can get: Σ max points × weight."""
    return sum(
        (Decimal(c.max_points) * c.weight for c in call.criteria.all()), Decimal("0")
    ).quantize(CENT)


def criteria_of(call):
    return list(call.criteria.order_by("order", "pk"))


# Checks shared by the actions.


def _locked(commission):
    return (
        Commission.objects.select_for_update(of=("self",))
        .select_related("call", "call__department")
        .get(pk=commission.pk)
    )


def _refuse_unless_manager(call, by):
    if not by.has_perm("evaluations.manage_evaluation", call):
        raise CommissionError(
            _("Only an official of the call's department may set up its commission.")
        )


def _refuse_unless_after_deadline(call, now):
    if call.status != Call.Status.PUBLISHED:
        raise CommissionError(
            _("The commission works only on a published call whose results are not out yet.")
        )
    if now <= call.deadline:
        raise CommissionError(
            _("The commission is set up after the deadline for offers, %(deadline)s.")
            % {"deadline": timezone.localtime(call.deadline).strftime("%d.%m.%Y %H:%M:%S")}
        )


def _refuse_unless_forming(commission):
    if commission.status != Commission.Status.FORMING:
        raise CommissionError(
            _("Scoring has started: the commission's members and details can no longer change.")
        )


def _refuse_unless_working(commission):
    if commission.status == Commission.Status.FORMING:
        raise CommissionError(_("Scoring has not started yet."))
    if commission.status == Commission.Status.CLOSED:
        raise CommissionError(_("The commission's work is closed."))


def _refuse_unless_self(member, by, message):
    if by is None or member.user_id != by.pk:
        raise CommissionError(message)


def _refuse_unless_signed(member):
    if member.declaration_signed_at is None:
        raise CommissionError(_("Sign the declaration of impartiality first."))


def _refuse_unless_scored_offer(commission, offer):
    if not offers_to_score(commission.call).filter(pk=offer.pk).exists():
        raise CommissionError(_("The commission does not evaluate this offer."))


def _is_conflicted(member, offer):
    return ConflictOfInterest.objects.filter(member=member, offer=offer).exists()


def _mail_member(member, subject, template, **context):
    mail.send(
        [member.user],
        subject,
        template,
        {"member": member, "commission": member.commission, "call": member.commission.call}
        | context,
        subject_params={"call": member.commission.call.title},
    )


# Setting up.


def commission_for(call, by):
    """The call's commission, made (being appointed) when an official first sets it up."""
    _refuse_unless_manager(call, by)
    existing = Commission.objects.filter(call=call).first()
    if existing is not None:
        return existing
    _refuse_unless_after_deadline(call, timezone.now())
    with transaction.atomic():
        commission, created = Commission.objects.get_or_create(call=call)
        if created:
            record(by, "commission.created", commission, {"status": [None, commission.status]})
    return commission


def update_details(commission, by, *, appointment_reference, without_ngo_reason):
    """The mayor's order appointing the commission, and why it works without members
    nominated by organizations (if it does)."""
    with transaction.atomic():
        commission = _locked(commission)
        _refuse_unless_manager(commission.call, by)
        _refuse_unless_forming(commission)
        changes = {}
        for name, value in [
            ("appointment_reference", appointment_reference.strip()),
            ("without_ngo_reason", without_ngo_reason.strip()),
        ]:
            if getattr(commission, name) != value:
                changes[name] = [getattr(commission, name), value]
                setattr(commission, name, value)
        if changes:
            commission.save(update_fields=list(changes))
            record(by, "commission.details_changed", commission, changes)
    return commission


def add_member(commission, user, role, by, nominated_by=None, paid=False, fee=None):
    """Give `user` (an existing account) a seat with `role`. A nominee of an organization
    that applies in the call, and any member of such an organization, is refused. The
    person must use two-factor sign-in from now on and is told by e-mail."""
    fee = None if fee in (None, "") else Decimal(fee)
    with transaction.atomic():
        commission = _locked(commission)
        call = commission.call
        _refuse_unless_manager(call, by)
        _refuse_unless_after_deadline(call, timezone.now())
        _refuse_unless_forming(commission)
        if role not in Role.values:
            raise CommissionError(_("Choose the person's role."), field="role")
        if not user.is_active:
            raise CommissionError(_("This account is closed."), field="email")
        # The minutes and the results page, both public, name every member.
        if not user.full_name.strip():
            raise CommissionError(
                _(
                    "This account has no full name, and the public minutes name every "
                    "member. Ask the person to add their name in their account first."
                ),
                field="email",
            )
        seats = list(commission.members.all())
        if any(seat.user_id == user.pk for seat in seats):
            raise CommissionError(
                _("%(name)s already sits on this commission.") % {"name": user}, field="email"
            )
        if role == Role.CHAIR and any(seat.role == Role.CHAIR for seat in seats):
            raise CommissionError(
                _("The commission already has a chair. Remove them first to appoint another."),
                field="role",
            )
        applicants = applicant_organizations(call)
        if role == Role.NGO:
            if nominated_by is None:
                raise CommissionError(
                    _("Name the organization that nominated the person."), field="nominated_by"
                )
            if applicants.filter(pk=nominated_by.pk).exists():
                raise CommissionError(
                    _(
                        "%(organization)s has an offer in this call, so it cannot nominate a "
                        "member of the commission."
                    )
                    % {"organization": nominated_by.name},
                    field="nominated_by",
                )
        elif nominated_by is not None:
            raise CommissionError(
                _("Only a member nominated by an organization has a nominating organization."),
                field="nominated_by",
            )
        applicant_membership = (
            Membership.objects.filter(user=user, organization__in=applicants)
            .select_related("organization")
            .order_by("organization__name")
            .first()
        )
        if applicant_membership is not None:
            raise CommissionError(
                _(
                    "%(name)s is a member of %(organization)s, which has an offer in this "
                    "call: people of an applicant cannot sit on the commission."
                )
                % {"name": user, "organization": applicant_membership.organization.name},
                field="email",
            )
        if paid and fee is None:
            raise CommissionError(
                _("Give the fee the city pays, or untick paid participation."), field="fee"
            )
        if not paid and fee is not None:
            raise CommissionError(
                _("Tick that the city pays for the participation, or leave the fee empty."),
                field="fee",
            )
        if fee is not None and fee < 0:
            raise CommissionError(_("The fee cannot be negative."), field="fee")
        member = CommissionMember.objects.create(
            commission=commission,
            user=user,
            role=role,
            nominated_by=nominated_by,
            paid=bool(paid),
            fee=fee,
            added_by=by,
        )
        if not user.requires_mfa:
            user.requires_mfa = True
            user.save(update_fields=["requires_mfa"])
        record(
            by,
            "commission_member.added",
            commission,
            {
                "user": [None, user.pk],
                "role": [None, role],
                "nominated_by": [None, nominated_by.pk if nominated_by else None],
                "paid": [None, bool(paid)],
                "fee": [None, str(fee) if fee is not None else None],
            },
        )
        _mail_member(
            member,
            gettext_lazy("You are appointed to the commission of the call %(call)s"),
            "evaluations/email/commission_added.txt",
        )
    return member


def remove_member(member, by):
    """Take a seat away before scoring starts; the person is told."""
    with transaction.atomic():
        commission = _locked(member.commission)
        member = CommissionMember.objects.select_related("user").get(pk=member.pk)
        _refuse_unless_manager(commission.call, by)
        _refuse_unless_forming(commission)
        member.commission = commission
        _mail_member(
            member,
            gettext_lazy("You no longer sit on the commission of the call %(call)s"),
            "evaluations/email/commission_removed.txt",
        )
        record(
            by,
            "commission_member.removed",
            commission,
            {"user": [member.user_id, None], "role": [member.role, None]},
        )
        member.delete()


def start_obstacles(commission):
    """What keeps scoring from starting, in words for the official (empty: it can start)."""
    call = commission.call
    problems = []
    now = timezone.now()
    if call.status != Call.Status.PUBLISHED or now <= call.deadline:
        problems.append(_("The call is not past its deadline for offers."))
    members = list(commission.members.all()) if commission.pk else []
    if not any(m.role == Role.CHAIR for m in members):
        problems.append(_("The commission has no chair."))
    if not any(m.role in (Role.CITY, Role.NGO) for m in members):
        problems.append(_("The commission needs at least one voting member besides the chair."))
    if not any(m.role == Role.NGO for m in members) and not commission.without_ngo_reason.strip():
        problems.append(
            _(
                "No member nominated by an organization sits on the commission: add one, or "
                "record why the commission works without them."
            )
        )
    unfinished = list(
        Offer.objects.filter(call=call, status=Offer.Status.SUBMITTED)
        .exclude(formal_check__status__in=[FormalCheck.Status.PASSED, FormalCheck.Status.FAILED])
        .order_by("number")
        .values_list("number", flat=True)
    )
    if unfinished:
        problems.append(
            ngettext(
                "The formal check of %(count)d offer is not finished: %(numbers)s.",
                "The formal check of %(count)d offers is not finished: %(numbers)s.",
                len(unfinished),
            )
            % {"count": len(unfinished), "numbers": ", ".join(unfinished)}
        )
    elif not offers_to_score(call).exists():
        problems.append(_("No offer passed the formal check, so there is nothing to score."))
    return problems


def start_scoring(commission, by):
    """From now on the members score; the composition is fixed. Each member is told."""
    now = timezone.now()
    with transaction.atomic():
        commission = _locked(commission)
        _refuse_unless_manager(commission.call, by)
        _refuse_unless_forming(commission)
        problems = start_obstacles(commission)
        if problems:
            raise CommissionError(_("Scoring cannot start yet."), problems=problems)
        commission.status = Commission.Status.WORKING
        commission.started_at = now
        commission.save(update_fields=["status", "started_at"])
        record(
            by,
            "commission.scoring_started",
            commission,
            {"status": [Commission.Status.FORMING, Commission.Status.WORKING]},
        )
        for member in commission.members.select_related("user"):
            member.commission = commission
            _mail_member(
                member,
                gettext_lazy("Scoring of the offers in the call %(call)s has started"),
                "evaluations/email/commission_started.txt",
            )
    return commission


# The declaration of impartiality and conflicts of interest.


def declaration_text(member):
    """The declaration `member` signs, in the site's language (frozen when signed)."""
    call = member.commission.call
    with translation.override(settings.LANGUAGE_CODE):
        grounds = [
            _(
                "I am not a party to the matter, and its outcome does not affect my own "
                "rights or obligations;"
            ),
            _(
                "I am not the spouse, a relative or an in-law up to the second degree of any "
                "offeror or of a person who represents or acts for an offeror;"
            ),
            _("I am not tied to any such person by adoption, custody or guardianship;"),
            _("I have not been a representative or attorney of any offeror;"),
            _("I am not subordinate at work to any offeror or person acting for one;"),
            _(
                "I know of no other circumstance that could raise reasonable doubt about my "
                "impartiality."
            ),
        ]
        lines = [
            _("Declaration of impartiality"),
            "",
            _(
                "I, %(name)s, %(role)s of the commission evaluating the offers in the open "
                "call “%(call)s”, declare that none of the grounds for exclusion of article 24 "
                "of the Code of Administrative Procedure applies to me with respect to the "
                "offerors in this call. In particular:"
            )
            % {"name": member.user, "role": member.get_role_display(), "call": call.title},
            *[f"{number}. {ground}" for number, ground in enumerate(grounds, start=1)],
            "",
            _(
                "The grounds of points 2 and 3 apply also after the marriage, adoption, "
                "custody or guardianship has ended."
            ),
            _(
                "If any of these grounds applies or comes to apply to an offer, I will declare "
                "a conflict of interest for that offer before I score it, and I will take no "
                "part in its evaluation."
            ),
        ]
        return "\n".join(str(line) for line in lines)


def sign_declaration(member, by):
    """The member declares their impartiality; the text is kept as they signed it."""
    now = timezone.now()
    with transaction.atomic():
        member = (
            CommissionMember.objects.select_for_update(of=("self",))
            .select_related("user", "commission__call")
            .get(pk=member.pk)
        )
        _refuse_unless_self(member, by, _("Only the member themself can sign their declaration."))
        if member.commission.status == Commission.Status.CLOSED:
            raise CommissionError(_("The commission's work is closed."))
        if member.declaration_signed_at is not None:
            return member
        member.declaration_text = declaration_text(member)
        member.declaration_signed_at = now
        member.save(update_fields=["declaration_text", "declaration_signed_at"])
        record(
            by,
            "commission_member.declaration_signed",
            member.commission,
            {"user": [None, member.user_id], "declaration_signed_at": [None, now.isoformat()]},
        )
    return member


def declare_conflict(member, offer, ground, by):
    """The member cannot judge `offer` impartially: they do not score it, nor see it or
    its scores again. Not possible once their sheet of it is submitted; a draft is
    discarded."""
    with transaction.atomic():
        commission = _locked(member.commission)
        member = CommissionMember.objects.select_related("user").get(pk=member.pk)
        _refuse_unless_self(member, by, _("Only the member themself can declare a conflict."))
        _refuse_unless_working(commission)
        _refuse_unless_signed(member)
        _refuse_unless_scored_offer(commission, offer)
        if ground not in ConflictOfInterest.Ground.values:
            raise CommissionError(_("Choose the ground of the conflict."), field="ground")
        existing = ConflictOfInterest.objects.filter(member=member, offer=offer).first()
        if existing is not None:
            return existing
        sheet = ScoreSheet.objects.filter(member=member, offer=offer).first()
        if sheet is not None and sheet.submitted_at is not None:
            raise CommissionError(
                _(
                    "You submitted your scores of this offer, so a conflict can no longer be "
                    "declared for it. Tell the chair and the department."
                )
            )
        if ExpertOpinion.objects.filter(member=member, offer=offer).exists():
            raise CommissionError(
                _(
                    "You gave your opinion of this offer, so a conflict can no longer be "
                    "declared for it. Tell the chair and the department."
                )
            )
        if sheet is not None:
            sheet.delete()
        conflict = ConflictOfInterest.objects.create(member=member, offer=offer, ground=ground)
        record(
            by,
            "conflict_of_interest.declared",
            commission,
            {"member": [None, member.pk], "offer": [None, offer.pk], "ground": [None, ground]},
        )
    return conflict


# The experts' advisory voice.

OPINION_MAX_LENGTH = 10_000


def give_opinion(member, offer, text, by):
    """The expert's advisory opinion of `offer`, which the members read beside the offer and
    the minutes keep. The expert may rewrite it until the work is closed; every version is
    in the audit trail."""
    text = (text or "").strip()
    if not text:
        raise CommissionError(_("Write your opinion of the offer."), field="text")
    if len(text) > OPINION_MAX_LENGTH:
        raise CommissionError(
            _("Write at most %(max)s characters; this text has %(count)s.")
            % {"max": OPINION_MAX_LENGTH, "count": len(text)},
            field="text",
        )
    with transaction.atomic():
        commission = _locked(member.commission)
        member = CommissionMember.objects.select_related("user").get(pk=member.pk)
        _refuse_unless_self(member, by, _("Only the expert themself can give their opinion."))
        if member.role != Role.EXPERT:
            raise CommissionError(
                _("Advisory opinions are given by the experts; members score the offers.")
            )
        _refuse_unless_working(commission)
        _refuse_unless_signed(member)
        _refuse_unless_scored_offer(commission, offer)
        if _is_conflicted(member, offer):
            raise CommissionError(
                _("You declared a conflict of interest for this offer, so you give no opinion.")
            )
        opinion = ExpertOpinion.objects.filter(member=member, offer=offer).first()
        before = opinion.text if opinion else None
        if opinion is None:
            opinion = ExpertOpinion(member=member, offer=offer)
        opinion.text = text
        opinion.given_at = timezone.now()
        opinion.save()
        record(
            by,
            "expert_opinion.changed" if before is not None else "expert_opinion.given",
            commission,
            {"member": [None, member.pk], "offer": [None, offer.pk], "text": [before, text]},
        )
    return opinion


def opinions_of(offer):
    """The experts' opinions of `offer`, in the order they sit on the commission."""
    return list(
        ExpertOpinion.objects.filter(offer=offer)
        .select_related("member__user")
        .order_by("member__pk")
    )


# Scoring.


def _decimal(value):
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return "invalid"


def clean_scores(criteria, scores, *, submit):
    """[(criterion, points, justification)] for the criteria given points, checked:
    0 to the criterion's maximum in whole or half points; on submission every criterion
    has points and a justification. Raises CommissionError naming the field
    (`points_<criterion id>` or `justification_<criterion id>`)."""
    given = {int(getattr(key, "pk", key)): value for key, value in (scores or {}).items()}
    unknown = set(given) - {c.pk for c in criteria}
    if unknown:
        raise CommissionError(_("A score is given for a criterion this call does not have."))
    cleaned = []
    for criterion in criteria:
        entry = given.get(criterion.pk) or {}
        points = _decimal(entry.get("points"))
        justification = (entry.get("justification") or "").strip()
        points_field = f"points_{criterion.pk}"
        names = {"criterion": criterion.name, "max": criterion.max_points}
        if points == "invalid":
            raise CommissionError(
                _("Give the points for “%(criterion)s” as a number.") % names, field=points_field
            )
        if points is not None:
            if points < 0 or points > criterion.max_points:
                raise CommissionError(
                    _("Give between 0 and %(max)s points for “%(criterion)s”.") % names,
                    field=points_field,
                )
            if (points * 2) % 1 != 0:
                raise CommissionError(
                    _("Give whole or half points for “%(criterion)s”, such as 7 or 7.5.") % names,
                    field=points_field,
                )
        if submit and points is None:
            raise CommissionError(
                _("Give the points for “%(criterion)s”.") % names, field=points_field
            )
        if submit and not justification:
            raise CommissionError(
                _("Justify the points for “%(criterion)s”.") % names,
                field=f"justification_{criterion.pk}",
            )
        if points is None and justification:
            raise CommissionError(
                _(
                    "Give the points for “%(criterion)s” to keep its justification; you can "
                    "change both until you submit."
                )
                % names,
                field=points_field,
            )
        if points is not None:
            cleaned.append((criterion, points, justification))
    return cleaned


def weighted_total(cleaned):
    return sum((points * criterion.weight for criterion, points, _j in cleaned), Decimal("0"))


def save_sheet(member, offer, scores, by, submit=False):
    """Save the member's scores of `offer` — `scores` is {criterion or its id: {"points":
    …, "justification": …}} — as a draft, or submit them: then the weighted total is
    stored and the sheet is final. Experts do not score."""
    now = timezone.now()
    with transaction.atomic():
        commission = _locked(member.commission)
        member = CommissionMember.objects.select_related("user").get(pk=member.pk)
        _refuse_unless_self(member, by, _("Only the member themself can score."))
        if not member.votes:
            raise CommissionError(
                _("An expert has an advisory voice and does not score the offers.")
            )
        _refuse_unless_working(commission)
        _refuse_unless_signed(member)
        _refuse_unless_scored_offer(commission, offer)
        if _is_conflicted(member, offer):
            raise CommissionError(
                _("You declared a conflict of interest for this offer, so you do not score it.")
            )
        cleaned = clean_scores(criteria_of(commission.call), scores, submit=submit)
        sheet, _created = ScoreSheet.objects.get_or_create(member=member, offer=offer)
        if sheet.submitted_at is not None:
            raise CommissionError(_("Your scores of this offer are submitted and final."))
        sheet.scores.all().delete()
        Score.objects.bulk_create(
            Score(sheet=sheet, criterion=criterion, points=points, justification=justification)
            for criterion, points, justification in cleaned
        )
        if submit:
            sheet.total = weighted_total(cleaned).quantize(CENT)
            sheet.submitted_at = now
            sheet.save(update_fields=["total", "submitted_at"])
            summarize_scores(offer)
            record(
                by,
                "score_sheet.submitted",
                commission,
                {
                    "member": [None, member.pk],
                    "offer": [None, offer.pk],
                    "total": [None, str(sheet.total)],
                    "points_given": [
                        None,
                        "; ".join(
                            f"{criterion.name}: {points}" for criterion, points, _j in cleaned
                        ),
                    ],
                },
            )
    return sheet


def summarize_scores(offer):
    """Renew the summary of `offer`'s submitted sheets that the ranking reads."""
    totals = ScoreSheet.objects.filter(offer=offer, submitted_at__isnull=False).aggregate(
        sheets=Count("pk"), summed=Sum("total"), lowest=Min("total"), highest=Max("total")
    )
    sheets = totals["sheets"]
    ScoreSummary.objects.update_or_create(
        offer=offer,
        defaults={
            "sheets": sheets,
            "mean": (totals["summed"] / sheets).quantize(MEAN_PLACES) if sheets else None,
            "lowest": totals["lowest"],
            "highest": totals["highest"],
        },
    )


def sheet_of(member, offer):
    return (
        ScoreSheet.objects.filter(member=member, offer=offer)
        .prefetch_related(_scores_in_order())
        .first()
    )


def _scores_in_order():
    return Prefetch(
        "scores",
        queryset=Score.objects.select_related("criterion").order_by(
            "criterion__order", "criterion__pk"
        ),
    )


def may_see_others(member, offer):
    """Blind scoring: the others' sheets of `offer` open to a member once their own is
    submitted (to every member not conflicted once the work is closed); never to a
    member conflicted on it."""
    if _is_conflicted(member, offer):
        return False
    if member.commission.status == Commission.Status.CLOSED:
        return True
    return ScoreSheet.objects.filter(
        member=member, offer=offer, submitted_at__isnull=False
    ).exists()


def visible_sheets(member, offer):
    """The other members' submitted sheets of `offer` that `member` may read, with their
    scores; empty while the member's own sheet is not submitted."""
    if not may_see_others(member, offer):
        return []
    return list(
        ScoreSheet.objects.filter(
            offer=offer, member__commission_id=member.commission_id, submitted_at__isnull=False
        )
        .exclude(member=member)
        .select_related("member__user")
        .prefetch_related(_scores_in_order())
        .order_by("submitted_at", "pk")
    )


STATE_LABELS = {
    "to_score": gettext_lazy("to score"),
    "draft": gettext_lazy("draft saved"),
    "submitted": gettext_lazy("scores submitted"),
    "conflict": gettext_lazy("conflict of interest declared"),
    "to_read": gettext_lazy("to read (advisory voice)"),
    "opinion": gettext_lazy("opinion given"),
}


@dataclass
class OfferState:
    offer: Offer
    state: str  # to_score, draft, submitted, conflict (voting members); to_read, opinion,
    # conflict (experts)
    sheet: ScoreSheet | None = None

    @property
    def label(self):
        return STATE_LABELS[self.state]


def member_offers(member):
    """Each offer the commission scores, with where `member` stands on it."""
    offers = list(offers_to_score(member.commission.call))
    sheets = {sheet.offer_id: sheet for sheet in ScoreSheet.objects.filter(member=member)}
    conflicts = set(
        ConflictOfInterest.objects.filter(member=member).values_list("offer_id", flat=True)
    )
    opinions = set()
    if not member.votes:
        opinions = set(member.opinions.values_list("offer_id", flat=True))
    rows = []
    for offer in offers:
        sheet = sheets.get(offer.pk)
        if offer.pk in conflicts:
            state = "conflict"
        elif not member.votes:
            state = "opinion" if offer.pk in opinions else "to_read"
        elif sheet is None:
            state = "to_score"
        elif sheet.submitted_at is None:
            state = "draft"
        else:
            state = "submitted"
        rows.append(OfferState(offer=offer, state=state, sheet=sheet))
    return rows


def unfinished_members(commission):
    """[(member, [offers])]: the voting members with offers neither scored (submitted) nor
    declared conflicted."""
    members = [m for m in members_in_order(commission) if m.votes]
    offers = list(offers_to_score(commission.call))
    done = set(
        ScoreSheet.objects.filter(
            member__commission=commission, submitted_at__isnull=False
        ).values_list("member_id", "offer_id")
    ) | set(
        ConflictOfInterest.objects.filter(member__commission=commission).values_list(
            "member_id", "offer_id"
        )
    )
    missing = []
    for member in members:
        left = [offer for offer in offers if (member.pk, offer.pk) not in done]
        if left:
            missing.append((member, left))
    return missing


# The ranking.


@dataclass
class RankingRow:
    position: int | None
    offer: Offer
    mean: Decimal | None
    sheets: int
    low: Decimal | None
    high: Decimal | None
    spread: bool
    hidden: bool = False


def _cents(value):
    return None if value is None else Decimal(value).quantize(CENT)


# What a ranking row shows of an offer: its big texts and frozen content stay in the table.
RANKED_FIELDS = ("pk", "number", "title", "requested_grant", "organization")
RANKING_PAGE_SIZE = 50


def _ranked_offers(commission, exclude=()):
    """The offers scored, with their sheets' mean, count, lowest and highest total from
    their summaries, best first; the organizations' names are read for the rows taken only
    (not joined before the sort)."""
    return (
        offers_to_score(commission.call)
        .select_related(None)
        .exclude(pk__in=exclude)
        .only(*RANKED_FIELDS)
        .annotate(
            mean=F("score_summary__mean"),
            sheet_count=Coalesce("score_summary__sheets", 0),
            low=F("score_summary__lowest"),
            high=F("score_summary__highest"),
        )
        .prefetch_related(Prefetch("organization", Organization.objects.only("pk", "name")))
        .order_by(F("mean").desc(nulls_last=True), "number", "pk")
    )


def _spread_limit(call):
    return max_total(call) * Decimal(settings.EVALUATION_SPREAD_WARNING_PERCENT) / 100


def _ranking_row(position, offer, limit):
    low, high = _cents(offer.low), _cents(offer.high)
    return RankingRow(
        position=position,
        offer=offer,
        mean=_cents(offer.mean),
        sheets=offer.sheet_count,
        low=low,
        high=high,
        spread=offer.sheet_count > 1 and (high - low) > limit,
    )


def _concealed_for(commission, viewer):
    """The offers `viewer` declared a conflict for: listed without scores, never ranked."""
    if viewer is None:
        return []
    offers = offers_to_score(commission.call).filter(
        pk__in=ConflictOfInterest.objects.filter(member=viewer).values("offer_id")
    )
    return [
        RankingRow(None, offer, None, 0, None, None, spread=False, hidden=True)
        for offer in offers.only(*RANKED_FIELDS)
    ]


def ranking(commission, viewer=None):
    """The offers by the mean of their submitted sheets' totals, best first, with the
    number of sheets, the lowest and highest total and a flag where they differ by more
    than EVALUATION_SPREAD_WARNING_PERCENT of the highest possible total. Aggregated in the
    database (a constant number of queries). For a member `viewer`, offers they declared
    a conflict for come last, without scores."""
    concealed = _concealed_for(commission, viewer)
    limit = _spread_limit(commission.call)
    offers = _ranked_offers(commission, exclude=[row.offer.pk for row in concealed])
    rows = [_ranking_row(n, offer, limit) for n, offer in enumerate(offers, start=1)]
    return rows + concealed


def ranking_page(commission, viewer=None, page_number=1, per_page=RANKING_PAGE_SIZE):
    """One page of `ranking`, its places counted from the top of the whole ranking, and
    the offers hidden from `viewer` (shown on every page, without scores)."""
    from django.core.paginator import Paginator

    concealed = _concealed_for(commission, viewer)
    offers = _ranked_offers(commission, exclude=[row.offer.pk for row in concealed])
    paginator = Paginator(offers, per_page)
    # Counted without the scores' aggregate, which the count does not need.
    paginator.count = (
        offers_to_score(commission.call).exclude(pk__in=[r.offer.pk for r in concealed]).count()
    )
    page = paginator.get_page(page_number)
    limit = _spread_limit(commission.call)
    rows = [
        _ranking_row(page.start_index() + n, offer, limit)
        for n, offer in enumerate(page.object_list)
    ]
    return page, rows, concealed


def may_see_ranking(commission, user, seat=None):
    """The chair once they have scored or declared a conflict for every offer; every
    member, and the department's officials, once the work is closed."""
    if commission.status == Commission.Status.CLOSED:
        return seat is not None or user.has_perm("evaluations.manage_evaluation", commission.call)
    if commission.status == Commission.Status.WORKING and seat is not None:
        if seat.role == Role.CHAIR:
            # Every offer scored (sheet submitted) or set aside for a conflict.
            settled = ScoreSheet.objects.filter(member=seat, submitted_at__isnull=False)
            conflicts = ConflictOfInterest.objects.filter(member=seat)
            return not (
                offers_to_score(commission.call)
                .exclude(pk__in=settled.values("offer_id"))
                .exclude(pk__in=conflicts.values("offer_id"))
                .exists()
            )
    return False


def may_see_minutes(commission, user):
    return bool(commission.minutes_pdf) and (
        seat_of(commission, user) is not None
        or user.has_perm("evaluations.manage_evaluation", commission.call)
    )


# Closing and the minutes.


def close(commission, by):
    """The chair closes the work once every voting member has scored or declared a
    conflict for every offer; the minutes are rendered and kept with their SHA-256."""
    now = timezone.now()
    with transaction.atomic():
        commission = _locked(commission)
        seat = seat_of(commission, by)
        if seat is None or seat.role != Role.CHAIR:
            raise CommissionError(_("Only the chair closes the commission's work."))
        _refuse_unless_working(commission)
        missing = unfinished_members(commission)
        if missing:
            raise CommissionError(
                _("Not every member has scored every offer or declared a conflict for it."),
                problems=[
                    _("%(member)s: %(offers)s")
                    % {
                        "member": member.user,
                        "offers": ", ".join(offer.number for offer in offers),
                    }
                    for member, offers in missing
                ],
            )
        commission.status = Commission.Status.CLOSED
        commission.closed_at = now
        commission.closed_by = by
        pdf = minutes_pdf(commission)
        commission.minutes_sha256 = hashlib.sha256(pdf).hexdigest()
        commission.minutes_pdf.save(f"komisja-{commission.pk}.pdf", ContentFile(pdf), save=False)
        commission.save(
            update_fields=["status", "closed_at", "closed_by", "minutes_pdf", "minutes_sha256"]
        )
        record(
            by,
            "commission.closed",
            commission,
            {
                "status": [Commission.Status.WORKING, Commission.Status.CLOSED],
                "minutes_sha256": [None, commission.minutes_sha256],
            },
        )
        recipients = [m.user for m in commission.members.select_related("user")]
        recipients += department_recipients(commission.call.department)
        mail.send(
            recipients,
            gettext_lazy("The commission of the call %(call)s has closed its work"),
            "evaluations/email/commission_closed.txt",
            {"commission": commission, "call": commission.call},
            subject_params={"call": commission.call.title},
        )
    return commission


def minutes_context(commission):
    """Everything the minutes say, read in a fixed number of queries."""
    call = commission.call
    criteria = criteria_of(call)
    members = members_in_order(commission)
    conflicts = list(
        ConflictOfInterest.objects.filter(member__commission=commission)
        .select_related("member__user", "offer")
        .order_by("offer__number", "member__pk")
    )
    sheets = list(
        ScoreSheet.objects.filter(member__commission=commission, submitted_at__isnull=False)
        .select_related("member__user")
        .prefetch_related(_scores_in_order())
        .order_by("member__pk")
    )
    opinions = list(
        ExpertOpinion.objects.filter(member__commission=commission)
        .select_related("member__user")
        .order_by("member__pk")
    )
    ranked = ranking(commission)
    opinions_by_offer = defaultdict(list)
    for opinion in opinions:
        opinions_by_offer[opinion.offer_id].append(opinion)
    sheets_by_offer = defaultdict(list)
    for sheet in sheets:
        sheets_by_offer[sheet.offer_id].append(sheet)
    conflicts_by_offer = defaultdict(list)
    for conflict in conflicts:
        conflicts_by_offer[conflict.offer_id].append(conflict)
    offers = []
    for row in sorted(ranked, key=lambda r: (r.offer.number or "", r.offer.pk)):
        offer_sheets = sheets_by_offer[row.offer.pk]
        by_criterion = []
        for criterion in criteria:
            entries = []
            for sheet in offer_sheets:
                for score in sheet.scores.all():
                    if score.criterion_id == criterion.pk:
                        entries.append({"member": sheet.member, "score": score})
            by_criterion.append({"criterion": criterion, "entries": entries})
        offers.append(
            {
                "offer": row.offer,
                "row": row,
                "criteria": by_criterion,
                "sheets": offer_sheets,
                "conflicts": conflicts_by_offer[row.offer.pk],
                "opinions": opinions_by_offer[row.offer.pk],
            }
        )
    return {
        "commission": commission,
        "call": call,
        "department": call.department,
        "criteria": criteria,
        "max_total": max_total(call),
        "spread_percent": settings.EVALUATION_SPREAD_WARNING_PERCENT,
        "members": members,
        "has_ngo_member": any(m.role == Role.NGO for m in members),
        "conflicts": conflicts,
        "offers": offers,
        "ranking": ranked,
        "date": timezone.localtime(commission.closed_at or timezone.now()),
    }


def minutes_pdf(commission):
    """The minutes as PDF bytes, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("evaluations/pdf/minutes.html", minutes_context(commission))
