"""The rules of the schedule of calls, and what it gives the feed."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wspolpraca.core import feed

from .models import LegalRules, PlannedCall


def check_planned_dates(schedule, announcement, deadline, rules=None):
    """Errors (field → message) of a planned call's dates in `schedule`'s year.

    The deadline comes at least LegalRules.min_days_to_deadline days after the
    announcement (the law counts from the last of the three publications; a plan has one
    date), and the earliest allowed date is named. The announcement falls in the year or
    in the year before it (announced early, as NGOs asked); the deadline in the year.
    """
    rules = rules or LegalRules.current()
    errors = {}
    if announcement and not (
        date(schedule.year - 1, 1, 1) <= announcement <= date(schedule.year, 12, 31)
    ):
        errors["planned_announcement"] = _(
            "Plan the announcement in %(year)s or in the year before it."
        ) % {"year": schedule.year}
    if deadline and deadline.year != schedule.year:
        errors["planned_deadline"] = _("Plan the deadline in %(year)s.") % {"year": schedule.year}
    elif announcement and deadline:
        earliest = announcement + timedelta(days=rules.min_days_to_deadline)
        if deadline < earliest:
            errors["planned_deadline"] = _(
                "The deadline must be at least %(days)s days after the announcement: "
                "the earliest is %(date)s."
            ) % {"days": rules.min_days_to_deadline, "date": formats.date_format(earliest)}
    return errors


def validate_planned_call(planned):
    errors = check_planned_dates(
        planned.schedule, planned.planned_announcement, planned.planned_deadline
    )
    if errors:
        raise ValidationError(errors)


def may_manage(user, planned):
    """Whether `user` may change or delete `planned` (their own department's entry)."""
    return user.has_perm("competitions.manage_planned_call", planned)


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def schedule_feed(start, end):
    """The feed's "planned_call" items: the planned announcements of published schedules
    that fall in the window (two queries whatever their number)."""
    planned = (
        PlannedCall.objects.filter(
            schedule__published_at__isnull=False,
            planned_announcement__gte=timezone.localdate(start),
            planned_announcement__lt=timezone.localdate(end) + timedelta(days=1),
        )
        .select_related("schedule", "department")
        .prefetch_related("areas")
    )
    return [
        feed.Item(
            kind="planned_call",
            title=_("Planned call: %(title)s") % {"title": p.title},
            url=reverse("competitions:schedule", args=[p.schedule.year]) + f"#planowany-{p.pk}",
            published=p.schedule.published_at,
            starts=p.planned_announcement,
            summary=str(p.department),
            areas=tuple(a.code for a in p.areas.all()),
        )
        for p in planned
        if start <= _start_of(p.planned_announcement) < end
    ]
