"""The rules of booking a room: who may book, when, for how many; deciding, cancelling,
no-shows; the waiting list; the feed. Each function checks, changes, writes the audit
entry and queues the e-mails; a `BookingError` carries the message shown to the person
(with the form field it is about, when there is one).

No double booking, ever: `request_booking` checks for a held booking (requested or
confirmed) that overlaps, and inserts, inside one transaction. On SQLite that transaction
begins with BEGIN IMMEDIATE (settings), which takes the write lock first, so concurrent
requests run one after another and the second sees the first. On PostgreSQL two requests
may pass the check together; the exclusion constraint `venues_booking_no_overlap` then
refuses the second insert, and it gets the same message as if the check had caught it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import default_task_backend, task

from wspolpraca.core import feed, mail
from wspolpraca.core.audit import record
from wspolpraca.organizations.models import Organization

from .models import (
    MAX_BOOKING_LENGTH,
    BlockedPeriod,
    Booking,
    BookingSeries,
    Room,
    WaitingListEntry,
)

# The longest weekly series, in weeks (a semester of weekly meetings).
MAX_WEEKS = 26
# How far ahead a room can be booked.
HORIZON_DAYS = 365
OVERLAP_CONSTRAINT = "venues_booking_no_overlap"


def offer_hours():
    """How long a slot offered to the waiting list is kept for that person (hours)."""
    return getattr(settings, "VENUES_OFFER_HOURS", 24)


class BookingError(Exception):
    """Why something cannot be done; the message is shown to the person.

    `field` names the form field it is about, so the error stands next to it."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _day(value):
    return formats.date_format(timezone.localtime(value), "l, j E Y")


def _moment(value):
    return formats.date_format(timezone.localtime(value), "j E Y, H:i")


def _span(starts, ends):
    local = timezone.localtime(starts)
    return f"{formats.date_format(local, 'j E Y')}, {local:%H:%M}–{timezone.localtime(ends):%H:%M}"


def is_verified_organization(organization):
    """A verified organization: one whose record the city verified (against the KRS, or
    for bodies outside it, their register) and that is not an informal group."""
    return (
        organization is not None
        and organization.verification == Organization.Verification.VERIFIED
        and organization.kind != Organization.Kind.INFORMAL_GROUP
    )


def requester_kind(organization, as_informal_group):
    if organization is not None:
        if is_verified_organization(organization):
            return Booking.Requester.VERIFIED_ORGANIZATION
        if organization.kind == Organization.Kind.INFORMAL_GROUP:
            return Booking.Requester.INFORMAL_GROUP
        return Booking.Requester.OTHER
    return Booking.Requester.INFORMAL_GROUP if as_informal_group else Booking.Requester.OTHER


def may_book_as(room, kind):
    return {
        Booking.Requester.VERIFIED_ORGANIZATION: room.for_verified_organizations,
        Booking.Requester.INFORMAL_GROUP: room.for_informal_groups,
        Booking.Requester.OTHER: room.for_others,
    }[kind]


# ---------------------------------------------------------------------------------------
# Availability


def within_bookable_hours(room, starts, ends):
    """Whether [starts, ends) lies on one day within one stretch of the room's bookable
    hours (its own, else its building's opening hours)."""
    local_start, local_end = timezone.localtime(starts), timezone.localtime(ends)
    if local_start.date() != local_end.date():
        return False
    weekday = local_start.weekday()
    return any(
        h.weekday == weekday and h.covers(local_start.time(), local_end.time())
        for h in room.bookable_hours()
    )


def _held(room, starts, ends):
    return Booking.objects.held().overlapping(room, starts, ends)


def _blocked(room, starts, ends):
    return BlockedPeriod.objects.filter(room=room, starts__lt=ends, ends__gt=starts)


def _offers(room, starts, ends, now):
    """Waiting-list offers that hold part of [starts, ends) now."""
    return WaitingListEntry.objects.filter(
        room=room,
        status=WaitingListEntry.Status.OFFERED,
        offer_expires_at__gt=now,
        starts__lt=ends,
        ends__gt=starts,
    )


