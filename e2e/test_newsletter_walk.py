"""The acceptance walk of the newsletter (issue 10), at 1366 and at 390 px, with axe on
every page visited. The feed is the real one: calls, a consultation and news published
through their own apps' models, read by the digest through core.feed.

1. An anonymous visitor goes from the Infrastructure plane to the newsletter, chooses two
   areas (culture, sport) and two kinds (calls, consultations), gives an address, agrees
   and subscribes; the "check your mailbox" page. Nothing is subscribed yet: the row waits
   unconfirmed, and the digest the scheduler sends meanwhile (last week's) skips her
   although it carries a call of her area to others.
2. The confirmation e-mail holds the link; she opens it (nothing changes on opening) and
   presses the button: confirmed, with her choices, on her preferences page.
3. The weekly digest, sent by the scheduler's service (`run_weekly`, which
   `weekly_digest_task` runs), holds only her two areas' items of her kinds: not the call
   of the health area, not the culture news (a kind she left out), not last week's call.
   It carries List-Unsubscribe and List-Unsubscribe-Post. A reader of every area gets the
   lot, so the items left out were there to be sent.
4. Unsubscribing: (a) her mail client's one-click POST (RFC 8058: the List-Unsubscribe URL,
   body "List-Unsubscribe=One-Click", no cookie, no CSRF token) unsubscribes her; (b) a
   second subscriber of the same areas opens the e-mail's link in the browser: a page asks
   (opening it changes nothing), the button unsubscribes. The next week's digest skips both
   and still reaches the reader of every area.

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons by their text through `shown()` (the msgid through the Polish catalogue).
"""

import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import visit
from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (the subscribe form's rate limits live in the cache)
    follow,
    path_of,
    press,
    shown,
    window,  # noqa: F401  (each person's own browser)
)

EMAIL = "ewa.kulturalna@example.org"
SECOND_EMAIL = "jan.sportowy@example.org"
EVERYTHING_EMAIL = "czyta.wszystko@example.org"
CULTURE_CALL = "Teatr w dzielnicach 2027"
SPORT_CONSULTATION = "Program rozwoju sportu dzielnicowego"
HEALTH_CALL = "Profilaktyka zdrowia seniorów"
CULTURE_NEWS = "Nowe godziny otwarcia domów kultury"
OLD_CULTURE_CALL = "Festiwal podwórek 2026"
LATER_CULTURE_CALL = "Kino plenerowe w parkach"
URL = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture
def world(db, settings, live_server):
    """Three areas with something published in each this week: a call in culture (16), a
    consultation in sport (17), a call in health (6); culture news too, and a culture call
    published the week before. Two subscribers already confirmed: one of culture and sport
    (the second to leave), one of every area and kind. E-mail links lead to the live
    server, and today is the digest's weekday."""
    from wspolpraca.competitions.tests.factories import CallFactory
    from wspolpraca.consultations.tests.consultation_factories import ConsultationFactory
    from wspolpraca.newsletter.tests.factories import NewsFactory, SubscriberFactory
    from wspolpraca.organizations.models import PublicBenefitArea

    settings.SITE_URL = live_server.url
    today = timezone.localdate()
    settings.NEWSLETTER_DIGEST_WEEKDAY = today.weekday()
    culture = PublicBenefitArea.objects.get(code="16")
    sport = PublicBenefitArea.objects.get(code="17")
    health = PublicBenefitArea.objects.get(code="6")
    three_days_ago = timezone.now() - timedelta(days=3)
    CallFactory(title=CULTURE_CALL, areas=[culture], published_at=three_days_ago)
    CallFactory(title=HEALTH_CALL, areas=[health], published_at=three_days_ago)
    ConsultationFactory(title=SPORT_CONSULTATION, areas=[sport], announced_at=three_days_ago)
    NewsFactory(title=CULTURE_NEWS, areas=[culture], published_at=three_days_ago)
    CallFactory(
        title=OLD_CULTURE_CALL,
        areas=[culture],
        published_at=timezone.now() - timedelta(days=10),
    )
    second = SubscriberFactory(email=SECOND_EMAIL, areas=[culture, sport])
    everything = SubscriberFactory(email=EVERYTHING_EMAIL)
    return SimpleNamespace(
        today=today,
        culture=culture,
        sport=sport,
        health=health,
        second=second,
        everything=everything,
    )


