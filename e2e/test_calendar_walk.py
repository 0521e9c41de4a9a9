"""The acceptance walk of the calendar and events (issue 10, point 3), at 1366 and at 390 px,
with axe on every page visited. Each person works in a browser of their own, starting
where they would start.

1. A member of an organization signs in, goes from their account to "My events", submits
   the organization's event (the form, check your answers, sent). It waits for moderation:
   an anonymous visitor finds neither its page nor it in the calendar.
2. A city official signing in for the first time (setting up TOTP) goes from their account
   to the moderation queue. Another organization's event is rejected: without a reason the
   page says so next to the field (and in the error summary); with one it is rejected and
   its author told. The member's event is published and its author told.
3. A visitor opens the calendar from the main navigation and goes to the month of the
   event: the month shows it among items of other kinds (a call's deadline, a
   consultation, a training, another NGO event). The filters (a GET form) narrow it: the
   area alone, then the area and the kind; the address keeps them, and so does the switch
   to the list. The iCal link on the page carries the filters; its content parses with
   `icalendar` and holds only the event, in Europe/Warsaw with its VTIMEZONE.
4. The event has one place. The visitor (X) signs in from the event's page and registers;
   a second person (Y) gets the waiting list. X cancels through the confirmation page; Y is
   moved up and gets the e-mail (locmem mail, tasks run at once).

A short second test: the month and the list work with JavaScript off (the filters submit,
the previous and next month links keep them).

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons and messages by their text through `shown()` (the msgid through the Polish
catalogue).
"""

from datetime import datetime, time, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import check_a11y, log_in, visit
from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (TOTP codes are single-use: a clean cache)
    click_and_check,
    first_sign_in_with_totp,
    follow,
    path_of,
    press,
    shown,
    window,  # noqa: F401  (each person's own browser)
)
from e2e.test_staff_signin import new_staff

TITLE = "Sąsiedzki festiwal teatrów podwórkowych"
DESCRIPTION = "Spektakle trzech grup teatralnych z Podgórza na podwórku przy Limanowskiego."
PLACE = "ul. Limanowskiego 1, Kraków"
OTHER_TITLE = "Kiermasz rękodzieła z nagrodami"
REJECTION = "To sprzedaż, nie wydarzenie pożytku publicznego: opisz część bezpłatną."
CALL_TITLE = "Kultura w dzielnicach 2027"
CONSULTATION_TITLE = "Program rozwoju sportu dzielnicowego"
TRAINING_TITLE = "Szkolenie: jak rozliczyć dotację na kulturę"
SPORT_EVENT_TITLE = "Bieg sąsiedzki wokół Kopca Krakusa"
ELSEWHERE_TITLE = "Noc teatrów w Nowej Hucie"
STARTS, ENDS = time(17, 0), time(19, 0)


