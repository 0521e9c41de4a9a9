"""The acceptance walk of the training offer and of mentoring consultations, at 1366 and at
390 px, with axe on every page visited. Each person works in a browser of their own.

1. A city official signs in for the first time (setting up TOTP), goes from the "making
   policy together" plane to the training offer and prepares a training tagged with the
   training topic "writing offers" and the beginners' level (the form, check your
   answers, published at once). From the offer they go on to the consultations with
   mentors and publish a consultation slot on the same topic: help with writing an offer.
2. A member of two organizations signs in, finds the training on /szkolenia/ with the
   topic and level filters (a GET form: the filters end up in the address; a decoy of the
   same topic but another level and one of the same level but another topic are left out),
   opens it and registers.
3. From the training's topic page they find the slot and open its booking form: they
   belong to two organizations, so they are asked for which. Sent without saying what
   they need help with, the form is refused at that field and keeps the organization
   chosen; nothing is booked.
4. Meanwhile a member of another organization finds the slot on the consultations' list
   filtered by topic (a GET form) and opens its booking form. The first member books it,
   saying what they need; the mentor and the booker get e-mails (the mentor's with the
   need and the booker's address). The second member then presses "Book" and is told
   clearly that somebody has just booked it; the slot is no longer listed, and its page
   says it is booked without saying by whom.
5. The mentor sees the booking and the need on "My consultations".
6. The booker cancels through the confirmation page; the mentor is told by e-mail; the
   slot is listed again and the second member books it.

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons and messages by their text through `shown()` (the msgid through the Polish
catalogue).
"""

import re
import signal
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import TEST_TIMEOUT_S
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

WALK_TIMEOUT_S = 3 * TEST_TIMEOUT_S
TOPIC = "Pisanie ofert w otwartych konkursach"
OTHER_TOPIC = "Księgowość organizacji pozarządowej"
TITLE = "Pierwsza oferta w otwartym konkursie: warsztaty krok po kroku"
DESCRIPTION = (
    "Na warsztatach piszemy razem ofertę na przykładzie tegorocznego konkursu: harmonogram, "
    "rezultaty i budżet. Dla organizacji, które składają ofertę pierwszy raz."
)
PLACE = "Centrum Obywatelskie, ul. Reformacka 3, sala 2"
TRAINER = "Joanna Pisarska"
TRAINER_NOTE = "Od 12 lat ocenia oferty w komisjach konkursowych."
SAME_TOPIC_ADVANCED = "Budżet oferty dla zaawansowanych"
SAME_LEVEL_OTHER_TOPIC = "Księgowość od podstaw"
SLOT_PLACE = "Centrum Obywatelskie, ul. Reformacka 3, pokój 5"
SLOT_NOTE = "Pomoc w pisaniu oferty: przynieś ogłoszenie konkursu i szkic oferty."
NEED = (
    "Piszemy pierwszą ofertę na zajęcia dla seniorów. Mamy opis działań, "
    "utknęliśmy na rezultatach i budżecie."
)
OTHER_NEED = "Chcemy złożyć ofertę na festiwal teatralny i nie wiemy, jak opisać wkład osobowy."