def occurrences(starts, ends, weeks):
    """The (starts, ends) of each week of a series: the same local time each week, also
    across a change of summer time."""
    local_start, local_end = timezone.localtime(starts), timezone.localtime(ends)
    naive_start, naive_end = local_start.replace(tzinfo=None), local_end.replace(tzinfo=None)
    zone = timezone.get_current_timezone()
    return [
        (
            timezone.make_aware(naive_start + timedelta(weeks=n), zone),
            timezone.make_aware(naive_end + timedelta(weeks=n), zone),
        )
        for n in range(weeks)
    ]


def taken_message():
    return _(
        "This time is already booked or waiting for a decision. Choose another time, or "
        "join the waiting list: if the time frees up, it is offered to you first."
    )


def _check_time(room, starts, ends, by, now):
    """Raise BookingError when [starts, ends) cannot be booked by `by` now (field
    "starts" for the time itself)."""
    if not within_bookable_hours(room, starts, ends):
        raise BookingError(
            _(
                "The room can be booked only within its hours (%(hours)s). Choose a time "
                "within them, on one day."
            )
            % {"hours": hours_text(room.bookable_hours()) or _("none set")},
            "od",
        )
    blocked = _blocked(room, starts, ends).first()
    if blocked:
        raise BookingError(
            _("The room is not available from %(from)s to %(until)s: %(reason)s.")
            % {
                "from": _moment(blocked.starts),
                "until": _moment(blocked.ends),
                "reason": blocked.reason,
            },
            "data",
        )
    offer = _offers(room, starts, ends, now).exclude(user=by).first()
    if offer:
        raise BookingError(
            _(
                "This time has been offered to the next person on the waiting list, until "
                "%(until)s. Join the waiting list, or choose another time."
            )
            % {"until": _moment(offer.offer_expires_at)},
            "data",
        )


def hours_text(hours):
    names = dict(_weekday_names())
    return "; ".join(f"{names[h.weekday]} {h.opens:%H:%M}–{h.closes:%H:%M}" for h in hours)


def _weekday_names():
    from .models import Weekday

    return Weekday.choices


# ---------------------------------------------------------------------------------------
# Requesting


def _validated(
    room,
    by,
    *,
    starts,
    ends,
    purpose,
    expected_people,
    non_commercial,
    rules_accepted,
    organization,
    group_name,
    as_informal_group,
    weeks,
    now,
):
    """Check everything but the room's time; returns (requester kind, occurrences)."""
    if not non_commercial:
        raise BookingError(
            _("Rooms are lent only for non-commercial activity: confirm that yours is."),
            "non_commercial",
        )
    if room.house_rules and not rules_accepted:
        raise BookingError(_("Read and accept the house rules of the room."), "rules_accepted")
    if not purpose:
        raise BookingError(_("Say what the room is for."), "purpose")
    if not room.is_active:
        raise BookingError(_("This room cannot be booked at present."))
    if ends <= starts:
        raise BookingError(_("The end must be after the start."), "do")
    if ends - starts > MAX_BOOKING_LENGTH:
        raise BookingError(_("A booking lasts at most one day."), "do")
    if starts <= now:
        raise BookingError(_("Choose a time in the future."), "data")
    if not 1 <= weeks <= MAX_WEEKS:
        raise BookingError(
            _("A weekly series has from 1 to %(weeks)s weeks.") % {"weeks": MAX_WEEKS}, "weeks"
        )
    if not expected_people or expected_people < 1:
        raise BookingError(_("Enter how many people are expected."), "expected_people")
    if expected_people > room.capacity:
        raise BookingError(
            _("The room holds at most %(capacity)s people. Choose a larger room.")
            % {"capacity": room.capacity},
            "expected_people",
        )
    if organization is not None:
        if not organization.memberships.filter(user=by).exists():
            raise PermissionDenied
        if organization.verification == Organization.Verification.REJECTED:
            raise BookingError(
                _("This organization's registration was not accepted; it cannot book rooms."),
                "kto",
            )
    elif not group_name:
        raise BookingError(_("Enter the name of the group or person using the room."), "group_name")
    kind = requester_kind(organization, as_informal_group)
    if not may_book_as(room, kind):
        raise BookingError(
            _("This room can be booked only by: %(who)s.")
            % {"who": ", ".join(str(w) for w in room.who_may_book())},
            "kto",
        )
    times = occurrences(starts, ends, weeks)
    if times[-1][0] > now + timedelta(days=HORIZON_DAYS):
        raise BookingError(
            _("A room can be booked at most %(days)s days ahead.") % {"days": HORIZON_DAYS},
            "data" if weeks == 1 else "weeks",
        )
    return kind, times


