"""The exchange's rules: publishing, changing, closing and extending a post, moderation,
messages between people who never see each other's addresses, reports of abuse, and the
daily job (expired posts marked, authors reminded a week ahead).

Each function checks the permission, changes, writes the audit entry and queues the
e-mails; an `ExchangeError` carries the message shown to the person and the form field it
is about. The views only call these.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from wspolpraca.core import mail, ratelimit
from wspolpraca.core.audit import diff, record, snapshot
from wspolpraca.organizations.models import Membership, Organization

from .models import (
    CATEGORIES_BY_AUTHOR,
    SIDES_BY_AUTHOR,
    AbuseReport,
    Message,
    Post,
    default_days,
    max_days,
)
from .rules import Conversation, may, speaks_for

# Days before its expiry that the author is reminded to extend or close a post.
REMIND_DAYS_BEFORE = 7


def messages_per_hour():
    """How many messages one person may send in an hour: enough to talk, too few to spam."""
    return getattr(settings, "EXCHANGE_MESSAGES_PER_HOUR", 10)


def posts_per_day():
    return getattr(settings, "EXCHANGE_POSTS_PER_DAY", 10)


class ExchangeError(Exception):
    """Why something cannot be done; `field` names the form field it is about."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _require(user, perm, obj):
    if not may(user, perm, obj):
        raise PermissionDenied


def organizations_of(user):
    """The organizations `user` may post for and write on behalf of: every one they belong
    to (a member speaks for the organization on the exchange, as in consultations)."""
    if not user.is_authenticated:
        return []
    return list(Organization.objects.filter(memberships__user=user).order_by("sort_name", "id"))


def person_name(user):
    """How a person is shown to others: their name, never their address."""
    if user is None:
        return _("A former user")
    return user.full_name or _("A platform user")


def author_recipients(post):
    """Who is told about a new message on the post: the person who posted it (while still
    speaking for it) and, for an organization, its administrators."""
    users = get_user_model().objects.filter(is_active=True)
    if post.organization_id:
        return list(
            users.filter(
                Q(memberships__role=Membership.Role.ADMIN) | Q(pk=post.created_by_id or 0),
                memberships__organization_id=post.organization_id,
            ).distinct()
        )
    return list(users.filter(pk=post.created_by_id or 0))


def expiry_error(expires_on, today=None):
    """What is wrong with an expiry date, or None."""
    today = today or timezone.localdate()
    latest = today + timedelta(days=max_days())
    if expires_on < today:
        return _("Choose today or a later day.")
    if expires_on > latest:
        return _("A post stays up at most %(days)s days: choose %(date)s or earlier.") % {
            "days": max_days(),
            "date": formats.date_format(latest, "j E Y"),
        }
    return None


def content_errors(author_kind, side, category, expires_on):
    """{field: message} of what the author may not post (see CATEGORIES_BY_AUTHOR)."""
    errors = {}
    if side and side not in SIDES_BY_AUTHOR[author_kind]:
        errors["side"] = _("A business posts offers only.")
    if category and category not in CATEGORIES_BY_AUTHOR[author_kind]:
        if author_kind == Post.AuthorKind.BUSINESS:
            errors["category"] = _(
                "A business offers pro bono work, employee volunteering, jobs for people with "
                "disabilities, equipment or space: choose one of these."
            )
        else:
            errors["category"] = _(
                "An organization offers or looks for services, knowledge, equipment, "
                "volunteers or space: choose one of these."
            )
    problem = expiry_error(expires_on) if expires_on else None
    if problem:
        errors["expires_on"] = problem
    return errors


def _check_content(author_kind, side, category, expires_on):
    if side not in Post.Side.values:
        raise ExchangeError(_("Choose whether you offer something or need it."), "side")
    if category not in Post.Category.values:
        raise ExchangeError(_("Choose the category."), "category")
    for field, message in content_errors(author_kind, side, category, expires_on).items():
        raise ExchangeError(message, field)


# ---------------------------------------------------------------------------------------
# Posts


