"""The rules of a consultation: its timeline, who may say what and when, the answers and
the report. Each function checks, changes, writes the audit entry and queues the e-mails;
a `ConsultationError` carries the message shown to the person (with the field it is
about, when there is one)."""

import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from wspolpraca.core import feed, mail
from wspolpraca.core.audit import record
from wspolpraca.core.caching import touch
from wspolpraca.organizations.models import Organization

from .models import (
    Consultation,
    ConsultationRules,
    Invitation,
    Meeting,
    Postulate,
    Registration,
    Response,
    Section,
    Support,
    TrackedPostulate,
)
from .signals import KEY

# The longest postulate text, in characters.
MAX_TEXT = 5000
# Invitations sent per task run: a batch, then the next batch queued.
INVITATION_BATCH = 200
# Two postulates whose terms overlap this much (Jaccard) are suggested as one group.
SIMILARITY = 0.5


class ConsultationError(Exception):
    """Why something cannot be done; the message is shown to the person.

    `field` names the form field it is about, so the error stands next to it."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _day(value):
    return formats.date_format(value, "j E Y")


def may_manage(user, consultation):
    return user.has_perm("consultations.manage_consultation", consultation)


# ---------------------------------------------------------------------------------------
# The timeline


def earliest_dates(information_from, opens_on, rules=None):
    """The earliest opening and closing dates the rules allow, given the other dates."""
    rules = rules or ConsultationRules.current()
    earliest_open = information_from + timedelta(days=rules.information_days)
    earliest_close = (opens_on or earliest_open) + timedelta(days=rules.open_days - 1)
    return earliest_open, earliest_close


def timeline_errors(information_from, opens_on, closes_on, report_due, *, today=None):
    """{field: message} for each date the rules refuse; {} when the timeline is lawful."""
    rules = ConsultationRules.current()
    today = today or timezone.localdate()
    errors = {}
    if information_from < today:
        errors["information_from"] = _(
            "The information period cannot start in the past; the earliest is %(date)s."
        ) % {"date": _day(today)}
    earliest_open, _close = earliest_dates(information_from, opens_on, rules)
    if opens_on < earliest_open:
        errors["opens_on"] = _(
            "People must be informed at least %(days)s days before the consultation opens. "
            "With information from %(from)s it may open on %(date)s at the earliest."
        ) % {
            "days": rules.information_days,
            "from": _day(information_from),
            "date": _day(earliest_open),
        }
    _open, earliest_close = earliest_dates(information_from, opens_on, rules)
    if closes_on < earliest_close:
        errors["closes_on"] = _(
            "A consultation stays open for at least %(days)s days. Opening on %(opens)s, "
            "it may close on %(date)s at the earliest."
        ) % {"days": rules.open_days, "opens": _day(opens_on), "date": _day(earliest_close)}
    if report_due <= closes_on:
        errors["report_due"] = _(
            "The report is due after the consultation closes: on %(date)s at the earliest."
        ) % {"date": _day(closes_on + timedelta(days=1))}
    return errors


def suggested_report_due(closes_on):
    return closes_on + timedelta(days=ConsultationRules.current().report_days)


# ---------------------------------------------------------------------------------------
# Sections of the draft document

# A line that starts a section: "§ 3", "Art. 4", "Rozdział 2", "Część II", "3." or "3)".
_HEADING = re.compile(
    r"^\s*(§\s*\d+|art\.\s*\d+|rozdzia[łl]\s+\w+|cz[ęe][śs][ćc]\s+\w+|\d{1,3}[.)])(\s|$)",
    re.IGNORECASE,
)


def split_into_sections(text):
    """[(title, text)] of the draft: a new section at each heading line ("§ 1", "Art. 2",
    "Rozdział III", "4."); without headings, at each paragraph. The official adjusts them
    afterwards."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    if any(_HEADING.match(line) for line in lines):
        sections, current = [], None
        for line in lines:
            if _HEADING.match(line):
                current = [line.strip(), []]
                sections.append(current)
            elif current is None:
                if line.strip():
                    current = [_("Introduction"), [line]]
                    sections.append(current)
            else:
                current[1].append(line)
        return [(title[:300], "\n".join(body).strip() or title) for title, body in sections]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return [(p.split("\n", 1)[0][:80], p) for p in paragraphs]


