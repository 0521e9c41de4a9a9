import re

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.uploads import RandomName


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


# ---------------------------------------------------------------------------------------
# Dialogue bodies: the Public Benefit Council and the Civic Dialogue Commissions (I7)


class DialogueBodyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class DialogueBody(models.Model):
    """An advisory body of the city and its NGOs: the Public Benefit Council (Rada
    Działalności Pożytku Publicznego) or a Civic Dialogue Commission (Komisja Dialogu
    Obywatelskiego) of some areas. Its secretaries and the staff of the department that
    services it keep its records on the site: members, meetings, opinions."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Public Benefit Council")
        COMMISSION = "commission", _("Civic Dialogue Commission")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("address on the site"), max_length=120, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the body does. Markdown.")
    )
    areas = models.ManyToManyField(
        "organizations.PublicBenefitArea",
        verbose_name=_("public benefit areas"),
        blank=True,
        related_name="dialogue_bodies",
    )
    regulations_file = models.FileField(
        _("regulations (PDF)"), upload_to=RandomName("bodies/regulations"), blank=True
    )
    regulations_url = models.URLField(
        _("regulations (link)"),
        blank=True,
        help_text=_("A link to the regulations, e.g. in the BIP, when there is no file."),
    )
    contact = models.TextField(
        _("contact"),
        blank=True,
        help_text=_("The body's public contact: an office address, a shared mailbox."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("servicing department"),
        on_delete=models.PROTECT,
        related_name="dialogue_bodies",
    )
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary accounts"),
        blank=True,
        related_name="kept_bodies",
        help_text=_(
            "People who keep the body's records on the site, besides the staff of the "
            "servicing department."
        ),
    )
    opinion_min_days = models.PositiveSmallIntegerField(
        _("shortest term for an opinion (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_(
            "An opinion request must give the body at least this many days. The public "
            "benefit act lets the council's term be set, not shorter than 7 days."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = DialogueBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("dialogue body")
        verbose_name_plural = _("dialogue bodies")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("city:body", args=[self.slug])


class BodyMemberQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(term_start__lte=on).filter(
            models.Q(term_end__isnull=True) | models.Q(term_end__gte=on)
        )

    def former(self, on=None):
        on = on or timezone.localdate()
        return self.filter(term_end__lt=on)


class BodyMember(models.Model):
    """A person sitting on a body for a term. Only the name, role, whom they represent
    and who nominated them are public: no e-mail or other private data is kept here."""

    class Role(models.TextChoices):
        CHAIR = "chair", pgettext_lazy("body role", "chair")
        DEPUTY = "deputy", pgettext_lazy("body role", "deputy chair")
        SECRETARY = "secretary", pgettext_lazy("body role", "secretary")
        MEMBER = "member", pgettext_lazy("body role", "member")

    class Representing(models.TextChoices):
        CITY = "city", _("the mayor (the city)")
        COUNCIL = "city_council", _("the city council")
        NGOS = "ngos", _("non-governmental organizations")

    body = models.ForeignKey(
        DialogueBody,
        verbose_name=_("dialogue body"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    representing = models.CharField(_("representing"), max_length=20, choices=Representing.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("nominating organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_nominees",
    )
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term to"), null=True, blank=True)

    objects = BodyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member of a dialogue body")
        verbose_name_plural = _("members of dialogue bodies")
        ordering = ["body", "term_start", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="city_bodymember_term_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"

    # The order of roles on the page: the chair first.
    ROLE_ORDER = {Role.CHAIR: 0, Role.DEPUTY: 1, Role.SECRETARY: 2, Role.MEMBER: 3}

    @property
    def role_rank(self):
        return self.ROLE_ORDER.get(self.role, 9)


_NUMBERED = re.compile(r"^\s*\d+[.)]\s")
_BULLET = re.compile(r"^\s*[-*+]\s+")


def numbered_agenda(text):
    """The agenda as a numbered Markdown list: one item per line, numbered in order,
    unless the author numbered the items already (then as written)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines or any(_NUMBERED.match(line) for line in lines):
        return text or ""
    return "\n".join(f"{n}. {_BULLET.sub('', line)}" for n, line in enumerate(lines, 1))


class BodyMeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now())


class BodyMeeting(models.Model):
    """A meeting of a body: when and where, its agenda, and afterwards its minutes."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting status", "planned")
        HELD = "held", pgettext_lazy("meeting status", "held")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "cancelled")

    body = models.ForeignKey(
        DialogueBody,
        verbose_name=_("dialogue body"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    online_link = models.URLField(_("link to join online"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes_text = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(
        _("minutes (PDF)"), upload_to=RandomName("bodies/minutes"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BodyMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting of a dialogue body")
        verbose_name_plural = _("meetings of dialogue bodies")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["body", "starts_at"])]

    def __str__(self):
        when = timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.body} — {when}"

    def get_absolute_url(self):
        return reverse("city:body_meeting", args=[self.body.slug, self.pk])

    @property
    def agenda_markdown(self):
        return numbered_agenda(self.agenda)

    @property
    def has_minutes(self):
        return bool(self.minutes_text.strip() or self.minutes_file)


class OpinionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Opinion(models.Model):
    """A document a body adopted and published: an opinion, a resolution or a position.
    An opinion may answer an opinion request. Kept as a draft (not public) until a keeper
    has checked it and published it."""

    class Kind(models.TextChoices):
        OPINION = "opinion", pgettext_lazy("document kind", "opinion")
        RESOLUTION = "resolution", pgettext_lazy("document kind", "resolution")
        POSITION = "position", pgettext_lazy("document kind", "position")

    body = models.ForeignKey(
        DialogueBody,
        verbose_name=_("dialogue body"),
        on_delete=models.CASCADE,
        related_name="opinions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OPINION)
    number = models.CharField(
        _("number"), max_length=30, help_text=_("As the body numbers it, e.g. 1/2026.")
    )
    adopted_on = models.DateField(_("adopted on"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("document (PDF)"), upload_to=RandomName("bodies/opinions"), blank=True
    )
    request = models.OneToOneField(
        "OpinionRequest",
        verbose_name=_("opinion request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answer",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("opinion or resolution")
        verbose_name_plural = _("opinions and resolutions")
        ordering = ["-adopted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "number"], name="city_opinion_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("city:body_opinion", args=[self.body.slug, self.pk])

    @property
    def is_published(self):
        return self.published_at is not None


class OpinionRequest(models.Model):
    """An official's request for a body's opinion on a draft (a programme, a resolution,
    a strategy), with the term by which the body is to give it."""

    class State(models.TextChoices):
        AWAITING = "awaiting", _("awaiting the opinion")
        ANSWERED = "answered", _("opinion given")
        ANSWERED_LATE = "answered_late", _("opinion given after the deadline")
        LAPSED = "lapsed", _("no opinion given by the deadline")

    body = models.ForeignKey(
        DialogueBody,
        verbose_name=_("dialogue body"),
        on_delete=models.CASCADE,
        related_name="opinion_requests",
    )
    title = models.CharField(_("title of the draft"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    draft_file = models.FileField(
        _("draft (PDF)"), upload_to=RandomName("bodies/drafts"), blank=True
    )
    draft_url = models.URLField(
        _("draft (link)"),
        blank=True,
        help_text=_("A link to the draft, e.g. to the consultation's or the strategy's page."),
    )
    deadline = models.DateField(_("opinion due by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person who asked"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("requesting department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion request")
        verbose_name_plural = _("opinion requests")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("city:body_request", args=[self.body.slug, self.pk])

    def state(self, answer=None, today=None):
        """Where the request stands; `answer` is its published opinion (or None), passed
        in by lists that loaded it already."""
        today = today or timezone.localdate()
        if answer is not None:
            if answer.adopted_on > self.deadline:
                return self.State.ANSWERED_LATE
            return self.State.ANSWERED
        if today > self.deadline:
            return self.State.LAPSED
        return self.State.AWAITING

    @property
    def published_answer(self):
        answer = getattr(self, "answer", None)
        return answer if answer is not None and answer.is_published else None

    @property
    def current_state(self):
        return self.state(self.published_answer)
