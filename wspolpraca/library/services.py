"""The rules of the research library: preparing, submitting and moderating studies, hiding
and showing them; proposing, supporting and answering research topics.

Each function checks the permission and the state, changes, writes the audit entry and
queues the e-mails; a `LibraryError` carries the message shown to the person and the form
field it is about. The views and the API only call these.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.core import mail, ratelimit
from wspolpraca.core.audit import diff, record, snapshot
from wspolpraca.core.uploads import delete_replaced
from wspolpraca.organizations.models import Organization

from .models import TOPIC_ANSWERS, ResearchTopic, Study, TopicSupport

# The earliest year a study may carry: older documents are history, not the library's.
FIRST_YEAR = 1900
MAX_ABSTRACT = 5000
MAX_AREAS = 5


def topics_per_day():
    """How many topics one account may propose in a day: plenty for a person, too few to
    flood the list."""
    return getattr(settings, "LIBRARY_TOPICS_PER_DAY", 5)


class LibraryError(Exception):
    """Why something cannot be done; `field` names the form field it is about."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _url(obj):
    return settings.SITE_URL + obj.get_absolute_url()


def organizations_of(user):
    """The organizations `user` may submit studies for: every one they belong to."""
    if not user.is_authenticated:
        return []
    return list(Organization.objects.filter(memberships__user=user).order_by("sort_name", "id"))


# ---------------------------------------------------------------------------------------
# Studies: preparing and submitting


# The fields a person fills in; the services set the rest.
EDITABLE = (
    "title",
    "authors",
    "publisher_type",
    "publisher_name",
    "year",
    "abstract",
    "link",
    "licence",
    "licence_other",
)


def study_errors(data, *, has_file=False, today=None):
    """{field: message} of what is wrong with a study's answers (the form shows the same)."""
    errors = {}
    today = today or timezone.localdate()
    year = data.get("year")
    if year is not None and not FIRST_YEAR <= year <= today.year:
        errors["year"] = _("Enter a year between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": today.year,
        }
    if not has_file and not (data.get("link") or "").strip():
        errors["file"] = _("Attach the study's file or give a link to it (or both).")
    if data.get("licence") == Study.Licence.OTHER and not (data.get("licence_other") or "").strip():
        errors["licence_other"] = _("Name the licence the study is published under.")
    if "areas" in data and not data["areas"]:
        errors["areas"] = _("Choose at least one public benefit area.")
    if "areas" in data and len(data["areas"]) > MAX_AREAS:
        errors["areas"] = _("Choose at most five areas.")
    return errors


def _check(data, *, has_file):
    for field, message in study_errors(data, has_file=has_file).items():
        raise LibraryError(message, field)


def _apply(study, data):
    for name in EDITABLE:
        if name in data:
            value = data[name]
            setattr(study, name, value.strip() if isinstance(value, str) else value)
    if study.licence != Study.Licence.OTHER:
        study.licence_other = ""
    upload = data.get("file")
    if upload:
        study.file = upload
        study.file_type = upload.name.rsplit(".", 1)[-1][:8]
        study.file_size = upload.size


@transaction.atomic
def create_study(by, data, *, organization=None):
    """A draft study: for an organization `by` belongs to, or, by city staff, for the city,
    a unit, a university or an organization (named by `organization`, optional)."""
    staff = by.has_perm("library.publish_study")
    if not staff:
        if organization is None or not by.has_perm("library.submit_study", organization):
            raise LibraryError(_("Choose an organization you belong to."), "organization")
        data = {**data, "publisher_type": Study.PublisherType.NGO}
    elif data.get("publisher_type") != Study.PublisherType.NGO:
        organization = None
    if data.get("publisher_type") not in Study.PublisherType.values:
        raise LibraryError(_("Choose who published the study."), "publisher_type")
    _check(data, has_file=bool(data.get("file")))
    study = Study(
        organization=organization,
        submitted_by=by,
        added_by_city=staff,
        status=Study.Status.DRAFT,
    )
    _apply(study, data)
    study.save()
    study.areas.set(data["areas"])
    study.districts.set(data.get("districts") or [])
    record(by, "study.drafted", study, diff({}, snapshot(study)))
    return study