def the_month_after(day):
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def world(db):
    """Next month is the event's: on its 12th, 17–19, in Podgórze, culture (area 16). The
    same month holds items of other kinds: a culture call's deadline (20th), a sport
    consultation (5th–25th), a culture training of the city (8th) and a sport NGO event
    (15th). A foundation's member signs in with a password; another organization's event
    waits for moderation; the official never signed in; two residents will register."""
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.competitions.tests.factories import CallFactory
    from wspolpraca.consultations.tests.consultation_factories import ConsultationFactory
    from wspolpraca.events.models import Event
    from wspolpraca.events.tests.factories import EventFactory
    from wspolpraca.organizations.models import Membership, PublicBenefitArea
    from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

    month = the_month_after(timezone.localdate())
    day = month.replace(day=12)
    culture = PublicBenefitArea.objects.get(code="16")
    sport = PublicBenefitArea.objects.get(code="17")
    podgorze = DistrictFactory(number=13, roman="XIII", name="Podgórze")
    nowa_huta = DistrictFactory(number=18, roman="XVIII", name="Nowa Huta")

    CallFactory(title=CALL_TITLE, areas=[culture], deadline=at(month.replace(day=20), 15))
    ConsultationFactory(
        title=CONSULTATION_TITLE,
        areas=[sport],
        information_from=timezone.localdate(),
        opens_on=month.replace(day=5),
        closes_on=month.replace(day=25),
    )
    EventFactory(
        kind=Event.Kind.TRAINING,
        organization=None,
        title=TRAINING_TITLE,
        areas=[culture],
        starts_at=at(month.replace(day=8), 10),
        ends_at=at(month.replace(day=8), 14),
    )
    EventFactory(
        title=SPORT_EVENT_TITLE,
        areas=[sport],
        district=podgorze,
        starts_at=at(month.replace(day=15), 9),
        ends_at=at(month.replace(day=15), 12),
    )

    foundation = OrganizationFactory(name="Fundacja Teatr Podwórkowy", district=podgorze)
    member = UserFactory(full_name="Halina Wójcik", email="halina@teatr-podworkowy.example.org")
    Membership.objects.create(organization=foundation, user=member, role=Membership.Role.MEMBER)
    crafts = OrganizationFactory(name="Stowarzyszenie Rękodzielników")
    crafter = UserFactory(full_name="Paweł Nowak", email="pawel@rekodzielnicy.example.org")
    Membership.objects.create(organization=crafts, user=crafter, role=Membership.Role.ADMIN)
    other = EventFactory(
        organization=crafts,
        title=OTHER_TITLE,
        areas=[culture],
        status=Event.Status.SUBMITTED,
        published_at=None,
        submitted_by=crafter,
        submitted_at=timezone.now() - timedelta(days=1),
        starts_at=at(month.replace(day=18), 11),
        ends_at=at(month.replace(day=18), 16),
    )

    official = new_staff(User.Role.OFFICIAL)
    official.full_name = "Krystyna Moderatorka"
    official.save(update_fields=["full_name"])
    return SimpleNamespace(
        month=month,
        day=day,
        culture=culture,
        sport=sport,
        podgorze=podgorze,
        nowa_huta=nowa_huta,
        foundation=foundation,
        member=member,
        crafter=crafter,
        other=other,
        official=official,
        x=UserFactory(full_name="Xawery Pierwszy", email="xawery@example.org"),
        y=UserFactory(full_name="Ygrek Druga", email="ygrek@example.org"),
        password=PASSWORD,
    )


def mails_to(mailoutbox, email):
    return [m for m in mailoutbox if email in m.to]


def subjects(mailoutbox, email):
    return [m.subject for m in mails_to(mailoutbox, email)]


def query_of(page):
    return parse_qs(urlsplit(page.url).query)


def message(page):
    return page.locator("main .messages")


# 1. The member submits the event.


def the_member_submits_the_event(page, world, mailoutbox):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.events.models import Event

    log_in(page, world.member.email, world.password)
    visit(page, reverse("accounts:profile"))
    follow(page, reverse("events:mine"))
    follow(page, reverse("events:new"))
    form = page.locator("main form[method=post]")
    # Their only organization: not asked.
    expect(form.locator("input[name=organization]")).to_have_count(0)
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    form.locator(f"input[name=areas][value='{world.culture.pk}']").check()
    form.locator("select[name=district]").select_option(str(world.podgorze.pk))
    form.locator("input[name=place]").fill(PLACE)
    form.locator("input[name=day]").fill(world.day.isoformat())
    form.locator("input[name=starts]").fill(f"{STARTS:%H:%M}")
    form.locator("input[name=ends]").fill(f"{ENDS:%H:%M}")
    form.locator("input[name=capacity]").fill("1")
    press(page, shown("Save and check your answers"))

    # Check your answers: a draft, nothing sent yet.
    event = Event.objects.get(title=TITLE)
    assert path_of(page) == reverse("events:check", args=[event.pk]), page.url
    assert event.status == Event.Status.DRAFT
    main = page.locator("main")
    for text in (world.foundation.name, TITLE, DESCRIPTION, PLACE, world.podgorze.name):
        expect(main.locator("dl")).to_contain_text(text)
    expect(main.locator("dl")).to_contain_text(f"{STARTS:%H:%M}–{ENDS:%H:%M}")
    press(page, shown("Send for moderation"))

    assert path_of(page) == reverse("events:sent", args=[event.pk]), page.url
    expect(page.locator("#event-number")).to_have_text(str(event.pk))
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED
    assert (event.organization, event.submitted_by, event.capacity) == (
        world.foundation,
        world.member,
        1,
    )
    assert set(event.areas.all()) == {world.culture}
    local = timezone.localtime(event.starts_at)
    assert (local.date(), local.time(), timezone.localtime(event.ends_at).time()) == (
        world.day,
        STARTS,
        ENDS,
    )
    assert AuditEntry.objects.filter(action="event.submitted", actor=world.member).exists()
    return event


