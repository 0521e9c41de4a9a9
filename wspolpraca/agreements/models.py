"""From the decision to the settlement: the agreement with its tranches and annexes, the
updated budget after a cut, reports, controls and monitoring visits, and the
organization's rating of its cooperation with the department.

Nothing signed or accepted is edited in place: an agreement changes by an annex (a new
`AgreementVersion`), an accepted report by a correction (a new `ReportVersion`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.uploads import PrivateStorage, RandomName


class Agreement(models.Model):
    class Status(models.TextChoices):
        BUDGET_UPDATE = (
            "budget_update",
            pgettext_lazy("agreement status", "waiting for the updated budget"),
        )
        BUDGET_REVIEW = (
            "budget_review",
            pgettext_lazy("agreement status", "updated budget to review"),
        )
        READY = "ready", pgettext_lazy("agreement status", "ready to sign")
        SIGNED = "signed", pgettext_lazy("agreement status", "signed")
        SETTLED = "settled", pgettext_lazy("agreement status", "settled")
        TERMINATED = "terminated", pgettext_lazy("agreement status", "terminated")

    offer = models.OneToOneField(
        "offers.Offer", verbose_name=_("offer"), on_delete=models.PROTECT, related_name="agreement"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    department = models.ForeignKey(
        "city.Department",
        verbose_name=_("supervising department"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    number = models.CharField(_("agreement number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.READY, db_index=True
    )
    amount = models.DecimalField(_("grant (zł)"), max_digits=14, decimal_places=2)
    starts = models.DateField(_("task starts"))
    ends = models.DateField(_("task ends"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signature recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    city_representative = models.CharField(_("signed for the city by"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("prepared"), default=timezone.now)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self):
        return self.number


class AgreementVersion(models.Model):
    """The agreement's wording as signed (number 1) and after each annex: frozen content
    and the PDF made from it."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    annex_reason = models.TextField(_("reason for the annex"), blank=True)
    content = models.JSONField(_("content"), default=dict)
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    pdf = models.FileField(
        _("PDF"), upload_to=RandomName("agreements"), storage=PrivateStorage(), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("prepared"), default=timezone.now)

    class Meta:
        verbose_name = _("version of the agreement")
        verbose_name_plural = _("versions of the agreement")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="one_agreement_version_number"
            )
        ]

    def __str__(self):
        return f"{self.agreement} v{self.number}"


class BudgetUpdate(models.Model):
    """After a cut: the applicant's updated cost calculation and schedule, accepted by the
    official before the agreement is signed (and attached to it)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("budget update status", "submitted")
        RETURNED = "returned", pgettext_lazy("budget update status", "returned for changes")
        ACCEPTED = "accepted", pgettext_lazy("budget update status", "accepted")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="budget_updates",
    )
    # [{"name", "action", "unit", "unit_cost", "quantity", "year"}] and
    # [{"action", "starts", "ends"}]: decimals and dates as strings.
    cost_lines = models.JSONField(_("cost calculation"), default=list)
    schedule = models.JSONField(_("schedule"), default=list)
    own_contribution = models.DecimalField(
        _("own contribution (zł)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    note = models.TextField(_("what changed and why"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    return_reason = models.TextField(_("why it is returned"), blank=True)

    class Meta:
        verbose_name = _("updated budget")
        verbose_name_plural = _("updated budgets")
        ordering = ["agreement", "-submitted_at"]

    def __str__(self):
        return f"{self.agreement} — {self.submitted_at:%Y-%m-%d}"


class Tranche(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="tranches"
    )
    number = models.PositiveSmallIntegerField(_("tranche"))
    year = models.PositiveSmallIntegerField(_("budget year"))
    amount = models.DecimalField(
        _("amount (zł)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    planned_on = models.DateField(_("planned payment"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_tranche_number")
        ]

    def __str__(self):
        return f"{self.agreement} — {self.number}"


class Report(models.Model):
    """A partial (on request) or final report for one budget year of the task."""

    class Kind(models.TextChoices):
        PARTIAL = "partial", pgettext_lazy("report kind", "partial report")
        FINAL = "final", pgettext_lazy("report kind", "final report")

    class Status(models.TextChoices):
        DUE = "due", pgettext_lazy("report status", "to be submitted")
        SUBMITTED = "submitted", pgettext_lazy("report status", "submitted")
        RETURNED = "returned", pgettext_lazy("report status", "returned for correction")
        ACCEPTED = "accepted", pgettext_lazy("report status", "accepted")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    period_starts = models.DateField(_("period from"))
    period_ends = models.DateField(_("period until"))
    due = models.DateField(_("due by"), db_index=True)
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DUE, db_index=True
    )
    # The draft the organization is filling in (same shape as ReportVersion.content).
    draft = models.JSONField(_("draft"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    return_reason = models.TextField(_("why it is returned"), blank=True)
    # Reminders already sent, by code ("before-7", "after-1"), so none goes twice.
    reminders_sent = models.JSONField(default=list, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["agreement", "due"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_starts:%Y}"


class ReportVersion(models.Model):
    """Each submitted version of a report, frozen."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("version of a report")
        verbose_name_plural = _("versions of reports")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_report_version_number")
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