def text_of_upload(upload):
    """The plain text of an uploaded draft: a Word document (.docx), an OpenDocument text
    (.odt) or a plain text file."""
    name = (upload.name or "").lower()
    data = upload.read()
    if data[:2] == b"PK":  # a zip: .docx or .odt
        import io
        import zipfile
        from xml.etree import ElementTree

        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise ConsultationError(_("This file cannot be read."), "document") from None
        names = set(archive.namelist())
        if "word/document.xml" in names:
            root = ElementTree.fromstring(archive.read("word/document.xml"))
            ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            return "\n".join(
                "".join(t.text or "" for t in p.iter(f"{ns}t")) for p in root.iter(f"{ns}p")
            )
        if "content.xml" in names:
            root = ElementTree.fromstring(archive.read("content.xml"))
            ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
            return "\n".join(
                "".join(p.itertext()) for p in root.iter() if p.tag in (f"{ns}p", f"{ns}h")
            )
        raise ConsultationError(
            _("Upload a Word (.docx), OpenDocument (.odt) or plain text (.txt) file."), "document"
        )
    if name.endswith(".txt") or not name:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1250", errors="replace")
    raise ConsultationError(
        _("Upload a Word (.docx), OpenDocument (.odt) or plain text (.txt) file."), "document"
    )


@transaction.atomic
def replace_sections(consultation, sections, by):
    """Set the draft's sections, numbered 1… in the given order; only before
    announcement (postulates refer to them afterwards)."""
    if consultation.phase != Consultation.Phase.DRAFT:
        raise ConsultationError(_("The sections cannot change once the consultation is announced."))
    before = list(consultation.sections.values_list("title", flat=True))
    consultation.sections.all().delete()
    Section.objects.bulk_create(
        Section(consultation=consultation, number=n, title=title, text=text)
        for n, (title, text) in enumerate(sections, start=1)
    )
    record(
        by,
        "consultation.changed",
        consultation,
        {"sections": [before, [title for title, _text in sections]]},
    )


# ---------------------------------------------------------------------------------------
# Preparing and announcing


def forms_problems(consultation, rules=None):
    """What the forms of participation lack under the rules, as messages."""
    rules = rules or ConsultationRules.current()
    problems = []
    if len(set(consultation.forms)) < rules.min_forms:
        problems.append(
            _("Choose at least %(count)s forms of participation.") % {"count": rules.min_forms}
        )
    if rules.meeting_required:
        kinds = {Consultation.Form.MEETING, Consultation.Form.WORKSHOP}
        if not kinds & set(consultation.forms):
            problems.append(_("One of the forms must be an open meeting or a workshop."))
        elif not consultation.meetings.filter(
            starts_at__date__gte=consultation.opens_on,
            starts_at__date__lte=consultation.closes_on,
        ).exists():
            problems.append(
                _("Plan the open meeting or workshop, with its date within the consultation.")
            )
    return problems


@transaction.atomic
def announce(consultation, by):
    """Make the consultation public and invite the organizations of its areas."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not may_manage(by, consultation):
        raise PermissionDenied
    if consultation.announced_at:
        raise ConsultationError(_("This consultation is already announced."))
    problems = list(
        timeline_errors(
            consultation.information_from,
            consultation.opens_on,
            consultation.closes_on,
            consultation.report_due,
        ).values()
    )
    if not consultation.sections.exists():
        problems.append(_("Add the draft document's sections."))
    problems += forms_problems(consultation)
    if problems:
        raise ConsultationError(" ".join(str(p) for p in problems))
    consultation.announced_at = timezone.now()
    consultation.save(update_fields=["announced_at"])
    record(
        by,
        "consultation.announced",
        consultation,
        {
            "information_from": [None, consultation.information_from.isoformat()],
            "opens_on": [None, consultation.opens_on.isoformat()],
            "closes_on": [None, consultation.closes_on.isoformat()],
        },
    )
    transaction.on_commit(lambda: send_invitations.enqueue(consultation.pk))
    return consultation


def invited_organizations(consultation):
    """The verified, public organizations active in any of the consultation's areas."""
    return (
        Organization.objects.public()
        .filter(verification=Organization.Verification.VERIFIED)
        .filter(areas__in=consultation.areas.all())
        .distinct()
    )


