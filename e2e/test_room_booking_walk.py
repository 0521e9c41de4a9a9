"""The acceptance walk of booking a room (issue 10), at 1366 and at 390 px, with axe on
every page visited. Each person works in a browser of their own, starting where they
would start.

1. A member of a verified organization signs in, goes from the Infrastructure plane to
   the rooms, filters them by district, "at least 20 people", step-free entry and "free
   at" a date and time (a GET form: the filters are in the address, and a browser without
   JavaScript gets the same results from it), opens the one room that fits, requests it
   (purpose, times, people, the non-commercial declaration and the house rules), checks
   the answers and sends the request. The room's manager is told by e-mail.
2. The room's manager, a city official signing in for the first time (setting up TOTP),
   goes from their account to the queue and approves the request.
3. The requester gets the e-mail: the booking of the room is confirmed.
4. A member of a second organization asks for the same time: refused next to the date
   (and in the error summary), what was typed kept, the waiting list offered; they join it.
5. The first organization cancels the booking (through its confirmation page); the
   waiting person is offered the time by e-mail and books it from the e-mail's link.

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons and messages by their text through `shown()` (the msgid through the Polish
catalogue).
"""

import re
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import log_in, visit
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

PURPOSE = "Spotkanie wolontariuszy przed zbiórką żywności"
OTHER_PURPOSE = "Warsztaty teatralne dla młodzieży z Podgórza"
HOUSE_RULES = "Zostaw salę w porządku; klucze oddaj na portierni."
STARTS, ENDS = time(17, 0), time(19, 0)
URL = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture
def world(db):
    """Podgórze (district XIII) with four rooms of which one fits "20 people, step-free
    entry, free on the day at 17–19": the Sala widowiskowa of Dom Kultury Podgórze (25
    people, approval needed, house rules, its manager an official who never signed in).
    The others each miss one filter: too small, stairs at the entry, booked then; a fifth
    room fits everything but lies in another district. Two verified organizations, each
    with a member who signs in with a password."""
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.organizations.models import Membership
    from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory
    from wspolpraca.venues.tests.factories import BookingFactory, BuildingFactory, RoomFactory

    day = timezone.localdate() + timedelta(days=8)
    podgorze = DistrictFactory(number=13, roman="XIII", name="Podgórze")
    stare_miasto = DistrictFactory(number=1, roman="I", name="Stare Miasto")
    house = BuildingFactory(
        name="Dom Kultury Podgórze",
        street="ul. Krakusa 7",
        district=podgorze,
        step_free_entry=True,
        lift=True,
    )
    hall = RoomFactory(
        building=house, name="Sala widowiskowa", capacity=25, house_rules=HOUSE_RULES
    )
    small = RoomFactory(building=house, name="Pracownia plastyczna", capacity=12)
    busy = RoomFactory(building=house, name="Sala baletowa", capacity=30)
    BookingFactory(
        room=busy,
        starts=timezone.make_aware(datetime.combine(day, time(16, 0))),
        ends=timezone.make_aware(datetime.combine(day, time(20, 0))),
    )
    stairs = RoomFactory(
        building=BuildingFactory(
            name="Klub Rękawka", district=podgorze, step_free_entry=False, lift=True
        ),
        name="Sala klubowa",
        capacity=40,
    )
    elsewhere = RoomFactory(
        building=BuildingFactory(
            name="Centrum Obywatelskie Rynek", district=stare_miasto, step_free_entry=True
        ),
        name="Sala konferencyjna",
        capacity=40,
    )

    manager = new_staff(User.Role.OFFICIAL)
    manager.full_name = "Krystyna Zarządczyni"
    manager.save(update_fields=["full_name"])
    hall.managers.add(manager)

    food_bank = OrganizationFactory(name="Stowarzyszenie Bank Żywności Podgórze", district=podgorze)
    member = UserFactory(full_name="Halina Wójcik", email="halina@bank-zywnosci.example.org")
    Membership.objects.create(organization=food_bank, user=member, role=Membership.Role.MEMBER)
    theatre = OrganizationFactory(name="Fundacja Teatr Młodych", kind="foundation")
    other = UserFactory(full_name="Paweł Nowak", email="pawel@teatr-mlodych.example.org")
    Membership.objects.create(organization=theatre, user=other, role=Membership.Role.ADMIN)
    return SimpleNamespace(
        day=day,
        podgorze=podgorze,
        hall=hall,
        decoys=[small, busy, stairs, elsewhere],
        manager=manager,
        food_bank=food_bank,
        member=member,
        theatre=theatre,
        other=other,
        password=PASSWORD,
    )


