import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.i18n import localized
from wspolpraca.core.search import fold, search_document
from wspolpraca.core.uploads import RandomName


class PublicBenefitAreaQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class PublicBenefitArea(models.Model):
    """An area of public tasks from art. 4 ust. 1 of the public benefit act.

    Stored as data with a validity period, so an amendment of the act is an edit in the
    back office, not a migration.
    """

    code = models.CharField(_("code"), max_length=8, unique=True)
    label_pl = models.CharField(_("label (Polish)"), max_length=400)
    label_en = models.CharField(_("label (English)"), max_length=400, blank=True)
    # The statutory wording is long; lists and filters show a short plain-language name.
    short_label_pl = models.CharField(_("short name (Polish)"), max_length=80, blank=True)
    short_label_en = models.CharField(_("short name (English)"), max_length=80, blank=True)
    # Words people search with that the statutory wording lacks ("seniorzy" for older
    # people), separated by commas; search adds the area's organizations to their matches.
    synonyms = models.TextField(_("search synonyms"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = PublicBenefitAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("public benefit area")
        verbose_name_plural = _("public benefit areas")
        ordering = ["position", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return localized(self, "label")

    @property
    def short_label(self):
        """The plain-language name for lists and filters; the statutory wording if none."""
        return localized(self, "short_label") or self.label


class District(models.Model):
    """An administrative district of the municipality (Kraków has 18)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    roman = models.CharField(_("roman numeral"), max_length=8, blank=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["number"]

    def __str__(self):
        return f"{self.roman} {self.name}".strip()


class TargetGroup(models.Model):
    name_pl = models.CharField(_("name (Polish)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["name_pl"]

    def __str__(self):
        return localized(self, "name")


class OrganizationQuerySet(models.QuerySet):
    def public(self):
        """What the public directory shows: every record that is not rejected or hidden."""
        return self.exclude(verification=Organization.Verification.REJECTED).filter(is_hidden=False)

    # Long texts a list never shows: leaving them out keeps sorting many matches cheap.
    LISTING_DEFERRED = ("description", "statutory_goals", "search_name", "search_document")

    def for_listing(self):
        return (
            self.select_related("district").prefetch_related("areas").defer(*self.LISTING_DEFERRED)
        )

    def in_area(self, area):
        return self.filter(areas=area)

    def search(self, query):
        from wspolpraca.core.search import search

        return search(self, query)


class Organization(models.Model):
    class Kind(models.TextChoices):
        FOUNDATION = "foundation", _("foundation")
        ASSOCIATION = "association", _("association")
        ORDINARY_ASSOCIATION = "ordinary_association", _("ordinary association")
        SOCIAL_COOPERATIVE = "social_cooperative", _("social cooperative")
        CHURCH_LEGAL_PERSON = "church_legal_person", _("church legal person")
        NONPROFIT_COMPANY = "nonprofit_company", _("non-profit company")
        INFORMAL_GROUP = "informal_group", _("informal group")
        OTHER = "other", _("other")

    # Kinds that are never in the KRS: they register without a KRS number.
    KINDS_OUTSIDE_KRS = {Kind.ORDINARY_ASSOCIATION, Kind.CHURCH_LEGAL_PERSON, Kind.INFORMAL_GROUP}

    class Verification(models.TextChoices):
        PENDING = "pending", _("pending verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("registered on the platform")
        KRS_WATCH = "krs_watch", _("found by the KRS watch")
        BACK_OFFICE = "back_office", _("entered in the back office")
        DEMO = "demo", _("demo data")

    class RegisterStatus(models.TextChoices):
        ACTIVE = "active", _("active")
        STRUCK_OFF = "struck_off", _("struck off the register")
        UNKNOWN = "unknown", _("not checked")

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("address on the site"), max_length=120, unique=True)
    kind = models.CharField(_("legal form"), max_length=32, choices=Kind)
    krs = models.CharField(_("KRS number"), max_length=10, blank=True, null=True, unique=True)
    nip = models.CharField(_("NIP"), max_length=10, blank=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    other_register = models.CharField(
        _("other register and number"),
        max_length=200,
        blank=True,
        help_text=_("For bodies outside the KRS, e.g. the register of ordinary associations."),
    )
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    areas = models.ManyToManyField(
        PublicBenefitArea,
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="organizations",
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="organizations"
    )
    description = models.TextField(_("description"), blank=True)
    statutory_goals = models.TextField(_("statutory goals"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_public_benefit = models.BooleanField(_("public benefit organization (OPP)"), default=False)
    # Stored under a random name; checked by content and size in the form (core/uploads.py).
    logo = models.ImageField(_("logo"), upload_to=RandomName("logos"), blank=True)
    verification = models.CharField(
        _("verification"), max_length=16, choices=Verification, default=Verification.PENDING
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    data_confirmed_at = models.DateTimeField(
        _("data last confirmed by the organization"), null=True, blank=True
    )
    register_status = models.CharField(
        _("status in the register"),
        max_length=16,
        choices=RegisterStatus,
        default=RegisterStatus.UNKNOWN,
    )
    register_checked_at = models.DateTimeField(_("register last read"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=Source, default=Source.REGISTRATION
    )
    is_hidden = models.BooleanField(
        _("hidden from the public directory"),
        default=False,
        help_text=_("New records found by the KRS watch stay hidden until staff review them."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Written by save() from the fields above. sort_name orders names the same way on
    # every database (folded, so Ł sorts with L); the search columns are indexed by
    # FTS5 / GIN (see core.search).
    sort_name = models.CharField(max_length=300, editable=False, default="")
    search_name = models.TextField(editable=False, default="")
    search_document = models.TextField(editable=False, default="")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["sort_name", "id"]),
            # The public directory's default order, over exactly the rows it shows.
            models.Index(
                fields=["sort_name", "id"],
                condition=~Q(verification="rejected") & Q(is_hidden=False),
                name="organization_public_name_idx",
            ),
            models.Index(fields=["kind", "sort_name", "id"]),
            models.Index(fields=["verification"]),
            models.Index(fields=["-created_at"]),
            # The map's tiles: the public rows in a square of the city (see mapping.py).
            models.Index(
                fields=["latitude", "longitude"],
                condition=~Q(verification="rejected") & Q(is_hidden=False),
                name="organization_public_place",
            ),
            # "Recently verified" on the home page: the newest few, read from the index.
            models.Index(
                fields=["-verified_at", "-created_at"],
                condition=Q(verification="verified", is_hidden=False),
                name="organization_recent_verified",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        self.refresh_search_columns()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "sort_name",
                "search_name",
                "search_document",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the directory's counts know of this row (DirectoryStats, kept by signals).
        instance._counted_as = instance.directory_weight()
        return instance

    def directory_weight(self):
        """(public, verified) as this record counts in DirectoryStats; None when either field
        was deferred when it was read."""
        loaded = self.__dict__
        if "verification" not in loaded or "is_hidden" not in loaded:
            return None
        public = not self.is_hidden and self.verification != self.Verification.REJECTED
        return (int(public), int(public and self.verification == self.Verification.VERIFIED))

    def refresh_search_columns(self):
        """Areas are not part of the document: they are filters, and M2M is saved later."""
        self.sort_name = fold(self.name)[:300]
        self.search_name = search_document(self.name, self.short_name)
        self.search_document = search_document(
            self.name,
            self.short_name,
            self.city,
            self.street,
            self.description,
            self.statutory_goals,
            self.krs or "",
        )

    def _unique_slug(self):
        # Folded first: slugify drops letters without a decomposition, such as ł.
        base = slugify(fold(self.short_name or self.name))[:100] or "organizacja"
        slug, n = base, 2
        while Organization.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def is_verified(self):
        return self.verification == self.Verification.VERIFIED

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None


class DirectoryStats(models.Model):
    """The public directory's counts: one row, kept up to date on every change (see
    `services.count_change`), so that no page counts the whole table."""

    public_count = models.PositiveIntegerField(default=0)
    verified_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("directory statistics")
        verbose_name_plural = _("directory statistics")

    def __str__(self):
        return f"{self.public_count} / {self.verified_count}"


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        MEMBER = "member", _("member")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=8, choices=Role, default=Role.MEMBER)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="one_membership_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Invitations that can still be accepted (the query twin of Invitation.is_open)."""
        return self.filter(
            accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=8, choices=Membership.Role, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    # Set when an admin cancels it or when the inviter stops being an administrator.
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self):
        return (
            self.accepted_at is None
            and self.cancelled_at is None
            and self.expires_at > timezone.now()
        )


class ClaimRequest(models.Model):
    """A person asks to administer an organization already on the platform."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="claims",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person asking"),
        on_delete=models.CASCADE,
        related_name="claims",
    )
    message = models.TextField(_("message to the administrators"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason of the decision"), blank=True)

    class Meta:
        verbose_name = _("claim request")
        verbose_name_plural = _("claim requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(status="pending"),
                name="one_pending_claim_per_person",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.organization}"


class KrsWatchRun(models.Model):
    """One nightly pass over a day's KRS bulletin; resumable from `last_checked_krs`."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    day = models.DateField(_("bulletin day"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    numbers_in_bulletin = models.PositiveIntegerField(_("numbers in the bulletin"), default=0)
    last_checked_krs = models.CharField(_("last number checked"), max_length=10, blank=True)
    highest_seen_krs = models.CharField(_("highest number seen"), max_length=10, blank=True)
    refreshed_count = models.PositiveIntegerField(_("known organizations refreshed"), default=0)
    new_count = models.PositiveIntegerField(_("new organizations found"), default=0)
    log = models.TextField(_("log"), blank=True)

    class Meta:
        verbose_name = _("KRS watch run")
        verbose_name_plural = _("KRS watch runs")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} ({self.get_status_display()})"