@task()
def send_invitations(consultation_pk):
    """Invite the next batch of the organizations not yet invited, then queue the rest.

    An organization is invited once, and an address once, however often this runs: each
    invitation is recorded under unique constraints before its e-mail is queued."""
    consultation = Consultation.objects.get(pk=consultation_pk)
    already = Invitation.objects.filter(consultation=consultation)
    batch = list(
        invited_organizations(consultation)
        .exclude(pk__in=already.values("organization"))
        .exclude(email="")
        .order_by("pk")[:INVITATION_BATCH]
    )
    if not batch:
        return 0
    taken = set(
        already.filter(email__in=[o.email.lower() for o in batch]).values_list("email", flat=True)
    )
    addresses = []
    with transaction.atomic():
        for organization in batch:
            address = organization.email.lower()
            if address in taken:
                # Another organization with the same address was told already: record it
                # as handled, under a marker address, so the batch moves on.
                address = f"{organization.pk}@invitation.invalid"
            taken.add(address)
            try:
                with transaction.atomic():
                    Invitation.objects.create(
                        consultation=consultation, organization=organization, email=address
                    )
            except IntegrityError:
                continue  # another worker took it
            if not address.endswith("@invitation.invalid"):
                addresses.append(address)
        mail.send(
            addresses,
            gettext_lazy("Invitation to the consultation: %(title)s"),
            "consultations/email/invitation.txt",
            {
                "consultation": consultation,
                "url": settings.SITE_URL + consultation.get_absolute_url(),
            },
            subject_params={"title": consultation.title},
        )
        record(
            None, "consultation.invitations_sent", consultation, {"invited": [None, len(addresses)]}
        )
    if len(batch) == INVITATION_BATCH:
        transaction.on_commit(lambda: send_invitations.enqueue(consultation_pk))
    return len(addresses)


# ---------------------------------------------------------------------------------------
# Meetings


