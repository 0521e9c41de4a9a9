"""The city's strategies and programmes that matter to NGOs (PRODUCT.md I5), in one place:
their period, owner department, areas, document and resolution; their monitoring
(indicators with a baseline, targets and yearly values), the monitoring and evaluation
reports published on them, and their monitoring teams with NGO members.

A strategy's status is never stored stale: `status_setting` says whether it follows its
period (the default: in force until the end of its last year, then expired) or was set by
hand (still in preparation, kept in force, repealed early); `status` and the queryset's
`with_status()` derive the status from it and today's year in the same way.

The yearly cooperation programme with NGOs is one kind of programme with two legal
deadlines (art. 5a of the public benefit act; LEGAL.md, "Cooperation programme": "The
yearly programme is adopted by 30 November of the year before; the report on it by
31 May"): the programme for year N is adopted by 30 November of N−1 (art. 5a sec. 1) and
the report on its execution is published by 31 May of N+1 (art. 5a sec. 3). That report is
a `StrategyReport` of kind EXECUTION; `report_flag()` says whether it is due, overdue or
published.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.uploads import RandomName

__all__ = [
    "Indicator",
    "IndicatorTarget",
    "IndicatorValue",
    "MonitoringTeamMember",
    "Strategy",
    "StrategyReport",
]


class StrategyQuerySet(models.QuerySet):
    def with_status(self, year=None):
        """Annotates `current_status`: the status `Strategy.status` derives, in SQL, so that
        lists filter and count by it."""
        year = year or timezone.localdate().year
        setting = Strategy.StatusSetting
        status = Strategy.Status
        return self.annotate(
            current_status=Case(
                When(status_setting=setting.PREPARATION, then=Value(status.PREPARATION)),
                When(status_setting=setting.IN_FORCE, then=Value(status.IN_FORCE)),
                When(status_setting=setting.EXPIRED, then=Value(status.EXPIRED)),
                When(year_to__lt=year, then=Value(status.EXPIRED)),
                default=Value(status.IN_FORCE),
                output_field=models.CharField(),
            )
        )

    def in_force_in(self, year):
        """Strategies whose period covers `year`."""
        return self.filter(year_from__lte=year, year_to__gte=year)

    def for_listing(self):
        return (
            self.select_related("department")
            .prefetch_related(
                "areas",
                models.Prefetch(
                    "reports",
                    queryset=StrategyReport.objects.filter(kind=StrategyReport.Kind.EXECUTION),
                    to_attr="execution_reports",
                ),
            )
            .with_status()
        )


class Strategy(models.Model):
    """A strategy, programme or other plan of the city."""

    class Kind(models.TextChoices):
        STRATEGY = "strategy", pgettext_lazy("strategy kind", "strategy")
        PROGRAMME = "programme", pgettext_lazy("strategy kind", "programme")
        YEARLY_COOPERATION = (
            "yearly_cooperation",
            pgettext_lazy("strategy kind", "yearly cooperation programme with NGOs"),
        )
        MULTIYEAR_COOPERATION = (
            "multiyear_cooperation",
            pgettext_lazy("strategy kind", "multi-year cooperation programme with NGOs"),
        )
        OTHER = "other", pgettext_lazy("strategy kind", "other plan")

    class Status(models.TextChoices):
        PREPARATION = "preparation", pgettext_lazy("strategy status", "in preparation")
        IN_FORCE = "in_force", pgettext_lazy("strategy status", "in force")
        EXPIRED = "expired", pgettext_lazy("strategy status", "expired")

    class StatusSetting(models.TextChoices):
        PERIOD = "period", _("follows the period: in force until its last year ends")
        PREPARATION = "preparation", _("in preparation (not adopted yet)")
        IN_FORCE = "in_force", _("in force whatever the period (e.g. extended)")
        EXPIRED = "expired", _("expired (e.g. repealed before its period ended)")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind, default=Kind.STRATEGY)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_to = models.PositiveSmallIntegerField(_("last year"))
    department = models.ForeignKey(
        "city.Department",
        verbose_name=_("owner department"),
        on_delete=models.PROTECT,
        related_name="strategies",
    )
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="strategies",
    )
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("document (PDF)"), upload_to=RandomName("strategies"), blank=True)
    document_url = models.URLField(_("link to the document"), blank=True)
    status_setting = models.CharField(
        _("status"), max_length=12, choices=StatusSetting, default=StatusSetting.PERIOD
    )
    resolution = models.CharField(
        _("resolution"),
        max_length=200,
        blank=True,
        help_text=_("The resolution that adopted it, e.g. uchwała nr XII/345/24."),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    consultations = models.ManyToManyField(
        "consultations.Consultation",
        verbose_name=_("consultations that shaped it"),
        blank=True,
        related_name="strategies",
    )
    # Written by save(): the Polish normaliser's tokens (core.search), matched by prefix.
    search_document = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = StrategyQuerySet.as_manager()

    PER_PAGE = 20

    class Meta:
        verbose_name = _("strategy or programme")
        verbose_name_plural = _("strategies and programmes")
        ordering = ["-year_to", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="strategy_period_in_order"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.period})"

    def save(self, *args, **kwargs):
        from wspolpraca.core.search import search_document

        self.search_document = " " + search_document(self.title, self.summary, self.resolution)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_document"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("library:strategy_detail", args=[self.slug])

    @property
    def period(self):
        return (
            str(self.year_from)
            if self.year_from == self.year_to
            else f"{self.year_from}–{self.year_to}"
        )

    def derived_status(self, year=None):
        year = year or timezone.localdate().year
        setting = self.StatusSetting
        if self.status_setting == setting.PREPARATION:
            return self.Status.PREPARATION
        if self.status_setting == setting.IN_FORCE:
            return self.Status.IN_FORCE
        if self.status_setting == setting.EXPIRED or self.year_to < year:
            return self.Status.EXPIRED
        return self.Status.IN_FORCE

    @property
    def status(self):
        """The status now (the annotation of `with_status()` when the row has it)."""
        return getattr(self, "current_status", None) or self.derived_status()

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def is_yearly_cooperation(self):
        return self.kind == self.Kind.YEARLY_COOPERATION

    # The yearly cooperation programme's deadlines (art. 5a of the public benefit act).

    @property
    def adoption_deadline(self):
        """Art. 5a sec. 1: the programme for year N is adopted by 30 November of N−1."""
        if not self.is_yearly_cooperation:
            return None
        return date(self.year_from - 1, 11, 30)

    @property
    def report_deadline(self):
        """Art. 5a sec. 3: the report on the programme's execution for year N is published
        by 31 May of N+1."""
        if not self.is_yearly_cooperation:
            return None
        return date(self.year_to + 1, 5, 31)

    @property
    def adopted_late(self):
        deadline = self.adoption_deadline
        return bool(deadline and self.adopted_on and self.adopted_on > deadline)

    def execution_report(self):
        """The published report on the programme's execution, or None (uses the list's
        prefetch when there is one)."""
        reports = getattr(self, "execution_reports", None)
        if reports is None:
            reports = list(self.reports.filter(kind=StrategyReport.Kind.EXECUTION))
        return min(reports, key=lambda r: (r.published_on, r.pk)) if reports else None

    def report_flag(self, today=None):
        """For a yearly cooperation programme: ("published", date), ("overdue", deadline)
        or ("due", deadline); None for other kinds."""
        deadline = self.report_deadline
        if deadline is None:
            return None
        report = self.execution_report()
        if report is not None:
            return ("published", report.published_on)
        today = today or timezone.localdate()
        return ("overdue", deadline) if today > deadline else ("due", deadline)


class Indicator(models.Model):
    """A measure of a strategy's progress, with its baseline, targets and yearly values."""

    class Direction(models.TextChoices):
        UP = "up", _("more is better")
        DOWN = "down", _("less is better")

    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategy or programme"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("E.g. people, %, PLN, km."))
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction, default=Direction.UP
    )
    description = models.TextField(_("how it is measured"), blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class IndicatorTarget(models.Model):
    """What an indicator should reach in a year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_a_year")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.year}"


class IndicatorValue(models.Model):
    """What an indicator measured in a year, with where the number comes from."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_value_a_year")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.year}"


