from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).select_related("actor")


class AuditEntry(models.Model):
    """Who did what to which object, and when: the record auditors ask for.

    Entries are only ever added; the admin shows them read-only.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept when the account is later erased, so the trail still reads sensibly.
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type of object"), on_delete=models.CASCADE
    )
    object_id = models.CharField(_("object ID"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        from .audit import action_label

        when = timezone.localtime(self.created_at) if self.created_at else None
        return f"{when:%Y-%m-%d %H:%M} {self.actor_label}: {action_label(self.action)} — {self.object_repr}"


class Freshness(models.Model):
    """When one kind of public content (`key`: "directory", "city") last changed.

    Signals touch it on every change (core.caching.touch); it versions what is cached of
    that content and gives its pages' Last-Modified, so that a cached page is never older
    than the data it shows.
    """

    key = models.CharField(_("content"), max_length=50, primary_key=True)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("content freshness")
        verbose_name_plural = _("content freshness")

    def __str__(self):
        return f"{self.key}: {self.changed_at:%Y-%m-%d %H:%M:%S}"


class OutgoingEmail(models.Model):
    """One e-mail the platform sent or is about to send (core.mail): what a person was told,
    when, and whether it left. Kept for the record; the body is what was rendered."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    template = models.CharField(_("template"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED, db_index=True
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.to}: {self.subject}"