def _check_free(room, times, by, now):
    """Raise BookingError unless every occurrence is within the room's hours and free."""
    for occurrence_start, occurrence_end in times:
        _check_time(room, occurrence_start, occurrence_end, by, now)
    taken = [s for s, e in times if _held(room, s, e).exists()]
    if taken and len(times) > 1:
        raise BookingError(
            _(
                "The series is booked whole or not at all, and these dates are taken: "
                "%(dates)s. Choose another time or fewer weeks, or book the free dates one "
                "by one."
            )
            % {"dates": "; ".join(_day(s) for s in taken)},
            "data",
        )
    if taken:
        raise BookingError(taken_message(), "data")


def check_request(room, by, *, now=None, is_public=False, **values):
    """Everything `request_booking` checks, without booking: for the form's first step,
    so that a taken time is said next to the date before the person checks the answers."""
    now = now or timezone.now()
    values["purpose"] = (values.get("purpose") or "").strip()
    values["group_name"] = (values.get("group_name") or "").strip()
    values.setdefault("organization", None)
    values.setdefault("as_informal_group", False)
    values.setdefault("weeks", 1)
    _kind, times = _validated(room, by, now=now, **values)
    _check_free(room, times, by, now)


def request_booking(
    room,
    by,
    *,
    starts,
    ends,
    purpose,
    expected_people,
    non_commercial,
    rules_accepted,
    organization=None,
    group_name="",
    as_informal_group=False,
    is_public=False,
    weeks=1,
    now=None,
):
    """Book `room` from `starts` to `ends` (or the same time each week for `weeks` weeks,
    all of them or none). Confirmed at once when the room needs no approval, else waiting
    for a manager's decision. Returns the bookings made, in date order."""
    now = now or timezone.now()
    purpose = (purpose or "").strip()
    group_name = (group_name or "").strip()
    kind, times = _validated(
        room,
        by,
        starts=starts,
        ends=ends,
        purpose=purpose,
        expected_people=expected_people,
        non_commercial=non_commercial,
        rules_accepted=rules_accepted,
        organization=organization,
        group_name=group_name,
        as_informal_group=as_informal_group,
        weeks=weeks,
        now=now,
    )
    status = Booking.Status.REQUESTED if room.needs_approval else Booking.Status.CONFIRMED
    try:
        # On SQLite this transaction takes the write lock first (BEGIN IMMEDIATE): the
        # check below and the inserts run as one, never interleaved with another request.
        with transaction.atomic():
            _check_free(room, times, by, now)
            series = None
            if weeks > 1:
                series = BookingSeries.objects.create(room=room, requested_by=by, weeks=weeks)
            bookings = []
            for occurrence_start, occurrence_end in times:
                booking = Booking.objects.create(
                    room=room,
                    organization=organization,
                    group_name="" if organization else group_name,
                    requester_kind=kind,
                    requested_by=by,
                    purpose=purpose,
                    starts=occurrence_start,
                    ends=occurrence_end,
                    expected_people=expected_people,
                    non_commercial=True,
                    rules_accepted=bool(rules_accepted),
                    is_public=is_public,
                    status=status,
                    series=series,
                    decided_at=now if status == Booking.Status.CONFIRMED else None,
                )
                record(
                    by,
                    "booking.confirmed_at_once"
                    if status == Booking.Status.CONFIRMED
                    else "booking.requested",
                    booking,
                    {
                        "room": [None, str(room)],
                        "starts": [None, booking.starts.isoformat()],
                        "ends": [None, booking.ends.isoformat()],
                        "status": [None, status],
                    },
                )
                bookings.append(booking)
            # A person offered the time from the waiting list has now taken it.
            for occurrence_start, occurrence_end in times:
                WaitingListEntry.objects.filter(
                    room=room,
                    user=by,
                    status=WaitingListEntry.Status.OFFERED,
                    starts__lt=occurrence_end,
                    ends__gt=occurrence_start,
                ).update(status=WaitingListEntry.Status.BOOKED)
    except IntegrityError as error:
        if OVERLAP_CONSTRAINT in str(error):
            # Another request took the time between our check and our insert.
            raise BookingError(taken_message(), "data") from None
        raise
    if status == Booking.Status.CONFIRMED:
        _tell_requester(
            bookings, "venues/email/confirmed.txt", gettext_lazy("Room booked: %(room)s")
        )
    else:
        _tell_managers(bookings)
    return bookings