def mails_to(mailoutbox, email):
    return [m for m in mailoutbox if email in m.to]


def room_names(page):
    return [name.strip() for name in page.locator("main .cards h3 a").all_inner_texts()]


# 1. The member finds the room and requests it.


def filter_the_rooms(page, world):
    """Fill the rooms' search (a GET form) and send it; the filters end up in the address."""
    form = page.locator("main form[role=search]")
    form.locator("select[name=dzielnica]").select_option(str(world.podgorze.number))
    form.locator("input[name=osoby]").fill("20")
    form.locator("input[name=bez_schodow]").check()
    form.locator("input[name=data]").fill(world.day.isoformat())
    form.locator("input[name=od]").fill(f"{STARTS:%H:%M}")
    form.locator("input[name=do]").fill(f"{ENDS:%H:%M}")
    click_and_check(page, form.locator("button[type=submit]"))


def only_the_hall_is_found(page, world):
    assert path_of(page) == reverse("venues:list"), page.url
    query = parse_qs(urlsplit(page.url).query)
    assert query["dzielnica"] == [str(world.podgorze.number)], query
    assert query["osoby"] == ["20"], query
    assert query["bez_schodow"] == ["on"], query
    assert query["data"] == [world.day.isoformat()], query
    assert (query["od"], query["do"]) == ([f"{STARTS:%H:%M}"], [f"{ENDS:%H:%M}"]), query
    assert room_names(page) == [str(world.hall)], room_names(page)


def fill_the_request(form, world, purpose, people):
    form.locator("textarea[name=purpose]").fill(purpose)
    form.locator("input[name=data]").fill(world.day.isoformat())
    form.locator("input[name=od]").fill(f"{STARTS:%H:%M}")
    form.locator("input[name=do]").fill(f"{ENDS:%H:%M}")
    form.locator("input[name=expected_people]").fill(str(people))
    form.locator("input[name=non_commercial]").check()
    form.locator("input[name=rules_accepted]").check()


def the_member_requests_the_room(page, world, mailoutbox):
    from wspolpraca.venues.models import Booking

    log_in(page, world.member.email, world.password)
    visit(page, reverse("pages:plane", args=["infrastruktura"]))
    follow(page, reverse("venues:list"))
    filter_the_rooms(page, world)
    only_the_hall_is_found(page, world)

    # The room, at the week of the chosen day; its house rules and who approves.
    room_url = world.hall.get_absolute_url()
    follow(page, f"{room_url}?tydzien={world.day.isoformat()}", lands_on=room_url)
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(str(world.hall))
    expect(main).to_contain_text(HOUSE_RULES)
    expect(main).to_contain_text(shown("the manager approves each request"))

    book_url = reverse("venues:book", args=[world.hall.slug])
    follow(page, book_url)
    form = page.locator("main form[method=post]")
    # Their only organization is already chosen.
    expect(form.locator(f"input[name=kto][value=org-{world.food_bank.pk}]")).to_be_checked()
    fill_the_request(form, world, PURPOSE, 20)
    press(page, shown("Continue"))

    # Check your answers, then send.
    assert path_of(page) == reverse("venues:book_check", args=[world.hall.slug]), page.url
    main = page.locator("main")
    expect(main).to_contain_text(str(world.hall))
    expect(main).to_contain_text(world.food_bank.name)
    expect(main).to_contain_text(PURPOSE)
    expect(main).to_contain_text(f"{STARTS:%H:%M}–{ENDS:%H:%M}")
    assert not Booking.objects.filter(room=world.hall).exists(), (
        "booked before the answers were checked"
    )
    press(page, shown("Send the request"))

    booking = Booking.objects.get(room=world.hall)
    assert path_of(page) == booking.get_absolute_url(), page.url
    assert (booking.room, booking.organization, booking.requested_by) == (
        world.hall,
        world.food_bank,
        world.member,
    )
    assert booking.status == Booking.Status.REQUESTED
    assert (booking.purpose, booking.expected_people) == (PURPOSE, 20)
    assert booking.non_commercial and booking.rules_accepted
    local = timezone.localtime(booking.starts)
    assert (local.date(), local.time(), timezone.localtime(booking.ends).time()) == (
        world.day,
        STARTS,
        ENDS,
    )
    expect(page.locator("main")).to_contain_text(booking.number)
    # The manager is told of the request.
    told = mails_to(mailoutbox, world.manager.email)
    assert len(told) == 1 and str(world.hall) in told[0].subject, [m.subject for m in told]
    return booking