class Settlement(models.Model):
    """The settlement of the grant: what was used, what is to be returned, and when it was."""

    agreement = models.OneToOneField(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="settlement"
    )
    grant_used = models.DecimalField(_("grant used (zł)"), max_digits=14, decimal_places=2)
    refund_due = models.DecimalField(
        _("to be returned (zł)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    refund_due_by = models.DateField(_("to be returned by"), null=True, blank=True)
    refund_paid_on = models.DateField(_("returned on"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("settled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    settled_at = models.DateTimeField(_("settled"), default=timezone.now)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self):
        return str(self.agreement)


class Control(models.Model):
    """A control (announced in advance) or a monitoring visit that looks at the quality of
    the task, and what came of it."""

    class Kind(models.TextChoices):
        CONTROL = "control", pgettext_lazy("control kind", "control")
        MONITORING = "monitoring", pgettext_lazy("control kind", "monitoring visit")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("control status", "planned")
        DONE = "done", pgettext_lazy("control status", "findings given")
        ANSWERED = "answered", pgettext_lazy("control status", "answered by the organization")
        CLOSED = "closed", pgettext_lazy("control status", "closed")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="controls"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    planned_on = models.DateField(_("planned on"))
    scope = models.TextField(_("scope"))
    notice_sent_at = models.DateTimeField(_("organization notified"), null=True, blank=True)
    carried_out_on = models.DateField(_("carried out on"), null=True, blank=True)
    # Monitoring: how the task is going for the people it serves, not only the papers.
    quality = models.TextField(_("quality of the task"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    answer = models.TextField(_("the organization's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("planned"), default=timezone.now)

    class Meta:
        verbose_name = _("control or monitoring visit")
        verbose_name_plural = _("controls and monitoring visits")
        ordering = ["agreement", "planned_on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.planned_on}"


class CooperationRating(models.Model):
    """After the settlement, the organization rates its cooperation with the supervising
    department. Shown only as averages over enough ratings that none can be traced."""

    SCALE = [MinValueValidator(1), MaxValueValidator(5)]

    agreement = models.OneToOneField(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="rating"
    )
    department = models.ForeignKey(
        "city.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    availability = models.PositiveSmallIntegerField(
        _("the supervisor was available"), validators=SCALE
    )
    clarity = models.PositiveSmallIntegerField(_("requirements were clear"), validators=SCALE)
    timeliness = models.PositiveSmallIntegerField(_("the city kept its terms"), validators=SCALE)
    flexibility = models.PositiveSmallIntegerField(
        _("changes were agreed without trouble"), validators=SCALE
    )
    comment = models.TextField(_("what should change"), blank=True)
    created_at = models.DateTimeField(_("rated"), default=timezone.now)

    class Meta:
        verbose_name = _("rating of cooperation")
        verbose_name_plural = _("ratings of cooperation")
        indexes = [models.Index(fields=["department", "year"])]

    def __str__(self):
        return str(self.agreement)


class EvaluationMeeting(models.Model):
    """The yearly meeting where the city and organizations look back on one kind of call."""

    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        "city.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "organizations.PublicBenefitArea",
        verbose_name=_("area of the calls"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    notes = models.TextField(_("notes from the meeting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evaluation meeting")
        verbose_name_plural = _("evaluation meetings")
        ordering = ["-held_at"]

    def __str__(self):
        return f"{self.area} {self.year}"
