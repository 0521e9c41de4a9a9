"""Events in the calendar that this app owns: NGO events (submitted by an organization and
moderated by city staff), trainings and workshops, and sector meetings of the city and
NGOs, with registration, a waiting list and reminders.

An event's life is declared once, in `Event.Status` and `STATUS_OFFERS`: what each status
lets people do (edit, submit, moderate, register, cancel). The services refuse what the
status does not offer; the templates read the same table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventQuerySet(models.QuerySet):
    def published(self):
        """What the calendar, the feed and the API show."""
        return self.filter(status=Event.Status.PUBLISHED)

    def public(self):
        """What anyone may open: published events, and cancelled ones (their page says so,
        for the people who meant to come)."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def in_window(self, start, end):
        """Events that meet the window [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gte=start)

    def for_listing(self):
        return self.select_related("organization", "department", "district").prefetch_related(
            "areas"
        )

    def upcoming_trainings(self, now=None):
        """Published trainings that have not ended, soonest first, with their places taken
        and waiting counted in the same query (the offer's list and a topic's page)."""
        now = now or timezone.now()
        return (
            self.published()
            .filter(kind=Event.Kind.TRAINING, ends_at__gt=now)
            .annotate(
                taken=models.Count(
                    "registrations",
                    filter=Q(registrations__status=Registration.Status.REGISTERED),
                ),
                waiting=models.Count(
                    "registrations",
                    filter=Q(registrations__status=Registration.Status.WAITING),
                ),
            )
            .select_related("organization", "department", "district")
            .prefetch_related("topics")
            .order_by("starts_at", "id")
        )


class Event(models.Model):
    class Kind(models.TextChoices):
        EVENT = "event", pgettext_lazy("event kind", "NGO event")
        TRAINING = "training", pgettext_lazy("event kind", "training or workshop")
        MEETING = "meeting", pgettext_lazy("event kind", "sector meeting")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("event status", "draft")
        SUBMITTED = "submitted", pgettext_lazy("event status", "awaiting moderation")
        PUBLISHED = "published", pgettext_lazy("event status", "published")
        REJECTED = "rejected", pgettext_lazy("event status", "rejected")
        CANCELLED = "cancelled", pgettext_lazy("event status", "cancelled")

    class Level(models.TextChoices):
        BEGINNER = "beginner", pgettext_lazy("training level", "for beginners")
        INTERMEDIATE = "intermediate", pgettext_lazy("training level", "intermediate")
        ADVANCED = "advanced", pgettext_lazy("training level", "advanced")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.EVENT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organizer (organization)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("Empty for the city's own events."),
    )
    department = models.ForeignKey(
        "city.Department",
        verbose_name=_("organizer (department)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="events",
    )
    district = models.ForeignKey(
        "organizations.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    online_link = models.URLField(_("link to join online"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no registration.")
    )
    registration_until = models.DateTimeField(
        _("registration open until"),
        null=True,
        blank=True,
        help_text=_("Empty: until the event starts."),
    )
    # A training names the topics of the yearly needs survey it answers (city.TrainingTopic):
    # the survey's results count planned trainings per topic through `topic.events`.
    topics = models.ManyToManyField(
        "city.TrainingTopic",
        verbose_name=_("training topics"),
        related_name="events",
        blank=True,
    )
    level = models.CharField(_("level"), max_length=12, choices=Level, blank=True)
    trainer_name = models.CharField(_("trainer"), max_length=200, blank=True)
    trainer_note = models.CharField(_("about the trainer"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            # The calendar's window and the feed: published events by date.
            models.Index(fields=["status", "starts_at"]),
            # The moderation queue, oldest first.
            models.Index(fields=["status", "submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_at_least_one",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def offers(self):
        """What the event's status lets people do (see STATUS_OFFERS)."""
        return STATUS_OFFERS[self.status]

    @property
    def organizer(self):
        """Who runs it, as the public reads it."""
        return self.organization or self.department

    @property
    def has_registration(self):
        return self.capacity is not None

    @property
    def registration_closes_at(self):
        """Registration closes at the date given, and at the latest when the event starts."""
        if self.registration_until and self.registration_until < self.starts_at:
            return self.registration_until
        return self.starts_at

    def registration_open(self, now=None):
        now = now or timezone.now()
        return (
            "register" in self.offers
            and self.has_registration
            and now < self.registration_closes_at
        )

    @property
    def is_multi_day(self):
        return timezone.localdate(self.starts_at) != timezone.localdate(self.ends_at)

    @property
    def is_training(self):
        return self.kind == Event.Kind.TRAINING

    @property
    def free_places(self):
        """Places left, on rows of `upcoming_trainings()` (which count them)."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.taken, 0)


# What each status offers: declared once, read by the services and the templates.
STATUS_OFFERS = {
    Event.Status.DRAFT: frozenset({"edit", "submit"}),
    Event.Status.SUBMITTED: frozenset({"moderate"}),
    Event.Status.PUBLISHED: frozenset({"register", "cancel"}),
    Event.Status.REJECTED: frozenset({"edit", "submit"}),
    Event.Status.CANCELLED: frozenset(),
}


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    """A place at an event, or a place on its waiting list."""

    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("registration status", "registered")
        WAITING = "waiting", pgettext_lazy("registration status", "on the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("registration cancelled on"), null=True, blank=True)
    # The day-before reminder: recorded when it is queued, so that it is never sent twice.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            # One active registration per person and event; cancelled ones stay on record.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled"),
                name="one_active_event_registration_per_person",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.user} — {self.event}"


# ---------------------------------------------------------------------------------------
# Mentoring: consultations with a person, booked by an organization


class Mentor(models.Model):
    """An account that city staff have listed as a mentor: it may publish consultation
    slots, as city officials and coordinators may without being listed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="mentor",
    )
    note = models.CharField(
        _("what they help with"),
        max_length=300,
        blank=True,
        help_text=_("Shown on their consultation slots, e.g. “15 years of writing grant offers”."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("listed on"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["user__full_name", "user__email"]

    def __str__(self):
        return str(self.user)


class MentoringSlotQuerySet(models.QuerySet):
    def live(self):
        """Slots not withdrawn by their mentor."""
        return self.filter(withdrawn_at__isnull=True)

    def free(self):
        return self.live().exclude(
            models.Exists(
                MentoringBooking.objects.filter(
                    slot=models.OuterRef("pk"), status=MentoringBooking.Status.BOOKED
                )
            )
        )

    def bookable(self, now=None):
        """Free slots that have not started: booking closes at the slot's start."""
        return self.free().filter(starts_at__gt=now or timezone.now())

    def in_window(self, start, end):
        return self.filter(starts_at__lt=end, ends_at__gte=start)

    def for_listing(self):
        return self.select_related("mentor", "mentor__mentor", "topic")


class MentoringSlot(models.Model):
    """An hour (or so) a mentor offers to one organization: help with writing an offer,
    with a settlement, with anything on the training topics."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="mentoring_slots",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    topic = models.ForeignKey(
        "city.TrainingTopic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentoring_slots",
    )
    topic_text = models.CharField(_("topic in your own words"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    online_link = models.URLField(_("link to join online"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("published on"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    objects = MentoringSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring slot")
        verbose_name_plural = _("mentoring slots")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["mentor", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="mentoring_slot_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.subject} — {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("events:slot", args=[self.pk])

    @property
    def subject(self):
        """What the consultation is about: the topic's name, or the mentor's words."""
        return self.topic.name if self.topic_id else self.topic_text

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    def bookable(self, now=None):
        return not self.is_withdrawn and (now or timezone.now()) < self.starts_at


class MentoringBookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=MentoringBooking.Status.BOOKED)


class MentoringBooking(models.Model):
    """A slot booked by a member for their organization. At most one active booking per
    slot, by a unique constraint: two people pressing "Book" at once cannot both get it."""

    class Status(models.TextChoices):
        BOOKED = "booked", pgettext_lazy("mentoring booking status", "booked")
        CANCELLED = "cancelled", pgettext_lazy("mentoring booking status", "cancelled")

    slot = models.ForeignKey(
        MentoringSlot,
        verbose_name=_("mentoring slot"),
        on_delete=models.CASCADE,
        related_name="bookings",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="mentoring_bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.CASCADE,
        related_name="mentoring_bookings",
    )
    need = models.TextField(_("what you need help with"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.BOOKED)
    created_at = models.DateTimeField(_("booked on"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)

    objects = MentoringBookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring booking")
        verbose_name_plural = _("mentoring bookings")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="booked"),
                name="one_active_booking_per_mentoring_slot",
            )
        ]

    def __str__(self):
        return f"{self.organization} — {self.slot}"