def it_is_not_public_yet(page, world, event):
    """An anonymous visitor: the event's page is not found, the calendar does not show it."""
    response = page.goto(event.get_absolute_url())
    assert response.status == 404, response.status
    check_a11y(page)
    visit(page, f"{reverse('events:list')}?miesiac={world.month:%Y-%m}")
    expect(page.locator("main")).to_contain_text(TRAINING_TITLE)
    expect(page.locator("main")).not_to_contain_text(TITLE)


# 2. The official moderates.


def the_official_rejects_one_and_publishes_the_other(page, world, event, mailoutbox):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.events.models import Event

    first_sign_in_with_totp(page, world.official)  # ends on "My account"
    queue_url = reverse("events:queue")
    follow(page, queue_url)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(OTHER_TITLE)  # oldest first
    expect(page.locator("main table tbody tr", has_text=TITLE)).to_contain_text(
        world.foundation.name
    )

    # The other one: rejected, and not without a reason.
    follow(page, reverse("events:moderate", args=[world.other.pk]))
    reject_url = reverse("events:reject", args=[world.other.pk])
    follow(page, reject_url)
    press(page, shown("Reject the event"))
    assert path_of(page) == reject_url, page.url
    form = page.locator("main form[method=post]")
    required = shown("Write the reason.")
    expect(form.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#id_reason_error")).to_contain_text(required)
    expect(form.locator(".error-summary a[href='#id_reason']")).to_contain_text(required)
    world.other.refresh_from_db()
    assert world.other.status == Event.Status.SUBMITTED
    form.locator("textarea[name=reason]").fill(REJECTION)
    press(page, shown("Reject the event"))
    assert path_of(page) == queue_url, page.url
    world.other.refresh_from_db()
    assert (world.other.status, world.other.rejection_reason) == (
        Event.Status.REJECTED,
        REJECTION,
    )
    told = [m for m in mails_to(mailoutbox, world.crafter.email) if OTHER_TITLE in m.subject]
    assert len(told) == 1 and REJECTION in told[0].body, subjects(mailoutbox, world.crafter.email)

    # The member's event: published.
    expect(page.locator("main table tbody tr")).to_have_count(1)
    follow(page, reverse("events:moderate", args=[event.pk]))
    main = page.locator("main")
    expect(main).to_contain_text(DESCRIPTION)
    expect(main).to_contain_text(PLACE)
    press(page, shown("Publish the event"))
    assert path_of(page) == queue_url, page.url
    expect(page.locator("main table tbody")).not_to_contain_text(TITLE)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED and event.moderated_by == world.official
    assert AuditEntry.objects.filter(action="event.approved", actor=world.official).exists()
    assert AuditEntry.objects.filter(action="event.rejected", actor=world.official).exists()
    published = shown("Your event is published: %(title)s") % {"title": TITLE}
    assert any(published in s for s in subjects(mailoutbox, world.member.email)), subjects(
        mailoutbox, world.member.email
    )


# 3. A visitor finds it in the calendar.


def calendar_items(page):
    return page.locator("main table.month")


def the_visitor_finds_it_and_filters(page, world):
    visit(page, "/")
    calendar_url = reverse("events:calendar")
    click_and_check(page, page.locator(f'nav.main-nav a[href="{calendar_url}"]'))
    assert path_of(page) == calendar_url, page.url

    # To the event's month, by the "next month" link.
    click_and_check(page, page.locator("main a[rel=next]"))
    assert query_of(page) == {"miesiac": [f"{world.month:%Y-%m}"]}, page.url
    month = calendar_items(page)
    for title in (TITLE, CALL_TITLE, CONSULTATION_TITLE, TRAINING_TITLE, SPORT_EVENT_TITLE):
        expect(month).to_contain_text(title)
    for kind in ("NGO event", "Call deadline", "Consultation", "Training or workshop"):
        expect(month).to_contain_text(shown(kind))
    expect(month).not_to_contain_text(OTHER_TITLE)  # rejected
    expect(
        month.locator(f'a[href="{reverse("events:detail", args=[world.event.pk])}"]')
    ).to_contain_text(f"{STARTS:%H:%M}")

    # The area alone: culture's items stay, sport's go.
    form = page.locator("main form[role=search]")
    expect(form.locator("input[name=miesiac]")).to_have_value(f"{world.month:%Y-%m}")
    form.locator("select[name=obszar]").select_option(world.culture.code)
    click_and_check(page, form.locator("button[type=submit]"))
    assert path_of(page) == calendar_url, page.url
    query = query_of(page)
    assert (query["obszar"], query["miesiac"]) == ([world.culture.code], [f"{world.month:%Y-%m}"])
    month = calendar_items(page)
    for title in (TITLE, CALL_TITLE, TRAINING_TITLE):
        expect(month).to_contain_text(title)
    for title in (CONSULTATION_TITLE, SPORT_EVENT_TITLE):
        expect(month).not_to_contain_text(title)

    # And the kind: NGO events only.
    form = page.locator("main form[role=search]")
    expect(form.locator("select[name=obszar]")).to_have_value(world.culture.code)
    form.locator("input[name=rodzaj][value=event]").check()
    click_and_check(page, form.locator("button[type=submit]"))
    query = query_of(page)
    assert (query["obszar"], query["rodzaj"], query["miesiac"]) == (
        [world.culture.code],
        ["event"],
        [f"{world.month:%Y-%m}"],
    ), page.url
    month = calendar_items(page)
    expect(month).to_contain_text(TITLE)
    for title in (CALL_TITLE, TRAINING_TITLE, CONSULTATION_TITLE, SPORT_EVENT_TITLE):
        expect(month).not_to_contain_text(title)
    expect(page.locator("main input[name=rodzaj][value=event]")).to_be_checked()

    # The list keeps the filters and the month.
    list_url = reverse("events:list")
    click_and_check(page, page.locator(f'main nav.view-switch a[href^="{list_url}?"]'))
    assert path_of(page) == list_url, page.url
    assert query_of(page) == query, page.url
    agenda = page.locator("main .agenda-day")
    expect(agenda).to_have_count(1)
    expect(agenda).to_contain_text(TITLE)
    expect(agenda).to_contain_text(PLACE)
    expect(agenda.locator(f"time[datetime='{world.day.isoformat()}']")).to_have_count(1)
    return query


def the_ical_link_carries_the_filters(page, world, query):
    from icalendar import Calendar

    link = page.locator(f'main a[href^="{reverse("events:ical")}"]')
    expect(link).to_have_count(1)
    href = link.get_attribute("href")
    ical_query = parse_qs(urlsplit(href).query)
    assert ical_query == {"obszar": query["obszar"], "rodzaj": query["rodzaj"]}, href
    response = page.request.get(urljoin(page.url, href))
    assert response.ok, response.status
    assert response.headers["content-type"].startswith("text/calendar"), response.headers
    calendar = Calendar.from_ical(response.body())
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [TITLE], [str(e["SUMMARY"]) for e in events]
    [vevent] = events
    assert vevent["DTSTART"].params["TZID"] == "Europe/Warsaw", vevent["DTSTART"].to_ical()
    assert vevent["DTEND"].params["TZID"] == "Europe/Warsaw", vevent["DTEND"].to_ical()
    starts, ends = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert (starts.date(), starts.time(), ends.time()) == (world.day, STARTS, ENDS), starts
    assert starts.utcoffset() == timezone.localtime(world.event.starts_at).utcoffset()
    assert str(vevent["URL"]).endswith(world.event.get_absolute_url()), vevent["URL"]
    assert str(vevent["LOCATION"]) == PLACE
    assert [str(t["TZID"]) for t in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]


# 4. Registration: one place, a waiting list, a cancellation, a move up.


def x_signs_in_from_the_event_and_registers(page, world, mailoutbox):
    from wspolpraca.events.models import Registration

    event = world.event
    follow(page, event.get_absolute_url())
    expect(page.locator("main h1")).to_have_text(TITLE)
    login_url = f"{reverse('account_login')}?next={event.get_absolute_url()}"
    follow(page, login_url, lands_on=reverse("account_login"))
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=login]").fill(world.x.email)
    form.locator("input[name=password]").fill(world.password)
    click_and_check(page, form.locator("button[type=submit]"))
    assert path_of(page) == event.get_absolute_url(), page.url

    press(page, shown("Register for the event"))
    assert path_of(page) == event.get_absolute_url(), page.url
    expect(message(page)).to_contain_text(
        shown("Your place is confirmed. We have sent you an e-mail.")
    )
    registration = Registration.objects.get(event=event, user=world.x)
    assert registration.status == Registration.Status.REGISTERED
    mine = shown("Your registration for %(title)s") % {"title": TITLE}
    assert any(mine in s for s in subjects(mailoutbox, world.x.email)), subjects(
        mailoutbox, world.x.email
    )