def a_browser_without_javascript_finds_the_hall(page, world):
    """The search is a plain GET form: filled and sent without JavaScript, it leads to the
    address with every filter in it and to the one room that fits."""
    visit(page, reverse("venues:list"))
    filter_the_rooms(page, world)
    only_the_hall_is_found(page, world)


# 2. The manager approves it.


def the_manager_approves(page, world, booking):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.venues.models import Booking

    first_sign_in_with_totp(page, world.manager)  # ends on "My account"
    queue_url = reverse("venues:queue")
    follow(page, queue_url)
    row = page.locator("main table tbody tr", has_text=booking.number)
    expect(row).to_contain_text(world.food_bank.name)
    expect(row).to_contain_text(str(world.hall.name))
    follow(page, reverse("venues:decide", args=[booking.pk]))
    expect(page.locator("main")).to_contain_text(PURPOSE)
    press(page, shown("Approve the booking"))
    assert path_of(page) == queue_url, page.url
    expect(page.locator("main table tbody")).not_to_contain_text(booking.number)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.decided_by == world.manager
    assert AuditEntry.objects.filter(action="booking.approved", actor=world.manager).exists()


# 3. The requester is told.


def the_requester_is_told(world, booking, mailoutbox):
    confirmed = [
        m
        for m in mails_to(mailoutbox, world.member.email)
        if shown("Room booked: %(room)s") % {"room": world.hall} in m.subject
    ]
    assert len(confirmed) == 1, [m.subject for m in mails_to(mailoutbox, world.member.email)]
    body = confirmed[0].body
    assert (
        shown("Your booking of the room %(room)s is confirmed (no. %(number)s).")
        % {"room": world.hall, "number": booking.number}
        in body
    ), body
    assert f"{STARTS:%H:%M}–{ENDS:%H:%M}" in body, body
    assert booking.get_absolute_url() in body, body


# 4. Another organization asks for the same time.


