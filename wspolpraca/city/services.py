"""The rules of the dialogue bodies: their members, meetings and minutes, opinions and
resolutions, and the city's requests for an opinion. Each function checks permission and
state, changes, writes the audit entry and queues the e-mails; a `BodyError` carries the
message shown to the person, with the field it is about when there is one."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.core import feed, mail
from wspolpraca.core.audit import diff, record, snapshot
from wspolpraca.core.uploads import delete_replaced

from .models import (
    BodyMeeting,
    BodyMember,
    Opinion,
    OpinionRequest,
    department_of,
    department_recipients,
)


class BodyError(Exception):
    """Why something cannot be done; the message is shown to the person, next to `field`
    when it names one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _require(by, perm, obj=None):
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _url(obj):
    return settings.SITE_URL + obj.get_absolute_url()


def keepers(body):
    """Who hears of what reaches a body: its secretary accounts and its servicing
    department (its officials, or its address when it has none)."""
    people = list(body.secretaries.filter(is_active=True))
    seen = {p.pk for p in people}
    for recipient in department_recipients(body.department):
        if isinstance(recipient, str) or recipient.pk not in seen:
            people.append(recipient)
    return people


def _apply(obj, data, fields):
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _saved(obj, by, action_created, action_changed, fields, audit_target=None):
    """Save `obj` with the audit entry of its creation or of what changed in it."""
    creating = obj.pk is None
    before = {} if creating else snapshot(type(obj).objects.get(pk=obj.pk))
    obj.save()
    after = snapshot(obj)
    changes = diff(
        {k: v for k, v in before.items() if k in fields},
        {k: v for k, v in after.items() if k in fields},
    )
    if creating:
        record(by, action_created, audit_target or obj, changes)
    elif changes:
        record(by, action_changed, audit_target or obj, changes)
    return obj


# ---------------------------------------------------------------------------------------
# Members


MEMBER_FIELDS = (
    "full_name",
    "role",
    "representing",
    "organization",
    "term_start",
    "term_end",
)


def member_errors(data):
    errors = {}
    start, end = data.get("term_start"), data.get("term_end")
    if start and end and end < start:
        errors["term_end"] = _("The term must end on or after the day it starts.")
    if data.get("organization") and data.get("representing") != BodyMember.Representing.NGOS:
        errors["organization"] = _(
            "Only a member representing the organizations is nominated by one. Clear the "
            "organization or change whom the member represents."
        )
    return errors


def _check(errors):
    if errors:
        field, message = next(iter(errors.items()))
        raise BodyError(message, field)


@transaction.atomic
def save_member(body, by, data, member=None):
    """Add a member to `body` for a term, or change one (`member`)."""
    _require(by, "city.keep_body", body)
    if member is not None and member.body_id != body.pk:
        raise PermissionDenied
    _check(member_errors(data))
    member = member or BodyMember(body=body)
    _apply(member, data, MEMBER_FIELDS)
    return _saved(member, by, "body_member.added", "body_member.changed", MEMBER_FIELDS)


@transaction.atomic
def remove_member(member, by):
    """Delete a member entered by mistake (a member whose term ended is kept, with the
    end of the term, among the former members)."""
    _require(by, "city.keep_body", member.body)
    record(by, "body_member.removed", member.body, {"member": [member.full_name, None]})
    member.delete()


# ---------------------------------------------------------------------------------------
# Meetings and minutes


MEETING_FIELDS = (
    "starts_at",
    "ends_at",
    "place",
    "online",
    "online_link",
    "agenda",
    "minutes_text",
    "minutes_file",
    "status",
)


def meeting_errors(data, *, now=None):
    now = now or timezone.now()
    errors = {}
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if not data.get("online") and not (data.get("place") or "").strip():
        errors["place"] = _("Enter where the meeting takes place, or tick that it is online.")
    status = data.get("status")
    if status == BodyMeeting.Status.HELD and starts and starts > now:
        errors["status"] = _("A meeting that has not started yet cannot be marked as held.")
    has_minutes = (data.get("minutes_text") or "").strip() or data.get("minutes_file")
    if has_minutes and status != BodyMeeting.Status.HELD:
        errors["status"] = _("Minutes are added to a meeting that was held: mark it as held.")
    return errors


