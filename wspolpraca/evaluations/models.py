"""After the deadline: the formal check, the commission and its scores, the mayor's
decision on each offer and the requests for the reasons of a decision.

Evaluation follows an offer's whole line of versions: a formal correction is a new
submitted offer that replaces the checked one, and the check moves to it
(`formal.correction_submitted`).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.uploads import PrivateStorage, RandomName


class FormalRequirement(models.Model):
    """One line of a call's formal checklist ("the offer is on the official form")."""

    call = models.ForeignKey(
        "competitions.Call",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="formal_requirements",
    )
    text = models.CharField(_("requirement"), max_length=300)
    # Which step of the offer form a correction of this requirement changes (offers.drafts.STEPS).
    step = models.CharField(_("part of the offer"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("formal requirement")
        verbose_name_plural = _("formal requirements")
        ordering = ["call", "order", "pk"]

    def __str__(self):
        return self.text


class FormalCheck(models.Model):
    """The formal check of one offer (its current version)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("formal check status", "not checked yet")
        CORRECTION = "correction", pgettext_lazy("formal check status", "correction requested")
        PASSED = "passed", pgettext_lazy("formal check status", "formally correct")
        FAILED = "failed", pgettext_lazy("formal check status", "rejected on formal grounds")

    offer = models.OneToOneField(
        "offers.Offer",
        verbose_name=_("offer"),
        on_delete=models.PROTECT,
        related_name="formal_check",
    )
    # The offer's call again: a call's checks are then found through an index instead of
    # by joining every check ever made to the call's offers.
    call = models.ForeignKey(
        "competitions.Call",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        db_index=False,  # the index on (call, status) below serves
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.TextField(
        _("why the offer is rejected on formal grounds"), blank=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("formal check")
        verbose_name_plural = _("formal checks")
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return str(self.offer)

    def save(self, *args, **kwargs):
        if self.call_id is None and self.offer_id is not None:
            self.call_id = self.offer.call_id
        super().save(*args, **kwargs)


class FormalCheckAnswer(models.Model):
    """Whether the offer meets one requirement of the checklist."""

    check_record = models.ForeignKey(
        FormalCheck,
        verbose_name=_("formal check"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    requirement = models.ForeignKey(
        FormalRequirement, verbose_name=_("requirement"), on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("met"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("answer of the formal check")
        verbose_name_plural = _("answers of the formal check")
        constraints = [
            models.UniqueConstraint(
                fields=["check_record", "requirement"], name="one_answer_per_requirement"
            )
        ]

    def __str__(self):
        return str(self.requirement)


class CorrectionRequest(models.Model):
    """What the applicant is asked to correct, in which parts of the offer, by when.

    The applicant corrects in a new version of the offer whose other parts are locked
    (`offers.Offer.editable_steps`); the server refuses it after `due`."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("correction status", "waiting for the correction")
        CORRECTED = "corrected", pgettext_lazy("correction status", "corrected in time")
        MISSED = "missed", pgettext_lazy("correction status", "not corrected by the deadline")

    check_record = models.ForeignKey(
        FormalCheck,
        verbose_name=_("formal check"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("offer to correct"),
        on_delete=models.PROTECT,
        related_name="correction_requests",
    )
    steps = models.JSONField(_("parts of the offer that may change"), default=list)
    message = models.TextField(_("what is to be corrected"))
    due = models.DateTimeField(_("correction due by"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    corrected_offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("corrected offer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True)
    late_attempts = models.PositiveSmallIntegerField(
        _("attempts refused after the deadline"), default=0
    )

    class Meta:
        verbose_name = _("request for a formal correction")
        verbose_name_plural = _("requests for formal corrections")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.offer} — {self.due:%Y-%m-%d}"


class Commission(models.Model):
    """The call's evaluation commission: it gives opinions; the mayor decides."""

    class Status(models.TextChoices):
        FORMING = "forming", pgettext_lazy("commission status", "being appointed")
        WORKING = "working", pgettext_lazy("commission status", "scoring")
        CLOSED = "closed", pgettext_lazy("commission status", "work closed")

    call = models.OneToOneField(
        "competitions.Call",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="commission",
    )
    appointment_reference = models.CharField(
        _("appointed by (order number)"), max_length=200, blank=True
    )
    without_ngo_reason = models.TextField(
        _("why the commission works without members nominated by organizations"), blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.FORMING)
    started_at = models.DateTimeField(_("scoring started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("work closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_pdf = models.FileField(
        _("minutes (PDF)"), upload_to=RandomName("minutes"), storage=PrivateStorage(), blank=True
    )
    minutes_sha256 = models.CharField(_("SHA-256 of the minutes"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")

    def __str__(self):
        return str(self.call)


class CommissionMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", pgettext_lazy("commission role", "chair")
        CITY = "city", pgettext_lazy("commission role", "member appointed by the mayor")
        NGO = "ngo", pgettext_lazy("commission role", "member nominated by an organization")
        EXPERT = "expert", pgettext_lazy("commission role", "expert with an advisory voice")

    VOTING_ROLES = (Role.CHAIR, Role.CITY, Role.NGO)

    commission = models.ForeignKey(
        Commission, verbose_name=_("commission"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="commission_memberships",
    )
    role = models.CharField(_("role"), max_length=8, choices=Role)
    nominated_by = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commission_nominees",
    )
    paid = models.BooleanField(_("the city pays for the participation"), default=False)
    fee = models.DecimalField(
        _("fee (zł)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    declaration_signed_at = models.DateTimeField(
        _("impartiality declaration signed"), null=True, blank=True
    )
    declaration_text = models.TextField(_("text of the signed declaration"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["commission", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "user"], name="one_seat_per_person")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def votes(self):
        return self.role in self.VOTING_ROLES


class ConflictOfInterest(models.Model):
    """A member's declared conflict on one offer: it is hidden from them from then on."""

    class Ground(models.TextChoices):
        OWN_INTEREST = "own_interest", _("own interest in the matter")
        FAMILY = "family", _("spouse, relative or in-law of the applicant's people")
        GUARDIANSHIP = "guardianship", _("adoption, guardianship or custody ties")
        REPRESENTED = "represented", _("has represented the applicant")
        SUBORDINATE = "subordinate", _("subordinate to a person of the applicant")
        OTHER = "other", _("another reason to doubt impartiality")

    member = models.ForeignKey(
        CommissionMember,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    offer = models.ForeignKey(
        "offers.Offer", verbose_name=_("offer"), on_delete=models.PROTECT, related_name="+"
    )
    ground = models.CharField(_("ground"), max_length=16, choices=Ground)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["member", "offer"], name="one_conflict_per_offer")
        ]

    def __str__(self):
        return f"{self.member} — {self.offer}"


class ExpertOpinion(models.Model):
    """An expert's advisory opinion of one offer (art. 15 sec. 2d of the public benefit act):
    read by the members beside the offer and kept in the minutes; it scores nothing."""

    member = models.ForeignKey(
        CommissionMember,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("offer"),
        on_delete=models.PROTECT,
        related_name="expert_opinions",
    )
    text = models.TextField(_("opinion"))
    given_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        verbose_name = _("expert's opinion")
        verbose_name_plural = _("experts' opinions")
        constraints = [
            models.UniqueConstraint(fields=["member", "offer"], name="one_opinion_per_expert_offer")
        ]

    def __str__(self):
        return f"{self.member} — {self.offer}"


class ScoreSheet(models.Model):
    """One member's scores of one offer; others' sheets stay hidden until this is submitted."""

    member = models.ForeignKey(
        CommissionMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="sheets"
    )
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("offer"),
        on_delete=models.PROTECT,
        related_name="score_sheets",
    )
    total = models.DecimalField(
        _("total (weighted)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(fields=["member", "offer"], name="one_sheet_per_member_offer")
        ]
        indexes = [models.Index(fields=["offer", "submitted_at"])]

    def __str__(self):
        return f"{self.member} — {self.offer}"


class ScoreSummary(models.Model):
    """The submitted sheets of one offer summed up: renewed in the transaction that submits
    a sheet, so that the ranking reads one row per offer instead of aggregating every sheet
    on every request."""

    offer = models.OneToOneField(
        "offers.Offer",
        verbose_name=_("offer"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="score_summary",
    )
    sheets = models.PositiveIntegerField(_("submitted score sheets"), default=0)
    mean = models.DecimalField(
        _("mean total"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    lowest = models.DecimalField(
        _("lowest total"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    highest = models.DecimalField(
        _("highest total"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("score summary")
        verbose_name_plural = _("score summaries")

    def __str__(self):
        return str(self.offer_id)


class Score(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        "competitions.Criterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    justification = models.TextField(_("justification"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class Decision(models.Model):
    """The mayor's decision on one offer: a grant of an amount, or a rejection with reasons."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", pgettext_lazy("decision", "grant awarded")
        REJECTED = "rejected", pgettext_lazy("decision", "not awarded")

    offer = models.OneToOneField(
        "offers.Offer", verbose_name=_("offer"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome)
    amount = models.DecimalField(
        _("grant (zł)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # The score at the time of the decision, so results stay what was published.
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [models.Index(fields=["outcome", "decided_at"])]

    def __str__(self):
        return f"{self.offer} — {self.get_outcome_display()}"


class ReasonsRequest(models.Model):
    """Someone asks for the reasons of choosing or rejecting an offer (within the term set
    in LegalRules.reasons_request_days after the results), and the city's answer."""

    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("offer"),
        on_delete=models.PROTECT,
        related_name="reasons_requests",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for reasons")
        verbose_name_plural = _("requests for reasons")
        ordering = ["-asked_at"]

    def __str__(self):
        return f"{self.offer} — {self.asked_at:%Y-%m-%d}"