def y_gets_the_waiting_list(page, world):
    from wspolpraca.events.models import Registration

    log_in(page, world.y.email, world.password)
    visit(page, world.event.get_absolute_url())
    expect(
        page.locator("main").get_by_role("button", name=shown("Register for the event"), exact=True)
    ).to_have_count(0)
    press(page, shown("Join the waiting list"))
    expect(message(page)).to_contain_text(
        shown("The event is full: you are on the waiting list. We will write if a place frees up.")
    )
    registration = Registration.objects.get(event=world.event, user=world.y)
    assert registration.status == Registration.Status.WAITING


def x_cancels_and_y_moves_up(page, other, world, mailoutbox):
    from wspolpraca.events.models import Registration

    event = world.event
    before = len(mails_to(mailoutbox, world.y.email))
    cancel_url = reverse("events:cancel_registration", args=[event.pk])
    follow(page, cancel_url)
    # Asking changes nothing.
    assert Registration.objects.get(event=event, user=world.x).status == (
        Registration.Status.REGISTERED
    )
    press(page, shown("Cancel my registration"))
    assert path_of(page) == event.get_absolute_url(), page.url
    expect(message(page)).to_contain_text(shown("Your registration is cancelled."))
    assert Registration.objects.get(event=event, user=world.x).status == (
        Registration.Status.CANCELLED
    )
    assert Registration.objects.get(event=event, user=world.y).status == (
        Registration.Status.REGISTERED
    )
    # One e-mail to Y: the place is theirs now.
    told = mails_to(mailoutbox, world.y.email)[before:]
    place_for_you = shown("A place for you: %(title)s") % {"title": TITLE}
    assert len(told) == 1 and place_for_you in told[0].subject, [m.subject for m in told]
    assert shown("A place has freed up and it is yours:") in told[0].body, told[0].body
    assert event.get_absolute_url() in told[0].body, told[0].body

    # Y's page says so.
    visit(other, event.get_absolute_url())
    expect(other.locator("main")).to_contain_text(shown("Your place is confirmed."))