@transaction.atomic
def save_meeting(body, by, data, meeting=None):
    """Plan a meeting of `body`, or change one: its details, status and minutes."""
    _require(by, "city.keep_body", body)
    if meeting is not None and meeting.body_id != body.pk:
        raise PermissionDenied
    _check(meeting_errors(data))
    old_file = meeting.minutes_file.name if meeting is not None else ""
    meeting = meeting or BodyMeeting(body=body)
    _apply(meeting, data, MEETING_FIELDS)
    if not meeting.online:
        meeting.online_link = ""
    _saved(meeting, by, "body_meeting.planned", "body_meeting.changed", MEETING_FIELDS)
    if old_file:
        delete_replaced(old_file, meeting.minutes_file)
    return meeting


@transaction.atomic
def delete_meeting(meeting, by):
    """Delete a meeting entered by mistake (a meeting called off is marked cancelled)."""
    _require(by, "city.keep_body", meeting.body)
    record(
        by,
        "body_meeting.deleted",
        meeting.body,
        {"meeting": [str(meeting), None]},
    )
    meeting.delete()


# ---------------------------------------------------------------------------------------
# Opinions and resolutions


OPINION_FIELDS = ("kind", "number", "adopted_on", "title", "text", "file")


def opinion_errors(body, data, *, opinion=None, today=None):
    today = today or timezone.localdate()
    errors = {}
    adopted = data.get("adopted_on")
    if adopted and adopted > today:
        errors["adopted_on"] = _("The date it was adopted cannot be in the future.")
    if not (data.get("text") or "").strip() and not data.get("file"):
        errors["text"] = _("Enter the text of the document, or attach it as a PDF file.")
    number, kind = (data.get("number") or "").strip(), data.get("kind")
    if number and kind:
        taken = Opinion.objects.filter(body=body, kind=kind, number=number)
        if opinion is not None:
            taken = taken.exclude(pk=opinion.pk)
        if taken.exists():
            errors["number"] = _(
                "The body already has a document of this kind with number %(number)s."
            ) % {"number": number}
    return errors


@transaction.atomic
def save_opinion_draft(body, by, data, opinion=None, request=None):
    """Prepare (or change) a document of `body` that is not public yet; with `request`,
    the body's answer to that opinion request."""
    _require(by, "city.keep_body", body)
    if opinion is not None:
        opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if opinion.body_id != body.pk:
            raise PermissionDenied
        if opinion.is_published:
            raise BodyError(_("A published document cannot be changed on the site."))
    if request is not None:
        _require(by, "city.answer_opinion_request", request)
        if request.body_id != body.pk:
            raise PermissionDenied
        existing = Opinion.objects.filter(request=request)
        if opinion is not None:
            existing = existing.exclude(pk=opinion.pk)
        if existing.exists():
            raise BodyError(_("An answer to this request has been prepared already."))
    _check(opinion_errors(body, data, opinion=opinion))
    old_file = opinion.file.name if opinion is not None else ""
    opinion = opinion or Opinion(body=body, created_by=by, request=request)
    _apply(opinion, data, OPINION_FIELDS)
    if opinion.request_id is not None:
        # The answer to a request is an opinion, whatever else was chosen.
        opinion.kind = Opinion.Kind.OPINION
    opinion.number = opinion.number.strip()
    _saved(opinion, by, "opinion.drafted", "opinion.changed", OPINION_FIELDS)
    if old_file:
        delete_replaced(old_file, opinion.file)
    return opinion


@transaction.atomic
def publish_opinion(opinion, by):
    """Make a checked draft public; an answer to a request answers it (late when adopted
    after the deadline), and the official who asked is told."""
    opinion = (
        # Only the opinion's row: PostgreSQL locks no row on the nullable side of a join.
        Opinion.objects.select_for_update(of=("self",))
        .select_related("body", "request")
        .get(pk=opinion.pk)
    )
    _require(by, "city.keep_body", opinion.body)
    if opinion.is_published:
        raise BodyError(_("This document is published already."))
    _check(
        opinion_errors(
            opinion.body,
            {name: getattr(opinion, name) for name in OPINION_FIELDS},
            opinion=opinion,
        )
    )
    opinion.published_at = timezone.now()
    opinion.save(update_fields=["published_at"])
    record(by, "opinion.published", opinion, {"published_at": [None, str(opinion.published_at)]})
    request = opinion.request
    if request is not None:
        state = request.state(opinion)
        record(
            by,
            "opinion_request.answered",
            request,
            {"state": [OpinionRequest.State.AWAITING.value, state.value]},
        )
        if request.requested_by is not None:
            mail.send(
                [request.requested_by],
                gettext_lazy("Opinion given: %(title)s"),
                "city/email/opinion_given.txt",
                {"request": request, "opinion": opinion, "url": _url(opinion)},
                subject_params={"title": request.title},
            )
    return opinion


