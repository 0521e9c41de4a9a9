from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.i18n import localized


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Page(models.Model):
    """A content page edited by officials, in Polish and English (Markdown)."""

    class Plane(models.TextChoices):
        POLICY = "policy", _("policies")
        PUBLIC_TASKS = "public_tasks", _("public tasks")
        INFRASTRUCTURE = "infrastructure", _("infrastructure")
        NONE = "none", _("none")

    slug = models.SlugField(_("address on the site"), max_length=100, unique=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_pl = models.TextField(_("summary (Polish)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    body_pl = models.TextField(_("body (Polish, Markdown)"), blank=True)
    body_en = models.TextField(_("body (English, Markdown)"), blank=True)
    plane = models.CharField(
        _("plane of cooperation"), max_length=16, choices=Plane, default=Plane.NONE
    )
    show_in_plane = models.BooleanField(
        _("list on the plane page"),
        default=False,
        help_text=_("Show a link to this page on the page of its plane of cooperation."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.title_pl

    def get_absolute_url(self):
        if self.slug in PLANE_SLUGS.values():
            return reverse("pages:plane", args=[self.slug])
        return reverse("pages:detail", args=[self.slug])

    @property
    def title(self):
        return localized(self, "title")

    @property
    def summary(self):
        return localized(self, "summary")

    @property
    def body(self):
        return localized(self, "body")

    def _lang(self, field):
        """The language of the text actually shown, for the `lang` attribute."""
        if get_language() == "en" and getattr(self, f"{field}_en"):
            return "en"
        return "pl"

    @property
    def title_lang(self):
        return self._lang("title")

    @property
    def summary_lang(self):
        return self._lang("summary")

    @property
    def body_lang(self):
        return self._lang("body")


# The slug of the page that introduces each plane of cooperation.
PLANE_SLUGS = {
    Page.Plane.POLICY: "polityki",
    Page.Plane.PUBLIC_TASKS: "zadania-publiczne",
    Page.Plane.INFRASTRUCTURE: "infrastruktura",
}


class AccessibilityDeclaration(models.Model):
    """The accessibility declaration required by the act of 4 April 2019 (one row)."""

    class Status(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    entity_name = models.CharField(_("name of the public entity"), max_length=300)
    site_url = models.URLField(_("address of the website"))
    published_on = models.DateField(_("date the site was published"))
    updated_on = models.DateField(_("date of the last significant update"))
    reviewed_on = models.DateField(_("date the declaration was last reviewed"))
    status = models.CharField(
        _("compliance status"), max_length=8, choices=Status, default=Status.PARTIAL
    )
    non_accessible_content = models.TextField(
        _("non-accessible content and reasons (Markdown)"),
        blank=True,
        help_text=_("What is not accessible, why, and what alternative is offered."),
    )
    prepared_on = models.DateField(_("date the declaration was prepared"))
    assessment = models.TextField(
        _("how the declaration was prepared"),
        default="",
        blank=True,
        help_text=_("E.g. a self-assessment by the operator."),
    )
    auditor = models.CharField(
        _("external auditor"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty when the assessment was not done by an outside entity."),
    )
    contact_person = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("contact e-mail"))
    phone = models.CharField(_("contact phone"), max_length=32)
    complaint_procedure = models.TextField(_("request and complaint procedure (Markdown)"))
    architectural_accessibility = models.TextField(
        _("architectural accessibility (Markdown)"), blank=True
    )
    mobile_apps = models.TextField(_("mobile applications (Markdown)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("accessibility declaration")
        verbose_name_plural = _("accessibility declaration")

    def __str__(self):
        return str(_("Accessibility declaration"))

    def save(self, *args, **kwargs):
        # One row only: whatever is saved becomes the declaration.
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first()

    @classmethod
    def defaults(cls):
        return {"email": settings.CONTACT_EMAIL, "phone": settings.CONTACT_PHONE}