@pytest.mark.both_widths
def test_an_event_is_submitted_moderated_found_in_the_calendar_and_its_place_passed_on(
    page,
    window,  # noqa: F811
    world,
    mailoutbox,
):
    member = window()
    world.event = the_member_submits_the_event(member, world, mailoutbox)
    it_is_not_public_yet(page, world, world.event)
    the_official_rejects_one_and_publishes_the_other(window(), world, world.event, mailoutbox)
    query = the_visitor_finds_it_and_filters(page, world)
    the_ical_link_carries_the_filters(page, world, query)
    x_signs_in_from_the_event_and_registers(page, world, mailoutbox)
    y = window()
    y_gets_the_waiting_list(y, world)
    x_cancels_and_y_moves_up(page, y, world, mailoutbox)


# Without JavaScript.


@pytest.fixture
def culture_events(world):
    """Two published culture NGO events in the next month: one in Podgórze, one in Nowa
    Huta (besides the world's items of other kinds and areas)."""
    from wspolpraca.events.tests.factories import EventFactory

    world.event = EventFactory(
        title=TITLE,
        organization=world.foundation,
        areas=[world.culture],
        district=world.podgorze,
        place=PLACE,
        starts_at=at(world.day, STARTS.hour),
        ends_at=at(world.day, ENDS.hour),
    )
    EventFactory(
        title=ELSEWHERE_TITLE,
        areas=[world.culture],
        district=world.nowa_huta,
        starts_at=at(world.month.replace(day=22), 20),
        ends_at=at(world.month.replace(day=22), 23),
    )
    return world


