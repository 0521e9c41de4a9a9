"""The rules of events: preparing and submitting, moderation, registration with a waiting
list, cancellation and the day-before reminders. Each function checks, changes, writes
the audit entry and queues the e-mails; an `EventError` carries the message shown to the
person (with the field it is about, when there is one).

Capacity is enforced here, by the server, also when many people press "Register" at once:
the count and the insert run in one transaction that holds the event. On PostgreSQL the
event's row is locked (`select_for_update`); SQLite runs every transaction of this site
as BEGIN IMMEDIATE (settings.py), which lets one writer in at a time.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from wspolpraca.city.models import department_of
from wspolpraca.core import feed, mail
from wspolpraca.core.audit import record

from .models import Event, MentoringBooking, MentoringSlot, Registration

# The longest description, in characters.
MAX_DESCRIPTION = 10_000


class EventError(Exception):
    """Why something cannot be done; the message is shown to the person.

    `field` names the form field it is about, so the error stands next to it."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _when(value):
    return formats.date_format(timezone.localtime(value), "j E Y, H:i")


def _url(event):
    return settings.SITE_URL + event.get_absolute_url()


# ---------------------------------------------------------------------------------------
# Preparing and submitting


# The fields a person fills in; the services set the rest.
EDITABLE = (
    "kind",
    "title",
    "description",
    "district",
    "place",
    "online",
    "online_link",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_until",
    "level",
    "trainer_name",
    "trainer_note",
)


def event_errors(data, *, now=None):
    """{field: message} for each value the rules refuse; {} when the event can be
    submitted. `data` holds the EDITABLE fields (and `areas`)."""
    now = now or timezone.now()
    errors = {}
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and starts <= now:
        errors["starts_at"] = _("The event cannot start in the past. Enter a later date.")
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The event must end after it starts.")
    capacity = data.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _(
            "Enter at least 1 place, or leave it empty when nobody has to register."
        )
    until = data.get("registration_until")
    if until is not None:
        if capacity is None:
            errors["registration_until"] = _(
                "Registration needs a number of places: enter it, or leave this date empty."
            )
        elif starts and until > starts:
            errors["registration_until"] = _(
                "Registration must close by the time the event starts (%(starts)s)."
            ) % {"starts": _when(starts)}
        elif until <= now:
            errors["registration_until"] = _("Registration cannot close in the past.")
    if data.get("online"):
        if not data.get("online_link") and not data.get("place"):
            errors["online_link"] = _("Enter the link to join online.")
    elif not (data.get("place") or "").strip():
        errors["place"] = _("Enter where it takes place, or tick that it is online.")
    if "areas" in data and not data["areas"]:
        errors["areas"] = _("Choose at least one public benefit area.")
    if data.get("kind") == Event.Kind.TRAINING:
        # The needs survey's results count trainings by topic: a training names its topics.
        if "topics" in data and not data["topics"]:
            errors["topics"] = _("Choose at least one topic the training is about.")
        if not data.get("level"):
            errors["level"] = _("Choose the level of the training.")
    return errors


def _check(data):
    errors = event_errors(data)
    if errors:
        field, message = next(iter(errors.items()))
        raise EventError(message, field)


def _apply(event, data):
    for name in EDITABLE:
        if name in data:
            setattr(event, name, data[name])
    if not event.online:
        event.online_link = ""
    if event.kind != Event.Kind.TRAINING:
        event.level = event.trainer_name = event.trainer_note = ""


# The kinds each organizer chooses from: an organization submits its events and
# trainings for moderation; the city publishes its own trainings and sector meetings.
NGO_KINDS = (Event.Kind.EVENT, Event.Kind.TRAINING)
CITY_KINDS = (Event.Kind.TRAINING, Event.Kind.MEETING)


def _kind(data, *, city, current=None):
    allowed = CITY_KINDS if city else NGO_KINDS
    kind = data.get("kind") or current or allowed[0]
    return kind if kind in allowed else (current or allowed[0])


def _set_relations(event, data):
    if "areas" in data:
        event.areas.set(data["areas"])
    if event.kind == Event.Kind.TRAINING:
        if "topics" in data:
            event.topics.set(data["topics"])
    else:
        event.topics.clear()


@transaction.atomic
def create_event(by, data, *, organization=None):
    """A draft: an event or training of `organization` (by one of its members), or the
    city's own training or meeting (by city staff)."""
    if organization is not None:
        if not by.has_perm("events.submit_event", organization):
            raise PermissionDenied
    elif not by.has_perm("events.publish_city_event"):
        raise PermissionDenied
    data = dict(data)
    data["kind"] = _kind(data, city=organization is None)
    _check(data)
    event = Event(organization=organization, submitted_by=by, status=Event.Status.DRAFT)
    if organization is None:
        event.department = department_of(by)
    _apply(event, data)
    event.save()
    _set_relations(event, data)
    return event


