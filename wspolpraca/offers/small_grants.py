"""Small grants (art. 19a) in public: the offers published for comments, and the comments.

After receipt a small-grant offer is published for `LegalRules.small_grant_comment_days`
days (7 in the act); anyone may comment within them, then the city decides. The window is
stored on the offer at submission (`comments_open_from`, `comments_open_until`, computed by
`comment_window`); whether it is open is always judged by the server's clock, never by the
page the person loaded.

The phases of an offer's comments are declared here once (`CommentPhase`, `comment_phase`);
pages and tests ask these functions instead of comparing dates themselves.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.city.models import department_recipients
from wspolpraca.competitions.models import LegalRules
from wspolpraca.core import mail, ratelimit
from wspolpraca.core.audit import record
from wspolpraca.organizations.services import organization_admins

from .models import Offer, OfferComment

# The longest comment and signature, in characters: a comment, not a document.
MAX_COMMENT_LENGTH = 5000
MAX_NAME_LENGTH = OfferComment._meta.get_field("author_name").max_length
# Comments one person may send in an hour, over all offers (core.ratelimit).
COMMENTS_PER_HOUR = settings.OFFER_COMMENTS_PER_USER_HOUR
# Offers that never were, or no longer are, what the city decides on: a draft was never
# published; a withdrawn offer and one replaced by a correction are not decided. Any
# later status (a decision, a contract) stays public.
HIDDEN_STATUSES = (Offer.Status.DRAFT, Offer.Status.WITHDRAWN, Offer.Status.REPLACED)
# How the window's ends are written, in messages and on the pages.
DATETIME_FORMAT = "j E Y, H:i"


class CommentError(Exception):
    """Why a comment cannot be taken; the message is shown to the person as it is."""


class CommentPhase(models.TextChoices):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


def comment_window(published_at, rules=None):
    """The comment window of an offer published at `published_at`: (from, until).

    Its length is LegalRules.small_grant_comment_days, so a change of the law is a change
    of that row, not of the code. The window includes its last second.
    """
    rules = rules or LegalRules.current()
    return published_at, published_at + timedelta(days=rules.small_grant_comment_days)


def comment_phase(offer, now=None):
    """Where `offer`'s comments stand at `now` (the server's clock by default)."""
    now = now or timezone.now()
    start, end = offer.comments_open_from, offer.comments_open_until
    if start is None or end is None or now < start:
        return CommentPhase.NOT_YET
    if now <= end:
        return CommentPhase.OPEN
    return CommentPhase.CLOSED


def accepts_comments(offer, now=None):
    """Comments are taken on a submitted offer within its window (both ends included)."""
    return (
        offer.kind == Offer.Kind.SMALL_GRANT
        and offer.status == Offer.Status.SUBMITTED
        and comment_phase(offer, now) == CommentPhase.OPEN
    )


def public_offers(now=None):
    """The small-grant offers anyone may read: published (their window has begun) and not
    drafts, withdrawn or replaced. With what a list shows of them, in one query."""
    now = now or timezone.now()
    return (
        Offer.objects.filter(
            kind=Offer.Kind.SMALL_GRANT,
            number__isnull=False,
            comments_open_from__lte=now,
            comments_open_until__isnull=False,
        )
        .exclude(status__in=HIDDEN_STATUSES)
        .select_related("organization", "department")
    )


def open_for_comments(now=None):
    """Offers within their window now, the one closing first at the top."""
    now = now or timezone.now()
    return (
        public_offers(now)
        .filter(comments_open_until__gte=now)
        .order_by("comments_open_until", "number")
    )


def after_comments(now=None):
    """Offers whose window has passed, the one closed last at the top."""
    now = now or timezone.now()
    return (
        public_offers(now)
        .filter(comments_open_until__lt=now)
        .order_by("-comments_open_until", "number")
    )


def offer_url(offer):
    """The offer's public page."""
    return reverse("small_grants:detail", args=[offer.number])


