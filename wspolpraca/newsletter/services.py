"""What the newsletter does: subscriptions with double opt-in, preferences, unsubscribing,
bounces, the news feed source, and the weekly digests.

The digest, step by step:

1. `build_digest(day)` makes (or finds) the week's `Digest`, takes from the feed, once,
   what was published in its period (per language), and adds one pending
   `DigestDelivery` per active subscriber. UNIQUE(digest, subscriber) makes this safe to
   repeat and to run on two machines at once.
2. `send_batch(digest)` claims pending deliveries (on PostgreSQL `FOR UPDATE SKIP
   LOCKED`, so parallel workers take different rows; SQLite runs one writer at a time),
   and for each one queues the e-mail through core.mail and marks the delivery sent *in
   the same transaction*. An interrupted batch rolls back whole: neither the e-mail nor
   the mark survive, and the next run sends it once. A committed batch is never claimed
   again.
3. `finish_digest(digest)` counts the deliveries once none is pending.

The weekly job (`weekly_digest_task`, queued daily by `manage.py nightly`) builds the
digest on settings.NEWSLETTER_DIGEST_WEEKDAY only, once per ISO week, and on any day
resumes a digest that has not finished.
"""

import logging
from collections import OrderedDict, defaultdict
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from wspolpraca.core import feed, mail, ratelimit
from wspolpraca.core.audit import record
from wspolpraca.organizations.models import PublicBenefitArea

from . import tokens
from .models import ALL_FEED_KINDS, FEED_KINDS, Digest, DigestDelivery, Kind, News, Subscriber

logger = logging.getLogger(__name__)

# Deliveries one worker claims and sends in one transaction.
BATCH = 200
# How far ahead of the period the feed is asked (its sources select by the dates things
# happen on; the digest keeps what was *published* in its period).
FEED_HORIZON_DAYS = 730


def setting(name, default):
    return getattr(settings, name, default)