@pytest.mark.both_widths
def test_the_month_and_the_list_work_without_javascript(nojs_page, culture_events):
    world, page = culture_events, nojs_page
    calendar_url, list_url = reverse("events:calendar"), reverse("events:list")
    month, following = f"{world.month:%Y-%m}", f"{the_month_after(world.month):%Y-%m}"
    visit(page, calendar_url)
    form = page.locator("main form[role=search]")
    form.locator("select[name=obszar]").select_option(world.culture.code)
    form.locator("input[name=rodzaj][value=event]").check()
    form.locator("select[name=dzielnica]").select_option(str(world.podgorze.number))
    form.locator("input[name=miesiac]").fill(month)
    click_and_check(page, form.locator("button[type=submit]"))
    filters = {
        "obszar": [world.culture.code],
        "rodzaj": ["event"],
        "dzielnica": [str(world.podgorze.number)],
    }
    assert path_of(page) == calendar_url, page.url
    assert query_of(page) == {**filters, "miesiac": [month]}, page.url
    expect(calendar_items(page)).to_contain_text(TITLE)
    for title in (ELSEWHERE_TITLE, SPORT_EVENT_TITLE, TRAINING_TITLE, CALL_TITLE):
        expect(calendar_items(page)).not_to_contain_text(title)

    # Next month and back: the filters stay.
    click_and_check(page, page.locator("main a[rel=next]"))
    assert path_of(page) == calendar_url, page.url
    assert query_of(page) == {**filters, "miesiac": [following]}, page.url
    expect(calendar_items(page)).not_to_contain_text(TITLE)
    click_and_check(page, page.locator("main a[rel=prev]"))
    assert query_of(page) == {**filters, "miesiac": [month]}, page.url
    expect(calendar_items(page)).to_contain_text(TITLE)

    # The list: the same filters, its own month links.
    click_and_check(page, page.locator(f'main nav.view-switch a[href^="{list_url}?"]'))
    assert path_of(page) == list_url, page.url
    assert query_of(page) == {**filters, "miesiac": [month]}, page.url
    expect(page.locator("main .agenda-day")).to_have_count(1)
    expect(page.locator("main .agenda-day")).to_contain_text(TITLE)
    click_and_check(page, page.locator("main a[rel=next]"))
    assert (path_of(page), query_of(page)) == (list_url, {**filters, "miesiac": [following]})
    expect(page.locator("main .agenda-day")).to_have_count(0)
    click_and_check(page, page.locator("main a[rel=prev]"))
    assert (path_of(page), query_of(page)) == (list_url, {**filters, "miesiac": [month]})
    expect(page.locator("main .agenda-day")).to_contain_text(TITLE)

    # A filter changed on the list stays on the list.
    form = page.locator("main form[role=search]")
    form.locator("select[name=dzielnica]").select_option(str(world.nowa_huta.number))
    click_and_check(page, form.locator("button[type=submit]"))
    assert path_of(page) == list_url, page.url
    assert query_of(page)["dzielnica"] == [str(world.nowa_huta.number)], page.url
    expect(page.locator("main .agenda-day")).to_contain_text(ELSEWHERE_TITLE)
    expect(page.locator("main")).not_to_contain_text(TITLE)