@transaction.atomic
def register(meeting, user):
    """A place at the meeting, or on its waiting list when it is full."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if "register" not in meeting.consultation.offers or meeting.starts_at <= timezone.now():
        raise ConsultationError(_("Registration for this meeting is closed."))
    existing = Registration.objects.filter(meeting=meeting, user=user).first()
    if existing and existing.status != Registration.Status.CANCELLED:
        raise ConsultationError(_("You are already registered for this meeting."))
    taken = meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()
    full = meeting.capacity is not None and taken >= meeting.capacity
    status = Registration.Status.WAITING if full else Registration.Status.CONFIRMED
    if existing:
        existing.status = status
        existing.created_at = timezone.now()
        existing.save(update_fields=["status", "created_at"])
        registration = existing
    else:
        registration = Registration.objects.create(meeting=meeting, user=user, status=status)
    _tell_registration(registration)
    return registration


@transaction.atomic
def cancel_registration(meeting, user):
    """Give the place up; the first on the waiting list gets it and is told."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    registration = (
        Registration.objects.filter(meeting=meeting, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if registration is None:
        raise ConsultationError(_("You are not registered for this meeting."))
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status"])
    if was_confirmed:
        waiting = meeting.registrations.filter(status=Registration.Status.WAITING).first()
        if waiting:
            waiting.status = Registration.Status.CONFIRMED
            waiting.save(update_fields=["status"])
            _tell_registration(waiting, moved_up=True)
    return registration


def _tell_registration(registration, moved_up=False):
    # mail.send queues delivery for after the commit: a rolled-back change tells nobody.
    meeting = registration.meeting
    mail.send(
        [registration.user],
        gettext_lazy("Your registration: %(title)s"),
        "consultations/email/registration.txt",
        {
            "meeting": meeting,
            "registration": registration,
            "moved_up": moved_up,
            "url": settings.SITE_URL + meeting.get_absolute_url(),
        },
        subject_params={"title": meeting.title},
    )


# ---------------------------------------------------------------------------------------
# Postulates


def _clean(text, message, field):
    text = (text or "").strip()
    if not text:
        raise ConsultationError(message, field)
    if len(text) > MAX_TEXT:
        raise ConsultationError(
            _("Write at most %(max)s characters; this text has %(count)s.")
            % {"max": MAX_TEXT, "count": len(text)},
            field,
        )
    return text


def _next_number(consultation):
    # The consultation row is locked by the caller, so two postulates never share a number.
    last = consultation.postulates.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _check_section(consultation, section):
    if section is not None and section.consultation_id != consultation.pk:
        raise ConsultationError(_("Choose a section of this document."), "section")


def _counted(postulate, change):
    Consultation.objects.filter(pk=postulate.consultation_id).update(
        postulate_count=F("postulate_count") + change
    )
    _section_counted(postulate, change)


def _section_counted(postulate, change):
    # A section counts its visible postulates (the page shows them by section).
    if postulate.section_id:
        Section.objects.filter(pk=postulate.section_id).update(
            postulate_count=F("postulate_count") + change
        )
    touch(KEY)


def recount(consultation):
    """Count again a consultation's postulates and each section's visible ones: for data
    loaded in bulk (the demo, imports)."""
    from django.db.models import Count, Q

    Consultation.objects.filter(pk=consultation.pk).update(
        postulate_count=consultation.postulates.count()
    )
    for section in consultation.sections.annotate(
        visible=Count("postulates", filter=Q(postulates__is_hidden=False))
    ):
        Section.objects.filter(pk=section.pk).update(postulate_count=section.visible)


@transaction.atomic
def submit_postulate(
    consultation, user, *, proposal, justification="", section=None, organization=None
):
    """A postulate from a signed-in person, for themselves or for an organization they
    are a member of; taken only while the consultation is open (until the end of its
    last day)."""
    if not user.is_authenticated:
        raise PermissionDenied
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if "submit" not in consultation.offers:
        raise ConsultationError(
            _(
                "Postulates are taken only while the consultation is open, from %(opens)s to "
                "%(closes)s."
            )
            % {"opens": _day(consultation.opens_on), "closes": _day(consultation.closes_on)}
        )
    if organization is not None and not organization.memberships.filter(user=user).exists():
        raise ConsultationError(
            _("You can write on behalf of an organization you are a member of only."),
            "organization",
        )
    _check_section(consultation, section)
    postulate = Postulate.objects.create(
        consultation=consultation,
        number=_next_number(consultation),
        section=section,
        proposal=_clean(proposal, _("Write the change you propose."), "proposal"),
        justification=_clean(justification, _("Write why you propose it."), "justification"),
        author=user,
        organization=organization,
    )
    _counted(postulate, +1)
    record(
        user,
        "postulate.submitted",
        postulate,
        {
            "consultation": [None, consultation.pk],
            "organization": [None, organization.pk if organization else None],
        },
    )
    return postulate


@transaction.atomic
def enter_remark(
    consultation, by, *, proposal, justification="", section=None, author_name, source, received_on
):
    """A remark that came by e-mail, on paper or at a meeting, entered by staff with its
    source. It counts if it was received by the consultation's last day."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not may_manage(by, consultation):
        raise PermissionDenied
    if "enter_remark" not in consultation.offers:
        raise ConsultationError(
            _(
                "Remarks can be entered while the consultation is open or "
                "until its answers are published."
            )
        )
    if source == Postulate.Source.ONLINE:
        raise ConsultationError(_("Choose how the remark was received."), "source")
    if received_on < consultation.opens_on or received_on > consultation.closes_on:
        raise ConsultationError(
            _("Only remarks received between %(opens)s and %(closes)s count.")
            % {"opens": _day(consultation.opens_on), "closes": _day(consultation.closes_on)},
            "received_on",
        )
    _check_section(consultation, section)
    postulate = Postulate.objects.create(
        consultation=consultation,
        number=_next_number(consultation),
        section=section,
        proposal=_clean(proposal, _("Write the remark."), "proposal"),
        justification=(justification or "").strip()[:MAX_TEXT],
        author_name=_clean(author_name, _("Write who sent the remark."), "author_name")[:300],
        source=source,
        received_on=received_on,
        entered_by=by,
    )
    _counted(postulate, +1)
    record(
        by,
        "postulate.entered",
        postulate,
        {"source": [None, source], "received_on": [None, received_on.isoformat()]},
    )
    return postulate


@transaction.atomic
def support(postulate, user):
    if not user.is_authenticated:
        raise PermissionDenied
    if "support" not in postulate.consultation.offers or postulate.is_hidden:
        raise ConsultationError(_("Postulates can be supported while the consultation is open."))
    if postulate.author_id == user.pk:
        raise ConsultationError(_("You cannot support your own postulate."))
    try:
        with transaction.atomic():
            Support.objects.create(postulate=postulate, user=user)
    except IntegrityError:
        raise ConsultationError(_("You already support this postulate.")) from None
    Postulate.objects.filter(pk=postulate.pk).update(support_count=F("support_count") + 1)
    touch(KEY)


@transaction.atomic
def hide_postulate(postulate, by, reason):
    """Hide a postulate from the public with a public reason; it is never deleted and
    keeps its number, so the record stays whole."""
    if not may_manage(by, postulate.consultation):
        raise PermissionDenied
    reason = _clean(reason, _("Write the reason for hiding; it is shown publicly."), "reason")
    postulate.is_hidden = True
    postulate.hidden_reason = reason
    postulate.hidden_by = by
    postulate.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    _section_counted(postulate, -1)
    record(by, "postulate.hidden", postulate, {"hidden_reason": [None, reason]})


@transaction.atomic
def show_postulate(postulate, by):
    if not may_manage(by, postulate.consultation):
        raise PermissionDenied
    postulate.is_hidden = False
    postulate.save(update_fields=["is_hidden"])
    _section_counted(postulate, +1)
    record(by, "postulate.shown", postulate, {"hidden_reason": [postulate.hidden_reason, None]})


# ---------------------------------------------------------------------------------------
# Answers


def _check_answering(consultation, by):
    if not may_manage(by, consultation):
        raise PermissionDenied
    if "answer" not in consultation.offers:
        raise ConsultationError(
            _(
                "Postulates are answered after the consultation closes and until the answers "
                "are published."
            )
        )


@transaction.atomic
def answer(postulates, by, *, outcome, reason):
    """Draft one answer for `postulates` (one, or a group of similar ones); a postulate
    that had an answer of its own gets the new one. A reason is required unless accepted."""
    postulates = list(postulates)
    consultation = postulates[0].consultation
    _check_answering(consultation, by)
    if any(p.consultation_id != consultation.pk for p in postulates):
        raise ConsultationError(_("Group postulates of one consultation only."))
    reason = (reason or "").strip()
    if outcome not in Response.Outcome.values:
        raise ConsultationError(_("Choose the answer."), "outcome")
    if outcome != Response.Outcome.ACCEPTED and not reason:
        raise ConsultationError(
            _("Give the reason: every answer other than ‘accepted’ needs one."), "reason"
        )
    old = {p.response_id for p in postulates if p.response_id}
    response = Response.objects.create(
        consultation=consultation, outcome=outcome, reason=reason, drafted_by=by
    )
    Postulate.objects.filter(pk__in=[p.pk for p in postulates]).update(response=response)
    # An answer left without postulates (all moved to the new group) is gone.
    Response.objects.filter(pk__in=old, postulates__isnull=True).delete()
    for postulate in postulates:
        postulate.response = response
        record(
            by,
            "response.drafted",
            postulate,
            {
                "outcome": [None, outcome],
                "reason": [None, reason or None],
                "group": [None, [p.number for p in postulates]] if len(postulates) > 1 else None,
            },
        )
    return response


@transaction.atomic
def ungroup(postulate, by):
    """Take a postulate out of its group: it waits for an answer of its own."""
    _check_answering(postulate.consultation, by)
    old = postulate.response_id
    postulate.response = None
    postulate.save(update_fields=["response"])
    Response.objects.filter(pk=old, postulates__isnull=True).delete()
    record(by, "response.ungrouped", postulate, {"response": [old, None]})


@transaction.atomic
def review(response, by):
    """Mark a drafted answer as reviewed: ready to be published."""
    _check_answering(response.consultation, by)
    response.status = Response.Status.REVIEWED
    response.reviewed_by = by
    response.reviewed_at = timezone.now()
    response.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    for postulate in response.postulates.all():
        record(by, "response.reviewed", postulate, {"status": ["draft", "reviewed"]})


def suggest_groups(postulates):
    """Groups of similar postulates not yet answered together: those whose normalised
    terms overlap by at least SIMILARITY (Jaccard), joined transitively. The official
    confirms a group before it shares one answer."""
    items = [(p, set(p.terms.split())) for p in postulates if p.terms]
    parent = {p.pk: p.pk for p, _terms in items}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    # An inverted index keeps this near-linear: only postulates sharing a term compare.
    by_term = {}
    for p, terms in items:
        for term in terms:
            by_term.setdefault(term, []).append((p, terms))
    compared = set()
    for p, terms in items:
        for term in terms:
            bucket = by_term[term]
            if len(bucket) > 50:  # a word half the postulates use says nothing
                continue
            for other, other_terms in bucket:
                pair = (min(p.pk, other.pk), max(p.pk, other.pk))
                if other.pk == p.pk or pair in compared:
                    continue
                compared.add(pair)
                overlap = len(terms & other_terms) / len(terms | other_terms)
                if overlap >= SIMILARITY:
                    parent[root(p.pk)] = root(other.pk)
    groups = {}
    for p, _terms in items:
        groups.setdefault(root(p.pk), []).append(p)
    return [
        sorted(group, key=lambda p: p.number)
        for group in groups.values()
        if len(group) > 1 and not _answered_together(group)
    ]


def _answered_together(group):
    responses = {p.response_id for p in group}
    return len(responses) == 1 and None not in responses


def unanswered(consultation):
    """Visible postulates without a reviewed answer."""
    return consultation.postulates.filter(is_hidden=False).exclude(
        response__status=Response.Status.REVIEWED
    )


@transaction.atomic
def publish_answers(consultation, by):
    """Publish every answer at once, tell the authors, and hand the accepted postulates
    to the tracker under the owning department."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _check_answering(consultation, by)
    missing = unanswered(consultation).count()
    if missing:
        raise ConsultationError(
            _(
                "Every postulate needs a reviewed answer before publication; %(count)s do not "
                "have one yet."
            )
            % {"count": missing}
        )
    consultation.answers_published_at = timezone.now()
    consultation.save(update_fields=["answers_published_at"])
    record(
        by,
        "consultation.answers_published",
        consultation,
        {"postulates": [None, consultation.postulates.count()]},
    )
    _hand_to_tracker(consultation, by)
    authors = consultation.postulates.filter(
        is_hidden=False, author__isnull=False, author__is_active=True
    ).select_related("author")
    recipients = {p.author_id: p.author for p in authors}
    context = {
        "consultation": consultation,
        "url": settings.SITE_URL + consultation.get_absolute_url() + "#odpowiedzi",
    }
    mail.send(
        list(recipients.values()),
        gettext_lazy("The city has answered the postulates: %(title)s"),
        "consultations/email/answers_published.txt",
        context,
        subject_params={"title": consultation.title},
    )
    return consultation


def _hand_to_tracker(consultation, by):
    accepted = consultation.postulates.filter(
        is_hidden=False,
        response__outcome__in=[Response.Outcome.ACCEPTED, Response.Outcome.PARTLY],
        tracked__isnull=True,
    ).select_related("response", "section")
    areas = list(consultation.areas.all())
    for postulate in accepted:
        title = postulate.proposal.split("\n", 1)[0]
        tracked = TrackedPostulate(
            code=f"K{consultation.pk}-{postulate.number}",
            title=title[:197] + "…" if len(title) > 200 else title,
            description=postulate.proposal,
            department=consultation.department,
            status=TrackedPostulate.Status.ACCEPTED,
            consultation=consultation,
            postulate=postulate,
            plane=TrackedPostulate.Plane.POLICY,
        )
        tracked.save()
        tracked.areas.set(areas)
        record(
            by,
            "tracked_postulate.created",
            tracked,
            {"status": [None, tracked.status], "consultation": [None, consultation.pk]},
        )


# ---------------------------------------------------------------------------------------
# The report


def count_report_numbers(consultation):
    """The report's numbers, counted: {postulates, hidden, participants, organizations,
    attended, by_source: {code: n}, by_outcome: {code: n}}."""
    postulates = consultation.postulates.all()
    attended = sum(m.attendance or 0 for m in consultation.meetings.all())
    online_authors = postulates.filter(source=Postulate.Source.ONLINE).values("author").distinct()
    organizations = postulates.filter(organization__isnull=False).values("organization").distinct()
    return {
        "postulates": postulates.count(),
        "hidden": postulates.filter(is_hidden=True).count(),
        "participants": consultation.recorded_participants
        if consultation.recorded_participants is not None
        else online_authors.count() + attended,
        "organizations": consultation.recorded_organizations
        if consultation.recorded_organizations is not None
        else organizations.count(),
        "attended": attended,
        "by_source": dict(_count_by(postulates, "source")),
        "by_outcome": {
            code: n
            for code, n in _count_by(postulates.filter(is_hidden=False), "response__outcome")
            if code
        },
    }


def report_facts(consultation):
    """The numbers the report states, with their labels: as published, or counted now
    for the department's preview."""
    numbers = consultation.report_numbers or count_report_numbers(consultation)
    sources, outcomes = dict(Postulate.Source.choices), dict(Response.Outcome.choices)
    return {
        **numbers,
        "meetings": list(consultation.meetings.all()),
        "by_source": {sources[code]: n for code, n in numbers["by_source"].items()},
        "by_outcome": {outcomes[code]: n for code, n in numbers["by_outcome"].items()},
    }


def _count_by(queryset, field):
    from django.db.models import Count

    return queryset.order_by().values_list(field).annotate(n=Count("id")).values_list(field, "n")


def with_texts(postulates):
    """Each postulate with what its row prints, labels and dates written once per
    distinct value (a page of 50 or 100 rows is rendered on every visit; the PDF holds
    them all)."""
    dates, sources, outcomes = {}, dict(Postulate.Source.choices), dict(Response.Outcome.choices)
    for postulate in postulates:
        day = timezone.localtime(postulate.created_at).date()
        if day not in dates:
            dates[day] = formats.date_format(day, "j E Y")
        postulate.date_text = dates[day]
        postulate.signed_text = postulate.signed
        postulate.source_text = sources[postulate.source]
        postulate.outcome_text = outcomes[postulate.response.outcome] if postulate.response else ""
        postulate.heading = _("Postulate no. %(n)s") % {"n": postulate.number}
        postulate.section_text = (
            _("section %(section)s") % {"section": postulate.section.number}
            if postulate.section
            else _("the whole document")
        )
        postulate.support_text = ngettext(
            "supported by %(counter)s person",
            "supported by %(counter)s people",
            postulate.support_count,
        ) % {"counter": postulate.support_count}
        yield postulate


def report_rows(consultation, section=None, *, whole=False):
    """Every postulate with its answer, by section (the whole document first); or only
    those of `section`, or (`whole`) those on the whole document, in order."""
    rows = consultation.postulates.select_related("section", "organization").prefetch_related(
        "response"
    )
    if section is not None:
        return rows.filter(section=section).order_by("number")
    if whole:
        return rows.filter(section__isnull=True).order_by("number")
    return rows.order_by(F("section__number").asc(nulls_first=True), "number")


@transaction.atomic
def publish_report(consultation, by, summary):
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not may_manage(by, consultation):
        raise PermissionDenied
    if "report" not in consultation.offers:
        raise ConsultationError(
            _("The report can be published once every postulate has a published answer.")
        )
    if unanswered(consultation).exists():
        raise ConsultationError(_("Every postulate needs an answer before the report."))
    consultation.report_summary = _clean(
        summary, _("Describe the course of the consultation."), "summary"
    )
    consultation.report_published_at = timezone.now()
    consultation.report_numbers = count_report_numbers(consultation)
    consultation.save(update_fields=["report_summary", "report_published_at", "report_numbers"])
    record(
        by,
        "consultation.report_published",
        consultation,
        {"report_published_at": [None, consultation.report_published_at.isoformat()]},
    )
    from .models import ReportJob

    job = ReportJob.objects.create(consultation=consultation)
    transaction.on_commit(lambda: build_report_pdf.enqueue(job.pk))
    return consultation


@task()
def build_report_pdf(job_pk):
    """Render the report's PDF and store it with the consultation; records the time and
    peak memory the rendering took."""
    import resource
    import time as clock

    from django.core.files.base import ContentFile

    from wspolpraca.core.pdf import render_pdf

    from .models import ReportJob

    job = ReportJob.objects.select_related("consultation").get(pk=job_pk)
    consultation = job.consultation
    started = clock.monotonic()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        pdf = render_pdf(
            "consultations/pdf/report.html",
            {
                "consultation": consultation,
                "facts": report_facts(consultation),
                "rows": with_texts(report_rows(consultation).iterator(chunk_size=500)),
            },
        )
    except Exception as error:
        job.error = f"{type(error).__name__}: {error}"
        job.finished_at = timezone.now()
        job.save(update_fields=["error", "finished_at"])
        raise
    consultation.report_pdf.save(f"raport-{consultation.slug}.pdf", ContentFile(pdf), save=False)
    Consultation.objects.filter(pk=consultation.pk).update(report_pdf=consultation.report_pdf.name)
    job.finished_at = timezone.now()
    job.seconds = clock.monotonic() - started
    job.peak_memory_mb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, before) / 1024
    job.save(update_fields=["finished_at", "seconds", "peak_memory_mb"])
    return job.seconds


