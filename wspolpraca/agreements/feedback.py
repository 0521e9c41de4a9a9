"""Feedback on the cooperation (PRODUCT II12): after a task is settled its organization
rates the supervising department, and the city holds a yearly evaluation meeting per
kind of call.

Ratings are anonymous to the department. They are shown only as averages per department
and question over at least `settings.FEEDBACK_MIN_RATINGS` ratings; below that the page
says "fewer than N ratings" and gives no number at all, not even the count, because a
count of one or two next to a known list of settled agreements would point at the
organizations. For the same reason:

- no audit entry is written for a rating: the trail names the person and the moment, and
  next to averages that move when a rating arrives it would tell who rated how;
- the agreement's page shows whether it was rated only to the organization's own people;
- the comments ("what should change") are never public. They go to the rated department
  alone, and only pooled: once the department has enough ratings in the year, its officials
  see the year's comments together, in alphabetical order, without organization, agreement
  or date. Averages of four numbers hide one organization; a comment cannot be averaged,
  so pooling among enough others is the most that can be done for it.

One limit remains and is why the figures are shown per year only: two published averages
over sets that differ by a few ratings (all years against one year, or a year before and
after one more rating) reveal those few. The public page shows one year at a time, and
averages are rounded to one decimal.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Avg, Case, CharField, Count, F, OuterRef, Subquery, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wspolpraca.city.models import department_of
from wspolpraca.core import feed, mail
from wspolpraca.core.audit import diff, record, snapshot
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations.services import organization_admins

from .models import Agreement, CooperationRating, EvaluationMeeting

# The four questions, in the order the form asks them, with the labels the results use.
QUESTIONS = ("availability", "clarity", "timeliness", "flexibility")
# What each point of the 1–5 scale means (the form's radio labels).
SCALE = [
    (1, pgettext_lazy("rating", "1 — not at all")),
    (2, pgettext_lazy("rating", "2 — rarely")),
    (3, pgettext_lazy("rating", "3 — partly")),
    (4, pgettext_lazy("rating", "4 — mostly")),
    (5, pgettext_lazy("rating", "5 — fully")),
]
ONE_DECIMAL = Decimal("0.1")


class FeedbackError(Exception):
    """A refused rating or evaluation meeting; its message is shown to the person."""


def question_label(name):
    return CooperationRating._meta.get_field(name).verbose_name


# Rating the cooperation.


def invite_to_rate(sender, agreement, by=None, **kwargs):
    """On a settlement (agreements.signals.agreement_settled): ask the organization's
    administrators to rate their cooperation with the department. A settlement is
    recorded once per agreement, so each agreement's organization is asked once."""
    if CooperationRating.objects.filter(agreement=agreement).exists():
        return
    mail.send(
        organization_admins(agreement.organization),
        gettext_lazy("How was your cooperation with the city on agreement %(number)s?"),
        "agreements/email/rating_invitation.txt",
        {"agreement": agreement, "minimum": settings.FEEDBACK_MIN_RATINGS},
        subject_params={"number": agreement.number},
    )


def rating_refusal(user, agreement, *, rated=None):
    """Why `user` may not rate `agreement` now, or None when they may."""
    if not user.has_perm("agreements.act_for_organization", agreement):
        return _("Only an administrator of the organization may rate the cooperation.")
    if agreement.status != Agreement.Status.SETTLED:
        return _("The cooperation can be rated once the grant is settled.")
    if rated is None:
        rated = CooperationRating.objects.filter(agreement=agreement).exists()
    if rated:
        return _("The cooperation under this agreement has already been rated.")
    return None


def rate_cooperation(agreement, by, availability, clarity, timeliness, flexibility, comment=""):
    """Record the organization's rating of its cooperation with the supervising
    department: once per agreement, by an administrator, after the settlement. Not in the
    audit trail (see the module's docstring)."""
    answers = {
        "availability": availability,
        "clarity": clarity,
        "timeliness": timeliness,
        "flexibility": flexibility,
    }
    with transaction.atomic():
        # The lock makes two administrators rating at once wait: the second is refused.
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("organization", "department")
            .get(pk=agreement.pk)
        )
        refusal = rating_refusal(by, agreement)
        if refusal:
            raise FeedbackError(refusal)
        for name, value in answers.items():
            if not isinstance(value, int) or not 1 <= value <= 5:
                raise FeedbackError(
                    _("Answer “%(question)s” on the scale of 1 to 5.")
                    % {"question": question_label(name)}
                )
        return CooperationRating.objects.create(
            agreement=agreement,
            department=agreement.department,
            # The year of the task (when it ended), not of the rating: the figures are
            # about the cooperation in that year.
            year=agreement.ends.year,
            comment=(comment or "").strip(),
            **answers,
        )


@dataclass(frozen=True)
class DepartmentRating:
    """One department's figures; `averages` is None (and `count` too) below the minimum."""

    department_id: int
    department: str
    count: int | None
    averages: list | None  # [(question label, Decimal)], in the form's order
    overall: Decimal | None

    @property
    def shown(self):
        return self.averages is not None