def the_other_is_refused_and_waits(page, world):
    from wspolpraca.venues.models import Booking, WaitingListEntry

    log_in(page, world.other.email, world.password)
    visit(page, reverse("venues:list"))
    room_url = world.hall.get_absolute_url()
    follow(page, room_url)
    book_url = reverse("venues:book", args=[world.hall.slug])
    follow(page, book_url)
    form = page.locator("main form[method=post]")
    fill_the_request(form, world, OTHER_PURPOSE, 18)
    press(page, shown("Continue"))

    # Refused at the date, in the summary too; nothing booked; all typed kept.
    assert path_of(page) == book_url, page.url
    taken = shown(
        "This time is already booked or waiting for a decision. Choose another time, or "
        "join the waiting list: if the time frees up, it is offered to you first."
    )
    form = page.locator("main form[method=post]")
    expect(form.locator("#id_data")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#id_data_error")).to_contain_text(taken)
    expect(form.locator(".error-summary a[href='#id_data']")).to_contain_text(taken)
    expect(form.locator("textarea[name=purpose]")).to_have_value(OTHER_PURPOSE)
    expect(form.locator("input[name=data]")).to_have_value(world.day.isoformat())
    expect(form.locator("input[name=od]")).to_have_value(f"{STARTS:%H:%M}")
    expect(form.locator("input[name=do]")).to_have_value(f"{ENDS:%H:%M}")
    expect(form.locator("input[name=expected_people]")).to_have_value("18")
    expect(form.locator(f"input[name=kto][value=org-{world.theatre.pk}]")).to_be_checked()
    expect(form.locator("input[name=non_commercial]")).to_be_checked()
    expect(form.locator("input[name=rules_accepted]")).to_be_checked()
    assert Booking.objects.count() == 2  # the walk's and the decoy's, nothing new

    # The waiting list is offered: join it for the organization.
    wait_url = reverse("venues:wait", args=[world.hall.slug])
    link = page.locator(f'main a[href^="{wait_url}?"]')
    expect(link).to_have_count(1)
    click_and_check(page, link)
    assert path_of(page) == wait_url, page.url
    page.locator("main select[name=organization]").select_option(str(world.theatre.pk))
    press(page, shown("Join the waiting list"))
    assert path_of(page) == reverse("venues:my_bookings"), page.url
    entry = WaitingListEntry.objects.get()
    assert (entry.room, entry.user, entry.organization, entry.status) == (
        world.hall,
        world.other,
        world.theatre,
        WaitingListEntry.Status.WAITING,
    )
    assert timezone.localtime(entry.starts).time() == STARTS
    expect(page.locator("main")).to_contain_text(shown("waiting"))
    return entry


# 5. The first organization cancels; the waiting person gets the time.


def the_member_cancels(page, world, booking, mailoutbox):
    from wspolpraca.venues.models import Booking

    visit(page, reverse("accounts:profile"))
    visit(page, reverse("venues:my_bookings"))
    follow(page, booking.get_absolute_url())
    follow(page, reverse("venues:cancel", args=[booking.pk]))
    press(page, shown("Cancel the booking"))
    assert path_of(page) == booking.get_absolute_url(), page.url
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    expect(page.locator("main")).to_contain_text(str(booking.get_status_display()))
    # The manager, who approved it, is told.
    cancelled = shown("Room booking cancelled: %(room)s") % {"room": world.hall}
    assert any(cancelled in m.subject for m in mails_to(mailoutbox, world.manager.email))


def the_waiting_person_books_it(page, world, entry, mailoutbox):
    from wspolpraca.venues.models import Booking, WaitingListEntry

    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.OFFERED
    offers = [
        m
        for m in mails_to(mailoutbox, world.other.email)
        if shown("The room you waited for is free: %(room)s") % {"room": world.hall} in m.subject
    ]
    assert len(offers) == 1, [m.subject for m in mailoutbox]
    links = [u for u in URL.findall(offers[0].body) if "/rezerwacja/" in u]
    assert links, offers[0].body

    # The e-mail's link: the booking form with the time filled in.
    link = urlsplit(links[0])
    visit(page, f"{link.path}?{link.query}")
    form = page.locator("main form[method=post]")
    expect(form.locator("input[name=data]")).to_have_value(world.day.isoformat())
    expect(form.locator("input[name=od]")).to_have_value(f"{STARTS:%H:%M}")
    form.locator("textarea[name=purpose]").fill(OTHER_PURPOSE)
    form.locator("input[name=expected_people]").fill("18")
    form.locator("input[name=non_commercial]").check()
    form.locator("input[name=rules_accepted]").check()
    press(page, shown("Continue"))
    press(page, shown("Send the request"))
    booking = Booking.objects.get(organization=world.theatre)
    assert path_of(page) == booking.get_absolute_url(), page.url
    assert booking.status == Booking.Status.REQUESTED
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.BOOKED


@pytest.mark.both_widths
def test_a_room_found_requested_approved_refused_to_another_and_passed_on(
    page,
    nojs_page,
    window,  # noqa: F811
    world,
    mailoutbox,
):
    a_browser_without_javascript_finds_the_hall(nojs_page, world)
    booking = the_member_requests_the_room(page, world, mailoutbox)
    the_manager_approves(window(), world, booking)
    the_requester_is_told(world, booking, mailoutbox)
    other = window()
    entry = the_other_is_refused_and_waits(other, world)
    the_member_cancels(page, world, booking, mailoutbox)
    the_waiting_person_books_it(other, world, entry, mailoutbox)