class NewsletterError(Exception):
    """Why something cannot be done; the message is shown to the person."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


# ---------------------------------------------------------------------------------------
# Links


def manage_url(subscriber):
    return settings.SITE_URL + reverse(
        "newsletter:preferences", args=[tokens.manage_token(subscriber)]
    )


def unsubscribe_url(subscriber):
    return settings.SITE_URL + reverse(
        "newsletter:unsubscribe", args=[tokens.manage_token(subscriber)]
    )


def masked(email):
    """The address as "a•••@example.org": enough for its owner to recognise, too little
    for somebody who got the link forwarded to read it off."""
    name, _at, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}"


# ---------------------------------------------------------------------------------------
# Subscribing


def request_subscription(email, areas, kinds, language, *, ip=None):
    """Send the address a confirmation link carrying the choices made.

    The same whatever the address is (new, waiting, subscribed, unsubscribed): nothing is
    changed before the link is followed, and the page says the same to everyone, so the
    form tells nobody who is subscribed.
    """
    email = email.strip().lower()
    kinds = [k for k in Kind.values if k in set(kinds)]
    area_ids = [a.pk for a in areas]
    if ip is not None and not ratelimit.hit("newsletter_subscribe", f"ip:{ip}", 20, 3600):
        raise NewsletterError(
            _("Too many requests from your network. Try again in an hour."), field="email"
        )
    # At most a few links an hour to one address: the form must not become a way to
    # flood somebody's mailbox. Over the limit nothing is sent, and nothing is said.
    if not ratelimit.hit("newsletter_confirm_mail", f"email:{email}", 3, 3600):
        return
    existing = Subscriber.objects.filter(email=email).first()
    if existing is None:
        # A waiting row, so the back office can see requests never confirmed; it gets no
        # digest until confirmed (Subscriber.objects.active()).
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=email, kinds=kinds, language=language)
                subscriber.areas.set(area_ids)
        except IntegrityError:
            pass  # the same address sent twice at once: the other request made the row
    token = tokens.confirmation_token(email, area_ids, kinds, language)
    mail.send(
        [_Recipient(email, language)],
        gettext_lazy("Confirm your newsletter subscription"),
        "newsletter/email/confirm.txt",
        {
            "url": settings.SITE_URL + reverse("newsletter:confirm", args=[token]),
            "days": tokens.confirm_days(),
            "already": existing is not None and existing.is_active,
        },
    )


class _Recipient:
    """An address with the language its e-mail is rendered in (core.mail reads both)."""

    def __init__(self, email, language):
        self.email = email
        self.language = language


def confirmation_request(token):
    """What a confirmation link asks for: {"email", "areas", "kinds", "language"}."""
    data = tokens.read_confirmation(token)
    if data is None:
        raise NewsletterError(
            _("This link has expired or is not complete. Subscribe again to get a new one.")
        )
    return {
        "email": data["e"],
        "areas": list(PublicBenefitArea.objects.filter(pk__in=data.get("a") or [])),
        "kinds": [k for k in data.get("k") or [] if k in Kind.values],
        "language": data.get("l") if data.get("l") in dict(settings.LANGUAGES) else "pl",
    }


@transaction.atomic
def confirm_subscription(token):
    """Follow a confirmation link: the choices it carries become the subscription."""
    wanted = confirmation_request(token)
    subscriber = Subscriber.objects.select_for_update().filter(
        email=wanted["email"]
    ).first() or Subscriber(email=wanted["email"])
    now = timezone.now()
    subscriber.kinds = wanted["kinds"]
    subscriber.language = wanted["language"]
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.unsubscribed_at = None
    # The link reached the mailbox, so earlier bounces no longer speak against it.
    subscriber.bounce_count = 0
    subscriber.save()
    subscriber.areas.set(wanted["areas"])
    return subscriber


def has_verified_address(user):
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def subscription_of(user):
    """The subscription tied to the account, or one of its address not yet tied."""
    return (
        Subscriber.objects.filter(user=user).first()
        or Subscriber.objects.filter(email=user.email.lower(), user__isnull=True).first()
    )


@transaction.atomic
def save_own_subscription(user, areas, kinds, language):
    """A signed-in person with a verified address subscribes (or changes their choices)
    without the e-mail round trip: the account already proved the address."""
    if not has_verified_address(user):
        raise NewsletterError(_("Confirm your e-mail address first."))
    subscriber = subscription_of(user) or Subscriber(email=user.email)
    address = user.email.strip().lower()
    if subscriber.pk and subscriber.email != address:
        # The account's address has changed since it subscribed: the subscription follows
        # the account. If the new address already had one of its own (made without
        # signing in), that one is taken over and the old address gets no more digests.
        other = Subscriber.objects.select_for_update().filter(email=address).first()
        if other is not None:
            if other.user_id not in (None, user.pk):
                raise NewsletterError(
                    _("Another account's subscription uses this address. Write to us.")
                )
            Subscriber.objects.filter(pk=subscriber.pk).update(
                user=None, unsubscribed_at=subscriber.unsubscribed_at or timezone.now()
            )
            subscriber = other
    subscriber.user = user
    subscriber.email = user.email
    subscriber.kinds = [k for k in Kind.values if k in set(kinds)]
    subscriber.language = language
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save()
    subscriber.areas.set(areas)
    return subscriber


@transaction.atomic
def update_preferences(subscriber, areas, kinds, language, *, resubscribe=False):
    subscriber.kinds = [k for k in Kind.values if k in set(kinds)]
    subscriber.language = language
    fields = ["kinds", "language"]
    if resubscribe and subscriber.unsubscribed_at:
        # The manage link was e-mailed to the address, so following it proves the mailbox.
        subscriber.unsubscribed_at = None
        subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
        fields += ["unsubscribed_at", "confirmed_at"]
    subscriber.save(update_fields=fields)
    subscriber.areas.set(areas)
    return subscriber


def unsubscribe(subscriber):
    """Stop the digests at once (idempotent: a second click changes nothing)."""
    Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    subscriber.refresh_from_db(fields=["unsubscribed_at"])
    return subscriber


def mark_bounce(subscriber, by=None):
    """One more e-mail came back; after NEWSLETTER_BOUNCE_LIMIT no digest goes there."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        before = subscriber.bounce_count
        subscriber.bounce_count = before + 1
        subscriber.bounced_at = now
        subscriber.save(update_fields=["bounce_count", "bounced_at"])
        record(
            by,
            "subscriber.bounce_marked",
            subscriber,
            {"bounce_count": [before, subscriber.bounce_count]},
        )
    return subscriber


def mark_bounce_of(address, by=None):
    """Mark a bounce of `address`; None when nobody subscribed with it."""
    subscriber = Subscriber.objects.filter(email=address.strip().lower()).first()
    return mark_bounce(subscriber, by=by) if subscriber else None


# ---------------------------------------------------------------------------------------
# News in the feed


def news_feed(start, end):
    """The feed's "news" items: news published in the window (published is its date)."""
    found = (
        News.objects.published()
        .filter(published_at__gte=start, published_at__lt=end)
        .prefetch_related("areas")
    )
    return [
        feed.Item(
            kind="news",
            title=n.title,
            url=n.get_absolute_url(),
            published=n.published_at,
            starts=n.published_at,
            summary=n.lead[:300],
            areas=tuple(a.code for a in n.areas.all()),
        )
        for n in found
    ]