@transaction.atomic
def update_event(event, by, data):
    """Change a draft (or a rejected event, to submit it again)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not by.has_perm("events.manage_event", event):
        raise PermissionDenied
    if "edit" not in event.offers:
        raise EventError(_("Only a draft or a rejected event can be changed."))
    # An organization chooses between an event and a training, the city between a
    # training and a meeting; the organizer itself never changes.
    data = dict(data)
    data["kind"] = _kind(data, city=event.organization_id is None, current=event.kind)
    _check(data)
    _apply(event, data)
    event.save()
    _set_relations(event, data)
    return event


def submission_data(event):
    """The event's values as `event_errors` checks them before it is sent."""
    data = {name: getattr(event, name) for name in EDITABLE}
    data["areas"] = list(event.areas.all())
    if event.kind == Event.Kind.TRAINING:
        data["topics"] = list(event.topics.all())
    return data


@transaction.atomic
def submit(event, by):
    """Send an organization's event or training to moderation; the city's own trainings
    and meetings are published at once (their author is the city)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not by.has_perm("events.manage_event", event):
        raise PermissionDenied
    if "submit" not in event.offers:
        raise EventError(_("This event has been sent already."))
    _check(submission_data(event))
    now = timezone.now()
    before = event.status
    event.submitted_by = by
    event.submitted_at = now
    event.rejection_reason = ""
    if event.organization_id is not None:
        event.status = Event.Status.SUBMITTED
        event.save(update_fields=["status", "submitted_by", "submitted_at", "rejection_reason"])
        record(by, "event.submitted", event, {"status": [before, event.status]})
    else:
        event.status = Event.Status.PUBLISHED
        event.published_at = now
        event.moderated_by = by
        event.moderated_at = now
        event.save(
            update_fields=[
                "status",
                "submitted_by",
                "submitted_at",
                "rejection_reason",
                "published_at",
                "moderated_by",
                "moderated_at",
            ]
        )
        record(by, "event.published", event, {"status": [before, event.status]})
    return event


# ---------------------------------------------------------------------------------------
# Moderation


def _moderated(event, by):
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not by.has_perm("events.moderate_event", event):
        raise PermissionDenied
    if "moderate" not in event.offers:
        raise EventError(_("This event has been moderated already."))
    return event


def _tell_author(event, subject, template):
    if event.submitted_by is None:
        return
    mail.send(
        [event.submitted_by],
        subject,
        template,
        {"event": event, "url": _url(event)},
        subject_params={"title": event.title},
    )


@transaction.atomic
def approve(event, by):
    """Publish a submitted NGO event; its author is told."""
    event = _moderated(event, by)
    if event.starts_at <= timezone.now():
        raise EventError(_("This event has already started; it can no longer be published."))
    now = timezone.now()
    event.status = Event.Status.PUBLISHED
    event.published_at = now
    event.moderated_by = by
    event.moderated_at = now
    event.save(update_fields=["status", "published_at", "moderated_by", "moderated_at"])
    record(by, "event.approved", event, {"status": [Event.Status.SUBMITTED, event.status]})
    _tell_author(
        event, gettext_lazy("Your event is published: %(title)s"), "events/email/approved.txt"
    )
    return event


@transaction.atomic
def reject(event, by, reason):
    """Send a submitted NGO event back with the reason; its author may change it and
    submit it again."""
    reason = (reason or "").strip()
    if not reason:
        raise EventError(
            _("Write why the event is rejected: its author reads it and can correct the event."),
            "reason",
        )
    event = _moderated(event, by)
    event.status = Event.Status.REJECTED
    event.rejection_reason = reason
    event.moderated_by = by
    event.moderated_at = timezone.now()
    event.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at"])
    record(
        by,
        "event.rejected",
        event,
        {"status": [Event.Status.SUBMITTED, event.status], "rejection_reason": [None, reason]},
    )
    _tell_author(
        event, gettext_lazy("Your event was not published: %(title)s"), "events/email/rejected.txt"
    )
    return event


@transaction.atomic
def cancel_event(event, by, reason):
    """Call a published event off; everyone registered or waiting is told."""
    reason = (reason or "").strip()
    if not reason:
        raise EventError(
            _("Write why the event is cancelled: the registered people read it."), "reason"
        )
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not by.has_perm("events.manage_event", event):
        raise PermissionDenied
    if "cancel" not in event.offers:
        raise EventError(_("Only a published event can be cancelled."))
    if event.ends_at <= timezone.now():
        raise EventError(_("This event is over; it can no longer be cancelled."))
    event.status = Event.Status.CANCELLED
    event.cancellation_reason = reason
    event.cancelled_at = timezone.now()
    event.save(update_fields=["status", "cancellation_reason", "cancelled_at"])
    record(
        by,
        "event.cancelled",
        event,
        {"status": [Event.Status.PUBLISHED, event.status], "cancellation_reason": [None, reason]},
    )
    people = [r.user for r in event.registrations.active().select_related("user").order_by("pk")]
    mail.send(
        people,
        gettext_lazy("Cancelled: %(title)s"),
        "events/email/cancelled.txt",
        {"event": event, "url": _url(event)},
        subject_params={"title": event.title},
    )
    return event


# ---------------------------------------------------------------------------------------
# Registration


def taken_places(event):
    return event.registrations.filter(status=Registration.Status.REGISTERED).count()


def registration_of(event, user):
    """The person's active registration for the event, or None."""
    if not user.is_authenticated:
        return None
    return event.registrations.active().filter(user=user).first()