def _url(path):
    return settings.SITE_URL + path


def _tell_requester(bookings, template, subject, **extra):
    first = bookings[0]
    mail.send(
        [first.requested_by],
        subject,
        template,
        {
            "bookings": bookings,
            "booking": first,
            "room": first.room,
            "url": _url(first.get_absolute_url()),
            **extra,
        },
        subject_params={"room": str(first.room)},
    )


def _tell_managers(bookings):
    room = bookings[0].room
    managers = list(room.managers.filter(is_active=True))
    if managers:
        mail.send(
            managers,
            gettext_lazy("A room booking waits for your decision: %(room)s"),
            "venues/email/requested.txt",
            {
                "bookings": bookings,
                "booking": bookings[0],
                "room": room,
                "url": _url(reverse("venues:decide", args=[bookings[0].pk])),
                "queue_url": _url(reverse("venues:queue")),
            },
            subject_params={"room": str(room)},
        )


# ---------------------------------------------------------------------------------------
# Deciding


def _series_siblings(booking, whole_series):
    if whole_series and booking.series_id:
        return list(
            Booking.objects.filter(series=booking.series_id, status=Booking.Status.REQUESTED)
            .select_for_update(of=("self",))
            .select_related("room", "requested_by", "organization")
            .order_by("starts")
        )
    return [booking]


@transaction.atomic
def approve(booking, by, *, whole_series=False, now=None):
    """Confirm a request (or every request left in its series)."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("room").get(pk=booking.pk)
    )
    if not by.has_perm("venues.decide_booking", booking):
        raise PermissionDenied
    if booking.status != Booking.Status.REQUESTED:
        raise BookingError(_("This request has already been decided or cancelled."))
    decided = [b for b in _series_siblings(booking, whole_series) if b.ends > now]
    if not decided:
        raise BookingError(_("The time of this request has passed."))
    for b in decided:
        b.status = Booking.Status.CONFIRMED
        b.decided_by, b.decided_at = by, now
        b.save(update_fields=["status", "decided_by", "decided_at"])
        record(by, "booking.approved", b, {"status": [Booking.Status.REQUESTED, b.status]})
    _tell_requester(decided, "venues/email/confirmed.txt", gettext_lazy("Room booked: %(room)s"))
    return decided


@transaction.atomic
def refuse(booking, by, *, reason, whole_series=False, now=None):
    """Refuse a request with a reason the requester reads; the freed time goes to the
    waiting list."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("room").get(pk=booking.pk)
    )
    if not by.has_perm("venues.decide_booking", booking):
        raise PermissionDenied
    if booking.status != Booking.Status.REQUESTED:
        raise BookingError(_("This request has already been decided or cancelled."))
    if not reason:
        raise BookingError(_("Give the reason for the refusal: the requester reads it."), "reason")
    decided = _series_siblings(booking, whole_series)
    for b in decided:
        b.status = Booking.Status.REFUSED
        b.refusal_reason = reason
        b.decided_by, b.decided_at = by, now
        b.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        record(
            by,
            "booking.refused",
            b,
            {"status": [Booking.Status.REQUESTED, b.status], "refusal_reason": [None, reason]},
        )
    _tell_requester(
        decided,
        "venues/email/refused.txt",
        gettext_lazy("Room booking refused: %(room)s"),
        reason=reason,
    )
    for b in decided:
        offer_freed_slot(b.room, b.starts, b.ends, now=now)
    return decided