@pytest.fixture(autouse=True)
def _longer_watchdog(_watchdog):
    """Three people's work, some 40 pages each checked by axe: three times the limit
    conftest gives one test, which still fails a hung browser."""
    signal.alarm(WALK_TIMEOUT_S)


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def world(db):
    """Two training topics; a department's official who never signed in; two published
    decoy trainings (the same topic for advanced people, another topic for beginners); a
    member of two verified organizations and a member of a third."""
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.city.models import Official
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.events.models import Event
    from wspolpraca.events.tests.factories import TrainingFactory, TrainingTopicFactory
    from wspolpraca.organizations.models import Membership, PublicBenefitArea
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    today = timezone.localdate()
    writing = TrainingTopicFactory(name=TOPIC, position=1)
    accounting = TrainingTopicFactory(name=OTHER_TOPIC, position=2)
    area = PublicBenefitArea.objects.get(code="16")
    department = DepartmentFactory(name="Wydział Polityki Społecznej", short_name="WPS")
    official = new_staff(User.Role.OFFICIAL)
    official.full_name = "Marta Mentorska"
    official.save(update_fields=["full_name"])
    Official.objects.create(user=official, department=department)
    TrainingFactory(
        title=SAME_TOPIC_ADVANCED,
        level=Event.Level.ADVANCED,
        topics=[writing],
        areas=[area],
        starts_at=at(today + timedelta(days=9), 10),
        ends_at=at(today + timedelta(days=9), 13),
    )
    TrainingFactory(
        title=SAME_LEVEL_OTHER_TOPIC,
        level=Event.Level.BEGINNER,
        topics=[accounting],
        areas=[area],
        starts_at=at(today + timedelta(days=8), 10),
        ends_at=at(today + timedelta(days=8), 13),
    )

    club = OrganizationFactory(
        name="Stowarzyszenie Klub Seniora Podgórze", email="klub@seniorzy.example.org"
    )
    yard = OrganizationFactory(
        name="Fundacja Wspólne Podwórko", kind="foundation", email="biuro@podworko.example.org"
    )
    member = UserFactory(full_name="Halina Wójcik", email="halina@seniorzy.example.org")
    Membership.objects.create(organization=club, user=member, role=Membership.Role.MEMBER)
    Membership.objects.create(organization=yard, user=member, role=Membership.Role.MEMBER)
    theatre = OrganizationFactory(
        name="Fundacja Teatr Młodych", kind="foundation", email="kontakt@teatr.example.org"
    )
    other = UserFactory(full_name="Paweł Nowak", email="pawel@teatr-mlodych.example.org")
    Membership.objects.create(organization=theatre, user=other, role=Membership.Role.ADMIN)
    return SimpleNamespace(
        today=today,
        training_day=today + timedelta(days=14),
        slot_day=today + timedelta(days=10),
        writing=writing,
        accounting=accounting,
        area=area,
        department=department,
        official=official,
        club=club,
        yard=yard,
        member=member,
        theatre=theatre,
        other=other,
        password=PASSWORD,
    )


def mails_to(mailoutbox, email):
    return [m for m in mailoutbox if email in m.to]


def message(page):
    return page.locator("main .messages")


def card_titles(page):
    return [title.strip() for title in page.locator("main ul.cards h3 a").all_inner_texts()]


# 1. The official publishes a training and a consultation slot.


def the_official_publishes_a_training(page, world):
    from wspolpraca.events.models import Event

    first_sign_in_with_totp(page, world.official)
    visit(page, reverse("pages:plane", args=["polityki"]))
    follow(page, reverse("events:trainings"))
    follow(page, reverse("events:new"))

    form = page.locator("main form[method=post]")
    form.locator("input[name=kind][value=training]").check()
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    form.locator(f"input[name=areas][value='{world.area.pk}']").check()
    form.locator("input[name=place]").fill(PLACE)
    form.locator("input[name=day]").fill(world.training_day.isoformat())
    form.locator("input[name=starts]").fill("10:00")
    form.locator("input[name=ends]").fill("14:00")
    form.locator("input[name=capacity]").fill("20")
    form.locator(f"input[name=topics][value='{world.writing.pk}']").check()
    form.locator("input[name=level][value=beginner]").check()
    form.locator("input[name=trainer_name]").fill(TRAINER)
    form.locator("input[name=trainer_note]").fill(TRAINER_NOTE)
    press(page, shown("Save and check your answers"))

    # Check your answers: a draft, with its topic, level and trainer.
    event = Event.objects.get(title=TITLE)
    assert path_of(page) == reverse("events:check", args=[event.pk]), page.url
    assert event.status == Event.Status.DRAFT
    answers = page.locator("main dl")
    for text in (TITLE, PLACE, TOPIC, TRAINER, TRAINER_NOTE):
        expect(answers).to_contain_text(text)
    expect(answers).to_contain_text(
        re.compile(re.escape(shown("for beginners", "training level")), re.IGNORECASE)
    )
    press(page, shown("Publish in the calendar"))

    # The city's training is published at once.
    assert path_of(page) == reverse("events:sent", args=[event.pk]), page.url
    expect(page.locator("#event-number")).to_have_text(str(event.pk))
    event.refresh_from_db()
    assert (event.kind, event.status, event.organization, event.department) == (
        Event.Kind.TRAINING,
        Event.Status.PUBLISHED,
        None,
        world.department,
    )
    assert list(event.topics.all()) == [world.writing]
    assert (event.level, event.trainer_name, event.trainer_note, event.capacity) == (
        Event.Level.BEGINNER,
        TRAINER,
        TRAINER_NOTE,
        20,
    )
    local = timezone.localtime(event.starts_at)
    assert (local.date(), local.time()) == (world.training_day, time(10)), local
    follow(page, event.get_absolute_url())
    expect(page.locator("main h1")).to_have_text(TITLE)
    return event