@transaction.atomic
def register(event, user):
    """A place at the event, or a place on its waiting list when it is full.

    The event is held for the whole count-and-insert (see the module's docstring), so two
    people can never both take the last place."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.has_registration:
        raise EventError(_("This event needs no registration: just come."))
    if "register" not in event.offers or timezone.now() >= event.registration_closes_at:
        raise EventError(_("Registration for this event is closed."))
    if event.registrations.active().filter(user=user).exists():
        raise EventError(_("You are already registered for this event."))
    full = taken_places(event) >= event.capacity
    status = Registration.Status.WAITING if full else Registration.Status.REGISTERED
    try:
        with transaction.atomic():
            registration = Registration.objects.create(event=event, user=user, status=status)
    except IntegrityError:  # the same person, twice at once: the first one counts
        raise EventError(_("You are already registered for this event.")) from None
    _tell_registration(registration)
    return registration


@transaction.atomic
def cancel_registration(event, user):
    """Give the place up; the first on the waiting list gets it and is told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    registration = event.registrations.active().filter(user=user).first()
    if registration is None:
        raise EventError(_("You are not registered for this event."))
    if timezone.now() >= event.starts_at:
        raise EventError(_("The event has started; the registration can no longer be cancelled."))
    was_registered = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_registered and event.status == Event.Status.PUBLISHED:
        move_up(event)
    return registration


def move_up(event):
    """Give the free places to those waiting longest (call with the event held)."""
    free = event.capacity - taken_places(event)
    if free <= 0:
        return []
    waiting = list(
        event.registrations.filter(status=Registration.Status.WAITING)
        .select_related("user")
        .order_by("created_at", "pk")[:free]
    )
    for registration in waiting:
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status"])
        _tell_registration(registration, moved_up=True)
    return waiting


def _tell_registration(registration, moved_up=False):
    # mail.send queues delivery for after the commit: a rolled-back change tells nobody.
    event = registration.event
    mail.send(
        [registration.user],
        gettext_lazy("A place for you: %(title)s")
        if moved_up
        else gettext_lazy("Your registration for %(title)s"),
        "events/email/registration.txt",
        {
            "event": event,
            "registration": registration,
            "moved_up": moved_up,
            "url": _url(event),
        },
        subject_params={"title": event.title},
    )


# ---------------------------------------------------------------------------------------
# Reminders


def send_reminders(now=None):
    """E-mail the registered people of tomorrow's events, once each.

    A reminder is claimed by a conditional update before its e-mail is queued, in one
    transaction: a second run (or a second worker) finds it claimed and sends nothing."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    end = start + timedelta(days=1)
    events = Event.objects.published().filter(starts_at__gte=start, starts_at__lt=end)
    sent = 0
    for event in events:
        pending = event.registrations.filter(
            status=Registration.Status.REGISTERED, reminded_at__isnull=True
        ).select_related("user")
        with transaction.atomic():
            claimed = [
                r.user
                for r in pending
                if Registration.objects.filter(pk=r.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                )
            ]
            mail.send(
                claimed,
                gettext_lazy("Tomorrow: %(title)s"),
                "events/email/reminder.txt",
                {"event": event, "url": _url(event)},
                subject_params={"title": event.title},
            )
        sent += len(claimed)
    return sent


@task()
def send_reminders_task():
    """The day-before reminders as a background task, for the nightly job to queue."""
    return {"sent": send_reminders()}


# ---------------------------------------------------------------------------------------
# The feed


def _place(event):
    if event.online and event.place:
        return _("%(place)s and online") % {"place": event.place}
    return _("online") if event.online else event.place


def feed_item(event):
    """The event as the feed's readers see it (the district loaded with it)."""
    return feed.Item(
        kind=event.kind,
        title=event.title,
        url=event.get_absolute_url(),
        published=event.published_at or event.created_at,
        starts=event.starts_at,
        ends=event.ends_at,
        summary=event.description[:300],
        areas=tuple(a.code for a in event.areas.all()),
        district=event.district.number if event.district_id else None,
        place=_place(event),
    )


