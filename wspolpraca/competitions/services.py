"""The rules of the schedule of calls, and what it gives the feed."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.core import feed, workdays
from wspolpraca.core.audit import diff, record, snapshot
from wspolpraca.core.templatetags.core_tags import money

from .models import FundingMode, LegalRules, PlannedCall


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


# Calls (open competitions).


class CallError(Exception):
    """A refused change of a call; its message is shown to the official."""


# sender=Call, call=..., by=...: the offers app tells the organizations with offers in it.
call_annulled = Signal()
call_changed = Signal()  # also version=... (the new CallVersion)

# The criteria art. 15(1) names, in its order; "own_funds" applies in the support mode only.
STATUTORY_CRITERIA = [
    ("ability", gettext_lazy("Ability to carry out the task")),
    ("costs", gettext_lazy("Calculation of costs against the scope of the task")),
    (
        "quality",
        gettext_lazy("Quality of the task and qualifications of the people carrying it out"),
    ),
    ("own_funds", gettext_lazy("Own or other funds for the task (support mode)")),
    (
        "contribution",
        gettext_lazy("Personal and in-kind contribution, volunteers and members' work"),
    ),
    ("record", gettext_lazy("How the organization carried out earlier public tasks")),
]
BONUS_CRITERIA = [
    ("young", gettext_lazy("Young organization (registered up to 3 years before)")),
    ("local", gettext_lazy("Local organization")),
    ("joint", gettext_lazy("Joint offer")),
    ("intergenerational", gettext_lazy("Intergenerational project")),
]
DEFAULT_STATUTORY_POINTS = 10


def add_statutory_criteria(call):
    """Give a new call the criteria the act names (the official sets their points)."""
    from .models import Criterion

    codes = {code for code, _name in STATUTORY_CRITERIA}
    if call.funding_mode != FundingMode.SUPPORT:
        codes.discard("own_funds")
    existing = set(call.criteria.values_list("code", flat=True))
    # Stored in the site's language: the names are part of the published announcement.
    with translation.override(settings.LANGUAGE_CODE):
        names = {code: str(name) for code, name in STATUTORY_CRITERIA}
    Criterion.objects.bulk_create(
        Criterion(
            call=call,
            kind=Criterion.Kind.STATUTORY,
            code=code,
            name=names[code],
            max_points=DEFAULT_STATUTORY_POINTS,
            order=index,
        )
        for index, (code, _name) in enumerate(STATUTORY_CRITERIA)
        if code in codes and code not in existing
    )


def draft_call_from_planned(planned, by):
    """A draft call made from a planned one, in one step: what the plan says is copied,
    the rest (dates of the task, rules) is proposed for the official to change."""
    from .models import Call

    if hasattr(planned, "call"):
        raise CallError(_("A call has already been prepared from this planned call."))
    deadline = timezone.make_aware(datetime.combine(planned.planned_deadline, time(15, 30)))
    call = Call.objects.create(
        planned_call=planned,
        department=planned.department,
        title=planned.title,
        description=planned.description,
        funding_mode=planned.funding_mode,
        budget=planned.planned_amount,
        eligible_kinds=list(DEFAULT_ELIGIBLE_KINDS),
        task_starts=planned.planned_deadline + timedelta(days=45),
        task_ends=date(planned.schedule.year, 12, 31),
        deadline=deadline,
        selection_date=planned.planned_deadline + timedelta(days=30),
        created_by=by,
    )
    call.areas.set(planned.areas.all())
    add_statutory_criteria(call)
    record(by, "call.drafted", call, {"planned_call": [None, str(planned.pk)]})
    return call


# Who may apply unless the official says otherwise: the kinds art. 3 counts as NGOs or
# equal to them (informal groups are not).
DEFAULT_ELIGIBLE_KINDS = (
    "foundation",
    "association",
    "ordinary_association",
    "social_cooperative",
    "church_legal_person",
    "nonprofit_company",
)


def check_call(call):
    """Errors (field → message) of a call's own consistency, before and after publishing."""
    errors = {}
    if call.min_grant and call.max_grant and call.min_grant > call.max_grant:
        errors["min_grant"] = _("The smallest grant cannot be larger than the largest.")
    for field in ("min_grant", "max_grant"):
        value = getattr(call, field)
        if value and call.budget and value > call.budget:
            errors[field] = _(
                "A grant cannot be larger than the money for the task (%(budget)s)."
            ) % {"budget": money(call.budget)}
    if call.funding_mode == FundingMode.ENTRUSTMENT and call.min_own_contribution_percent:
        errors["min_own_contribution_percent"] = _(
            "In the entrustment mode the grant finances the whole task: no own contribution "
            "may be required."
        )
    for field in ("min_own_contribution_percent", "admin_cost_cap_percent"):
        value = getattr(call, field)
        if value is not None and value > 100:
            errors[field] = _("Give a share between 0 and 100%.")
    if call.task_starts and call.task_ends and call.task_ends < call.task_starts:
        errors["task_ends"] = _("The task cannot end before it starts.")
    if call.deadline and call.offers_from and call.offers_from >= call.deadline:
        errors["offers_from"] = _("Offers must be accepted from before the deadline.")
    if call.deadline and call.selection_date:
        if call.selection_date < timezone.localdate(call.deadline):
            errors["selection_date"] = _("Offers can be chosen only after the deadline.")
    if call.deadline and call.task_ends and call.task_ends < timezone.localdate(call.deadline):
        errors["task_ends"] = _("The task must end after the deadline for offers.")
    if not call.eligible_kinds:
        errors["eligible_kinds"] = _("Choose who may apply.")
    return errors