# ---------------------------------------------------------------------------------------
# Digests: building


def week_of(day):
    return day - timedelta(days=day.weekday())


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _when(item):
    """The item's date as a person reads it, in the active language."""

    def one(value):
        if isinstance(value, datetime):
            return formats.date_format(timezone.localtime(value), "j E Y, H:i")
        return formats.date_format(value, "j E Y")

    moment = item.starts or item.published
    text = one(moment)
    if item.ends and item.ends != item.starts:
        same_day = (
            isinstance(item.ends, datetime)
            and isinstance(moment, datetime)
            and timezone.localtime(item.ends).date() == timezone.localtime(moment).date()
        )
        end = (
            formats.time_format(timezone.localtime(item.ends), "H:i")
            if same_day
            else one(item.ends)
        )
        text = f"{text} – {end}"
    return text


def _absolute(url):
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def snapshot_items(start, end):
    """What the feed published in [start, end), per language, as plain data."""
    result = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found = feed.items(start, end + timedelta(days=FEED_HORIZON_DAYS), kinds=ALL_FEED_KINDS)
            rows = []
            for item in found:
                published = item.published
                if not isinstance(published, datetime):
                    published = _start_of(published)
                if not start <= published < end:
                    continue
                rows.append(
                    {
                        "kind": item.kind,
                        "label": feed.label(item.kind),
                        "title": str(item.title),
                        "url": _absolute(item.url),
                        "when": _when(item),
                        "place": item.place,
                        "published": published.astimezone(UTC).isoformat(),
                        "areas": list(item.areas),
                    }
                )
            result[language] = rows
    return result


def build_digest(day=None):
    """The digest of the week of `day` (made once), with a pending delivery for every
    active subscriber who has none yet. Safe to run again and from several workers."""
    day = day or timezone.localdate()
    week = week_of(day)
    digest = Digest.objects.filter(week=week).first()
    created = False
    if digest is None:
        period_end = _start_of(day)
        lookback = timedelta(days=setting("NEWSLETTER_MAX_LOOKBACK_DAYS", 28))
        previous = Digest.objects.filter(week__lt=week).order_by("-week").first()
        period_start = previous.period_end if previous else period_end - timedelta(days=7)
        period_start = max(period_start, period_end - lookback)
        # Everything a subscriber may be sent: since their last digest, at most `lookback`.
        items = snapshot_items(period_end - lookback, period_end)
        digest, created = Digest.objects.get_or_create(
            week=week,
            defaults={
                "period_start": period_start,
                "period_end": period_end,
                "items": items,
                "item_count": sum(
                    1
                    for row in items.get(settings.LANGUAGE_CODE, [])
                    if datetime.fromisoformat(row["published"]) >= period_start
                ),
            },
        )
        if created:
            record(None, "digest.started", digest, {"item_count": [None, digest.item_count]})
    # Run again in its week, it also takes in those who confirmed since it was made.
    current = digest.week == week_of(timezone.localdate())
    if digest.status == Digest.Status.SENDING and (created or current):
        add_deliveries(digest)
    return digest