def _feed_source(kind):
    def source(start, end):
        found = (
            Event.objects.published()
            .filter(kind=kind)
            .in_window(start, end)
            .select_related("district")
            .prefetch_related("areas")
            .defer("cancellation_reason", "rejection_reason")
        )
        return [feed_item(e) for e in found]

    source.__name__ = f"{kind}_feed"
    source.__doc__ = f'The feed\'s "{kind}" items: published events of that kind (two queries).'
    return source


events_feed = _feed_source(Event.Kind.EVENT)
trainings_feed = _feed_source(Event.Kind.TRAINING)
meetings_feed = _feed_source(Event.Kind.MEETING)


# ---------------------------------------------------------------------------------------
# Mentoring: consultation slots and their bookings


def _slot_url(slot):
    return settings.SITE_URL + slot.get_absolute_url()


def slot_errors(data, *, now=None):
    """{field: message} for each value of a new slot the rules refuse."""
    now = now or timezone.now()
    errors = {}
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and starts <= now:
        errors["starts_at"] = _("The consultation cannot start in the past. Enter a later date.")
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The consultation must end after it starts.")
    if not data.get("topic") and not (data.get("topic_text") or "").strip():
        errors["topic"] = _("Choose a topic, or write what you can help with.")
    if data.get("online"):
        if not data.get("online_link"):
            errors["online_link"] = _("Enter the link to join online.")
    elif not (data.get("place") or "").strip():
        errors["place"] = _("Enter where it takes place, or tick that it is online.")
    return errors


SLOT_FIELDS = (
    "starts_at",
    "ends_at",
    "topic",
    "topic_text",
    "place",
    "online",
    "online_link",
    "note",
)


@transaction.atomic
def publish_slot(by, data):
    """A consultation slot of `by` (a listed mentor, an official or a coordinator), open
    for booking at once."""
    if not by.has_perm("events.publish_mentoring_slot"):
        raise PermissionDenied
    errors = slot_errors(data)
    if errors:
        field, message = next(iter(errors.items()))
        raise EventError(message, field)
    slot = MentoringSlot(mentor=by)
    for name in SLOT_FIELDS:
        if name in data:
            setattr(slot, name, data[name])
    if slot.topic_id:
        slot.topic_text = ""
    if not slot.online:
        slot.online_link = ""
    slot.save()
    record(
        by,
        "mentoring_slot.published",
        slot,
        {"starts_at": [None, _when(slot.starts_at)], "topic": [None, slot.subject]},
    )
    return slot


def taken_message():
    return _("Someone has just booked this consultation. Choose another date.")


@transaction.atomic
def book_slot(slot, by, organization, need):
    """Book a free slot for `organization` (by one of its members). The mentor and the
    person booking are e-mailed. One active booking per slot is enforced by the database:
    when two people book at once, the second is told the slot is taken."""
    need = (need or "").strip()
    if organization is None or not by.has_perm("events.book_mentoring", organization):
        raise PermissionDenied
    if not need:
        raise EventError(
            _("Write what you need help with, so that the mentor can prepare."), "need"
        )
    slot = (
        MentoringSlot.objects.select_for_update(of=("self",))
        .select_related("mentor", "topic")
        .get(pk=slot.pk)
    )
    if slot.is_withdrawn:
        raise EventError(_("The mentor has withdrawn this consultation."))
    if timezone.now() >= slot.starts_at:
        raise EventError(_("Booking closed when the consultation started."))
    if slot.mentor_id == by.pk:
        raise EventError(_("You cannot book your own consultation."))
    if slot.bookings.active().exists():
        raise EventError(taken_message())
    try:
        with transaction.atomic():
            booking = MentoringBooking.objects.create(
                slot=slot, organization=organization, booked_by=by, need=need
            )
    except IntegrityError:  # booked by someone else between the check and the insert
        raise EventError(taken_message()) from None
    record(
        by,
        "mentoring_booking.booked",
        booking,
        {"status": [None, booking.status], "organization": [None, organization.name]},
    )
    context = {"slot": slot, "booking": booking, "url": _slot_url(slot)}
    mail.send(
        [slot.mentor],
        gettext_lazy("Consultation booked: %(subject)s"),
        "events/email/mentoring_booked_mentor.txt",
        context,
        subject_params={"subject": slot.subject},
    )
    mail.send(
        [by],
        gettext_lazy("Your consultation: %(subject)s"),
        "events/email/mentoring_booked.txt",
        context,
        subject_params={"subject": slot.subject},
    )
    return booking