def the_official_publishes_a_slot(page, world):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.events.models import MentoringSlot

    # From the training's page: the offer, then the consultations with mentors.
    follow(page, reverse("events:trainings"))
    follow(page, reverse("events:slots"))
    follow(page, reverse("events:slot_new"))
    form = page.locator("main form[method=post]")
    form.locator("input[name=day]").fill(world.slot_day.isoformat())
    form.locator("input[name=starts]").fill("10:00")
    form.locator("input[name=ends]").fill("11:00")
    form.locator("select[name=topic]").select_option(str(world.writing.pk))
    form.locator("input[name=place]").fill(SLOT_PLACE)
    form.locator("textarea[name=note]").fill(SLOT_NOTE)
    press(page, shown("Publish the date"))

    slot = MentoringSlot.objects.get()
    assert path_of(page) == slot.get_absolute_url(), page.url
    expect(message(page)).to_contain_text(
        shown("The consultation is published: organizations can book it now.")
    )
    assert (slot.mentor, slot.topic, slot.place, slot.note, slot.online) == (
        world.official,
        world.writing,
        SLOT_PLACE,
        SLOT_NOTE,
        False,
    )
    starts, ends = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    assert (starts.date(), starts.time(), ends.time()) == (world.slot_day, time(10), time(11))
    assert AuditEntry.objects.filter(
        action="mentoring_slot.published", actor=world.official
    ).exists()
    main = page.locator("main")
    expect(main.locator("h1")).to_contain_text(TOPIC)
    expect(main).to_contain_text(SLOT_NOTE)
    expect(main).to_contain_text(world.official.full_name)
    return slot


# 2. The member finds the training and registers.


def the_member_finds_the_training_and_registers(page, world, event, mailoutbox):
    from wspolpraca.events.models import Registration

    log_in(page, world.member.email, world.password)
    visit(page, reverse("pages:plane", args=["polityki"]))
    trainings_url = reverse("events:trainings")
    follow(page, trainings_url)
    assert sorted(card_titles(page)) == sorted(
        [TITLE, SAME_TOPIC_ADVANCED, SAME_LEVEL_OTHER_TOPIC]
    ), card_titles(page)

    # The topic and the level: each alone matches a decoy too.
    form = page.locator("main form[role=search]")
    form.locator("select[name=temat]").select_option(str(world.writing.pk))
    form.locator("select[name=poziom]").select_option("beginner")
    click_and_check(page, form.locator("button[type=submit]"))
    assert path_of(page) == trainings_url, page.url
    query = parse_qs(urlsplit(page.url).query)
    assert (query["temat"], query["poziom"]) == ([str(world.writing.pk)], ["beginner"]), query
    assert card_titles(page) == [TITLE], card_titles(page)
    form = page.locator("main form[role=search]")
    expect(form.locator("select[name=temat]")).to_have_value(str(world.writing.pk))
    expect(form.locator("select[name=poziom]")).to_have_value("beginner")
    card = page.locator("main ul.cards li", has_text=TITLE)
    expect(card).to_contain_text(TOPIC)
    expect(card).to_contain_text(TRAINER)
    expect(card).to_contain_text(str(world.department))

    follow(page, event.get_absolute_url())
    facts = page.locator("main dl.facts")
    for text in (TOPIC, TRAINER, TRAINER_NOTE, PLACE):
        expect(facts).to_contain_text(text)
    press(page, shown("Register for the event"))
    assert path_of(page) == event.get_absolute_url(), page.url
    expect(message(page)).to_contain_text(
        shown("Your place is confirmed. We have sent you an e-mail.")
    )
    registration = Registration.objects.get(event=event, user=world.member)
    assert registration.status == Registration.Status.REGISTERED
    subject = shown("Your registration for %(title)s") % {"title": TITLE}
    assert any(subject in m.subject for m in mails_to(mailoutbox, world.member.email)), [
        m.subject for m in mailoutbox
    ]


# 3. From the topic's page to the slot; the booking refused without the need.


