"""Rooms in city buildings that NGOs may use, their bookings, and the NGO support places.

A room's time is held by its bookings that are *requested* or *confirmed*
(`Booking.HELD`); no two of them may overlap, ever. The services check it first (for a
clear message), and the database enforces it (see migrations/0002_no_overlap.py): on
PostgreSQL an exclusion constraint over the time range, on SQLite triggers, both named
`venues_booking_no_overlap`. SQLite also serialises writers (settings open every
transaction with BEGIN IMMEDIATE), so the check and the insert of `request_booking` run
as one.

Times are timezone-aware datetimes; hours of opening and booking are local (Warsaw) times
per weekday.
"""

from datetime import time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.uploads import RandomName

# A booking lies within one day's bookable hours, so it is never longer than this. The
# "free at" search and the overlap checks rely on it: they read the bookings that start
# in [from - MAX, to), a narrow range of the (status, starts) or (room, starts) index,
# instead of every booking that started before `to`.
MAX_BOOKING_LENGTH = timedelta(hours=24)
# Evening opening: a support place open after this hour is marked "open in the evening".
EVENING_FROM = time(18, 0)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Hours(models.Model):
    """One stretch of opening on a weekday (a day may have several: 8–12 and 14–20)."""

    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        abstract = True
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="%(app_label)s_%(class)s_closes_after_opens",
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("The closing time must be after the opening.")})

    def covers(self, start, end):
        return self.opens <= start and end <= self.closes

    @property
    def is_evening(self):
        return self.closes > EVENING_FROM


