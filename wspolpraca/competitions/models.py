"""The yearly schedule of calls, and the numbers the law sets for calls and requests.

Calls, offers and what follows build on these; the law's numbers live in `LegalRules`,
one row an administrator edits, never as literals in code.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.city.models import Department
from wspolpraca.core.uploads import RandomName
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
    other_request_answer_days = models.PositiveSmallIntegerField(
        _("days to answer a request for patronage, partnership or a loan"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("The city's own rule; the act sets no term for these requests."),
    )
    award_cut_warning_percent = models.PositiveSmallIntegerField(
        _("cut of a requested grant that needs a reason (%)"),
        default=10,
        help_text=_("The city's own rule: a grant lower than requested by more than this."),
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("days after the end of the task (or budget year) to submit the report"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Art. 18: within 30 days."),
    )
    partial_report_min_days = models.PositiveSmallIntegerField(
        _("days at least to submit a partial report the city asks for"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Art. 18: no sooner than 30 days after the request."),
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


class CallQuerySet(models.QuerySet):
    """Calls by the phase a visitor sees them in (times by the server's clock)."""

    def public(self):
        return self.exclude(status=Call.Status.DRAFT)

    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Call.Status.PUBLISHED, offers_from__gt=now)

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(offers_from__isnull=True) | Q(offers_from__lte=now),
            status=Call.Status.PUBLISHED,
            deadline__gte=now,
        )

    def in_evaluation(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Call.Status.PUBLISHED, deadline__lt=now)

    def decided(self):
        return self.filter(status__in=[Call.Status.DECIDED, Call.Status.ANNULLED])


class Call(models.Model):
    """An open competition for offers (art. 11–15 of the public benefit act).

    A department's official prepares it as a draft with every item the law requires,
    then publishes it, recording the dates of its three publications (BIP, notice board,
    this site). Every published wording is kept as a `CallVersion`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        ANNULLED = "annulled", _("annulled")
        DECIDED = "decided", _("results published")

    class Phase(models.TextChoices):
        """What a visitor sees: a published call is upcoming, open or in evaluation by
        the clock."""

        DRAFT = "draft", _("draft")
        UPCOMING = "upcoming", _("upcoming")
        OPEN = "open", _("open for offers")
        EVALUATION = "evaluation", _("in evaluation")
        DECIDED = "decided", _("results published")
        ANNULLED = "annulled", _("annulled")

    planned_call = models.OneToOneField(
        PlannedCall,
        verbose_name=_("planned call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="call",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="calls"
    )
    reference = models.CharField(
        _("case reference"),
        max_length=60,
        blank=True,
        help_text=_("The department's file reference of the call, if it has one."),
    )
    title = models.CharField(_("public task"), max_length=300)
    description = models.TextField(
        _("kind of task and what it should achieve"),
        help_text=_("What the task is, for whom, and what the city expects of it."),
    )
    areas = models.ManyToManyField(
        PublicBenefitArea, verbose_name=_("public benefit areas"), related_name="calls"
    )
    funding_mode = models.CharField(
        _("funding mode"), max_length=20, choices=FundingMode, default=FundingMode.SUPPORT
    )
    budget = models.DecimalField(
        _("public money for the task (zł)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_grant = models.DecimalField(
        _("smallest grant (zł)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_grant = models.DecimalField(
        _("largest grant (zł)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Empty: up to the whole amount for the task."),
    )
    min_own_contribution_percent = models.DecimalField(
        _("required own contribution (% of all costs)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Support mode only: the share of costs the organization covers itself."),
    )
    admin_cost_cap_percent = models.DecimalField(
        _("administrative costs, at most (% of all costs)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty: no cap."),
    )
    # Organization.Kind values; stored as a list so the choices follow the directory's.
    eligible_kinds = models.JSONField(_("who may apply"), default=list)
    task_starts = models.DateField(_("the task may start on"))
    task_ends = models.DateField(_("the task must end by"))
    offers_from = models.DateTimeField(
        _("offers accepted from"),
        null=True,
        blank=True,
        help_text=_("Empty: from publication."),
    )
    deadline = models.DateTimeField(_("deadline for offers"))
    award_rules = models.TextField(
        _("rules of awarding grants"),
        help_text=_("Who may get a grant, for what costs, and how the amounts are decided."),
    )
    task_conditions = models.TextField(
        _("dates and conditions of carrying out the task"),
    )
    selection_procedure = models.TextField(
        _("procedure and dates of choosing offers"),
        help_text=_("Formal check, the commission, and how the criteria are applied."),
    )
    selection_date = models.DateField(_("offers chosen by"))
    previous_funding = models.TextField(
        _("tasks of this kind funded this year and last year"),
        help_text=_("Their cost and the grants given to organizations, as the law requires."),
    )
    other_information = models.TextField(_("other information"), blank=True)
    contact = models.TextField(
        _("contact for questions"), blank=True, help_text=_("Name, e-mail, phone.")
    )
    results_table_required = models.BooleanField(
        _("offers fill in the table of results (III.6)"), default=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DRAFT, db_index=True
    )
    # The law counts the 21 days from the last of the three publications.
    published_bip_on = models.DateField(_("published in the BIP on"), null=True, blank=True)
    published_board_on = models.DateField(
        _("put on the office's notice board on"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("published on this site"), null=True, blank=True)
    annulled_at = models.DateTimeField(_("annulled"), null=True, blank=True)
    annulment_reason = models.TextField(_("reason for the annulment"), blank=True)
    decided_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        permissions = [("publish_call", _("Can publish and annul calls"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("competitions:call", args=[self.pk])

    @property
    def phase(self):
        if self.status != self.Status.PUBLISHED:
            return self.Phase(self.status)
        now = timezone.now()
        if self.offers_from and self.offers_from > now:
            return self.Phase.UPCOMING
        if self.deadline >= now:  # the deadline's own second still counts
            return self.Phase.OPEN
        return self.Phase.EVALUATION

    @property
    def accepts_offers(self):
        return self.phase == self.Phase.OPEN

    @property
    def publication_dates(self):
        """The three publications' dates; None for one not yet made."""
        website = timezone.localdate(self.published_at) if self.published_at else None
        return [self.published_bip_on, self.published_board_on, website]

    @property
    def last_publication(self):
        dates = [d for d in self.publication_dates if d]
        return max(dates) if dates else None

    @property
    def eligible_kind_labels(self):
        from wspolpraca.organizations.models import Organization

        labels = dict(Organization.Kind.choices)
        return [labels.get(kind, kind) for kind in self.eligible_kinds]


