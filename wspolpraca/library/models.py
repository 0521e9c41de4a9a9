"""The research library: studies of the city by the city, its units, universities and
organizations, in one place and searchable; and research topics that anyone proposes,
others support and the city answers.

A study's life is declared once, in `Study.Status` and `STUDY_OFFERS`: what each status
lets people do (edit, submit, moderate, hide, show). A topic's answers are in
`ResearchTopic.Status`; which of them still take supports is `TOPIC_OPEN_STATUSES`. The
services refuse what a status does not offer; the templates read the same tables.

Strategies and programmes (PRODUCT I5) live in this app too, beside these models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.uploads import PrivateStorage, RandomName


def study_file_max_size():
    """The largest file of a study, in bytes: reports run long, scans are heavy."""
    return getattr(settings, "LIBRARY_FILE_MAX_SIZE", 20 * 1024 * 1024)


class StudyQuerySet(models.QuerySet):
    def published(self):
        """What the public list, the search and the API show."""
        return self.filter(status=Study.Status.PUBLISHED)

    def for_listing(self):
        return self.select_related("organization").prefetch_related("areas")

    def of_organizations_of(self, user):
        """Studies of the organizations `user` belongs to, in every status."""
        from wspolpraca.organizations.models import Organization

        return self.filter(organization__in=Organization.objects.filter(memberships__user=user))


class Study(models.Model):
    class PublisherType(models.TextChoices):
        CITY = "city", pgettext_lazy("study publisher", "the city")
        CITY_UNIT = "city_unit", pgettext_lazy("study publisher", "a city unit")
        UNIVERSITY = "university", pgettext_lazy("study publisher", "a university")
        NGO = "ngo", pgettext_lazy("study publisher", "an organization (NGO)")

    class Licence(models.TextChoices):
        CC_BY = "cc-by-4.0", _("CC BY 4.0 (attribution)")
        CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0 (attribution, share alike)")
        CC0 = "cc0-1.0", _("CC0 1.0 (public domain)")
        ALL_RIGHTS_RESERVED = "all-rights-reserved", _("all rights reserved")
        OTHER = "other", pgettext_lazy("licence", "other")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("study status", "draft")
        SUBMITTED = "submitted", pgettext_lazy("study status", "awaiting moderation")
        PUBLISHED = "published", pgettext_lazy("study status", "published")
        REJECTED = "rejected", pgettext_lazy("study status", "rejected")
        HIDDEN = "hidden", pgettext_lazy("study status", "hidden by a moderator")

    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(_("authors"), max_length=500)
    publisher_type = models.CharField(
        _("type of publisher"), max_length=12, choices=PublisherType, db_index=True
    )
    publisher_name = models.CharField(
        _("name of the publisher"),
        max_length=300,
        blank=True,
        help_text=_("The department, unit, university or organization, as it signs the study."),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="studies",
    )
    year = models.PositiveSmallIntegerField(_("year of publication"))
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        related_name="studies",
    )
    districts = models.ManyToManyField(
        "organizations.District",
        verbose_name=_("districts"),
        blank=True,
        related_name="studies",
        help_text=_("Leave empty when the study concerns the whole city."),
    )
    abstract = models.TextField(_("abstract"))
    file = models.FileField(
        _("file"),
        upload_to=RandomName("studies"),
        storage=PrivateStorage(),
        blank=True,
        max_length=200,
    )
    # The file's extension as recognised from its content ("pdf", "docx"…): its name on
    # download and its type, without opening it.
    file_type = models.CharField(_("type of the file"), max_length=8, blank=True)
    file_size = models.PositiveIntegerField(_("size of the file"), null=True, blank=True)
    link = models.URLField(_("link to the study"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=24, choices=Licence)
    licence_other = models.CharField(_("the other licence"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    # Entered by city staff (the city's own studies, and others' they add): staff keep it
    # up; otherwise the organization's members do.
    added_by_city = models.BooleanField(_("added by the city"), default=False)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # Written by save(): the Polish normaliser's tokens, indexed by FTS5 / GIN (core.search).
    search_name = models.TextField(editable=False, default="")
    search_document = models.TextField(editable=False, default="")

    objects = StudyQuerySet.as_manager()

    PER_PAGE = 20

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-year", "-id"]
        indexes = [
            # The public list: the newest published studies first.
            models.Index(
                fields=["-year", "-id"],
                condition=Q(status="published"),
                name="library_study_published_idx",
            ),
            models.Index(fields=["status", "submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link=""),
                name="library_study_has_file_or_link",
            ),
            models.CheckConstraint(
                condition=~Q(licence="other") | ~Q(licence_other=""),
                name="library_study_other_licence_named",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from wspolpraca.core.search import search_document

        self.search_name = search_document(self.title)
        self.search_document = search_document(
            self.title,
            self.authors,
            self.publisher_name,
            self.organization.name if self.organization_id else "",
            self.abstract,
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "search_document"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("library:study", args=[self.pk])

    @property
    def offers(self):
        """What the study's status lets people do (see STUDY_OFFERS)."""
        return STUDY_OFFERS[self.status]

    @property
    def publisher(self):
        """Who published it, as the public reads it."""
        if self.publisher_name:
            return self.publisher_name
        if self.organization_id:
            return self.organization.name
        return self.get_publisher_type_display()

    @property
    def licence_text(self):
        if self.licence == self.Licence.OTHER:
            return self.licence_other
        return self.get_licence_display()

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def file_name(self):
        """The name a downloaded file gets: the study's number and its real type."""
        return f"badanie-{self.pk}.{self.file_type or 'bin'}"