@transaction.atomic
def cancel_booking(booking, by):
    """The person who booked gives the slot up before it starts; the mentor is told and
    the slot is free again."""
    booking = MentoringBooking.objects.select_for_update().get(pk=booking.pk)
    if not by.has_perm("events.cancel_mentoring_booking", booking):
        raise PermissionDenied
    if booking.status != MentoringBooking.Status.BOOKED:
        raise EventError(_("This booking is cancelled already."))
    slot = MentoringSlot.objects.select_related("mentor", "topic").get(pk=booking.slot_id)
    if timezone.now() >= slot.starts_at:
        raise EventError(_("The consultation has started; the booking can no longer be cancelled."))
    booking.status = MentoringBooking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    record(
        by,
        "mentoring_booking.cancelled",
        booking,
        {"status": [MentoringBooking.Status.BOOKED, booking.status]},
    )
    mail.send(
        [slot.mentor],
        gettext_lazy("Consultation cancelled: %(subject)s"),
        "events/email/mentoring_cancelled.txt",
        {"slot": slot, "booking": booking, "url": _slot_url(slot)},
        subject_params={"subject": slot.subject},
    )
    return booking


@transaction.atomic
def withdraw_slot(slot, by):
    """The mentor takes a slot back; a booking of it is cancelled and its author told."""
    slot = (
        MentoringSlot.objects.select_for_update(of=("self",))
        .select_related("topic")
        .get(pk=slot.pk)
    )
    if not by.has_perm("events.withdraw_mentoring_slot", slot):
        raise PermissionDenied
    if slot.is_withdrawn:
        raise EventError(_("This consultation is withdrawn already."))
    if timezone.now() >= slot.starts_at:
        raise EventError(_("The consultation has started; it can no longer be withdrawn."))
    now = timezone.now()
    slot.withdrawn_at = now
    slot.save(update_fields=["withdrawn_at"])
    booking = slot.bookings.active().select_related("booked_by").first()
    if booking is not None:
        booking.status = MentoringBooking.Status.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        mail.send(
            [booking.booked_by],
            gettext_lazy("Consultation withdrawn: %(subject)s"),
            "events/email/mentoring_withdrawn.txt",
            {"slot": slot, "booking": booking, "url": settings.SITE_URL + reverse("events:slots")},
            subject_params={"subject": slot.subject},
        )
    record(by, "mentoring_slot.withdrawn", slot, {"withdrawn": [False, True]})
    return slot


def mentoring_feed(start, end):
    """The feed's "mentoring" items: free consultation slots, with the topic and the time
    only (who booked a slot is nobody else's business, and a booked one is not offered)."""
    found = MentoringSlot.objects.free().in_window(start, end).select_related("topic")
    return [
        feed.Item(
            kind="mentoring",
            title=_("Consultation: %(subject)s") % {"subject": slot.subject},
            url=slot.get_absolute_url(),
            published=slot.created_at,
            starts=slot.starts_at,
            ends=slot.ends_at,
            place=_("online") if slot.online else slot.place,
        )
        for slot in found
    ]


def export_person_data(user):
    """The registrations for events and the consultations with mentors that `user`
    booked, for their data export."""
    return {
        "event_registrations": [
            {
                "event": r.event.title,
                "starts_at": r.event.starts_at.isoformat(),
                "status": r.status,
                "registered_at": r.created_at.isoformat(),
            }
            for r in Registration.objects.filter(user=user).select_related("event").order_by("pk")
        ],
        "mentoring_bookings": [
            {
                "consultation": str(b.slot),
                "organization": b.organization.name,
                "need": b.need,
                "status": b.status,
                "booked_at": b.created_at.isoformat(),
            }
            for b in MentoringBooking.objects.filter(booked_by=user)
            .select_related("slot", "slot__topic", "organization")
            .order_by("pk")
        ],
    }