def the_member_opens_the_slot_from_the_topic(page, world, slot):
    from wspolpraca.events.models import MentoringBooking

    topic_url = reverse("events:topic", args=[world.writing.pk])
    follow(page, topic_url)
    expect(page.locator("main h1")).to_have_text(TOPIC)
    expect(page.locator("main")).to_contain_text(TITLE)
    follow(page, slot.get_absolute_url())
    book_url = reverse("events:book", args=[slot.pk])
    follow(page, book_url)

    # Two organizations: asked for which. Nothing said about the need: refused there.
    form = page.locator("main form[method=post]")
    form.locator(f"input[name=organization][value='{world.club.pk}']").check()
    press(page, shown("Book the consultation"))
    assert path_of(page) == book_url, page.url
    expect(page).to_have_title(re.compile("^" + re.escape(shown("Error:"))))
    need = page.locator("main textarea[name=need]")
    expect(need).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_need_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(
        shown("Write what you need help with, so that the mentor can prepare.")
    )
    expect(page.locator(f"main input[name=organization][value='{world.club.pk}']")).to_be_checked()
    expect(page.locator("main input[name=organization]:checked")).to_have_count(1)
    assert not MentoringBooking.objects.exists()
    return book_url


# 4. The other member opens the form; the member books; the other is refused.


def the_other_opens_the_booking_form(page, world, slot):
    log_in(page, world.other.email, world.password)
    visit(page, reverse("events:trainings"))
    slots_url = reverse("events:slots")
    follow(page, slots_url)
    # The topic filter: a GET form, the topic in the address.
    form = page.locator("main form[role=search]")
    form.locator("select[name=temat]").select_option(str(world.writing.pk))
    click_and_check(page, form.locator("button[type=submit]"))
    assert path_of(page) == slots_url, page.url
    assert parse_qs(urlsplit(page.url).query)["temat"] == [str(world.writing.pk)], page.url
    assert card_titles(page) == [TOPIC], card_titles(page)
    follow(page, slot.get_absolute_url())
    follow(page, reverse("events:book", args=[slot.pk]))
    # One organization: not asked.
    expect(page.locator("main input[name=organization]")).to_have_count(0)
    page.locator("main textarea[name=need]").fill(OTHER_NEED)


def the_member_books(page, world, slot, mailoutbox):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.events.models import MentoringBooking

    page.locator("main textarea[name=need]").fill(NEED)
    press(page, shown("Book the consultation"))
    assert path_of(page) == slot.get_absolute_url(), page.url
    expect(message(page)).to_contain_text(
        shown("The consultation is booked. We have e-mailed you and the mentor.")
    )
    booking = MentoringBooking.objects.get()
    assert (booking.slot, booking.organization, booking.booked_by, booking.need) == (
        slot,
        world.club,
        world.member,
        NEED,
    )
    assert booking.status == MentoringBooking.Status.BOOKED
    assert AuditEntry.objects.filter(action="mentoring_booking.booked", actor=world.member).exists()
    # The booker's page shows the booking and a way to cancel it.
    main = page.locator("main")
    expect(main).to_contain_text(world.club.name)
    expect(main).to_contain_text(NEED)
    cancel_url = reverse("events:cancel_booking", args=[booking.pk])
    expect(main.locator(f'a[href="{cancel_url}"]')).to_have_count(1)

    # The mentor: who, for which organization, and what they need.
    told = mails_to(mailoutbox, world.official.email)
    assert len(told) == 1, [(m.to, m.subject) for m in mailoutbox]
    assert shown("Consultation booked: %(subject)s") % {"subject": TOPIC} in told[0].subject
    for text in (NEED, world.club.name, world.member.email, slot.get_absolute_url()):
        assert text in told[0].body, (text, told[0].body)
    # The booker: the confirmation, with where and with whom.
    confirmations = [
        m
        for m in mails_to(mailoutbox, world.member.email)
        if shown("Your consultation: %(subject)s") % {"subject": TOPIC} in m.subject
    ]
    assert len(confirmations) == 1, [m.subject for m in mailoutbox]
    for text in (world.club.name, SLOT_PLACE, world.official.full_name, slot.get_absolute_url()):
        assert text in confirmations[0].body, (text, confirmations[0].body)
    return booking