class StrategyReport(models.Model):
    """A monitoring or evaluation report on a strategy, or the report on a yearly
    cooperation programme's execution (art. 5a sec. 3)."""

    class Kind(models.TextChoices):
        MONITORING = "monitoring", pgettext_lazy("report kind", "monitoring report")
        EVALUATION = "evaluation", pgettext_lazy("report kind", "evaluation report")
        EXECUTION = "execution", pgettext_lazy("report kind", "report on the programme's execution")

    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategy or programme"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.MONITORING)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year it covers"))
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file (PDF)"), upload_to=RandomName("strategy-reports"), blank=True)
    url = models.URLField(_("link"), blank=True)
    published_on = models.DateField(_("published on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("strategy report")
        verbose_name_plural = _("strategy reports")
        ordering = ["-year", "-published_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def link(self):
        return self.file.url if self.file else self.url


class MonitoringTeamMember(models.Model):
    """A member of a strategy's monitoring team: city staff or an NGO's person."""

    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategy or programme"),
        on_delete=models.CASCADE,
        related_name="team",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategy_teams",
    )
    role = models.CharField(
        _("role in the team"), max_length=200, blank=True, help_text=_("E.g. chair, member.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("monitoring team member")
        verbose_name_plural = _("monitoring team members")
        ordering = ["position", "full_name"]

    def __str__(self):
        return self.full_name