def mails_to(mailoutbox, email):
    return [m for m in mailoutbox if email in m.to]


def link_in(message, path_start):
    links = [u for u in URL.findall(message.body) if urlsplit(u).path.startswith(path_start)]
    assert len(links) == 1, message.body
    return links[0]


def the_scheduler_runs(day):
    """What `weekly_digest_task` does on `day` (the digest weekday): build that week's
    digest and send it through the task worker (immediate in tests)."""
    from wspolpraca.newsletter import services
    from wspolpraca.newsletter.models import Digest

    [digest] = services.run_weekly(today=day)
    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE, digest.status
    return digest


def delivered(digest, email):
    from wspolpraca.newsletter.models import DigestDelivery

    return DigestDelivery.objects.filter(digest=digest, subscriber__email=email).first()


# 1. The visitor subscribes.


def the_visitor_subscribes(page, world, mailoutbox):
    from wspolpraca.newsletter.models import Subscriber

    visit(page, reverse("pages:plane", args=["infrastruktura"]))
    subscribe_url = reverse("newsletter:subscribe")
    follow(page, subscribe_url)
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill(EMAIL)
    for area in (world.culture, world.sport):
        form.locator(f"input[name=areas][value='{area.pk}']").check()
    # Every kind is offered ticked; she keeps calls and consultations only.
    kinds = form.locator("input[name=kinds]")
    expect(kinds).to_have_count(6)
    for kind in ("trainings", "events", "rooms", "news"):
        form.locator(f"input[name=kinds][value={kind}]").uncheck()
    expect(form.locator("input[name=language][value=pl]")).to_be_checked()
    form.locator("input[name=consent]").check()
    press(page, shown("Subscribe"))

    assert path_of(page) == reverse("newsletter:check_mail"), page.url
    expect(page.locator("main h1")).to_have_text(shown("Check your mailbox"))
    # Waiting, not subscribed: the choices travel in the link, nothing active yet.
    waiting = Subscriber.objects.get(email=EMAIL)
    assert waiting.confirmed_at is None and not waiting.is_active
    assert not Subscriber.objects.active().filter(email=EMAIL).exists()
    [message] = mails_to(mailoutbox, EMAIL)
    assert shown("Confirm your newsletter subscription") in message.subject, message.subject
    assert "List-Unsubscribe" not in message.extra_headers
    return link_in(message, "/newsletter/potwierdz/")


def no_digest_before_confirming(world, mailoutbox):
    """Last week's digest, run while her link waits: it sends the week's culture call to
    the reader of every area, and nothing to her."""
    digest = the_scheduler_runs(world.today - timedelta(days=7))
    assert delivered(digest, EMAIL) is None
    assert len(mails_to(mailoutbox, EMAIL)) == 1  # the confirmation link only
    [sent] = mails_to(mailoutbox, EVERYTHING_EMAIL)
    assert OLD_CULTURE_CALL in sent.body, sent.body


# 2. She confirms.


def she_confirms(page, world, confirm_link):
    from wspolpraca.newsletter.models import Subscriber

    visit(page, confirm_link)
    assert path_of(page) == urlsplit(confirm_link).path, page.url
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(shown("Confirm your subscription"))
    expect(main).to_contain_text("e•••@example.org")
    expect(main.locator("dl")).to_contain_text(world.culture.short_label)
    expect(main.locator("dl")).to_contain_text(world.sport.short_label)
    expect(main.locator("dl")).not_to_contain_text(world.health.short_label)
    # Opening the link (as a mail scanner would) confirms nothing.
    assert Subscriber.objects.get(email=EMAIL).confirmed_at is None
    press(page, shown("Confirm the subscription"))

    subscriber = Subscriber.objects.get(email=EMAIL)
    assert subscriber.is_active
    assert set(subscriber.areas.all()) == {world.culture, world.sport}
    assert subscriber.kinds == ["calls", "consultations"]
    assert subscriber.language == "pl"
    assert path_of(page).startswith("/newsletter/ustawienia/"), page.url
    expect(page.locator("main")).to_contain_text(shown("Your subscription is confirmed. Welcome!"))
    form = page.locator("main form[method=post]")
    for area in (world.culture, world.sport):
        expect(form.locator(f"input[name=areas][value='{area.pk}']")).to_be_checked()
    expect(form.locator(f"input[name=areas][value='{world.health.pk}']")).not_to_be_checked()
    expect(form.locator("input[name=kinds][value=news]")).not_to_be_checked()
    return subscriber