def earliest_deadline(last_publication, rules=None):
    rules = rules or LegalRules.current()
    return last_publication + timedelta(days=rules.min_days_to_deadline)


def check_deadline(call, bip_on, board_on, website_on, rules=None):
    """The 21-day rule (art. 13): the deadline comes at least that many days after the last
    of the three publications. Returns the error message naming the earliest allowed
    date, or None."""
    rules = rules or LegalRules.current()
    last = max(d for d in (bip_on, board_on, website_on) if d)
    earliest = earliest_deadline(last, rules)
    if timezone.localdate(call.deadline) < earliest:
        return _(
            "The deadline must be at least %(days)s days after the last publication "
            "(%(last)s): the earliest allowed deadline is %(earliest)s."
        ) % {
            "days": rules.min_days_to_deadline,
            "last": formats.date_format(last),
            "earliest": formats.date_format(earliest),
        }
    return None


def deadline_warning(call):
    """A warning when offers are due on a day the office is closed (not an error)."""
    day = timezone.localdate(call.deadline)
    reason = workdays.non_working_reason(day)
    if reason:
        return _(
            "The deadline, %(date)s, is not a working day (%(reason)s). Offers had better be "
            "due on a working day."
        ) % {"date": formats.date_format(day), "reason": reason}
    return None


def may_manage_call(user, call):
    return user.has_perm("competitions.manage_call", call)


def _version_content(call):
    """The published wording, frozen: each item the law requires, as label and value, in
    the site's language (what was published is what the record keeps)."""
    from .models import Call

    with translation.override(settings.LANGUAGE_CODE):

        def label(name):
            return str(capfirst(Call._meta.get_field(name).verbose_name))

        def amount(value):
            return money(value) if value is not None else str(_("not set"))

        items = [
            (label("title"), call.title),
            (label("department"), str(call.department)),
            (label("reference"), call.reference),
            (label("description"), call.description),
            (label("areas"), ", ".join(str(a) for a in call.areas.all())),
            (label("funding_mode"), call.get_funding_mode_display()),
            (label("budget"), money(call.budget)),
            (label("min_grant"), amount(call.min_grant)),
            (label("max_grant"), amount(call.max_grant)),
            (label("min_own_contribution_percent"), f"{call.min_own_contribution_percent}%"),
            (
                label("admin_cost_cap_percent"),
                f"{call.admin_cost_cap_percent}%"
                if call.admin_cost_cap_percent is not None
                else str(_("no cap")),
            ),
            (label("eligible_kinds"), ", ".join(str(k) for k in call.eligible_kind_labels)),
            (
                _("Dates of the task"),
                f"{formats.date_format(call.task_starts)} – {formats.date_format(call.task_ends)}",
            ),
            (
                label("offers_from"),
                formats.date_format(timezone.localtime(call.offers_from), "DATETIME_FORMAT")
                if call.offers_from
                else str(_("from publication")),
            ),
            (
                label("deadline"),
                formats.date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT"),
            ),
            (label("award_rules"), call.award_rules),
            (label("task_conditions"), call.task_conditions),
            (label("selection_procedure"), call.selection_procedure),
            (label("selection_date"), formats.date_format(call.selection_date)),
            (label("previous_funding"), call.previous_funding),
            (label("other_information"), call.other_information),
            (label("contact"), call.contact),
        ]
        criteria = [
            {
                "name": c.name,
                "kind": str(c.get_kind_display()),
                "max_points": c.max_points,
                "weight": str(c.weight),
                "description": c.description,
            }
            for c in call.criteria.all()
        ]
    return {
        "items": [{"label": str(k), "value": str(v)} for k, v in items if v],
        "criteria": criteria,
        "attachments": [a.title for a in call.attachments.all()],
    }