class Building(models.Model):
    name = models.CharField(_("name"), max_length=200)
    owner_unit = models.CharField(
        _("owner unit"),
        max_length=300,
        help_text=_("The city unit, cultural institution or school that runs the building."),
    )
    department = models.ForeignKey(
        "city.Department",
        verbose_name=_("department of the city office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buildings",
        help_text=_("When the building belongs to a department of the city office."),
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("town"), max_length=100, default="Kraków")
    district = models.ForeignKey(
        "organizations.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="buildings",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    directions = models.TextField(
        _("how to get there"), blank=True, help_text=_("Entrance, floor, public transport.")
    )
    step_free_entry = models.BooleanField(_("step-free entry"), default=False)
    lift = models.BooleanField(_("lift"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    induction_loop = models.BooleanField(_("induction loop"), default=False)
    parking = models.BooleanField(_("parking"), default=False)
    accessibility_notes = models.TextField(_("more about accessibility"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # The accessibility features, in the order the pages list them.
    ACCESSIBILITY = ("step_free_entry", "lift", "accessible_toilet", "induction_loop", "parking")

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def address(self):
        return ", ".join(p for p in (self.street, f"{self.postal_code} {self.city}".strip()) if p)

    def accessibility(self):
        """[(label, present)] for every feature, for pages that say yes or no in words."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.ACCESSIBILITY
        ]

    @property
    def accessibility_present(self):
        """The labels of the features the building has, for a list in words."""
        return [label for label, present in self.accessibility() if present]


class BuildingHours(Hours):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="hours")

    class Meta(Hours.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")


class Equipment(models.TextChoices):
    PROJECTOR = "projector", _("projector")
    SCREEN = "screen", _("screen")
    SOUND = "sound", _("sound system")
    MICROPHONE = "microphone", _("microphone")
    COMPUTER = "computer", _("computer")
    WHITEBOARD = "whiteboard", _("whiteboard")
    FLIP_CHART = "flip_chart", _("flip chart")
    KITCHEN = "kitchen", _("kitchen")
    WIFI = "wifi", _("wi-fi")
    TABLES = "tables", _("tables that can be moved")
    VIDEO = "video", _("video conferencing")


def _check_equipment(value):
    known = set(Equipment.values)
    if not isinstance(value, list) or not set(value) <= known:
        raise ValidationError(_("Choose the equipment from the list."))


class RoomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_listing(self):
        return self.select_related("building", "building__district").defer(
            "description", "house_rules"
        )

    def with_equipment(self, codes):
        for code in codes:
            # `equipment_index` is "|projector|wifi|": a code matches whole, never a prefix.
            self = self.filter(equipment_index__contains=f"|{code}|")
        return self

    def free_between(self, starts, ends):
        """Rooms open for booking for the whole of [starts, ends) (one day, local times)
        and with nothing holding any of it: no requested or confirmed booking, no blocked
        period.

        Each test is a subquery that does not depend on the room (`IN` / `NOT IN` the
        rooms it finds), so the database reads each set once per query: the held
        bookings that meet the time are one narrow range of the (status, starts) index.
        Correlated NOT EXISTS per room gave the same rooms but cost SQLite about 3,000
        index probes for 500 rooms, on the count and again on the page (bench/venues.py).
        The ids are never NULL, so NOT IN means "not among"."""
        from django.utils import timezone

        local_start = timezone.localtime(starts)
        local_end = timezone.localtime(ends)
        weekday = local_start.weekday()
        start_time, end_time = local_start.time(), local_end.time()
        if local_end.date() != local_start.date():
            return self.none()
        held = Booking.objects.filter(
            status__in=Booking.HELD,
            starts__gt=starts - MAX_BOOKING_LENGTH,
            starts__lt=ends,
            ends__gt=starts,
        ).values("room_id")
        blocked = BlockedPeriod.objects.filter(starts__lt=ends, ends__gt=starts).values("room_id")
        with_own_hours = RoomHours.objects.values("room_id")
        own_cover = RoomHours.objects.filter(
            weekday=weekday, opens__lte=start_time, closes__gte=end_time
        ).values("room_id")
        building_cover = BuildingHours.objects.filter(
            weekday=weekday, opens__lte=start_time, closes__gte=end_time
        ).values("building_id")
        return (
            self.filter(
                Q(pk__in=own_cover)
                | (~Q(pk__in=with_own_hours) & Q(building_id__in=building_cover))
            )
            .exclude(pk__in=held)
            .exclude(pk__in=blocked)
        )


class Room(models.Model):
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address on the site"), max_length=120, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (people)"), validators=[MinValueValidator(1)]
    )
    area = models.DecimalField(
        _("area (m²)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    equipment = models.JSONField(
        _("equipment"), default=list, blank=True, validators=[_check_equipment]
    )
    is_free = models.BooleanField(
        _("free of charge"),
        default=True,
        help_text=_("Lent free for non-commercial activity (użyczenie)."),
    )
    fee_text = models.CharField(
        _("fees"),
        max_length=300,
        blank=True,
        help_text=_("When not free: what is paid and how, e.g. the cost of cleaning."),
    )
    for_verified_organizations = models.BooleanField(
        _("verified organizations may book"), default=True
    )
    for_informal_groups = models.BooleanField(_("informal groups may book"), default=True)
    for_others = models.BooleanField(
        _("others may book"),
        default=False,
        help_text=_("Residents, organizations not verified yet, other institutions."),
    )
    house_rules = models.TextField(
        _("house rules"), blank=True, help_text=_("Those who book must accept them.")
    )
    needs_approval = models.BooleanField(
        _("requests need a manager's approval"),
        default=True,
        help_text=_("Otherwise a free slot is confirmed at once."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_rooms",
        help_text=_("They decide on the requests and are told of them by e-mail."),
    )
    is_active = models.BooleanField(_("can be booked"), default=True)
    created_at = models.DateTimeField(_("published"), auto_now_add=True)
    # "|projector|wifi|", written by save(): the equipment filter matches it with LIKE on
    # every database (a JSON containment lookup is not available on SQLite).
    equipment_index = models.CharField(max_length=300, editable=False, default="")

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["building__name", "name", "id"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self):
        return f"{self.building.name} — {self.name}"

    def save(self, *args, **kwargs):
        self.equipment = [code for code in Equipment.values if code in set(self.equipment or [])]
        self.equipment_index = "|" + "|".join(self.equipment) + "|" if self.equipment else ""
        if not self.slug:
            self.slug = self._unique_slug()
        if kwargs.get("update_fields") is not None and "equipment" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "equipment_index"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("venues:room", args=[self.slug])

    def _unique_slug(self):
        base = slugify(f"{self.building.name} {self.name}")[:100] or "sala"
        slug, n = base, 2
        while Room.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug = f"{base}-{n}"
            n += 1
        return slug

    def equipment_labels(self):
        labels = dict(Equipment.choices)
        return [labels[code] for code in self.equipment if code in labels]

    def bookable_hours(self):
        """The room's own bookable hours, else its building's opening hours (use
        prefetch_related("hours", "building__hours") on lists)."""
        own = list(self.hours.all())
        return own or list(self.building.hours.all())

    def who_may_book(self):
        who = []
        if self.for_verified_organizations:
            who.append(_("verified organizations"))
        if self.for_informal_groups:
            who.append(_("informal groups"))
        if self.for_others:
            who.append(_("others (residents, institutions)"))
        return who


class RoomHours(Hours):
    """Bookable hours of a room; a room without any uses its building's opening hours."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="hours")

    class Meta(Hours.Meta):
        verbose_name = _("bookable hours")
        verbose_name_plural = _("bookable hours")


class RoomPhoto(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("rooms"))
    alt = models.CharField(
        _("what the photo shows"),
        max_length=300,
        help_text=_("In words, for those who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]

    def __str__(self):
        return self.alt


class BlockedPeriod(models.Model):
    """A time the room cannot be booked: repairs, the owner's own events, holidays."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="blocked_periods"
    )
    starts = models.DateTimeField(_("from"))
    ends = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("blocked period")
        verbose_name_plural = _("blocked periods")
        ordering = ["starts", "id"]
        indexes = [models.Index(fields=["room", "starts"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="venues_blocked_ends_after_starts"
            )
        ]

    def __str__(self):
        return f"{self.room}: {self.reason}"

    def clean(self):
        if self.starts and self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": _("The end must be after the start.")})


class BookingSeries(models.Model):
    """A weekly series of bookings requested at once (all of them, or none)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="series")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("weekly series")
        verbose_name_plural = _("weekly series")

    def __str__(self):
        return f"{self.room} × {self.weeks}"


class BookingQuerySet(models.QuerySet):
    def held(self):
        return self.filter(status__in=Booking.HELD)

    def overlapping(self, room, starts, ends):
        """Bookings of `room` that meet [starts, ends): an indexed range of (room, starts)."""
        return self.filter(
            room=room,
            starts__gt=starts - MAX_BOOKING_LENGTH,
            starts__lt=ends,
            ends__gt=starts,
        )

    def public_confirmed(self):
        return self.filter(status=Booking.Status.CONFIRMED, is_public=True)


class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("booking status", "waiting for approval")
        CONFIRMED = "confirmed", pgettext_lazy("booking status", "confirmed")
        REFUSED = "refused", pgettext_lazy("booking status", "refused")
        CANCELLED = "cancelled", pgettext_lazy("booking status", "cancelled")
        NO_SHOW = "no_show", pgettext_lazy("booking status", "nobody came")

    class Requester(models.TextChoices):
        VERIFIED_ORGANIZATION = "verified_organization", _("verified organization")
        INFORMAL_GROUP = "informal_group", _("informal group")
        OTHER = "other", _("other")

    # The statuses that hold the room's time: no two such bookings of a room overlap.
    HELD = ("requested", "confirmed")

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="room_bookings",
    )
    group_name = models.CharField(
        _("group or person"),
        max_length=200,
        blank=True,
        help_text=_("Who uses the room, when it is not an organization on the platform."),
    )
    requester_kind = models.CharField(
        _("booked as"), max_length=24, choices=Requester, default=Requester.OTHER
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="room_bookings",
    )
    purpose = models.TextField(_("purpose"))
    starts = models.DateTimeField(_("from"))
    ends = models.DateTimeField(_("until"))
    expected_people = models.PositiveSmallIntegerField(
        _("expected people"), validators=[MinValueValidator(1)]
    )
    non_commercial = models.BooleanField(_("non-commercial use declared"), default=False)
    rules_accepted = models.BooleanField(_("house rules accepted"), default=False)
    is_public = models.BooleanField(
        _("shown in the public calendar"),
        default=False,
        help_text=_("The purpose and the organization are shown; never who requested it."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.REQUESTED)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    series = models.ForeignKey(
        BookingSeries,
        verbose_name=_("weekly series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts", "id"]
        indexes = [
            # Overlaps and "free at": the held bookings of a room by start.
            models.Index(
                fields=["room", "starts"],
                condition=Q(status__in=("requested", "confirmed")),
                name="venues_booking_held_room",
            ),
            models.Index(fields=["room", "status", "starts"], name="venues_booking_room_status"),
            # The managers' queue: the oldest requests first.
            models.Index(
                fields=["room", "created_at"],
                condition=Q(status="requested"),
                name="venues_booking_queue",
            ),
            models.Index(fields=["requested_by", "-starts"], name="venues_booking_requester"),
            models.Index(fields=["organization", "-starts"], name="venues_booking_organization"),
            models.Index(fields=["status", "starts"], name="venues_booking_status_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="venues_booking_ends_after_starts"
            ),
            models.CheckConstraint(
                condition=Q(non_commercial=True), name="venues_booking_non_commercial"
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="venues_booking_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(group_name=""),
                name="venues_booking_names_who",
            ),
        ]

    def __str__(self):
        return _("Booking %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("venues:booking", args=[self.pk])

    @property
    def number(self):
        return f"S-{self.pk:06d}" if self.pk else "S-?"

    @property
    def holds_time(self):
        return self.status in self.HELD

    @property
    def who(self):
        """Who uses the room, as shown to the managers and the requester."""
        return self.organization.name if self.organization_id else self.group_name

    @property
    def public_title(self):
        """What the public calendar says: the purpose's first line and the organization,
        never a person's name (a group's name may be one, so it is left out)."""
        first = (self.purpose or "").strip().splitlines()[0][:120] if self.purpose else ""
        if self.organization_id:
            return f"{first} — {self.organization.name}" if first else self.organization.name
        return first or str(_("Booked"))


class WaitingListEntry(models.Model):
    """A person waiting for a taken slot: when it frees, the first who fits is offered it
    for settings.VENUES_OFFER_HOURS hours, during which nobody else can book it."""

    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("waiting list", "waiting")
        OFFERED = "offered", pgettext_lazy("waiting list", "offered")
        BOOKED = "booked", pgettext_lazy("waiting list", "booked")
        EXPIRED = "expired", pgettext_lazy("waiting list", "offer expired")
        WITHDRAWN = "withdrawn", pgettext_lazy("waiting list", "withdrawn")

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="waiting_list"
    )
    starts = models.DateTimeField(_("from"))
    ends = models.DateTimeField(_("until"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="room_waiting_list",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.WAITING)
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer holds until"), null=True, blank=True)

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["room", "status", "starts"], name="venues_waiting_room"),
            models.Index(fields=["status", "offer_expires_at"], name="venues_waiting_offers"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="venues_waiting_ends_after_starts"
            )
        ]

    def __str__(self):
        return f"{self.room} {self.starts:%Y-%m-%d %H:%M}"


class SupportPlace(models.Model):
    """A place supporting NGOs (MOWIS, a Centrum Obywatelskie, a district point): advice,
    rooms, equipment, training."""

    name = models.CharField(_("name"), max_length=200)
    operator = models.CharField(_("run by"), max_length=300)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("town"), max_length=100, default="Kraków")
    district = models.ForeignKey(
        "organizations.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="support_places",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    services = models.TextField(
        _("services"), help_text=_("One service per line: advice, accounting help, rooms…")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("shown on the site"), default=True)

    class Meta:
        verbose_name = _("support place")
        verbose_name_plural = _("support places")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def address(self):
        return ", ".join(p for p in (self.street, f"{self.postal_code} {self.city}".strip()) if p)

    def service_list(self):
        return [line.strip() for line in self.services.splitlines() if line.strip()]

    def has_evening_hours(self):
        return any(h.is_evening for h in self.hours.all())


class SupportPlaceHours(Hours):
    place = models.ForeignKey(SupportPlace, on_delete=models.CASCADE, related_name="hours")

    class Meta(Hours.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
