import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core import jobs, mail
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.newsletter import services
from wspolpraca.newsletter.models import Digest, DigestDelivery, Subscriber

from .factories import NewsFactory, SubscriberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def seniors():
    return PublicBenefitAreaFactory(code="7", label_en="Older people")


@pytest.fixture
def sport():
    return PublicBenefitAreaFactory(code="17", label_en="Sport")


def _digest_now():
    digest = services.build_digest(timezone.localdate())
    return services.send_digests(digest)


def _body(subscriber):
    return OutgoingEmail.objects.get(to=subscriber.email).body


# What a digest carries


def test_a_digest_carries_only_the_chosen_areas_and_kinds(fake_feed, seniors, sport):
    fake_feed.add("call", "Konkurs dla seniorów", areas=["7"])
    fake_feed.add("call", "Konkurs sportowy", areas=["17"])
    fake_feed.add("training", "Szkolenie dla seniorów", areas=["7"])
    fake_feed.add("consultation", "Konsultacje o seniorach", areas=["7"])
    fake_feed.add("room", "Sala w Nowej Hucie")  # no area: a room concerns everyone
    subscriber = SubscriberFactory(areas=[seniors], kinds=["calls", "rooms"])
    _digest_now()
    body = _body(subscriber)
    assert "Konkurs dla seniorów" in body
    assert "Sala w Nowej Hucie" in body
    assert "Konkurs sportowy" not in body
    assert "Szkolenie dla seniorów" not in body
    assert "Konsultacje o seniorach" not in body


def test_a_digest_groups_items_by_kind_with_dates_and_absolute_links(fake_feed, settings):
    settings.SITE_URL = "https://wspolpraca.example.org"
    fake_feed.add("call", "Konkurs A", url="/konkursy/a/")
    fake_feed.add("room", "Sala B", url="/sale/b/")
    subscriber = SubscriberFactory(language="en")
    _digest_now()
    body = _body(subscriber)
    assert "CALL DEADLINE" in body and "ROOM" in body
    assert body.index("CALL DEADLINE") < body.index("Konkurs A") < body.index("ROOM")
    assert "https://wspolpraca.example.org/konkursy/a/" in body
    assert "https://wspolpraca.example.org/newsletter/ustawienia/" in body
    assert "https://wspolpraca.example.org/newsletter/wypisz/" in body


def test_every_digest_carries_the_one_click_unsubscribe_headers(
    fake_feed, mailoutbox, django_capture_on_commit_callbacks
):
    fake_feed.add("call", "Konkurs")
    subscriber = SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _digest_now()
    [message] = mailoutbox
    assert message.to == [subscriber.email]
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http") and "/newsletter/wypisz/" in link
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_digest_is_written_in_the_subscribers_language(fake_feed):
    fake_feed.add("call", "Konkurs")
    polish = SubscriberFactory(language="pl")
    english = SubscriberFactory(language="en")
    _digest_now()
    assert "Unsubscribe:" in _body(english)
    assert OutgoingEmail.objects.get(to=polish.email).language == "pl"
    assert OutgoingEmail.objects.get(to=english.email).language == "en"


def test_nothing_matching_sends_no_email_and_records_a_skipped_delivery(fake_feed, seniors):
    fake_feed.add("call", "Konkurs sportowy", areas=["17"])
    subscriber = SubscriberFactory(areas=[seniors], kinds=["calls"])
    digest = _digest_now()
    assert not OutgoingEmail.objects.exists()
    delivery = DigestDelivery.objects.get(subscriber=subscriber)
    assert delivery.status == DigestDelivery.Status.SKIPPED
    digest.refresh_from_db()
    assert (digest.sent_count, digest.skipped_count) == (0, 1)


def test_an_unconfirmed_or_unsubscribed_or_bounced_address_gets_no_digest(fake_feed, settings):
    fake_feed.add("call", "Konkurs")
    SubscriberFactory(email="czeka@example.org", confirmed_at=None)
    SubscriberFactory(email="wypisany@example.org", unsubscribed_at=timezone.now())
    SubscriberFactory(email="odbija@example.org", bounce_count=3)
    reader = SubscriberFactory(email="czyta@example.org")
    _digest_now()
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [reader.email]


def test_items_sent_in_the_last_digest_are_not_sent_again(fake_feed):
    fake_feed.add("call", "Stary konkurs", published=timezone.now() - timedelta(days=9))
    fake_feed.add("call", "Nowy konkurs", published=timezone.now() - timedelta(days=2))
    subscriber = SubscriberFactory(last_digest_at=timezone.now() - timedelta(days=5))
    _digest_now()
    body = _body(subscriber)
    assert "Nowy konkurs" in body
    assert "Stary konkurs" not in body
    subscriber.refresh_from_db()
    assert subscriber.last_digest_at == Digest.objects.get().period_end


def test_published_news_is_in_the_digest_and_drafts_are_not(fake_feed):
    NewsFactory(title="Nowy regulamin sal", published_at=timezone.now() - timedelta(days=1))
    NewsFactory(title="Szkic", published_at=None)
    subscriber = SubscriberFactory(kinds=["news"])
    _digest_now()
    body = _body(subscriber)
    assert "Nowy regulamin sal" in body
    assert "Szkic" not in body


# Resuming and two workers


