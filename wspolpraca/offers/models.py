"""Offers (applications) in the official form of 24 October 2018, sections I–VII.

An offer answers a call (open competition) or is a small-grant offer (art. 19a) addressed
to a department. It is a draft that members of the organization edit, step by step, until
an admin submits it; then its content is frozen in `submitted_content`, hashed and
rendered as a PDF. A correction is a new offer that `replaces` the earlier one; both are
kept. The evaluation (formal check, scores) builds on submitted offers.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.city.models import Department
from wspolpraca.competitions.models import Call
from wspolpraca.core.uploads import PrivateStorage, RandomName
from wspolpraca.organizations.models import Organization

MONEY = {"max_digits": 12, "decimal_places": 2}


class OfferQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Offer.Status.SUBMITTED)


class Offer(models.Model):
    class Kind(models.TextChoices):
        COMPETITION = "competition", _("offer in an open competition")
        SMALL_GRANT = "small_grant", _("small-grant offer (art. 19a)")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("offer status", "draft")
        SUBMITTED = "submitted", pgettext_lazy("offer status", "submitted")
        WITHDRAWN = "withdrawn", pgettext_lazy("offer status", "withdrawn")
        REPLACED = "replaced", pgettext_lazy("offer status", "replaced by a correction")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.COMPETITION)
    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    # I. The authority addressed: the call's department, or the one a small grant asks.
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="offers"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.DRAFT, db_index=True
    )
    number = models.CharField(_("offer number"), max_length=32, unique=True, null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("corrects the offer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    # II. The contact person for explanations.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    correspondence_address = models.CharField(
        _("address for correspondence"),
        max_length=300,
        blank=True,
        help_text=_("If it differs from the seat."),
    )

    # III. The task.
    title = models.CharField(_("title of the task"), max_length=300, blank=True)
    starts = models.DateField(_("start of the task"), null=True, blank=True)
    ends = models.DateField(_("end of the task"), null=True, blank=True)
    summary = models.TextField(
        _("summary of the task"),
        blank=True,
        help_text=_("Where it happens, for whom, how it meets their needs."),
    )
    complementarity = models.TextField(_("complementarity with other actions"), blank=True)
    results_effects = models.TextField(_("what will come of it (direct effects)"), blank=True)
    results_change = models.TextField(_("what will change for the people served"), blank=True)
    results_durability = models.TextField(_("how the results will last"), blank=True)

    # IV. The offeror.
    earlier_activity = models.TextField(_("earlier activity in this field"), blank=True)
    resources = models.TextField(_("staff, material and financial resources"), blank=True)

    # V.B. Sources of financing (the total is the sum of the cost table).
    requested_grant = models.DecimalField(
        _("requested grant (zł)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    own_financial = models.DecimalField(
        _("own financial contribution (zł)"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    own_personal = models.DecimalField(
        _("personal contribution: volunteers and members' work (zł)"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    own_in_kind = models.DecimalField(
        _("contribution in kind (zł)"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    other_public_funds = models.DecimalField(
        _("other public funds (zł)"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    beneficiary_fees = models.DecimalField(
        _("fees from the people served (zł)"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    # VI. Other information.
    paid_activity = models.BooleanField(
        _("the task is carried out as paid public-benefit activity"), default=False
    )
    other_information = models.TextField(_("other information"), blank=True)

    # VII. Declarations.
    declares_public_benefit = models.BooleanField(
        _("the task is within the offeror's public-benefit activity"), default=False
    )
    declares_fees = models.BooleanField(_("fees are charged only in paid activity"), default=False)
    declares_no_arrears = models.BooleanField(
        _("no arrears of taxes or social insurance"), default=False
    )
    declares_register_data = models.BooleanField(
        _("the data are consistent with the KRS or other register"), default=False
    )
    declares_truth = models.BooleanField(_("the information given is true"), default=False)
    declares_personal_data = models.BooleanField(
        _("personal data are given with consent and for this offer"), default=False
    )
    representatives = models.TextField(
        _("persons authorised to represent the offeror"),
        blank=True,
        help_text=_("Names and functions, as the register shows who represents."),
    )

    # Each step keeps its own revision: a save based on an older one is a conflict, shown
    # to the person instead of overwriting another member's work.
    step_revisions = models.JSONField(default=dict, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    # Submission: the frozen content, its SHA-256 and the rendered PDF.
    submitted_at = models.DateTimeField(_("time of submission"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_content = models.JSONField(_("submitted content"), null=True, blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True)
    pdf = models.FileField(
        _("offer PDF"), upload_to=RandomName("offers"), storage=PrivateStorage(), blank=True
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    withdrawn_at = models.DateTimeField(_("time of withdrawal"), null=True, blank=True)

    # A confirmation signed outside the platform (trusted profile, qualified signature).
    signed_pdf = models.FileField(
        _("signed confirmation"),
        upload_to=RandomName("offers-signed"),
        storage=PrivateStorage(),
        blank=True,
    )
    signed_by = models.CharField(_("signed by"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)

    # Small grants (art. 19a): published for comments after receipt.
    comments_open_from = models.DateTimeField(_("open to comments from"), null=True, blank=True)
    comments_open_until = models.DateTimeField(_("open to comments until"), null=True, blank=True)

    # A formal correction after the deadline (evaluations): only these steps of the form
    # may change, and the server accepts the corrected version until `correction_due`.
    editable_steps = models.JSONField(_("parts that may be corrected"), null=True, blank=True)
    correction_due = models.DateTimeField(_("correction due by"), null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["organization", "status"]),
        ]

    def __str__(self):
        return self.number or self.title or str(_("Offer draft %(id)s") % {"id": self.pk})

    @property
    def is_joint(self):
        return self.partners.exists()


class Partner(models.Model):
    """Another offeror of a joint offer (section II per offeror, V.C share of costs)."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="partners"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization in the directory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("legal form"), max_length=32, choices=Organization.Kind)
    register_number = models.CharField(_("KRS or other register number"), max_length=200)
    address = models.CharField(_("seat address"), max_length=300)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    cost_share = models.DecimalField(
        _("costs this partner carries (zł)"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    actions_and_representation = models.TextField(
        _("what this partner does and who represents it"), blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("partner in a joint offer")
        verbose_name_plural = _("partners in joint offers")
        ordering = ["offer", "order", "id"]

    def __str__(self):
        return self.name


class Action(models.Model):
    """III.4: one action of the plan and schedule."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="actions"
    )
    name = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    target_group = models.CharField(_("for whom"), max_length=300, blank=True)
    starts = models.DateField(_("from"), null=True, blank=True)
    ends = models.DateField(_("until"), null=True, blank=True)
    done_by_non_party = models.CharField(
        _("part done by someone who is not an offeror"), max_length=300, blank=True
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("offeror carrying it out"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text=_("Joint offers: empty means the lead organization."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["offer", "order", "id"]

    def __str__(self):
        return self.name


class CostLine(models.Model):
    """V.A: one cost line, under an action or among the administrative costs."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="cost_lines"
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cost_lines",
        help_text=_("Empty: an administrative cost."),
    )
    name = models.CharField(_("kind of cost"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40)
    unit_cost = models.DecimalField(
        _("unit cost (zł)"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    quantity = models.DecimalField(
        _("number of units"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    year = models.PositiveSmallIntegerField(_("year"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["offer", "action", "order", "id"]

    def __str__(self):
        return self.name

    @property
    def value(self):
        return (self.unit_cost * self.quantity).quantize(Decimal("0.01"))

    @property
    def is_administrative(self):
        return self.action_id is None


class Result(models.Model):
    """III.6: one expected result, its target value and how it is monitored."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="results"
    )
    name = models.CharField(_("result"), max_length=300)
    target_value = models.CharField(_("target value"), max_length=100)
    monitoring = models.CharField(_("how it is monitored"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        ordering = ["offer", "order", "id"]

    def __str__(self):
        return self.name


class OfferComment(models.Model):
    """A public comment on a small-grant offer during its comment window (art. 19a)."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("signed as"), max_length=200)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("comment on a small-grant offer")
        verbose_name_plural = _("comments on small-grant offers")
        ordering = ["offer", "created_at", "id"]

    def __str__(self):
        return self.text[:80]
