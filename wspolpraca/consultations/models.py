"""Consultations, their postulates and the city's responses, the report, and the tracker.

A consultation's life is declared once, in `Consultation.Phase` and `PHASE_OFFERS`: the
dates of its timeline and two moments (answers published, report published) decide the
phase, and the phase decides what its page offers. The rules of the timeline (days of
information, days of consultation, forms of participation) are data, `ConsultationRules`,
editable when the city's resolution changes.
"""

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.uploads import RandomName


class ConsultationRules(models.Model):
    """Kraków's consultation rules (resolution CXI/2904/18), one row, editable in the back
    office: the timeline's minimum days and what an announcement needs."""

    information_days = models.PositiveSmallIntegerField(
        _("days of information before a consultation opens"),
        default=7,
        validators=[MinValueValidator(0)],
        help_text=_("At least 7 days in Kraków's rules."),
    )
    open_days = models.PositiveSmallIntegerField(
        _("days a consultation stays open"),
        default=21,
        validators=[MinValueValidator(1)],
        help_text=_("At least 21 days in Kraków's rules (both first and last day count)."),
    )
    min_forms = models.PositiveSmallIntegerField(
        _("forms of participation a consultation needs"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("At least three in Kraków's rules."),
    )
    meeting_required = models.BooleanField(
        _("an open meeting or workshop is required"),
        default=True,
        help_text=_("One of the forms must be an open meeting or workshop."),
    )
    report_days = models.PositiveSmallIntegerField(
        _("days after closing by which the report is due"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("The report's due date suggested to officials (to be confirmed)."),
    )

    class Meta:
        verbose_name = _("consultation rules")
        verbose_name_plural = _("consultation rules")

    def __str__(self):
        return str(_("Consultation rules"))

    @classmethod
    def current(cls):
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


class ConsultationQuerySet(models.QuerySet):
    def public(self):
        """Announced consultations: those whose information period has begun."""
        return self.filter(announced_at__isnull=False, information_from__lte=timezone.localdate())


class Consultation(models.Model):
    class Phase(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("consultation phase", "draft")
        ANNOUNCED = "announced", pgettext_lazy("consultation phase", "announced")
        INFORMATION = "information", pgettext_lazy("consultation phase", "information")
        OPEN = "open", pgettext_lazy("consultation phase", "open for postulates")
        CLOSED = "closed", pgettext_lazy("consultation phase", "closed, answers in preparation")
        ANSWERED = "answered", pgettext_lazy("consultation phase", "answers published")
        REPORTED = "reported", pgettext_lazy("consultation phase", "report published")

    class Form(models.TextChoices):
        ONLINE = "online", _("comments and postulates online, per section")
        MEETING = "meeting", _("open meeting")
        WORKSHOP = "workshop", _("workshop")
        WRITTEN = "written", _("written remarks by e-mail or on paper")
        SURVEY = "survey", _("survey")

    department = models.ForeignKey(
        "city.Department",
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    slug = models.SlugField(_("address on the site"), max_length=80, unique=True)
    title = models.CharField(_("subject"), max_length=300)
    summary = models.TextField(
        _("summary in plain language"),
        help_text=_("The main points of the draft, so that nobody has to read it all first."),
    )
    document_title = models.CharField(_("title of the draft document"), max_length=300)
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        related_name="consultations",
    )
    districts = models.ManyToManyField(
        "organizations.District",
        verbose_name=_("districts"),
        blank=True,
        related_name="consultations",
        help_text=_("Leave empty when it concerns the whole city."),
    )
    forms = models.JSONField(_("forms of participation"), default=list)
    infographic = models.ImageField(
        _("infographic"), upload_to=RandomName("consultations"), blank=True
    )
    infographic_text = models.TextField(
        _("what the infographic shows"),
        blank=True,
        help_text=_("Its content in words, for those who cannot see it."),
    )
    information_from = models.DateField(_("information from"))
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    report_due = models.DateField(_("report due"))
    contact_email = models.EmailField(_("e-mail for remarks"), blank=True)
    # Imported past consultations (the 2018 catalogue) keep their numbers as recorded.
    recorded_participants = models.PositiveIntegerField(
        _("participants (as recorded)"), null=True, blank=True
    )
    recorded_organizations = models.PositiveIntegerField(
        _("organizations taking part (as recorded)"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    answers_published_at = models.DateTimeField(_("answers published"), null=True, blank=True)
    report_published_at = models.DateTimeField(_("report published"), null=True, blank=True)
    report_summary = models.TextField(_("summary of the consultation's course"), blank=True)
    # The report's numbers as they stood when it was published: the published report
    # does not change, and its page does not count the postulates on every visit.
    report_numbers = models.JSONField(default=dict, blank=True, editable=False)
    report_pdf = models.FileField(
        _("report (PDF)"), upload_to=RandomName("consultation-reports"), blank=True
    )
    # Counted when a postulate is added or hidden, so lists show numbers without counting.
    postulate_count = models.PositiveIntegerField(_("postulates"), default=0, editable=False)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["-opens_on", "-id"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", args=[self.slug])

    @property
    def phase(self):
        today = timezone.localdate()
        if self.announced_at is None:
            return self.Phase.DRAFT
        if self.report_published_at:
            return self.Phase.REPORTED
        if self.answers_published_at:
            return self.Phase.ANSWERED
        if today < self.information_from:
            return self.Phase.ANNOUNCED
        if today < self.opens_on:
            return self.Phase.INFORMATION
        if today <= self.closes_on:
            return self.Phase.OPEN
        return self.Phase.CLOSED

    def get_phase_display(self):
        return self.Phase(self.phase).label

    @property
    def offers(self):
        """What the page offers in the current phase (see PHASE_OFFERS)."""
        return PHASE_OFFERS[self.phase]

    @property
    def closes_at(self):
        """The end of the last day, in the site's time zone: postulates are taken until then."""
        return timezone.make_aware(datetime.combine(self.closes_on + timedelta(days=1), time.min))

    @property
    def report_overdue(self):
        return (
            self.announced_at is not None
            and self.report_published_at is None
            and self.recorded_participants is None
            and timezone.localdate() > self.report_due
        )

    def form_labels(self):
        labels = dict(self.Form.choices)
        return [labels[code] for code in self.forms if code in labels]


# What each phase offers on the consultation's page: declared once, read by the views and
# services (which refuse what the phase does not offer) and by the templates.
PHASE_OFFERS = {
    Consultation.Phase.DRAFT: frozenset({"edit"}),
    Consultation.Phase.ANNOUNCED: frozenset({"register"}),
    Consultation.Phase.INFORMATION: frozenset({"read_draft", "register"}),
    Consultation.Phase.OPEN: frozenset(
        {"read_draft", "register", "submit", "support", "enter_remark"}
    ),
    Consultation.Phase.CLOSED: frozenset({"read_draft", "enter_remark", "answer"}),
    Consultation.Phase.ANSWERED: frozenset({"read_draft", "read_answers", "report"}),
    Consultation.Phase.REPORTED: frozenset({"read_draft", "read_answers", "read_report"}),
}


class Section(models.Model):
    """A numbered part of the draft document, on which postulates are made."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    # Visible postulates on this section, kept by the services, so the page shows the
    # numbers without counting.
    postulate_count = models.PositiveIntegerField(_("postulates"), default=0, editable=False)
    # Visible postulates on this section, kept by the services, so the page shows the
    # numbers without counting.
    postulate_count = models.PositiveIntegerField(_("postulates"), default=0, editable=False)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="one_section_per_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Attachment(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=RandomName("consultation-files"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["added_at", "id"]

    def __str__(self):
        return self.title


class Meeting(models.Model):
    """An open meeting or workshop of a consultation, with registration."""

    class Kind(models.TextChoices):
        MEETING = "meeting", pgettext_lazy("meeting kind", "open meeting")
        WORKSHOP = "workshop", pgettext_lazy("meeting kind", "workshop")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.MEETING)
    title = models.CharField(_("topic"), max_length=300)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300)
    capacity = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty when there is no limit.")
    )
    # How many came, entered after the meeting (the report counts them).
    attendance = models.PositiveIntegerField(_("people who came"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:meeting", args=[self.consultation.slug, self.pk])


class Registration(models.Model):
    """A place at a meeting, or a place on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration status", "place confirmed")
        WAITING = "waiting", pgettext_lazy("registration status", "on the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_per_person")
        ]

    def __str__(self):
        return f"{self.user} — {self.meeting}"


class Invitation(models.Model):
    """An invitation e-mail sent to an organization about a consultation: one per
    organization and one per address, whoever asks to send again."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="invitations"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organization"], name="one_invitation_per_organization"
            ),
            models.UniqueConstraint(
                fields=["consultation", "email"], name="one_invitation_per_address"
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.consultation}"


class Response(models.Model):
    """The city's answer to one postulate, or to a group of similar ones."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("answer to a postulate", "accepted")
        PARTLY = "partly", pgettext_lazy("answer to a postulate", "partly accepted")
        REJECTED = "rejected", pgettext_lazy("answer to a postulate", "rejected")
        OUT_OF_SCOPE = "out_of_scope", pgettext_lazy("answer to a postulate", "out of scope")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("answer status", "draft")
        REVIEWED = "reviewed", pgettext_lazy("answer status", "reviewed")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    outcome = models.CharField(_("answer"), max_length=16, choices=Outcome)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return self.get_outcome_display()


class Postulate(models.Model):
    """A proposal or comment made in a consultation: online by its author, or received by
    e-mail, on paper or at a meeting and entered by staff."""

    class Source(models.TextChoices):
        ONLINE = "online", pgettext_lazy("postulate received", "online")
        EMAIL = "email", pgettext_lazy("postulate received", "by e-mail")
        PAPER = "paper", pgettext_lazy("postulate received", "on paper")
        MEETING = "meeting", pgettext_lazy("postulate received", "at a meeting")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="postulates"
    )
    number = models.PositiveIntegerField(_("number"))
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postulates",
        help_text=_("Empty: the whole document."),
    )
    proposal = models.TextField(_("proposed change"))
    justification = models.TextField(_("justification"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postulates",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postulates",
    )
    # For remarks entered by staff: who sent them, as written on the letter or e-mail.
    author_name = models.CharField(_("author (as received)"), max_length=300, blank=True)
    source = models.CharField(_("received"), max_length=10, choices=Source, default=Source.ONLINE)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    support_count = models.PositiveIntegerField(_("supported by"), default=0, editable=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.ForeignKey(
        Response,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postulates",
    )
    # The search normaliser's terms of the text, for grouping similar postulates.
    terms = models.TextField(editable=False, default="")

    PER_PAGE = 25

    class Meta:
        verbose_name = _("postulate")
        verbose_name_plural = _("postulates")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="one_postulate_per_number"
            )
        ]
        # A section's postulates (or the whole document's) in order, for the pages that
        # list them by section.
        indexes = [models.Index(fields=["consultation", "section", "number"])]

    def __str__(self):
        return _("Postulate %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs):
        from wspolpraca.core.search import search_document

        self.terms = search_document(self.proposal, self.justification)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # The consultation's page lists postulates by number, PER_PAGE to a page.
        page = (self.number - 1) // self.PER_PAGE + 1
        query = f"?page={page}" if page > 1 else ""
        return f"{self.consultation.get_absolute_url()}{query}#postulat-{self.number}"

    @property
    def signed(self):
        """The author as shown to the public: the organization, else the name."""
        if self.organization_id:
            return self.organization.name
        if self.author_name:
            return self.author_name
        # A resident's name is known to the department, not published.
        return _("a resident")


class Support(models.Model):
    postulate = models.ForeignKey(Postulate, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["postulate", "user"], name="one_support_per_person")
        ]

    def __str__(self):
        return f"{self.user} — {self.postulate}"


# ---------------------------------------------------------------------------------------
# The postulate tracker


class Catalogue(models.Model):
    """A set of postulates handed to departments at once (the 2018 report, a
    consultation's accepted postulates)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="catalogues",
    )

    class Meta:
        verbose_name = _("catalogue of postulates")
        verbose_name_plural = _("catalogues of postulates")
        ordering = ["code"]

    def __str__(self):
        return self.title


class TrackedPostulate(models.Model):
    """A postulate followed up by the city: who owns it, where it stands, what was done."""

    class Plane(models.TextChoices):
        POLICY = "I", _("I. Making policy together")
        TASKS = "II", _("II. Public tasks")
        INFRASTRUCTURE = "III", _("III. Infrastructure for civic activity")

    class Sector(models.TextChoices):
        YOUTH_EDUCATION = "youth_education", _("youth and education")
        ANTI_DISCRIMINATION = "anti_discrimination", _("anti-discrimination")
        NETWORKING = "networking", _("networking")
        DISABILITY = "disability", _("people with disabilities")
        CULTURE = "culture", _("culture")
        NOWA_HUTA = "nowa_huta", _("Nowa Huta")
        SENIORS = "seniors", _("seniors")
        HEALTH = "health", _("health")
        SOCIAL_INNOVATION = "social_innovation", _("social innovation")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("tracked postulate status", "submitted")
        UNDER_REVIEW = "under_review", pgettext_lazy("tracked postulate status", "under review")
        ACCEPTED = "accepted", pgettext_lazy("tracked postulate status", "accepted")
        IN_PROGRESS = "in_progress", pgettext_lazy("tracked postulate status", "in progress")
        IMPLEMENTED = "implemented", pgettext_lazy("tracked postulate status", "implemented")
        REJECTED = "rejected", pgettext_lazy("tracked postulate status", "rejected")

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    plane = models.CharField(_("plane"), max_length=3, choices=Plane, blank=True)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector, blank=True)
    department = models.ForeignKey(
        "city.Department",
        verbose_name=_("owner department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracked_postulates",
    )
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="tracked_postulates",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.SUBMITTED)
    status_reason = models.TextField(_("reason"), blank=True)
    catalogue = models.ForeignKey(
        Catalogue,
        verbose_name=_("catalogue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postulates",
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracked_postulates",
    )
    postulate = models.OneToOneField(
        Postulate,
        verbose_name=_("postulate in the consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracked",
    )
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    sort_name = models.CharField(max_length=200, editable=False, default="")
    search_name = models.TextField(editable=False, default="")
    search_document = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("tracked postulate")
        verbose_name_plural = _("tracked postulates")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["plane", "code"]),
            models.Index(fields=["sector", "code"]),
            models.Index(fields=["status", "code"]),
            models.Index(fields=["department", "code"]),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        from wspolpraca.core.search import fold, search_document

        self.sort_name = fold(self.code)
        self.search_name = search_document(self.title)
        self.search_document = search_document(self.title, self.description, self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("consultations:tracked", args=[self.code])

    @property
    def plane_or_sector(self):
        return self.get_plane_display() if self.plane else self.get_sector_display()


class ProgressNote(models.Model):
    """A dated step in a tracked postulate's history; a change of status is one too."""

    postulate = models.ForeignKey(TrackedPostulate, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("date"))
    text = models.TextField(_("what happened"))
    status = models.CharField(
        _("status set"), max_length=16, choices=TrackedPostulate.Status, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date} {self.text[:50]}"


class TrackerLink(models.Model):
    """What answers a tracked postulate: a call, a consultation, a programme, anything with
    an address (links, so that the tracker imports no app it points to)."""

    class Kind(models.TextChoices):
        CALL = "call", _("call for proposals")
        CONSULTATION = "consultation", _("consultation")
        PROGRAMME = "programme", _("strategy or programme")
        OTHER = "other", _("other")

    postulate = models.ForeignKey(TrackedPostulate, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["id"]

    def __str__(self):
        return self.title


class ReportJob(models.Model):
    """The report's PDF is made by a task (2,000 postulates take a while); this records
    how long it took and how much memory, for the deployer."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="report_jobs"
    )
    queued_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    peak_memory_mb = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at"]

    def __str__(self):
        return f"{self.consultation} {self.queued_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------------------
# Surveys (PRODUCT.md I6): the city asks, people and organizations answer, in a window.
#
# An anonymous survey keeps its answers apart from who answered: `SurveyResponse` and
# `SurveyAnswer` carry no link to an account or an organization, no time and a random
# primary key, so that neither a column nor the order of ids ties an answer to a person.
# Who took part is a `SurveyParticipation` row, written in the same transaction, that
# names the response only when the survey is signed.


class SurveyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def open(self, now=None):
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)


class Survey(models.Model):
    class Phase(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("survey phase", "draft")
        SCHEDULED = "scheduled", pgettext_lazy("survey phase", "published, not open yet")
        OPEN = "open", pgettext_lazy("survey phase", "open for answers")
        CLOSED = "closed", pgettext_lazy("survey phase", "closed")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("everyone with an account")
        ORGANIZATIONS = "organizations", _("organizations (their members answer for them)")
        AREAS = "areas", _("organizations working in the chosen areas")

    department = models.ForeignKey(
        "city.Department",
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    slug = models.SlugField(_("address on the site"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction"),
        help_text=_("What the survey is for, how long it takes and what the city will do with it."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    audience = models.CharField(
        _("who may answer"), max_length=16, choices=Audience, default=Audience.EVERYONE
    )
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="surveys",
        help_text=_("Only for surveys of organizations working in the chosen areas."),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_(
            "Answers are kept apart from who gave them: nobody, the city's officials "
            "included, can tell who answered what."
        ),
    )
    per_organization = models.BooleanField(
        _("one answer per organization"),
        default=False,
        help_text=_("Otherwise each account answers once."),
    )
    results_public = models.BooleanField(_("results published"), default=False, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    response_count = models.PositiveIntegerField(_("answers"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:survey", args=[self.slug])

    def phase(self, now=None):
        now = now or timezone.now()
        if self.published_at is None:
            return self.Phase.DRAFT
        if now < self.opens_at:
            return self.Phase.SCHEDULED
        if now < self.closes_at:
            return self.Phase.OPEN
        return self.Phase.CLOSED

    def get_phase_display(self):
        return self.Phase(self.phase()).label

    @property
    def is_open(self):
        return self.phase() == self.Phase.OPEN

    @property
    def for_organizations(self):
        return self.audience != self.Audience.EVERYONE


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        SCALE = "scale", _("scale")
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")

    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE}
    TEXT_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind of question"), max_length=12, choices=Kind)
    text = models.CharField(_("question"), max_length=500)
    hint = models.CharField(_("hint"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many choices"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text=_("Only for questions with several choices; leave empty for no limit."),
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest point of the scale"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text=_("The scale runs from 1 to this number (at most 10)."),
    )
    scale_min_label = models.CharField(_("label of 1"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("label of the highest point"), max_length=60, blank=True)
    show_if = models.ForeignKey(
        "SurveyOption",
        verbose_name=_("ask only if the answer to an earlier question is"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conditional_questions",
    )

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "position"], name="one_survey_question_per_position"
            )
        ]

    def __str__(self):
        return self.text

    @property
    def is_choice(self):
        return self.kind in self.CHOICE_KINDS

    @property
    def is_text(self):
        return self.kind in self.TEXT_KINDS


class SurveyOption(models.Model):
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("option"), max_length=300)
    topic = models.ForeignKey(
        "city.TrainingTopic",
        verbose_name=_("training topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_options",
        help_text=_("The results then say whether trainings on it are planned."),
    )

    class Meta:
        verbose_name = _("survey question option")
        verbose_name_plural = _("survey question options")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class SurveyResponse(models.Model):
    """One person's or organization's answers. Deliberately nothing more: a random key,
    the survey, no account, no organization, no time (see the note above `Survey`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return str(self.id)


class SurveyAnswer(models.Model):
    """The answer to one question: an option chosen (a row per option of a multiple
    choice), a point of the scale, or text. Random keys too, so that their order says
    nothing about when they were given."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(
        SurveyOption, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [
            # The results' counts read these indexes only (surveys._tallies).
            models.Index(fields=["question", "option", "value"], name="survey_answer_tally_idx"),
            models.Index(fields=["question", "response"], name="survey_answer_people_idx"),
        ]

    def __str__(self):
        return self.text or str(self.option_id or self.value)


class SurveyParticipation(models.Model):
    """Who took part: one row per account (or per organization), which is what refuses a
    second answer. In an anonymous survey it does not name the response."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="survey_participations",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_participations",
    )
    # Copied from the survey, so that the database itself refuses a second answer.
    per_organization = models.BooleanField(default=False, editable=False)
    response = models.OneToOneField(
        SurveyResponse,
        verbose_name=_("response"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participation",
        help_text=_("Only in signed surveys."),
    )

    class Meta:
        verbose_name = _("survey participation")
        verbose_name_plural = _("survey participations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=models.Q(per_organization=False),
                name="one_survey_answer_per_account",
            ),
            models.UniqueConstraint(
                fields=["survey", "organization"],
                condition=models.Q(per_organization=True),
                name="one_survey_answer_per_organization",
            ),
        ]

    def __str__(self):
        return f"{self.survey} — {self.organization or self.user}"