# 3. The weekly digest.


def the_digest_holds_only_her_areas(world, mailoutbox):
    from wspolpraca.newsletter.models import DigestDelivery

    digest = the_scheduler_runs(world.today)
    [message] = mails_to(mailoutbox, EMAIL)[1:]  # after the confirmation link
    body = message.body
    assert CULTURE_CALL in body, body
    assert SPORT_CONSULTATION in body, body
    for left_out in (HEALTH_CALL, CULTURE_NEWS, OLD_CULTURE_CALL):
        assert left_out not in body, f"{left_out!r} in her digest:\n{body}"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<https?://\S+/newsletter/wypisz/\S+/>", unsubscribe), unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert delivered(digest, EMAIL).status == DigestDelivery.Status.SENT
    # The reader of every area gets the items she does not.
    everything = mails_to(mailoutbox, EVERYTHING_EMAIL)[-1].body
    for item in (CULTURE_CALL, SPORT_CONSULTATION, HEALTH_CALL, CULTURE_NEWS):
        assert item in everything, everything
    second = mails_to(mailoutbox, SECOND_EMAIL)[-1]  # last week's digest came before
    assert HEALTH_CALL not in second.body and CULTURE_CALL in second.body, second.body
    return message, second


# 4. Unsubscribing.


def one_click_unsubscribes_her(page, message):
    """Her mail client's one-click request: a POST of the header's URL, nothing else."""
    from wspolpraca.newsletter.models import Subscriber

    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url == link_in(message, "/newsletter/wypisz/")  # the same link in the text
    response = page.request.post(
        url,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert response.ok, response.status
    subscriber = Subscriber.objects.get(email=EMAIL)
    assert subscriber.unsubscribed_at is not None and not subscriber.is_active
    second = Subscriber.objects.get(email=SECOND_EMAIL)
    assert second.is_active, "one person's link unsubscribed another"


def the_second_unsubscribes_in_the_browser(page, message):
    from wspolpraca.newsletter.models import Subscriber

    link = link_in(message, "/newsletter/wypisz/")
    visit(page, link)
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(shown("Unsubscribe from the newsletter?"))
    expect(main).to_contain_text("j•••@example.org")
    assert Subscriber.objects.get(email=SECOND_EMAIL).is_active, "opening the link unsubscribed"
    press(page, shown("Unsubscribe"))
    assert path_of(page) == urlsplit(link).path, page.url
    expect(page.locator("main h1")).to_have_text(shown("You are unsubscribed"))
    assert Subscriber.objects.get(email=SECOND_EMAIL).unsubscribed_at is not None


def the_next_digest_skips_them(world, mailoutbox):
    from wspolpraca.competitions.tests.factories import CallFactory

    CallFactory(title=LATER_CULTURE_CALL, areas=[world.culture], published_at=timezone.now())
    before = len(mailoutbox)
    digest = the_scheduler_runs(world.today + timedelta(days=7))
    assert delivered(digest, EMAIL) is None and delivered(digest, SECOND_EMAIL) is None
    sent = mailoutbox[before:]
    assert [m.to for m in sent] == [[EVERYTHING_EMAIL]], [m.to for m in sent]
    assert LATER_CULTURE_CALL in sent[0].body


@pytest.mark.both_widths
def test_a_visitor_subscribes_to_two_areas_confirms_gets_them_only_and_leaves_in_one_click(
    page,
    window,  # noqa: F811
    world,
    mailoutbox,
):
    confirm_link = the_visitor_subscribes(page, world, mailoutbox)
    no_digest_before_confirming(world, mailoutbox)
    she_confirms(page, world, confirm_link)
    hers, seconds = the_digest_holds_only_her_areas(world, mailoutbox)
    one_click_unsubscribes_her(page, hers)
    the_second_unsubscribes_in_the_browser(window(), seconds)
    the_next_digest_skips_them(world, mailoutbox)