@transaction.atomic
def cancel(booking, by, *, now=None):
    """Cancel a booking that has not started; its time goes to the waiting list."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("room", "requested_by", "organization")
        .get(pk=booking.pk)
    )
    if not by.has_perm("venues.cancel_booking", booking):
        raise PermissionDenied
    problem = cancel_problem(booking, now)
    if problem:
        raise BookingError(problem)
    before = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_by, booking.cancelled_at = by, now
    booking.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    record(by, "booking.cancelled", booking, {"status": [before, booking.status]})
    context = {"booking": booking, "room": booking.room, "cancelled_by": by}
    told = [] if by.pk == booking.requested_by_id else [booking.requested_by]
    if before == Booking.Status.CONFIRMED or booking.room.needs_approval:
        told += [m for m in booking.room.managers.filter(is_active=True) if m.pk != by.pk]
    if told:
        mail.send(
            told,
            gettext_lazy("Room booking cancelled: %(room)s"),
            "venues/email/cancelled.txt",
            {**context, "url": _url(booking.get_absolute_url())},
            subject_params={"room": str(booking.room)},
        )
    offer_freed_slot(booking.room, booking.starts, booking.ends, now=now)
    return booking


def cancel_problem(booking, now=None):
    """Why the booking cannot be cancelled now, or None."""
    now = now or timezone.now()
    if booking.status not in Booking.HELD:
        return _("This booking is no longer active.")
    if booking.starts <= now:
        return _("A booking that has started cannot be cancelled.")
    return None


@transaction.atomic
def mark_no_show(booking, by, *, now=None):
    """The manager records that nobody came to a confirmed booking, after its time."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("room").get(pk=booking.pk)
    )
    if not by.has_perm("venues.decide_booking", booking):
        raise PermissionDenied
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only a confirmed booking can be marked as a no-show."))
    if booking.ends > now:
        raise BookingError(_("A no-show can be marked only after the booking's time."))
    booking.status = Booking.Status.NO_SHOW
    booking.save(update_fields=["status"])
    record(by, "booking.no_show", booking, {"status": [Booking.Status.CONFIRMED, booking.status]})
    return booking


# ---------------------------------------------------------------------------------------
# The waiting list


def join_waiting_list(room, by, *, starts, ends, organization=None, now=None):
    now = now or timezone.now()
    if ends <= starts:
        raise BookingError(_("The end must be after the start."), "ends")
    if starts <= now:
        raise BookingError(_("Choose a time in the future."), "starts")
    if not within_bookable_hours(room, starts, ends):
        raise BookingError(
            _("The room can be booked only within its hours (%(hours)s).")
            % {"hours": hours_text(room.bookable_hours()) or _("none set")},
            "starts",
        )
    if organization is not None and not organization.memberships.filter(user=by).exists():
        raise PermissionDenied
    if not _held(room, starts, ends).exists() and not _offers(room, starts, ends, now).exists():
        raise BookingError(_("This time is free: book it instead of waiting."), "starts")
    if WaitingListEntry.objects.filter(
        room=room,
        user=by,
        status__in=(WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED),
        starts__lt=ends,
        ends__gt=starts,
    ).exists():
        raise BookingError(_("You are already on the waiting list for this time."))
    entry = WaitingListEntry.objects.create(
        room=room, user=by, organization=organization, starts=starts, ends=ends
    )
    return entry


@transaction.atomic
def leave_waiting_list(entry, by):
    if entry.user_id != by.pk:
        raise PermissionDenied
    was_offered = entry.status == WaitingListEntry.Status.OFFERED
    entry.status = WaitingListEntry.Status.WITHDRAWN
    entry.save(update_fields=["status"])
    if was_offered:
        offer_freed_slot(entry.room, entry.starts, entry.ends)
    return entry


