"""The exchange: offers and needs that organizations and businesses post for each other,
and the messages through which people answer them without showing an e-mail address.

A post's life is declared once, here: `Post.Status` holds what a person decided (open,
closed) or what the daily job wrote down (expired), while `Post.state` is what the post is
today — an open post past its `expires_on` is expired by the date, whether or not the job
has run. `Post.objects.live()` is the query twin of `state == open` and is what every
public list shows. Who may post what is declared in `CATEGORIES_BY_AUTHOR` and
`SIDES_BY_AUTHOR`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def default_days():
    """How long a new post stays up unless its author says otherwise."""
    return getattr(settings, "EXCHANGE_DEFAULT_DAYS", 60)


def max_days():
    """The longest a post stays up from the day it is published or extended: stale offers
    are what makes an exchange board useless."""
    return getattr(settings, "EXCHANGE_MAX_DAYS", 90)


def default_expiry():
    return timezone.localdate() + timedelta(days=default_days())


class PostQuerySet(models.QuerySet):
    def live(self, today=None):
        """What the public lists show: open, not hidden, not past its date."""
        today = today or timezone.localdate()
        return self.filter(status=Post.Status.OPEN, is_hidden=False, expires_on__gte=today)

    def for_listing(self):
        return self.select_related("organization", "district").prefetch_related("areas")

    def authored_by(self, user):
        """Posts `user` speaks for: their organizations' and their own business posts."""
        from wspolpraca.organizations.models import Organization

        return self.filter(
            Q(organization__in=Organization.objects.filter(memberships__user=user))
            | Q(author_kind=Post.AuthorKind.BUSINESS, created_by=user)
        )


class Post(models.Model):
    class Side(models.TextChoices):
        OFFER = "offer", pgettext_lazy("exchange side", "offer")
        NEED = "need", pgettext_lazy("exchange side", "need")

    class Category(models.TextChoices):
        SERVICES = "services", pgettext_lazy("exchange category", "services")
        KNOWLEDGE = "knowledge", pgettext_lazy("exchange category", "knowledge and advice")
        EQUIPMENT = "equipment", pgettext_lazy("exchange category", "equipment")
        VOLUNTEERS = "volunteers", pgettext_lazy("exchange category", "volunteers")
        SPACE = "space", pgettext_lazy("exchange category", "space")
        PRO_BONO = "pro_bono", pgettext_lazy("exchange category", "pro bono work")
        VOLUNTEERING = "volunteering", pgettext_lazy("exchange category", "employee volunteering")
        DISABILITY_JOBS = (
            "disability_jobs",
            pgettext_lazy("exchange category", "employing people with disabilities"),
        )

    class AuthorKind(models.TextChoices):
        ORGANIZATION = "organization", pgettext_lazy("exchange author", "an organization")
        BUSINESS = "business", pgettext_lazy("exchange author", "a business")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("exchange post status", "open")
        CLOSED = "closed", pgettext_lazy("exchange post status", "closed")
        EXPIRED = "expired", pgettext_lazy("exchange post status", "expired")

    class Outcome(models.TextChoices):
        MATCHED_HERE = "matched_here", _("we found a partner through the exchange")
        MATCHED_ELSEWHERE = "matched_elsewhere", _("we found a partner elsewhere")
        NOT_NEEDED = "not_needed", _("it is no longer needed or available")

    side = models.CharField(_("offer or need"), max_length=8, choices=Side)
    category = models.CharField(_("category"), max_length=16, choices=Category)
    author_kind = models.CharField(_("posted by"), max_length=16, choices=AuthorKind)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exchange_posts",
    )
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    company_nip = models.CharField(_("company NIP"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"))
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        related_name="exchange_posts",
    )
    district = models.ForeignKey(
        "organizations.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty when it concerns the whole city."),
    )
    expires_on = models.DateField(_("expires on"), default=default_expiry)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    # The expiry date the author was last reminded of: one reminder per date, whichever
    # worker runs the daily job and however often.
    reminded_for = models.DateField(_("reminded of the expiry on"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(_("hidden on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by (person)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_posts",
    )
    created_at = models.DateTimeField(_("published on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # Written by save(): the Polish normaliser's tokens, indexed by FTS5 / GIN (core.search).
    search_name = models.TextField(editable=False, default="")
    search_document = models.TextField(editable=False, default="")

    objects = PostQuerySet.as_manager()

    PER_PAGE = 20

    class Meta:
        verbose_name = _("exchange post")
        verbose_name_plural = _("exchange posts")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The public list: the newest live posts first.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(status="open", is_hidden=False),
                name="exchange_post_live_idx",
            ),
            models.Index(fields=["status", "expires_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(author_kind="organization", organization__isnull=False, company_name="")
                    | (Q(author_kind="business", organization__isnull=True) & ~Q(company_name=""))
                ),
                name="exchange_post_author_is_organization_or_company",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from wspolpraca.core.search import search_document

        self.search_name = search_document(self.title)
        self.search_document = search_document(
            self.title,
            self.description,
            self.company_name,
            self.organization.name if self.organization_id else "",
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "search_document"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("exchange:detail", args=[self.pk])

    @property
    def author_name(self):
        """Who speaks in the post: the organization, or the company."""
        if self.organization_id:
            return self.organization.name
        return self.company_name

    @property
    def state(self):
        """What the post is today: an open post past its date is expired, job or no job."""
        if self.status == self.Status.OPEN and self.expires_on < timezone.localdate():
            return self.Status.EXPIRED
        return self.status

    def get_state_display(self):
        return self.Status(self.state).label

    @property
    def is_live(self):
        return self.state == self.Status.OPEN and not self.is_hidden


# Who may post what: organizations offer and look for the five kinds of help; a business
# offers its own kinds (and may lend equipment or space).
CATEGORIES_BY_AUTHOR = {
    Post.AuthorKind.ORGANIZATION: (
        Post.Category.SERVICES,
        Post.Category.KNOWLEDGE,
        Post.Category.EQUIPMENT,
        Post.Category.VOLUNTEERS,
        Post.Category.SPACE,
    ),
    Post.AuthorKind.BUSINESS: (
        Post.Category.PRO_BONO,
        Post.Category.VOLUNTEERING,
        Post.Category.DISABILITY_JOBS,
        Post.Category.EQUIPMENT,
        Post.Category.SPACE,
    ),
}
SIDES_BY_AUTHOR = {
    Post.AuthorKind.ORGANIZATION: (Post.Side.OFFER, Post.Side.NEED),
    Post.AuthorKind.BUSINESS: (Post.Side.OFFER,),
}


class Message(models.Model):
    """One message in a conversation about a post.

    A conversation is between the post's side (the business's author, or any member of
    the organization) and one other person, the `correspondent`, who started it; both
    sides' messages carry the correspondent, so a conversation is one filter. Nobody else
    reads it."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="messages"
    )
    correspondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conversation with"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sender_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_author = models.BooleanField(_("written by the post's side"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    PER_PAGE = 50

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "correspondent", "created_at"]),
            models.Index(fields=["correspondent", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.post} — {self.created_at:%Y-%m-%d %H:%M}"


class AbuseReport(models.Model):
    """A signed-in person's report that a post breaks the rules; platform admins are told."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("what is wrong"))
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("report of a post")
        verbose_name_plural = _("reports of posts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_person")
        ]

    def __str__(self):
        return f"{self.post} — {self.created_at:%Y-%m-%d}"