def _rounded(value):
    return Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def department_ratings(year=None):
    """Averages per department and question, of `year` (or of all years), in one query;
    departments with fewer than FEEDBACK_MIN_RATINGS ratings are listed without numbers.
    Show the figures of one year at a time (see the module's docstring)."""
    minimum = settings.FEEDBACK_MIN_RATINGS
    ratings = CooperationRating.objects.all()
    if year is not None:
        ratings = ratings.filter(year=year)
    rows = (
        ratings.values(
            "department", "department__name", "department__short_name", "department__position"
        )
        .annotate(count=Count("pk"), **{name: Avg(name) for name in QUESTIONS})
        .order_by("department__position", "department__name")
    )
    found = []
    for row in rows:
        name = row["department__name"]
        if row["department__short_name"]:
            name = f"{name} ({row['department__short_name']})"
        if row["count"] < minimum:
            found.append(DepartmentRating(row["department"], name, None, None, None))
            continue
        averages = [(question_label(q), _rounded(row[q])) for q in QUESTIONS]
        overall = _rounded(sum(Decimal(str(row[q])) for q in QUESTIONS) / len(QUESTIONS))
        found.append(DepartmentRating(row["department"], name, row["count"], averages, overall))
    return found


def rating_years():
    """The years that have ratings, latest first."""
    return list(
        CooperationRating.objects.order_by("-year").values_list("year", flat=True).distinct()
    )


def department_comments(department, year):
    """The year's comments for `department`, pooled (see the module's docstring): none
    until it has FEEDBACK_MIN_RATINGS ratings in the year. One query."""
    comments = list(
        CooperationRating.objects.filter(department=department, year=year).values_list(
            "comment", flat=True
        )
    )
    if len(comments) < settings.FEEDBACK_MIN_RATINGS:
        return []
    # Alphabetical: neither the order of arrival nor of agreements shows through.
    return sorted(c for c in comments if c.strip())


# Evaluation meetings.

MEETING_FIELDS = ("year", "area", "held_at", "place", "notes")


def may_enter_meetings(user):
    return department_of(user) is not None


def may_change_meeting(user, meeting):
    department = department_of(user)
    return department is not None and meeting.department_id == department.pk


def add_evaluation_meeting(by, *, year, area, held_at, place, notes=""):
    """Enter the yearly evaluation meeting of one kind of call, for the official's own
    department; it is listed publicly and in the calendar."""
    department = department_of(by)
    if department is None:
        raise FeedbackError(_("Only an official of a department may enter evaluation meetings."))
    with transaction.atomic():
        meeting = EvaluationMeeting.objects.create(
            year=year,
            department=department,
            area=area,
            held_at=held_at,
            place=place.strip(),
            notes=(notes or "").strip(),
            created_by=by,
        )
        record(by, "evaluation_meeting.added", meeting, diff({}, snapshot(meeting)))
    return meeting


def change_evaluation_meeting(meeting, by, **fields):
    """Change a meeting of the official's department (its date, place, or the notes
    written after it)."""
    with transaction.atomic():
        meeting = EvaluationMeeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        if not may_change_meeting(by, meeting):
            raise FeedbackError(_("Only an official of the meeting's department may change it."))
        before = snapshot(meeting)
        for name in MEETING_FIELDS:
            if name in fields:
                value = fields[name]
                setattr(meeting, name, value.strip() if isinstance(value, str) else value)
        changes = diff(before, snapshot(meeting))
        if changes:
            meeting.save()
            record(by, "evaluation_meeting.changed", meeting, changes)
    return meeting


def _entered_at():
    """When each meeting was entered, from its audit entry (the model keeps no date)."""
    return Subquery(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(EvaluationMeeting),
            object_id=Cast(OuterRef("pk"), CharField()),
            action="evaluation_meeting.added",
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )


def evaluation_meetings_feed(start, end):
    """The feed's "evaluation_meeting" items: the meetings held in the window (one query
    whatever their number). Published when entered, so the newsletter announces them
    ahead."""
    meetings = (
        EvaluationMeeting.objects.filter(held_at__gte=start, held_at__lt=end)
        .select_related("department", "area")
        .annotate(entered_at=_entered_at())
    )
    url = reverse("agreements:evaluation_meetings")
    return [
        feed.Item(
            kind="evaluation_meeting",
            title=_("Evaluation meeting: %(area)s (%(year)d)")
            % {"area": m.area.short_label, "year": m.year},
            url=f"{url}#spotkanie-{m.pk}",
            published=m.entered_at or m.held_at,
            starts=m.held_at,
            summary=str(m.department),
            areas=(m.area.code,),
            place=m.place,
        )
        for m in meetings
    ]


def meetings_listed(now=None):
    """Meetings for the public list: those to come, soonest first, then those held,
    latest first."""
    now = now or timezone.now()
    return (
        EvaluationMeeting.objects.select_related("department", "area")
        .annotate(coming_at=Case(When(held_at__gte=now, then=F("held_at"))))
        .order_by(F("coming_at").asc(nulls_last=True), "-held_at", "-pk")
    )