# ---------------------------------------------------------------------------------------
# The feed


def _aware(day, at=time(9, 0)):
    return timezone.make_aware(datetime.combine(day, at))


def consultations_feed(start, end):
    """The feed's "consultation" items: announced consultations open in the window."""
    found = (
        Consultation.objects.filter(announced_at__isnull=False)
        .filter(
            opens_on__lt=end.date() if hasattr(end, "date") else end,
            closes_on__gte=start.date() if hasattr(start, "date") else start,
        )
        .select_related("department")
        .prefetch_related("areas", "districts")
    )
    items = []
    for c in found:
        districts = [d.number for d in c.districts.all()]
        items.append(
            feed.Item(
                kind="consultation",
                title=_("Consultation: %(title)s") % {"title": c.title},
                url=c.get_absolute_url(),
                published=c.announced_at,
                starts=c.opens_on,
                ends=c.closes_on,
                summary=c.summary[:300],
                areas=tuple(a.code for a in c.areas.all()),
                district=districts[0] if len(districts) == 1 else None,
            )
        )
    return items


def meetings_feed(start, end):
    """The feed's "consultation_meeting" items: meetings of announced consultations."""
    found = (
        Meeting.objects.filter(consultation__announced_at__isnull=False)
        .filter(starts_at__lt=end, ends_at__gte=start)
        .select_related("consultation")
        .prefetch_related("consultation__areas")
    )
    return [
        feed.Item(
            kind="consultation_meeting",
            title=m.title,
            url=m.get_absolute_url(),
            published=m.consultation.announced_at,
            starts=m.starts_at,
            ends=m.ends_at,
            summary=m.consultation.title,
            areas=tuple(a.code for a in m.consultation.areas.all()),
            place=m.place,
        )
        for m in found
    ]