@transaction.atomic
def delete_opinion_draft(opinion, by):
    """Throw away a draft that was never published."""
    _require(by, "city.keep_body", opinion.body)
    if opinion.is_published:
        raise BodyError(_("A published document cannot be deleted on the site."))
    record(by, "opinion.draft_deleted", opinion.body, {"opinion": [str(opinion), None]})
    opinion.delete()


# ---------------------------------------------------------------------------------------
# Opinion requests


REQUEST_FIELDS = ("title", "description", "draft_file", "draft_url", "deadline")


def earliest_deadline(body, today=None):
    """The first day the body may be asked to give its opinion by."""
    return (today or timezone.localdate()) + timedelta(days=body.opinion_min_days)


def request_errors(body, data, *, today=None):
    errors = {}
    deadline = data.get("deadline")
    earliest = earliest_deadline(body, today)
    if deadline and deadline < earliest:
        errors["deadline"] = _(
            "Give the body at least %(days)s days: the earliest deadline is %(date)s."
        ) % {
            "days": body.opinion_min_days,
            "date": formats.date_format(earliest, "j E Y"),
        }
    if not data.get("draft_file") and not (data.get("draft_url") or "").strip():
        errors["draft_file"] = _("Attach the draft as a PDF file or give a link to it.")
    return errors


@transaction.atomic
def request_opinion(body, by, data):
    """An official asks `body` for its opinion on a draft; its keepers are told."""
    _require(by, "city.request_opinion")
    if not body.is_active:
        raise BodyError(_("This body no longer works; it cannot be asked for an opinion."))
    _check(request_errors(body, data))
    request = OpinionRequest(body=body, requested_by=by, department=department_of(by))
    _apply(request, data, REQUEST_FIELDS)
    _saved(request, by, "opinion_request.created", "opinion_request.changed", REQUEST_FIELDS)
    mail.send(
        keepers(body),
        gettext_lazy("Request for an opinion: %(title)s"),
        "city/email/opinion_requested.txt",
        {
            "request": request,
            "body": body,
            "url": _url(request),
            "requested_by": by,
        },
        subject_params={"title": request.title},
    )
    return request


# ---------------------------------------------------------------------------------------
# The feed


def _meeting_place(meeting):
    if meeting.online and meeting.place:
        return _("%(place)s and online") % {"place": meeting.place}
    return _("online") if meeting.online else meeting.place


def meeting_feed_item(meeting):
    return feed.Item(
        kind="body_meeting",
        title=_("Meeting: %(body)s") % {"body": meeting.body.name},
        url=meeting.get_absolute_url(),
        published=meeting.created_at,
        starts=meeting.starts_at,
        ends=meeting.ends_at,
        summary=meeting.agenda[:300],
        areas=tuple(a.code for a in meeting.body.areas.all()),
        place=_meeting_place(meeting),
    )


def meetings_feed(start, end):
    """The feed's "body_meeting" items: meetings that are not cancelled, of active bodies,
    that start before `end` and end (or start) after `start` (two queries)."""
    found = (
        BodyMeeting.objects.exclude(status=BodyMeeting.Status.CANCELLED)
        .filter(body__is_active=True, starts_at__lt=end)
        .filter(Q(ends_at__gte=start) | Q(ends_at__isnull=True, starts_at__gte=start))
        .select_related("body")
        .prefetch_related("body__areas")
        .defer("minutes_text")
        .order_by("starts_at")
    )
    return [meeting_feed_item(m) for m in found]


def export_person_data(user):
    """The dialogue bodies whose records `user` keeps, for their data export."""
    return {"dialogue_bodies_kept": [body.name for body in user.kept_bodies.order_by("name")]}