@transaction.atomic
def update_study(study, by, data, *, organization=None):
    """Change a draft or a rejected study; what changed is recorded."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    if not by.has_perm("library.manage_study", study):
        raise PermissionDenied
    if "edit" not in study.offers:
        raise LibraryError(_("Only a draft or a rejected study can be changed."))
    if study.added_by_city:
        study.organization = (
            organization if data.get("publisher_type") == Study.PublisherType.NGO else None
        )
    else:
        # An organization's study stays its own.
        data = {**data, "publisher_type": Study.PublisherType.NGO}
    if data.get("publisher_type") not in Study.PublisherType.values:
        raise LibraryError(_("Choose who published the study."), "publisher_type")
    _check(data, has_file=bool(data.get("file") or study.file))
    before = snapshot(study)
    old_file = study.file.name
    _apply(study, data)
    study.save()
    study.areas.set(data["areas"])
    study.districts.set(data.get("districts") or [])
    delete_replaced(old_file, study.file)
    changes = diff(before, snapshot(study))
    if changes:
        record(by, "study.changed", study, changes)
    return study


def _answers_of(study):
    data = {name: getattr(study, name) for name in EDITABLE}
    data["areas"] = list(study.areas.all())
    return data


def check_problems(study):
    """What stops the study from being sent, as sentences (the check page lists them)."""
    return list(study_errors(_answers_of(study), has_file=bool(study.file)).values())


@transaction.atomic
def submit_study(study, by):
    """Send an organization's study to moderation; staff publish at once."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    if not by.has_perm("library.manage_study", study):
        raise PermissionDenied
    if "submit" not in study.offers:
        raise LibraryError(_("This study has been sent already."))
    _check(_answers_of(study), has_file=bool(study.file))
    now = timezone.now()
    before = study.status
    study.submitted_by = by
    study.submitted_at = now
    study.rejection_reason = ""
    fields = ["status", "submitted_by", "submitted_at", "rejection_reason"]
    if study.added_by_city and by.has_perm("library.publish_study"):
        study.status = Study.Status.PUBLISHED
        study.published_at = study.moderated_at = now
        study.moderated_by = by
        fields += ["published_at", "moderated_at", "moderated_by"]
        study.save(update_fields=fields)
        record(by, "study.published", study, {"status": [before, study.status]})
    else:
        study.status = Study.Status.SUBMITTED
        study.save(update_fields=fields)
        record(by, "study.submitted", study, {"status": [before, study.status]})
    return study


# ---------------------------------------------------------------------------------------
# Studies: moderation


def _moderated(study, by, offer):
    study = Study.objects.select_for_update().get(pk=study.pk)
    if not by.has_perm("library.moderate_study"):
        raise PermissionDenied
    if offer not in study.offers:
        raise LibraryError(_("This study has been moderated already."))
    return study


def _tell_submitter(study, subject, template):
    if study.submitted_by is None:
        return
    mail.send(
        [study.submitted_by],
        subject,
        template,
        {"study": study, "url": _url(study)},
        subject_params={"title": study.title},
    )


@transaction.atomic
def approve_study(study, by):
    """Publish a submitted study; its submitter is told."""
    study = _moderated(study, by, "moderate")
    now = timezone.now()
    study.status = Study.Status.PUBLISHED
    study.published_at = study.moderated_at = now
    study.moderated_by = by
    study.save(update_fields=["status", "published_at", "moderated_at", "moderated_by"])
    record(by, "study.approved", study, {"status": [Study.Status.SUBMITTED, study.status]})
    _tell_submitter(
        study,
        gettext_lazy("Your study is published in the library: %(title)s"),
        "library/email/study_approved.txt",
    )
    return study


@transaction.atomic
def reject_study(study, by, reason):
    """Send a submitted study back with the reason; its organization may correct it and
    submit it again."""
    reason = (reason or "").strip()
    if not reason:
        raise LibraryError(
            _("Write why the study is rejected: its submitter reads it and can correct it."),
            "reason",
        )
    study = _moderated(study, by, "moderate")
    study.status = Study.Status.REJECTED
    study.rejection_reason = reason
    study.moderated_by = by
    study.moderated_at = timezone.now()
    study.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at"])
    record(
        by,
        "study.rejected",
        study,
        {"status": [Study.Status.SUBMITTED, study.status], "rejection_reason": [None, reason]},
    )
    _tell_submitter(
        study,
        gettext_lazy("Your study was not published: %(title)s"),
        "library/email/study_rejected.txt",
    )
    return study


@transaction.atomic
def hide_study(study, by, reason):
    """Take a published study out of the library; its page says why, to everyone."""
    reason = (reason or "").strip()
    if not reason:
        raise LibraryError(
            _("Write why the study is hidden: its page shows the reason to everyone."), "reason"
        )
    study = _moderated(study, by, "hide")
    study.status = Study.Status.HIDDEN
    study.hidden_reason = reason
    study.moderated_by = by
    study.moderated_at = timezone.now()
    study.save(update_fields=["status", "hidden_reason", "moderated_by", "moderated_at"])
    record(
        by,
        "study.hidden",
        study,
        {"status": [Study.Status.PUBLISHED, study.status], "hidden_reason": [None, reason]},
    )
    _tell_submitter(
        study,
        gettext_lazy("Your study was hidden in the library: %(title)s"),
        "library/email/study_hidden.txt",
    )
    return study