def offer_freed_slot(room, starts, ends, *, now=None):
    """Offer time that freed in [starts, ends) to the waiting list: each entry that meets
    it, first come first, gets it when the room is now free for the entry's whole time.
    Returns the entries offered."""
    now = now or timezone.now()
    waiting = WaitingListEntry.objects.filter(
        room=room,
        status=WaitingListEntry.Status.WAITING,
        starts__lt=ends,
        ends__gt=starts,
        starts__gt=now,
    ).select_related("user", "room")
    offered = []
    for entry in waiting.order_by("created_at", "id"):
        if _held(room, entry.starts, entry.ends).exists():
            continue
        if _blocked(room, entry.starts, entry.ends).exists():
            continue
        if _offers(room, entry.starts, entry.ends, now).exists():
            continue
        entry.status = WaitingListEntry.Status.OFFERED
        entry.offered_at = now
        entry.offer_expires_at = min(now + timedelta(hours=offer_hours()), entry.starts)
        entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
        record(
            None,
            "waiting.offered",
            entry,
            {"offer_expires_at": [None, entry.offer_expires_at.isoformat()]},
        )
        offered.append(entry)
        mail.send(
            [entry.user],
            gettext_lazy("The room you waited for is free: %(room)s"),
            "venues/email/offer.txt",
            {
                "entry": entry,
                "room": room,
                "when": _span(entry.starts, entry.ends),
                "until": _moment(entry.offer_expires_at),
                "url": _url(booking_link(entry)),
            },
            subject_params={"room": str(room)},
        )
        _pass_on_later(entry)
    return offered


def booking_link(entry):
    """The booking form of the room with the entry's time filled in."""
    local_start, local_end = timezone.localtime(entry.starts), timezone.localtime(entry.ends)
    query = urlencode(
        {
            "data": local_start.date().isoformat(),
            "od": f"{local_start:%H:%M}",
            "do": f"{local_end:%H:%M}",
        }
    )
    return f"{reverse('venues:book', args=[entry.room.slug])}?{query}"


def _pass_on_later(entry):
    """When the task backend can run a task later, pass the slot on when the offer ends;
    the daily job does it otherwise (and catches anything missed)."""
    if default_task_backend.supports_defer:
        expires = entry.offer_expires_at
        transaction.on_commit(lambda: expire_offers.using(run_after=expires).enqueue())


@task()
def expire_offers():
    """End the offers whose time ran out and offer their slots to the next in line."""
    now = timezone.now()
    expired = list(
        WaitingListEntry.objects.filter(
            status=WaitingListEntry.Status.OFFERED, offer_expires_at__lte=now
        ).select_related("room")
    )
    for entry in expired:
        with transaction.atomic():
            changed = WaitingListEntry.objects.filter(
                pk=entry.pk, status=WaitingListEntry.Status.OFFERED
            ).update(status=WaitingListEntry.Status.EXPIRED)
            if changed:
                offer_freed_slot(entry.room, entry.starts, entry.ends, now=now)
    return len(expired)


# ---------------------------------------------------------------------------------------
# The week's table on a room's page


def week_of(day):
    return day - timedelta(days=day.weekday())