@transaction.atomic
def publish_post(
    by,
    *,
    author_kind,
    side,
    category,
    title,
    description,
    areas,
    organization=None,
    company_name="",
    company_nip="",
    district=None,
    expires_on=None,
):
    """Publish a post for an organization `by` belongs to, or for the company `by` names."""
    if not by.is_authenticated:
        raise PermissionDenied
    expires_on = expires_on or timezone.localdate() + timedelta(days=default_days())
    if author_kind == Post.AuthorKind.ORGANIZATION:
        if (
            organization is None
            or not Membership.objects.filter(organization=organization, user=by).exists()
        ):
            raise ExchangeError(_("Choose an organization you belong to."), "author")
        company_name = company_nip = ""
    elif author_kind == Post.AuthorKind.BUSINESS:
        organization = None
        company_name = (company_name or "").strip()
        if not company_name:
            raise ExchangeError(_("Enter the name of the company."), "company_name")
    else:
        raise ExchangeError(_("Choose who is posting."), "author")
    _check_content(author_kind, side, category, expires_on)
    if not areas:
        raise ExchangeError(_("Choose at least one public benefit area."), "areas")
    if not ratelimit.hit("exchange_post", f"user:{by.pk}", posts_per_day(), 86400):
        raise ExchangeError(_("You have published many posts today. Try again tomorrow."), "title")
    post = Post.objects.create(
        author_kind=author_kind,
        organization=organization,
        company_name=company_name,
        company_nip=company_nip or "",
        side=side,
        category=category,
        title=title.strip(),
        description=description.strip(),
        district=district,
        expires_on=expires_on,
        created_by=by,
    )
    post.areas.set(areas)
    record(by, "exchange_post.published", post, diff({}, snapshot(post)))
    return post


# What the author may change after publishing; who posts it stays as published.
EDITABLE = (
    "side",
    "category",
    "title",
    "description",
    "district",
    "expires_on",
    "company_name",
    "company_nip",
)


@transaction.atomic
def update_post(post, by, *, areas, **values):
    _require(by, "exchange.change_post", post)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.state == Post.Status.CLOSED:
        raise ExchangeError(_("A closed post cannot be changed."))
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = snapshot(post)
    for name, value in values.items():
        setattr(post, name, value.strip() if isinstance(value, str) else value)
    if post.author_kind == Post.AuthorKind.ORGANIZATION:
        post.company_name = post.company_nip = ""
    elif not post.company_name:
        raise ExchangeError(_("Enter the name of the company."), "company_name")
    if post.expires_on != before["expires_on"]:
        _check_content(post.author_kind, post.side, post.category, post.expires_on)
    else:
        # An unchanged date may already lie in the past (an expired post being corrected).
        _check_content(
            post.author_kind, post.side, post.category, max(post.expires_on, timezone.localdate())
        )
    if not areas:
        raise ExchangeError(_("Choose at least one public benefit area."), "areas")
    if post.status == Post.Status.EXPIRED and post.expires_on >= timezone.localdate():
        post.status = Post.Status.OPEN
    post.save()
    post.areas.set(areas)
    changes = diff(before, snapshot(post))
    if changes:
        record(by, "exchange_post.changed", post, changes)
    return post


@transaction.atomic
def close_post(post, by, outcome=""):
    """The author closes the post: it leaves the lists; its conversations stay readable."""
    _require(by, "exchange.change_post", post)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == Post.Status.CLOSED:
        raise ExchangeError(_("The post is already closed."))
    if outcome and outcome not in Post.Outcome.values:
        raise ExchangeError(_("Choose how it ended, or leave it empty."), "outcome")
    old = post.status
    post.status = Post.Status.CLOSED
    post.outcome = outcome or ""
    post.closed_at = timezone.now()
    post.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    record(
        by, "exchange_post.closed", post, {"status": [old, post.status], "outcome": [None, outcome]}
    )
    return post


def extended_expiry(today=None):
    """The date an extension sets: the default period from today (never past the maximum)."""
    today = today or timezone.localdate()
    return today + timedelta(days=min(default_days(), max_days()))