def _text(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return ""


def content_sections(offer):
    """The sections of the offer as submitted, from its frozen copy.

    `submitted_content` is expected to hold {"sections": [{"title": str, "items":
    [{"label": str, "value": str}]}]}; anything else in it (another shape, an older copy)
    is skipped rather than shown as code, so the page never fails on what it cannot read.
    An item marked `"public": false` (a contact person's phone, say) is left out.
    """
    content = offer.submitted_content
    sections = content.get("sections") if isinstance(content, dict) else None
    if not isinstance(sections, list):
        return []
    readable = []
    for section in sections:
        if not isinstance(section, dict):
            continue
        items = []
        for item in section.get("items") or []:
            if not isinstance(item, dict) or item.get("public") is False:
                continue
            label, value = _text(item.get("label")), _text(item.get("value"))
            if label or value:
                items.append({"label": label, "value": value})
        title = _text(section.get("title"))
        if title or items:
            readable.append({"title": title, "items": items})
    return readable


def cost_summary(offer):
    """The costs as submitted: {"total": str, "sources": [{"label", "value", "share"}]},
    from the frozen copy's `costs.total` and `sources` (amounts already written out), or
    None when the copy holds neither."""
    content = offer.submitted_content if isinstance(offer.submitted_content, dict) else {}
    costs = content.get("costs") if isinstance(content.get("costs"), dict) else {}
    total = _text(costs.get("total"))
    sources = []
    for source in content.get("sources") if isinstance(content.get("sources"), list) else []:
        if isinstance(source, dict) and _text(source.get("label")):
            sources.append(
                {
                    "label": _text(source.get("label")),
                    "value": _text(source.get("value")),
                    "share": _text(source.get("share")),
                }
            )
    if not total and not sources:
        return None
    return {"total": total, "sources": sources}


def format_moment(moment):
    """A moment as people here read it: "22 maja 2026, 12:00" in the site's time zone."""
    return formats.date_format(timezone.localtime(moment), DATETIME_FORMAT)


def check_open(offer, now=None):
    """Raise CommentError, naming the window, when `offer` takes no comments at `now`."""
    now = now or timezone.now()
    if accepts_comments(offer, now):
        return
    phase = comment_phase(offer, now)
    if phase == CommentPhase.CLOSED:
        raise CommentError(
            _("Comments on this offer were accepted until %(until)s; the time for them has passed.")
            % {"until": format_moment(offer.comments_open_until)}
        )
    if phase == CommentPhase.NOT_YET and offer.comments_open_from:
        raise CommentError(
            _("Comments on this offer are accepted from %(start)s.")
            % {"start": format_moment(offer.comments_open_from)}
        )
    raise CommentError(_("This offer does not take comments."))


def _clean(value, *, empty_message, limit):
    value = (value or "").strip()
    if not value:
        raise CommentError(empty_message)
    if len(value) > limit:
        raise CommentError(
            _("Write at most %(max)s characters; this text has %(count)s.")
            % {"max": limit, "count": len(value)}
        )
    return value


def _recipients(organization):
    """The organization's admins; its own address when nobody administers it here."""
    admins = organization_admins(organization)
    if admins:
        return admins
    return [organization.email] if organization.email else []


@transaction.atomic
def add_comment(offer, user, author_name, text):
    """Publish `user`'s comment on `offer`, signed `author_name`, and tell the organization.

    Refused (CommentError) outside the window by the server's clock, for an empty text or
    name, and beyond COMMENTS_PER_HOUR comments of one person in an hour.
    """
    if not user.is_authenticated:
        raise CommentError(_("Log in to comment on an offer."))
    check_open(offer)
    author_name = _clean(
        author_name,
        empty_message=_("Write the name to sign the comment with."),
        limit=MAX_NAME_LENGTH,
    )
    text = _clean(text, empty_message=_("Write your comment."), limit=MAX_COMMENT_LENGTH)
    if not ratelimit.hit("offer_comment", f"user:{user.pk}", COMMENTS_PER_HOUR, 3600):
        raise CommentError(
            _("You have sent many comments in the last hour. Please try again later.")
        )
    comment = OfferComment.objects.create(
        offer=offer, author=user, author_name=author_name, text=text
    )
    record(
        user,
        "offer_comment.added",
        offer,
        {"author_name": [None, author_name], "text": [None, text]},
    )
    recipients = _recipients(offer.organization)
    if recipients:
        context = {
            "offer": offer,
            "comment": comment,
            "offer_url": f"{settings.SITE_URL}{offer_url(offer)}#uwaga-{comment.pk}",
        }
        transaction.on_commit(
            lambda: mail.send(
                recipients,
                gettext_lazy("A comment on your offer %(number)s"),
                "offers/small_grants/email/comment_added.txt",
                context,
                subject_params={"number": offer.number},
            )
        )
    # The department decides after the window, with the comments in mind: it hears of each.
    officials = department_recipients(offer.department)
    department_context = {
        "offer": offer,
        "comment": comment,
        "admin_url": settings.SITE_URL + reverse("admin:offers_offer_change", args=[offer.pk]),
    }
    transaction.on_commit(
        lambda: mail.send(
            officials,
            gettext_lazy("A comment on small-grant offer %(number)s"),
            "offers/small_grants/email/comment_added_department.txt",
            department_context,
            subject_params={"number": offer.number},
        )
    )
    return comment