def add_version(call, by, note):
    from .models import CallVersion

    number = (call.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return CallVersion.objects.create(
        call=call,
        number=number,
        published_by=by,
        change_note=note,
        content=_version_content(call),
    )


def _refuse_unless_manager(user, call):
    if not may_manage_call(user, call):
        raise CallError(_("Only an official of the department running this call may do this."))


@transaction.atomic
def publish_call(call, by, bip_on, board_on):
    """Publish a draft: record the dates of its three publications (the site's is today),
    check the call and the 21-day rule, freeze version 1. Returns warnings to show."""
    from .models import Call

    _refuse_unless_manager(by, call)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != Call.Status.DRAFT:
        raise CallError(_("Only a draft can be published."))
    now = timezone.now()
    errors = check_call(call)
    too_early = check_deadline(call, bip_on, board_on, timezone.localdate(now))
    if too_early:
        errors["deadline"] = too_early
    if call.deadline <= now:
        errors["deadline"] = _("The deadline has passed.")
    if not call.criteria.exists():
        errors["criteria"] = _("Give the call its criteria.")
    if errors:
        raise ValidationError(errors)
    call.status = Call.Status.PUBLISHED
    call.published_bip_on, call.published_board_on, call.published_at = bip_on, board_on, now
    call.save(update_fields=["status", "published_bip_on", "published_board_on", "published_at"])
    add_version(call, by, _("First publication."))
    record(
        by,
        "call.published",
        call,
        {
            "status": ["draft", "published"],
            "published_bip_on": [None, str(bip_on)],
            "published_board_on": [None, str(board_on)],
        },
    )
    return [w for w in [deadline_warning(call)] if w]


@transaction.atomic
def record_change(call, by, before, note):
    """A published call was changed in the back office: keep the new wording as a version
    with the reason, and audit what changed. (The back office's form has already held the
    changed deadline to the 21-day rule, counted from the publications' dates.)"""
    from .models import Call

    _refuse_unless_manager(by, call)
    if call.status != Call.Status.PUBLISHED:
        raise CallError(_("Only a published call is changed this way."))
    if not note.strip():
        raise ValidationError({"change_note": _("Say what changed and why: it is published.")})
    changes = diff(before, snapshot(call))
    version = add_version(call, by, note.strip())
    record(by, "call.changed", call, changes)
    call_changed.send(sender=type(call), call=call, by=by, version=version)
    return [w for w in [deadline_warning(call)] if w]


@transaction.atomic
def annul_call(call, by, reason):
    """Annul a published call (art. 14: no offer came in, or none met the requirements, or
    another reason the announcement gave), with the reason published."""
    from .models import Call

    _refuse_unless_manager(by, call)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != Call.Status.PUBLISHED:
        raise CallError(_("Only a published call that is not decided can be annulled."))
    if not reason.strip():
        raise ValidationError({"annulment_reason": _("Give the reason: it is published.")})
    call.status = Call.Status.ANNULLED
    call.annulled_at = timezone.now()
    call.annulment_reason = reason.strip()
    call.save(update_fields=["status", "annulled_at", "annulment_reason"])
    add_version(call, by, _("Annulled: %(reason)s") % {"reason": call.annulment_reason})
    record(by, "call.annulled", call, {"status": ["published", "annulled"]})
    call_annulled.send(sender=Call, call=call, by=by)
    return call


def calls_feed(start, end):
    """The feed's "call" items: the deadlines of published calls in the window (two
    queries whatever their number)."""
    from .models import Call

    calls = (
        Call.objects.public()
        .filter(deadline__gte=start, deadline__lt=end)
        .select_related("department")
        .prefetch_related("areas")
    )
    return [
        feed.Item(
            kind="call",
            title=_("Deadline for offers: %(title)s") % {"title": c.title},
            url=c.get_absolute_url(),
            published=c.published_at,
            starts=c.deadline,
            summary=str(c.department),
            areas=tuple(a.code for a in c.areas.all()),
        )
        for c in calls
    ]