def test_an_interrupted_digest_resumes_without_sending_anyone_a_second_copy(fake_feed, monkeypatch):
    fake_feed.add("call", "Konkurs")
    readers = SubscriberFactory.create_batch(7)
    digest = services.build_digest(timezone.localdate())
    real_send = mail.send
    calls = {"n": 0}

    def failing_send(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:  # the worker dies in the middle of its second batch
            raise SystemExit("worker killed")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(mail, "send", failing_send)
    with pytest.raises(SystemExit):
        services.send_digests(digest, size=3)
    # The first batch (3) committed; the interrupted one left nothing behind.
    assert OutgoingEmail.objects.count() == 3
    assert DigestDelivery.objects.filter(status="sent").count() == 3
    monkeypatch.setattr(mail, "send", real_send)
    services.send_digests(digest, size=3)
    sent = Counter(OutgoingEmail.objects.values_list("to", flat=True))
    assert sent == Counter({r.email: 1 for r in readers})
    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE
    assert digest.sent_count == 7


def test_two_workers_taking_turns_never_send_the_same_subscriber_twice(fake_feed):
    """Sequential interleaving (what SQLite, with one writer at a time, does): two
    builders and two workers alternate batch by batch on one digest."""
    fake_feed.add("call", "Konkurs")
    readers = SubscriberFactory.create_batch(11)
    first = services.build_digest(timezone.localdate())
    second = services.build_digest(timezone.localdate())  # the other machine's run
    assert first.pk == second.pk
    assert DigestDelivery.objects.count() == 11
    worker_a, worker_b = services._Renderer(first), services._Renderer(second)
    while True:
        a = services.send_batch(first, 2, worker_a)
        b = services.send_batch(second, 2, worker_b)
        if not a and not b:
            break
    sent = Counter(OutgoingEmail.objects.values_list("to", flat=True))
    assert sent == Counter({r.email: 1 for r in readers})


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent writers: run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_on_postgresql_never_send_the_same_subscriber_twice(
    fake_feed, monkeypatch
):
    """Two threads, each with its own database connection, send one digest at the same
    time; FOR UPDATE SKIP LOCKED gives them different rows."""
    fake_feed.add("call", "Konkurs")
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"r{n}@example.org", kinds=["calls"], confirmed_at=timezone.now())
            for n in range(120)
        ]
    )
    digest = services.build_digest(timezone.localdate())
    real_send = mail.send
    seen_by = {}

    def slow_send(recipients, *args, **kwargs):
        # Hold the batch open a little, so that the other worker runs meanwhile.
        threading.Event().wait(0.002)
        seen_by.setdefault(threading.current_thread().name, 0)
        seen_by[threading.current_thread().name] += 1
        return real_send(recipients, *args, **kwargs)

    monkeypatch.setattr(mail, "send", slow_send)
    start = threading.Barrier(2)
    errors = []

    def worker():
        from django.db import connections

        try:
            start.wait()
            renderer = services._Renderer(digest)
            while services.send_batch(digest, 10, renderer):
                pass
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, name=f"worker-{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sent = Counter(OutgoingEmail.objects.values_list("to", flat=True))
    assert len(sent) == 120
    assert set(sent.values()) == {1}
    assert len(seen_by) == 2  # both workers really sent a share


# The weekly job


def test_the_weekly_job_is_queued_daily_by_the_scheduler():
    assert services.weekly_digest_task in jobs._daily


def test_the_weekly_job_makes_one_digest_on_its_weekday_only(fake_feed, settings):
    settings.NEWSLETTER_DIGEST_WEEKDAY = 0
    SubscriberFactory()
    monday = date(2026, 12, 7)
    assert services.run_weekly(monday - timedelta(days=1)) == []  # Sunday
    assert not Digest.objects.exists()
    services.run_weekly(monday)
    services.run_weekly(monday)  # a second run the same day
    assert Digest.objects.count() == 1
    digest = Digest.objects.get()
    services.send_digests(digest)
    services.run_weekly(monday + timedelta(days=1))  # Tuesday: nothing new
    assert Digest.objects.count() == 1
    services.run_weekly(monday + timedelta(days=7))
    assert Digest.objects.count() == 2
    assert Digest.objects.order_by("week").last().period_start == digest.period_end


def test_the_weekly_job_resumes_an_unfinished_digest_the_next_day(
    fake_feed, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_DIGEST_WEEKDAY = 0
    fake_feed.add("call", "Konkurs")
    SubscriberFactory.create_batch(3)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    services.run_weekly(monday)  # built and queued; the worker never ran
    assert OutgoingEmail.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.run_weekly(monday + timedelta(days=1))
    assert OutgoingEmail.objects.count() == 3
    assert Digest.objects.get().status == Digest.Status.DONE


# Bounces


def test_the_bounce_command_marks_bounces_and_the_third_stops_the_digests(fake_feed, settings):
    settings.NEWSLETTER_BOUNCE_LIMIT = 3
    subscriber = SubscriberFactory(email="odbija@example.org")
    for _n in range(2):
        call_command("newsletter_bounce", "Odbija@example.org")
    subscriber.refresh_from_db()
    assert subscriber.bounce_count == 2 and subscriber.is_active
    call_command("newsletter_bounce", "odbija@example.org", "nieznany@example.org")
    subscriber.refresh_from_db()
    assert subscriber.bounce_count == 3
    assert not Subscriber.objects.active().exists()