class Criterion(models.Model):
    """One evaluation criterion of a call, with its maximum points and weight."""

    class Kind(models.TextChoices):
        STATUTORY = "statutory", _("named by the act (art. 15)")
        OWN = "own", _("the city's own")
        BONUS = "bonus", _("bonus")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.OWN)
    # Stable codes of the statutory and bonus criteria (services.STATUTORY_CRITERIA,
    # BONUS_CRITERIA), so the evaluation can treat them by name; empty for the city's own.
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("criterion"), max_length=300)
    description = models.TextField(_("how it is scored"), blank=True)
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), validators=[MinValueValidator(1)]
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "code"],
                condition=~models.Q(code=""),
                name="one_criterion_per_code_in_a_call",
            )
        ]

    def __str__(self):
        return self.name


class CallAttachment(models.Model):
    """A document published with a call (a template, a map, the programme)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=RandomName("calls"))
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment of a call")
        verbose_name_plural = _("attachments of calls")
        ordering = ["call", "added_at", "id"]

    def __str__(self):
        return self.title


class CallVersion(models.Model):
    """The wording of a call as it was published; a change after publication adds one."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    change_note = models.TextField(_("what changed"), blank=True)
    # [{"label": ..., "value": ...}, ...] in the language of publication, and the criteria;
    # a frozen copy, so later edits never rewrite what was published.
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("version of a call")
        verbose_name_plural = _("versions of calls")
        ordering = ["call", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="one_call_version_number")
        ]

    def __str__(self):
        return str(_("%(call)s, version %(number)s") % {"call": self.call, "number": self.number})


class CallQuestion(models.Model):
    """A question about a call; the department's answer is public for everyone."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="questions"
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="call_questions",
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("question about a call")
        verbose_name_plural = _("questions about calls")
        ordering = ["call", "asked_at", "id"]
        indexes = [models.Index(fields=["call", "answered_at"])]

    def __str__(self):
        return self.question[:80]


class CityRequest(models.Model):
    """A request of an organization to the city, each with a decision, a reason and a
    deadline: an own-initiative offer (art. 12), honorary patronage, a partnership
    project, or a loan of equipment."""

    class Kind(models.TextChoices):
        OWN_INITIATIVE = "own_initiative", _("own-initiative offer")
        PATRONAGE = "patronage", _("honorary patronage")
        PARTNERSHIP = "partnership", _("partnership project")
        EQUIPMENT_LOAN = "equipment_loan", _("loan of equipment")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting an answer")
        ACCEPTED = "accepted", pgettext_lazy("request status", "accepted")
        REJECTED = "rejected", pgettext_lazy("request status", "rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "withdrawn")

    kind = models.CharField(_("kind of request"), max_length=20, choices=Kind)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="city_requests",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="city_requests",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    areas = models.ManyToManyField(
        PublicBenefitArea,
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="city_requests",
    )
    estimated_cost = models.DecimalField(
        _("estimated cost (zł)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    starts = models.DateField(_("from"), null=True, blank=True)
    ends = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("date of submission"), default=timezone.now)
    answer_due = models.DateField(_("answer due by"))
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # A positive answer to an own-initiative offer says when the call will be announced.
    call_planned_for = models.DateField(_("call to be announced by"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to the city")
        verbose_name_plural = _("requests to the city")
        ordering = ["-submitted_at", "id"]
        indexes = [models.Index(fields=["status", "answer_due"])]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        return self.status == self.Status.SUBMITTED and self.answer_due < timezone.localdate()