@transaction.atomic
def extend_post(post, by):
    """Keep an open or expired post up for another period, counted from today."""
    _require(by, "exchange.change_post", post)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == Post.Status.CLOSED:
        raise ExchangeError(_("A closed post cannot be extended. Publish a new one instead."))
    if post.is_hidden:
        raise ExchangeError(_("A post hidden by a moderator cannot be extended."))
    new_date = extended_expiry()
    if new_date <= post.expires_on and post.status == Post.Status.OPEN:
        raise ExchangeError(_("The post already stays up that long."))
    old_date, old_status = post.expires_on, post.status
    post.expires_on = new_date
    post.status = Post.Status.OPEN
    post.save(update_fields=["expires_on", "status", "updated_at"])
    changes = {"expires_on": [old_date.isoformat(), new_date.isoformat()]}
    if old_status != post.status:
        changes["status"] = [old_status, post.status]
    record(by, "exchange_post.extended", post, changes)
    return post


# ---------------------------------------------------------------------------------------
# Moderation


@transaction.atomic
def hide_post(post, by, reason):
    """A moderator takes the post off the exchange; its side reads why."""
    _require(by, "exchange.moderate_post", post)
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError(_("Give the reason: the post's author reads it."), "reason")
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_hidden:
        raise ExchangeError(_("The post is already hidden."))
    post.is_hidden = True
    post.hidden_reason = reason
    post.hidden_by = by
    post.hidden_at = timezone.now()
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at", "updated_at"])
    record(
        by,
        "exchange_post.hidden",
        post,
        {"is_hidden": [False, True], "hidden_reason": [None, reason]},
    )
    url = settings.SITE_URL + post.get_absolute_url()
    transaction.on_commit(
        lambda: mail.send(
            author_recipients(post),
            gettext_lazy("Your post on the exchange was hidden: %(title)s"),
            "exchange/email/hidden.txt",
            {"post": post, "reason": reason, "url": url},
            subject_params={"title": post.title},
        )
    )
    return post


@transaction.atomic
def show_post(post, by):
    _require(by, "exchange.moderate_post", post)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not post.is_hidden:
        raise ExchangeError(_("The post is not hidden."))
    old_reason = post.hidden_reason
    post.is_hidden = False
    post.hidden_reason = ""
    post.hidden_by = None
    post.hidden_at = None
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at", "updated_at"])
    record(
        by,
        "exchange_post.shown",
        post,
        {"is_hidden": [True, False], "hidden_reason": [old_reason, None]},
    )
    return post


@transaction.atomic
def report_post(post, by, reason):
    """A signed-in person reports a post; the platform admins are told by e-mail."""
    from wspolpraca.organizations.services import platform_admins

    if not by.is_authenticated:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError(_("Say what is wrong with the post."), "reason")
    if not ratelimit.hit("exchange_report", f"user:{by.pk}", 20, 86400):
        raise ExchangeError(_("You have sent many reports today. Try again tomorrow."), "reason")
    try:
        with transaction.atomic():
            report = AbuseReport.objects.create(post=post, reporter=by, reason=reason)
    except IntegrityError:
        raise ExchangeError(
            _("You have already reported this post. The moderators will look at it."), "reason"
        ) from None
    admin_url = settings.SITE_URL + reverse("admin:exchange_post_change", args=[post.pk])
    url = settings.SITE_URL + post.get_absolute_url()
    transaction.on_commit(
        lambda: mail.send(
            platform_admins(),
            gettext_lazy("A post on the exchange was reported: %(title)s"),
            "exchange/email/reported.txt",
            {"post": post, "report": report, "url": url, "admin_url": admin_url},
            subject_params={"title": post.title},
        )
    )
    return report


# ---------------------------------------------------------------------------------------
# Messages


def conversation_url(post, correspondent_id):
    return reverse("exchange:conversation", args=[post.pk, correspondent_id])