@transaction.atomic
def show_study(study, by):
    """Put a hidden study back in the library."""
    study = _moderated(study, by, "show")
    reason = study.hidden_reason
    study.status = Study.Status.PUBLISHED
    study.hidden_reason = ""
    study.moderated_by = by
    study.moderated_at = timezone.now()
    study.save(update_fields=["status", "hidden_reason", "moderated_by", "moderated_at"])
    record(
        by,
        "study.shown",
        study,
        {"status": [Study.Status.HIDDEN, study.status], "hidden_reason": [reason, None]},
    )
    return study


# ---------------------------------------------------------------------------------------
# Research topics


@transaction.atomic
def propose_topic(by, *, title, description, areas):
    if not by.has_perm("library.propose_topic"):
        raise PermissionDenied
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise LibraryError(_("Enter the topic."), "title")
    if not description:
        raise LibraryError(_("Write what should be studied and why."), "description")
    if not areas:
        raise LibraryError(_("Choose at least one public benefit area."), "areas")
    if not ratelimit.hit("library_topic", f"user:{by.pk}", topics_per_day(), 86400):
        raise LibraryError(_("You have proposed many topics today. Try again tomorrow."), "title")
    topic = ResearchTopic.objects.create(title=title, description=description, proposed_by=by)
    topic.areas.set(areas)
    record(by, "research_topic.proposed", topic, diff({}, snapshot(topic)))
    return topic


@transaction.atomic
def support_topic(topic, by):
    """One support per account; supporting twice changes nothing."""
    if not by.has_perm("library.support_topic"):
        raise PermissionDenied
    topic = ResearchTopic.objects.select_for_update().get(pk=topic.pk)
    if not topic.takes_supports:
        raise LibraryError(_("The city has decided on this topic; it takes no more support."))
    try:
        with transaction.atomic():
            TopicSupport.objects.create(topic=topic, user=by)
    except IntegrityError:
        return topic  # supported already
    ResearchTopic.objects.filter(pk=topic.pk).update(support_count=F("support_count") + 1)
    topic.refresh_from_db(fields=["support_count"])
    return topic


@transaction.atomic
def withdraw_support(topic, by):
    if not by.is_authenticated:
        raise PermissionDenied
    topic = ResearchTopic.objects.select_for_update().get(pk=topic.pk)
    deleted, _rows = TopicSupport.objects.filter(topic=topic, user=by).delete()
    if deleted:
        ResearchTopic.objects.filter(pk=topic.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        topic.refresh_from_db(fields=["support_count"])
    return topic


def supported(topic, user):
    return user.is_authenticated and TopicSupport.objects.filter(topic=topic, user=user).exists()


@transaction.atomic
def answer_topic(topic, by, *, status, answer, study=None):
    """The city's answer: under consideration, taken up (with the resulting study once it
    is in the library) or declined, always with its reason; the author is told."""
    if not by.has_perm("library.answer_topic"):
        raise PermissionDenied
    topic = ResearchTopic.objects.select_for_update().get(pk=topic.pk)
    answer = (answer or "").strip()
    if status not in TOPIC_ANSWERS:
        raise LibraryError(_("Choose the city's answer."), "status")
    if not answer:
        raise LibraryError(
            _("Give the reason for the answer: the author and everyone read it."), "answer"
        )
    if study is not None:
        if status != ResearchTopic.Status.TAKEN_UP:
            raise LibraryError(_("Link a study only to a topic the city has taken up."), "study")
        if not study.is_public:
            raise LibraryError(_("Link a study published in the library."), "study")
    before = snapshot(topic)
    topic.status = status
    topic.answer = answer
    topic.study = study
    topic.answered_by = by
    topic.answered_at = timezone.now()
    topic.save(update_fields=["status", "answer", "study", "answered_by", "answered_at"])
    record(by, "research_topic.answered", topic, diff(before, snapshot(topic)))
    if topic.proposed_by is not None:
        mail.send(
            [topic.proposed_by],
            gettext_lazy("The city has answered your research topic: %(title)s"),
            "library/email/topic_answered.txt",
            {"topic": topic, "url": _url(topic)},
            subject_params={"title": topic.title},
        )
    return topic


def export_person_data(user):
    """What the library holds about `user`, for their data export (accounts masks any
    other person's address a free text may contain)."""
    return {
        "library_studies_submitted": [
            {
                "title": study.title,
                "organization": study.organization.name if study.organization_id else None,
                "status": study.status,
                "submitted_at": study.submitted_at.isoformat() if study.submitted_at else None,
            }
            for study in Study.objects.filter(submitted_by=user)
            .select_related("organization")
            .order_by("pk")
        ],
        "research_topics_proposed": [
            {"title": t.title, "description": t.description, "status": t.status, "answer": t.answer}
            for t in ResearchTopic.objects.filter(proposed_by=user).order_by("pk")
        ],
        "research_topics_supported": [
            s.topic.title
            for s in TopicSupport.objects.filter(user=user).select_related("topic").order_by("pk")
        ],
    }
