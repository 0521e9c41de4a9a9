from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A unit of the city office (wydział, biuro) that cooperates with NGOs."""

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(
        _("symbol"), max_length=20, blank=True, help_text=_("The office symbol, e.g. SO or WS.")
    )
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class CoordinatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Coordinator(models.Model):
    """A city official who is the NGOs' contact for one or more public benefit areas."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="coordinators",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("position title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="coordinators",
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CoordinatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        ordering = ["position", "full_name"]

    def __str__(self):
        return self.full_name


class Official(models.Model):
    """Which department a city staff account acts for: what it may prepare and change
    (its department's calls, schedule entries and requests) follows from this."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="official",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="officials",
    )
    position = models.CharField(_("position title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("official of a department")
        verbose_name_plural = _("officials of departments")
        ordering = ["department", "user__email"]

    def __str__(self):
        return f"{self.user} — {self.department}"


def department_of(user):
    """The department `user` acts for, or None (residents, NGO people, staff not assigned)."""
    if not user.is_authenticated:
        return None
    official = getattr(user, "official", None)
    return official.department if official else None


def department_recipients(department):
    """Who hears of what reaches `department` (a question, a request, a comment): its
    active officials; its own address, or the platform's, when it has none yet, so that
    nothing goes unseen."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    officials = list(
        get_user_model().objects.filter(official__department=department, is_active=True)
    )
    return officials or [department.email or settings.CONTACT_EMAIL]


class TrainingTopic(models.Model):
    """A topic organizations may need training in (fundraising, accounting, writing an
    offer…): the yearly training-needs survey asks about these, and trainings are tagged
    with them, so the survey's results can say which needs have trainings planned."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name