def add_deliveries(digest):
    """A pending delivery for every active subscriber without one (no duplicates, ever:
    the unique constraint drops what a parallel run added first)."""
    missing = (
        Subscriber.objects.active()
        .exclude(pk__in=DigestDelivery.objects.filter(digest=digest).values("subscriber_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = [DigestDelivery(digest=digest, subscriber_id=pk) for pk in missing.iterator(2000)]
    DigestDelivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


# ---------------------------------------------------------------------------------------
# Digests: sending


def _claim(digest, size):
    pending = DigestDelivery.objects.filter(
        digest=digest, status=DigestDelivery.Status.PENDING
    ).order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        # Each worker takes rows nobody else holds; a locked row is skipped, not waited for.
        pending = pending.select_for_update(skip_locked=True)
    return list(pending[:size])


def _select(rows, kinds, areas, since):
    feed_kinds = {k for kind in kinds for k in FEED_KINDS.get(kind, ())}
    return [
        row
        for row in rows
        if row["kind"] in feed_kinds
        and row["published_at"] >= since
        # An item of no area (a room, a city-wide piece of news) concerns everyone.
        and (not areas or not row["areas"] or areas.intersection(row["areas"]))
    ]


class _Renderer:
    """Renders the digest's items once per language (each item's lines from
    newsletter/email/digest_item.txt) and then puts together a selection's part of the
    e-mail from them: a subscriber costs a filter and a join, not a template of items.
    Selections repeat (all areas, one area and all kinds), so the last few thousand are
    kept."""

    KEEP = 2000

    def __init__(self, digest):
        self.digest = digest
        self.raw = digest.items
        self.items = {}
        self.weeks = {}
        for language, rows in (digest.items or {}).items():
            with translation.override(language):
                self.weeks[language] = formats.date_format(digest.week, "j E Y")
                self.items[language] = [
                    {
                        **row,
                        "published_at": datetime.fromisoformat(row["published"]),
                        "text": render_to_string(
                            "newsletter/email/digest_item.txt", {"item": row}
                        ).strip("\n"),
                    }
                    for row in rows
                ]
        self.cache = OrderedDict()

    def week(self, language):
        return self.weeks.get(language) or self.weeks.get(settings.LANGUAGE_CODE, "")

    def items_text(self, language, kinds, areas, since):
        """(the text of the items for this selection, how many there are)."""
        key = (language, tuple(kinds), tuple(sorted(areas)), since)
        found = self.cache.get(key)
        if found is not None:
            self.cache.move_to_end(key)
            return found
        rows = _select(
            self.items.get(language) or self.items.get(settings.LANGUAGE_CODE, []),
            kinds,
            set(areas),
            since,
        )
        by_kind = defaultdict(list)
        for row in rows:
            by_kind[row["kind"]].append(row["text"])
        parts = []
        for kind in ALL_FEED_KINDS:  # grouped by kind, in the order people choose from
            if by_kind.get(kind):
                label = next(r["label"] for r in rows if r["kind"] == kind)
                parts.append(f"{label.upper()}\n\n" + "\n\n".join(by_kind[kind]))
        found = ("\n\n".join(parts), len(rows))
        self.cache[key] = found
        if len(self.cache) > self.KEEP:
            self.cache.popitem(last=False)
        return found


_renderers = {}


def _renderer_for(digest):
    """One renderer per digest and process: a worker's batches share what was rendered
    (a digest's items never change once it is made)."""
    renderer = _renderers.get(digest.pk)
    # The same items, not only the same number: a test database reuses numbers.
    if renderer is None or renderer.raw != digest.items:
        _renderers.clear()  # only the digest being sent is worth keeping
        renderer = _renderers[digest.pk] = _Renderer(digest)
    return renderer


def _since(subscriber, digest):
    lookback = timedelta(days=setting("NEWSLETTER_MAX_LOOKBACK_DAYS", 28))
    since = subscriber.last_digest_at or digest.period_start
    return max(since, digest.period_end - lookback)


def send_batch(digest, size=BATCH, renderer=None):
    """Claim up to `size` pending deliveries of `digest` and send them; returns how many
    were claimed (0: nothing left)."""
    renderer = renderer or _renderer_for(digest)
    with transaction.atomic():
        claimed = _claim(digest, size)
        if not claimed:
            return 0
        ids = [d.subscriber_id for d in claimed]
        subscribers = Subscriber.objects.in_bulk(ids)
        areas = defaultdict(list)
        for subscriber_id, code in Subscriber.areas.through.objects.filter(
            subscriber_id__in=ids
        ).values_list("subscriber_id", "publicbenefitarea__code"):
            areas[subscriber_id].append(code)
        now = timezone.now()
        done = []
        for delivery in claimed:
            subscriber = subscribers.get(delivery.subscriber_id)
            delivery.sent_at = now
            if subscriber is None or not subscriber.is_active:
                # Unsubscribed or bounced since the digest was made.
                delivery.status = DigestDelivery.Status.SKIPPED
                continue
            try:
                _send_one(digest, delivery, subscriber, areas[subscriber.pk], renderer)
            except DatabaseError:
                raise  # the transaction is broken: the whole batch rolls back, to be resumed
            except Exception as error:  # a broken item or template: this copy fails alone
                logger.exception("newsletter: digest %s for %s failed", digest.pk, subscriber)
                delivery.status = DigestDelivery.Status.FAILED
                delivery.error = f"{type(error).__name__}: {error}"[:1000]
                continue
            done.append(subscriber.pk)  # sent, or nothing new for them: both move on
        _save_deliveries(claimed)
        Subscriber.objects.filter(pk__in=done).filter(
            Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=digest.period_end)
        ).update(last_digest_at=digest.period_end)
    return len(claimed)


def _save_deliveries(deliveries):
    """One UPDATE per row, sent as one batch: QuerySet.bulk_update builds a CASE
    expression per field and row, which costs more in Python than the whole e-mail."""
    table = DigestDelivery._meta.db_table
    quote = connection.ops.quote_name
    columns = ["status", "outgoing_email_id", "item_count", "sent_at", "error"]
    sql = (
        f"UPDATE {quote(table)} SET "
        + ", ".join(f"{quote(column)} = %s" for column in columns)
        + f" WHERE {quote('id')} = %s"
    )
    field = DigestDelivery._meta.get_field("sent_at")
    rows = [
        (
            d.status,
            d.outgoing_email_id,
            d.item_count,
            field.get_db_prep_value(d.sent_at, connection),
            d.error,
            d.pk,
        )
        for d in deliveries
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _send_one(digest, delivery, subscriber, area_codes, renderer):
    text, count = renderer.items_text(
        subscriber.language, subscriber.kinds, area_codes, _since(subscriber, digest)
    )
    delivery.item_count = count
    if not count:
        delivery.status = DigestDelivery.Status.SKIPPED
        return
    token = tokens.manage_token(subscriber)
    preferences = settings.SITE_URL + reverse("newsletter:preferences", args=[token])
    leave = settings.SITE_URL + reverse("newsletter:unsubscribe", args=[token])
    records = mail.send(
        [subscriber],
        gettext_lazy("What's new for organizations, week of %(day)s"),
        "newsletter/email/digest.txt",
        {"items_text": text, "preferences_url": preferences, "unsubscribe_url": leave},
        subject_params={"day": renderer.week(subscriber.language)},
        unsubscribe_url=leave,
    )
    delivery.status = DigestDelivery.Status.SENT
    delivery.outgoing_email = records[0] if records else None


def finish_digest(digest):
    """Count the deliveries and close the digest once none is pending; False otherwise."""
    counts = dict(
        DigestDelivery.objects.filter(digest=digest)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    if counts.get(DigestDelivery.Status.PENDING):
        return False
    values = {
        "subscriber_count": sum(counts.values()),
        "sent_count": counts.get(DigestDelivery.Status.SENT, 0),
        "skipped_count": counts.get(DigestDelivery.Status.SKIPPED, 0),
        "failed_count": counts.get(DigestDelivery.Status.FAILED, 0),
    }
    closed = Digest.objects.filter(pk=digest.pk, status=Digest.Status.SENDING).update(
        status=Digest.Status.DONE, finished_at=timezone.now(), **values
    )
    if closed:
        digest.refresh_from_db()
        record(None, "digest.finished", digest, {k: [None, v] for k, v in values.items()})
    return True


def send_digests(digest, size=BATCH):
    """Send every pending copy of `digest` here and now (the tests, the benchmark and the
    demo; the site's workers run `send_digest_batch_task` instead)."""
    renderer = _Renderer(digest)
    while send_batch(digest, size, renderer):
        pass
    finish_digest(digest)
    return digest


def pending_count(digest):
    return DigestDelivery.objects.filter(
        digest=digest, status=DigestDelivery.Status.PENDING
    ).count()


# ---------------------------------------------------------------------------------------
# Background tasks


@task()
def send_digest_batch_task(digest_pk):
    """One batch by one worker; it queues the next batch itself until none is left, so
    NEWSLETTER_DIGEST_WORKERS chains of batches run side by side on free workers."""
    digest = Digest.objects.filter(pk=digest_pk).first()
    if digest is None or digest.status == Digest.Status.DONE:
        return {"sent": 0}
    claimed = send_batch(digest)
    if claimed:
        transaction.on_commit(lambda: send_digest_batch_task.enqueue(digest_pk))
    else:
        finish_digest(digest)
    return {"claimed": claimed}


def queue_sending(digest):
    workers = max(1, setting("NEWSLETTER_DIGEST_WORKERS", 2))
    for _n in range(workers):
        transaction.on_commit(lambda: send_digest_batch_task.enqueue(digest.pk))


def run_weekly(today=None):
    """The daily job's work: on the digest weekday build this week's digest (once per
    week) and queue its sending; on any day resume a digest left unfinished."""
    today = today or timezone.localdate()
    started = []
    for digest in Digest.objects.filter(status=Digest.Status.SENDING):
        queue_sending(digest)
        started.append(digest)
    if today.weekday() == setting("NEWSLETTER_DIGEST_WEEKDAY", 0):
        if not Digest.objects.filter(week=week_of(today)).exists():
            digest = build_digest(today)
            queue_sending(digest)
            started.append(digest)
    return started


@task()
def weekly_digest_task():
    started = run_weekly()
    return {"digests": [d.pk for d in started]}
