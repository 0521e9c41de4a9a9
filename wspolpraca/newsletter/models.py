"""The newsletter: subscribers by area and kind, the weekly digests and what each
subscriber was sent, and the city's short news (a kind of the feed like any other).

A subscriber's address is seen by nobody but platform administrators: `__str__` names the
row by its number, so audit entries and logs that print a row never carry the address.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.search import fold


class Kind(models.TextChoices):
    """What a subscriber may choose to hear about; each is one or more feed kinds."""

    CALLS = "calls", _("calls for proposals and the schedule of calls")
    CONSULTATIONS = "consultations", _("consultations and their meetings")
    TRAININGS = "trainings", _("trainings")
    EVENTS = "events", _("events and meetings")
    ROOMS = "rooms", _("rooms newly available in city buildings")
    NEWS = "news", pgettext_lazy("newsletter kind", "news")


# Subscriber kinds → the feed kinds (core.feed) they stand for. A feed kind not listed here
# (an evaluation meeting) is never sent in a digest.
FEED_KINDS = {
    Kind.CALLS: ("call", "planned_call"),
    Kind.CONSULTATIONS: ("consultation", "consultation_meeting"),
    Kind.TRAININGS: ("training",),
    Kind.EVENTS: ("event", "meeting", "body_meeting"),
    Kind.ROOMS: ("room",),
    Kind.NEWS: ("news",),
}
ALL_FEED_KINDS = tuple(kind for kinds in FEED_KINDS.values() for kind in kinds)


def new_key():
    return secrets.token_urlsafe(16)


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        """Confirmed, not unsubscribed, and not bounced too often to send to."""
        limit = getattr(settings, "NEWSLETTER_BOUNCE_LIMIT", 3)
        return self.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True, bounce_count__lt=limit
        )


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"))
    # A signed-in person's subscription belongs to the account: they manage it on their
    # own page, without an e-mail round trip for their verified address.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="newsletter_subscription",
    )
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="+",
        help_text=_("None chosen: all areas."),
    )
    kinds = models.JSONField(_("what to send"), default=list)
    language = models.CharField(
        _("language of the e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # The secret part of the links in every e-mail (preferences, unsubscribe); the links
    # are signed as well, so that a key cannot be guessed nor a link altered.
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("last bounce"), null=True, blank=True)
    bounce_count = models.PositiveSmallIntegerField(_("bounces"), default=0)
    last_digest_at = models.DateTimeField(_("last digest up to"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci"),
        ]

    def __str__(self):
        return str(_("Subscriber no. %(number)s") % {"number": self.pk})

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        limit = getattr(settings, "NEWSLETTER_BOUNCE_LIMIT", 3)
        return bool(self.confirmed_at and not self.unsubscribed_at and self.bounce_count < limit)

    def get_kinds_display(self):
        labels = dict(Kind.choices)
        return [labels[k] for k in self.kinds if k in labels]


class Digest(models.Model):
    """One weekly issue: what was published in its period, sent to each subscriber once."""

    class Status(models.TextChoices):
        SENDING = "sending", pgettext_lazy("digest status", "sending")
        DONE = "done", pgettext_lazy("digest status", "sent")

    # The Monday of the ISO week: one digest a week, whatever day it is sent on.
    week = models.DateField(_("week of"), unique=True)
    period_start = models.DateTimeField(_("published from"))
    period_end = models.DateTimeField(_("published before"))
    # What the feed held for the period, per language, taken once when the digest was
    # made: every worker sends from the same list, and nobody queries the feed per person.
    items = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.SENDING, db_index=True
    )
    item_count = models.PositiveIntegerField(_("items"), default=0)
    # Counted when the digest finishes (until then the send log counts its deliveries).
    subscriber_count = models.PositiveIntegerField(_("subscribers"), default=0)
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    skipped_count = models.PositiveIntegerField(_("nothing to send"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-week"]

    def __str__(self):
        return str(_("Digest of the week of %(day)s") % {"day": self.week.strftime("%d.%m.%Y")})


class DigestDelivery(models.Model):
    """One subscriber's copy of a digest. UNIQUE(digest, subscriber) is what keeps a
    resumed or parallel run from ever making a second copy."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery status", "waiting")
        SENT = "sent", pgettext_lazy("delivery status", "sent")
        SKIPPED = "skipped", pgettext_lazy("delivery status", "nothing to send")
        FAILED = "failed", pgettext_lazy("delivery status", "failed")

    digest = models.ForeignKey(
        Digest, verbose_name=_("digest"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    outgoing_email = models.ForeignKey(
        "core.OutgoingEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item_count = models.PositiveSmallIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        ordering = ["digest", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "subscriber"], name="newsletter_one_delivery_per_subscriber"
            )
        ]
        # Workers claim the pending copies of a digest in order of id.
        indexes = [models.Index(fields=["digest", "status", "id"])]

    def __str__(self):
        return f"{self.digest} — {self.subscriber}"


class NewsQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class News(models.Model):
    """A short piece of news from the city to organizations, also sent in the digests."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address on the site"), max_length=80, unique=True, blank=True)
    lead = models.TextField(
        _("lead"), max_length=600, help_text=_("One or two sentences: what happened, for whom.")
    )
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Markdown: **bold**, lists, [links](https://example.org)."),
    )
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty when it concerns every area."),
    )
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty: a draft nobody sees. A later date: shown from then on."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one piece", "news")
        verbose_name_plural = pgettext_lazy("many pieces", "news")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at", "-id"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(fold(self.title))[:70] or "aktualnosc"
            slug, n = base, 2
            while News.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsletter:news_detail", args=[self.slug])