def the_other_is_told_it_is_taken(page, world, slot, booking):
    from wspolpraca.events.models import MentoringBooking

    book_url = reverse("events:book", args=[slot.pk])
    press(page, shown("Book the consultation"))
    assert path_of(page) == book_url, page.url
    alert = page.locator("main [role=alert]")
    expect(alert).to_contain_text(
        shown("Someone has just booked this consultation. Choose another date.")
    )
    expect(page.locator("main textarea[name=need]")).to_have_count(0)
    assert list(MentoringBooking.objects.values_list("pk", flat=True)) == [booking.pk]

    # The list no longer offers it; its page says it is booked, not by whom.
    follow(page, reverse("events:slots"))
    assert card_titles(page) == [], card_titles(page)
    visit(page, slot.get_absolute_url())
    main = page.locator("main")
    expect(main).to_contain_text(shown("This date is booked."))
    expect(main.locator(f'a[href="{book_url}"]')).to_have_count(0)
    expect(main).not_to_contain_text(world.club.name)
    expect(main).not_to_contain_text(NEED)


# 5. The mentor sees the booking.


def the_mentor_sees_the_booking(page, world, slot):
    visit(page, reverse("events:slots"))
    follow(page, reverse("events:mentoring_mine"))
    row = page.locator("main tr", has=page.locator(f'a[href="{slot.get_absolute_url()}"]'))
    expect(row).to_have_count(1)
    for text in (world.club.name, world.member.full_name, world.member.email, NEED):
        expect(row).to_contain_text(text)


# 6. The booker cancels; the slot is free again.


def the_member_cancels(page, world, slot, booking, mailoutbox):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.events.models import MentoringBooking

    mine_url = reverse("events:mentoring_mine")
    visit(page, reverse("events:slots"))
    follow(page, mine_url)
    row = page.locator("main tr", has=page.locator(f'a[href="{slot.get_absolute_url()}"]'))
    expect(row).to_contain_text(world.club.name)
    follow(page, reverse("events:cancel_booking", args=[booking.pk]))
    expect(page.locator("main h1")).to_contain_text(TOPIC)
    # Asking changes nothing.
    booking.refresh_from_db()
    assert booking.status == MentoringBooking.Status.BOOKED
    press(page, shown("Cancel the booking"))
    assert path_of(page) == mine_url, page.url
    expect(message(page)).to_contain_text(shown("Your booking is cancelled; the mentor is told."))
    booking.refresh_from_db()
    assert booking.status == MentoringBooking.Status.CANCELLED
    assert booking.cancelled_at is not None
    assert AuditEntry.objects.filter(
        action="mentoring_booking.cancelled", actor=world.member
    ).exists()
    expect(page.locator(f'main a[href="{slot.get_absolute_url()}"]')).to_have_count(0)

    told = mails_to(mailoutbox, world.official.email)
    cancelled = shown("Consultation cancelled: %(subject)s") % {"subject": TOPIC}
    assert len(told) == 2 and cancelled in told[-1].subject, [m.subject for m in told]
    assert world.club.name in told[-1].body, told[-1].body

    # Offered again.
    follow(page, reverse("events:slots"))
    assert card_titles(page) == [TOPIC], card_titles(page)


def the_other_books_the_free_slot(page, world, slot):
    from wspolpraca.events.models import MentoringBooking

    visit(page, reverse("events:slots"))
    follow(page, slot.get_absolute_url())
    follow(page, reverse("events:book", args=[slot.pk]))
    expect(page.locator("main [role=alert]")).to_have_count(0)
    page.locator("main textarea[name=need]").fill(OTHER_NEED)
    press(page, shown("Book the consultation"))
    assert path_of(page) == slot.get_absolute_url(), page.url
    active = MentoringBooking.objects.active().get()
    assert (active.slot, active.organization, active.booked_by) == (
        slot,
        world.theatre,
        world.other,
    )


@pytest.mark.both_widths
def test_a_training_and_a_consultation_published_found_booked_refused_and_cancelled(
    page,
    window,  # noqa: F811
    world,
    mailoutbox,
):
    event = the_official_publishes_a_training(page, world)
    slot = the_official_publishes_a_slot(page, world)
    member = window()
    the_member_finds_the_training_and_registers(member, world, event, mailoutbox)
    the_member_opens_the_slot_from_the_topic(member, world, slot)
    other = window()
    the_other_opens_the_booking_form(other, world, slot)
    booking = the_member_books(member, world, slot, mailoutbox)
    the_other_is_told_it_is_taken(other, world, slot, booking)
    the_mentor_sees_the_booking(page, world, slot)
    the_member_cancels(member, world, slot, booking, mailoutbox)
    the_other_books_the_free_slot(other, world, slot)