@transaction.atomic
def send_message(post, by, body, *, correspondent_id=None, organization=None):
    """Write in a conversation about `post`.

    The post's side answers in an existing conversation (`correspondent_id`); anyone else
    starts or continues their own, while the post is on the exchange. The other side is
    e-mailed the message and a link: the e-mail names nobody's address, and replying to it
    reaches nobody, so the answer is written on the platform."""
    if not by.is_authenticated:
        raise PermissionDenied
    body = (body or "").strip()
    from_author = speaks_for(by, post)
    if from_author:
        if correspondent_id is None or correspondent_id == by.pk:
            raise ExchangeError(_("You cannot write to your own post."), "body")
        if not Message.objects.filter(post=post, correspondent_id=correspondent_id).exists():
            raise PermissionDenied
        organization = post.organization
    else:
        if correspondent_id not in (None, by.pk):
            raise PermissionDenied
        correspondent_id = by.pk
        started = Message.objects.filter(post=post, correspondent_id=by.pk).exists()
        if post.is_hidden or (not started and not post.is_live):
            raise ExchangeError(
                _("This post is no longer on the exchange: it takes no new conversations."),
                "body",
            )
        if (
            organization is not None
            and not Membership.objects.filter(organization=organization, user=by).exists()
        ):
            raise ExchangeError(_("Choose an organization you belong to."), "organization")
    if not body:
        raise ExchangeError(_("Write your message."), "body")
    if len(body) > 5000:
        raise ExchangeError(_("Shorten the message to 5,000 characters or fewer."), "body")
    if not ratelimit.hit("exchange_message", f"user:{by.pk}", messages_per_hour(), 3600):
        raise ExchangeError(
            _("You have sent many messages in the last hour. Wait a while and try again."),
            "body",
        )
    message = Message.objects.create(
        post=post,
        correspondent_id=correspondent_id,
        sender=by,
        sender_organization=organization,
        from_author=from_author,
        body=body,
    )
    if from_author:
        recipients = list(get_user_model().objects.filter(pk=correspondent_id, is_active=True))
    else:
        recipients = [user for user in author_recipients(post) if user.pk != by.pk]
    url = settings.SITE_URL + conversation_url(post, correspondent_id)
    context = {
        "post": post,
        "message": message,
        "signed": signature(message, post),
        "from_author": from_author,
        "url": url,
    }
    transaction.on_commit(
        lambda: mail.send(
            recipients,
            gettext_lazy("New message about your post: %(title)s")
            if not from_author
            else gettext_lazy("An answer about the post: %(title)s"),
            "exchange/email/message.txt",
            context,
            subject_params={"title": post.title},
        )
    )
    return message


def signature(message, post):
    """Who wrote a message, as the other side reads it: a name and whom they speak for."""
    name = person_name(message.sender) if message.sender_id else person_name(None)
    if message.from_author:
        return f"{name} · {post.author_name}"
    if message.sender_organization_id:
        return f"{name} · {message.sender_organization.name}"
    return name


def conversation(post, correspondent_id):
    return Conversation(post=post, correspondent_id=correspondent_id)


# ---------------------------------------------------------------------------------------
# The daily job


def mark_expired(today=None):
    """Write down as expired the open posts past their date (they already left the lists
    by their date; this keeps the status honest for the back office and the authors)."""
    today = today or timezone.localdate()
    return Post.objects.filter(status=Post.Status.OPEN, expires_on__lt=today).update(
        status=Post.Status.EXPIRED
    )


def remind_expiring(today=None):
    """E-mail the side of each live post that expires within a week, once per expiry date.

    The claim is one conditional UPDATE per post: two workers running the job at once
    cannot both claim the same post, so nobody gets the reminder twice."""
    today = today or timezone.localdate()
    due = (
        Post.objects.live(today)
        .filter(expires_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE))
        .exclude(reminded_for=F("expires_on"))
        .select_related("organization")
    )
    sent = 0
    for post in due:
        claimed = (
            Post.objects.filter(pk=post.pk)
            .exclude(reminded_for=F("expires_on"))
            .update(reminded_for=F("expires_on"))
        )
        if not claimed:
            continue
        sent += len(
            mail.send(
                author_recipients(post),
                gettext_lazy("Your post on the exchange expires on %(date)s"),
                "exchange/email/expiring.txt",
                {"post": post, "url": settings.SITE_URL + post.get_absolute_url()},
                # Digits read the same in every recipient's language.
                subject_params={"date": post.expires_on.strftime("%d.%m.%Y")},
            )
        )
    return sent


@task()
def daily_task():
    """The exchange's daily work, queued by `manage.py nightly`; harmless run twice."""
    return {"expired": mark_expired(), "reminded": remind_expiring()}