# What each status offers: declared once, read by the services and the templates.
STUDY_OFFERS = {
    Study.Status.DRAFT: {"edit", "submit"},
    Study.Status.SUBMITTED: {"moderate"},
    Study.Status.PUBLISHED: {"hide"},
    Study.Status.REJECTED: {"edit", "submit"},
    Study.Status.HIDDEN: {"show"},
}


class ResearchTopicQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("study").prefetch_related("areas")


class ResearchTopic(models.Model):
    """A subject somebody wants the city to study, and the city's answer."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("research topic status", "awaiting an answer")
        UNDER_CONSIDERATION = (
            "considered",
            pgettext_lazy("research topic status", "under consideration"),
        )
        TAKEN_UP = "taken_up", pgettext_lazy("research topic status", "taken up")
        DECLINED = "declined", pgettext_lazy("research topic status", "declined")

    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("what should be studied and why"))
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        related_name="research_topics",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="research_topics",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PROPOSED, db_index=True
    )
    answer = models.TextField(_("the city's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    study = models.ForeignKey(
        Study,
        verbose_name=_("resulting study"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    # Kept by the services with each support and withdrawal: the list sorts by it.
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    created_at = models.DateTimeField(_("proposed on"), auto_now_add=True)

    objects = ResearchTopicQuerySet.as_manager()

    PER_PAGE = 20

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["-support_count", "-id"]
        indexes = [
            models.Index(fields=["-support_count", "-id"]),
            models.Index(fields=["-created_at", "-id"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:topic", args=[self.pk])

    @property
    def takes_supports(self):
        return self.status in TOPIC_OPEN_STATUSES

    @property
    def is_answered(self):
        return self.status != self.Status.PROPOSED


# A topic is supported while the city has not decided it; taken up or declined, it is done.
TOPIC_OPEN_STATUSES = {ResearchTopic.Status.PROPOSED, ResearchTopic.Status.UNDER_CONSIDERATION}
# The answers the city gives (a topic is "proposed" until the first one).
TOPIC_ANSWERS = [
    ResearchTopic.Status.UNDER_CONSIDERATION,
    ResearchTopic.Status.TAKEN_UP,
    ResearchTopic.Status.DECLINED,
]


class TopicSupport(models.Model):
    """One account's support of a topic: one per account, withdrawn by deleting it."""

    topic = models.ForeignKey(
        ResearchTopic,
        verbose_name=_("research topic"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="topic_supports",
    )
    created_at = models.DateTimeField(_("supported on"), auto_now_add=True)

    class Meta:
        verbose_name = _("support of a research topic")
        verbose_name_plural = _("supports of research topics")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user"], name="library_one_support_per_account"
            )
        ]

    def __str__(self):
        return f"{self.topic} — {self.user_id}"


# Strategies and programmes with their monitoring (PRODUCT I5), in a module of their own.
from .strategy_models import *  # noqa: E402, F403