def week_table(room, monday):
    """The room's week from `monday`: per day, its bookable stretches and the busy
    intervals within them (held bookings and blocked periods), without names. Two
    queries (bookings, blocked periods) whatever the week holds."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(monday, datetime.min.time()), zone)
    end = timezone.make_aware(
        datetime.combine(monday + timedelta(days=7), datetime.min.time()), zone
    )
    busy = [
        (b.starts, b.ends, b.status)
        for b in Booking.objects.held()
        .filter(room=room, starts__gt=start - MAX_BOOKING_LENGTH, starts__lt=end, ends__gt=start)
        .only("starts", "ends", "status")
    ]
    busy += [
        (p.starts, p.ends, "blocked")
        for p in BlockedPeriod.objects.filter(room=room, starts__lt=end, ends__gt=start)
    ]
    hours = room.bookable_hours()
    days = []
    for n in range(7):
        day = monday + timedelta(days=n)
        day_start = timezone.make_aware(datetime.combine(day, datetime.min.time()), zone)
        day_end = day_start + timedelta(days=1)
        intervals = sorted(
            (max(s, day_start), min(e, day_end), kind)
            for s, e, kind in busy
            if s < day_end and e > day_start
        )
        days.append(
            {
                "date": day,
                "hours": [h for h in hours if h.weekday == day.weekday()],
                "busy": [
                    {
                        "starts": timezone.localtime(s),
                        "ends": timezone.localtime(e),
                        "kind": kind,
                    }
                    for s, e, kind in intervals
                ],
            }
        )
    return days


def busy_intervals(room_ids, start, end):
    """{room id: [(starts, ends, kind)]} of held bookings and blocked periods meeting
    [start, end), for the API: two queries for any number of rooms."""
    found = {pk: [] for pk in room_ids}
    for room_id, s, e in (
        Booking.objects.held()
        .filter(
            room_id__in=room_ids,
            starts__gt=start - MAX_BOOKING_LENGTH,
            starts__lt=end,
            ends__gt=start,
        )
        .values_list("room_id", "starts", "ends")
    ):
        found[room_id].append((s, e, "booked"))
    for room_id, s, e in BlockedPeriod.objects.filter(
        room_id__in=room_ids, starts__lt=end, ends__gt=start
    ).values_list("room_id", "starts", "ends"):
        found[room_id].append((s, e, "blocked"))
    for intervals in found.values():
        intervals.sort()
    return found


# ---------------------------------------------------------------------------------------
# The feed


def bookings_feed(start, end):
    """The feed's "room_booking" items: confirmed public bookings in the window. One
    query (the organization, room, building and district joined)."""
    found = (
        Booking.objects.public_confirmed()
        .filter(starts__lt=end, ends__gt=start)
        .select_related("room__building__district", "organization")
        .only(
            "id",
            "purpose",
            "starts",
            "ends",
            "created_at",
            "decided_at",
            "organization_id",
            "organization__name",
            "room__name",
            "room__slug",
            "room__building__name",
            "room__building__street",
            "room__building__district__number",
        )
        .order_by("starts", "id")
    )
    return [
        feed.Item(
            kind="room_booking",
            title=b.public_title,
            url=b.room.get_absolute_url(),
            published=b.decided_at or b.created_at,
            starts=b.starts,
            ends=b.ends,
            place=f"{b.room.building.name}, {b.room.name} ({b.room.building.street})",
            district=b.room.building.district.number,
        )
        for b in found
    ]


def rooms_feed(start, end):
    """The feed's "room" items: active rooms published in the window (for the
    newsletter's "rooms" and the "for you" page). One query."""
    found = (
        Room.objects.active()
        .filter(created_at__gte=start, created_at__lt=end)
        .select_related("building__district")
        .only(
            "id",
            "name",
            "slug",
            "capacity",
            "is_free",
            "created_at",
            "building__name",
            "building__street",
            "building__district__number",
        )
        .order_by("created_at", "id")
    )
    items = []
    for room in found:
        summary = _("Up to %(capacity)s people, %(fee)s.") % {
            "capacity": room.capacity,
            "fee": _("free") if room.is_free else _("for a fee"),
        }
        items.append(
            feed.Item(
                kind="room",
                title=_("Room for NGOs: %(room)s") % {"room": f"{room.building.name}, {room.name}"},
                url=room.get_absolute_url(),
                published=room.created_at,
                summary=summary,
                place=f"{room.building.name} ({room.building.street})",
                district=room.building.district.number,
            )
        )
    return items


def managed_rooms(user):
    """The rooms `user` manages (every room for a platform admin)."""
    if user.is_authenticated and (user.is_superuser or user.role == "platform_admin"):
        return Room.objects.all()
    return Room.objects.filter(managers=user) if user.is_authenticated else Room.objects.none()


def decision_queue(user):
    """Requests waiting for `user`'s decision, the oldest first."""
    return (
        Booking.objects.filter(
            status=Booking.Status.REQUESTED,
            room__in=managed_rooms(user).values("pk"),
        )
        .select_related("room__building", "organization", "requested_by")
        .order_by("created_at", "id")
    )


def to_mark(user, now=None):
    """Confirmed bookings of the last two weeks whose time is over: the manager may mark
    a no-show."""
    now = now or timezone.now()
    return (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            ends__lte=now,
            ends__gt=now - timedelta(days=14),
            room__in=managed_rooms(user).values("pk"),
        )
        .select_related("room__building", "organization")
        .order_by("-ends", "-id")
    )


def bookings_of(user):
    """A person's own bookings and those of the organizations they belong to."""
    return (
        Booking.objects.filter(
            Q(requested_by=user)
            | Q(organization__in=Organization.objects.filter(memberships__user=user).values("pk"))
        )
        .select_related("room__building", "organization")
        .order_by("-starts", "-id")
    )
