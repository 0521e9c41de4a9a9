"""The yearly schedule of calls, and the numbers the law sets for calls and requests.

Calls, offers and what follows build on these; the law's numbers live in `LegalRules`,
one row an administrator edits, never as literals in code.
"""

from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import Department
from wspolpraca.organizations.models import PublicBenefitArea


class LegalRules(models.Model):
    """The numbers the public benefit act sets, editable when the law changes (one row).

    Each is shown to people where it applies ("at least 21 days after the last
    publication"), read from here.
    """

    min_days_to_deadline = models.PositiveSmallIntegerField(
        _("days from the last publication to the deadline for offers"),
        default=21,
        validators=[MinValueValidator(1)],
        help_text=_("Art. 13 of the public benefit act: at least 21 days."),
    )
    small_grant_max_amount = models.DecimalField(
        _("largest small grant (zł)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("10000.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Art. 19a: at most 10,000 zł."),
    )
    small_grant_max_days = models.PositiveSmallIntegerField(
        _("longest small-grant task (days)"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_("Art. 19a: at most 90 days."),
    )
    small_grant_comment_days = models.PositiveSmallIntegerField(
        _("days a small-grant offer is open to comments"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("Art. 19a: 7 days."),
    )
    own_initiative_answer_months = models.PositiveSmallIntegerField(
        _("months to answer an own-initiative offer"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Art. 12: within one month."),
    )
    reasons_request_days = models.PositiveSmallIntegerField(
        _("days to ask for the reasons of a decision"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Art. 15: 30 days from the results (to be confirmed in the current text)."),
    )
    award_cut_warning_percent = models.PositiveSmallIntegerField(
        _("cut of a requested grant that needs a reason (%)"),
        default=10,
        help_text=_("The city's own rule: a grant lower than requested by more than this."),
    )
    # Old statutory caps on small grants, now a local policy each city may keep: off
    # (empty) by default.
    small_grant_yearly_cap_per_organization = models.DecimalField(
        _("small grants to one organization in a year, at most (zł)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no cap. The former statutory cap was 20,000 zł."),
    )
    small_grant_share_cap_percent = models.PositiveSmallIntegerField(
        _("small grants' share of the year's grant money, at most (%)"),
        null=True,
        blank=True,
        help_text=_("Empty: no cap. The former statutory cap was 20%."),
    )
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("legal rules")
        verbose_name_plural = _("legal rules")

    def __str__(self):
        return str(_("Legal rules of calls and requests"))

    @classmethod
    def current(cls):
        """The row (made by the migration); the law's defaults if it was ever removed."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class FundingMode(models.TextChoices):
    SUPPORT = "support", _("support (co-financing)")
    ENTRUSTMENT = "entrustment", _("entrustment (full financing)")


class CallScheduleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class CallSchedule(models.Model):
    """The year's plan of calls (harmonogram konkursów): what each department means to
    announce, when, in which areas and for how much. Public once published."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000)]
    )
    note = models.TextField(_("note"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = CallScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("schedule of calls")
        verbose_name_plural = _("schedules of calls")
        ordering = ["-year"]

    def __str__(self):
        return str(_("Schedule of calls %(year)s") % {"year": self.year})

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def year_starts(self):
        return date(self.year, 1, 1)


class PlannedCall(models.Model):
    """One call in a year's schedule."""

    schedule = models.ForeignKey(
        CallSchedule,
        verbose_name=_("schedule"),
        on_delete=models.CASCADE,
        related_name="planned_calls",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="planned_calls",
    )
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    areas = models.ManyToManyField(
        PublicBenefitArea, verbose_name=_("public benefit areas"), related_name="planned_calls"
    )
    funding_mode = models.CharField(
        _("funding mode"), max_length=20, choices=FundingMode, default=FundingMode.SUPPORT
    )
    planned_announcement = models.DateField(_("planned announcement"))
    planned_deadline = models.DateField(_("planned deadline for offers"))
    planned_amount = models.DecimalField(
        _("planned amount (zł)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("planned call")
        verbose_name_plural = _("planned calls")
        ordering = ["planned_announcement", "title", "id"]
        indexes = [models.Index(fields=["schedule", "planned_announcement"])]

    def __str__(self):
        return self.title

    def clean(self):
        from .services import validate_planned_call

        if self.schedule_id and self.planned_announcement and self.planned_deadline:
            validate_planned_call(self)

    @property
    def announced_before_the_year(self):
        """Announced before 1 January of its year: NGOs know in time, as the seed asks."""
        return self.planned_announcement < self.schedule.year_starts
