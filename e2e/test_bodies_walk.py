"""The acceptance walk of the dialogue bodies (the Public Benefit Council and the Civic
Dialogue Commissions), at 1366 and at 390 px, with axe on every page visited. Each person
works in a browser of their own.

1. An official of the social policy department (a new staff account: the first sign-in
   sets up TOTP) asks the seniors' commission, which another department services, for an
   opinion on a draft. A deadline shorter than the commission's shortest term (14 days)
   is refused next to the field, nothing saved and what was typed kept; a lawful one
   sends the request.
2. The commission's secretary (a plain account named on the body, not staff) gets the
   e-mail, signs in and opens the request from it; plans a meeting with an agenda, which
   then shows on the body's page and in the calendar's list; records the opinion answering
   the request, checks it on the check-your-answers page and publishes it.
3. The official gets an e-mail; the request's page says the opinion was given and links it.
4. A visitor finds the opinion in the body's list of documents filtered by kind and year
   (a GET form: the filters end up in the address), and the same address opened afresh
   shows the same.
5. The secretary of another commission opens this commission's edit pages and is refused
   (the 403 page).

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons and messages by their text through `shown()` (the msgid through the Polish
catalogue).
"""

import re
import signal
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from e2e.conftest import TEST_TIMEOUT_S
from e2e.helpers import check_a11y, log_in, visit
from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (TOTP codes are single-use: a clean cache)
    first_sign_in_with_totp,
    follow,
    path_of,
    press,
    shown,
    window,  # noqa: F401  (each person's own browser)
)
from e2e.test_staff_signin import new_staff

WALK_TIMEOUT_S = 3 * TEST_TIMEOUT_S
MIN_DAYS = 14
DRAFT_TITLE = "Projekt programu „Aktywny senior” na lata 2027–2030"
DRAFT_ABOUT = "Program opisuje kluby seniora w dzielnicach i wolontariat osób starszych."
DRAFT_URL = "https://www.bip.krakow.pl/projekty/aktywny-senior.pdf"
PLACE = "Urząd Miasta Krakowa, ul. Wielicka 28a, sala 104"
AGENDA = "Otwarcie posiedzenia\nOpinia do projektu programu „Aktywny senior”\nSprawy różne"
OPINION_NUMBER = "7/2026"
OPINION_TEXT = (
    "Komisja pozytywnie opiniuje projekt programu.\n\n"
    "Proponuje dopisać wolontariat międzypokoleniowy."
)
SECRETARY_EMAIL = "sekretarz.kdo.seniorzy@example.org"
OTHER_SECRETARY_EMAIL = "sekretarz.kdo.kultura@example.org"
URL = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture(autouse=True)
def _longer_watchdog(_watchdog):
    """Four people's work from a request to the published opinion, some 25 pages each
    checked by axe: three times the limit conftest gives one test."""
    signal.alarm(WALK_TIMEOUT_S)


@pytest.fixture
def world(db):
    """Two departments: A (the official's, a staff account never signed in) and B, which
    services the seniors' commission (shortest term 14 days) and the culture commission.
    Each commission has a secretary of its own, a plain account. The seniors' commission
    has published a resolution this year and an opinion last year (what the filters must
    leave out)."""
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.city.models import Official, Opinion
    from wspolpraca.city.tests.factories import DepartmentFactory, DialogueBodyFactory
    from wspolpraca.organizations.models import PublicBenefitArea

    seniors, _created = PublicBenefitArea.objects.get_or_create(
        code="10", defaults={"label_pl": "działalności na rzecz osób w wieku emerytalnym"}
    )
    culture, _created = PublicBenefitArea.objects.get_or_create(
        code="16", defaults={"label_pl": "kultury, sztuki, ochrony dóbr kultury"}
    )
    department_a = DepartmentFactory(name="Wydział Polityki Społecznej", short_name="WPS")
    department_b = DepartmentFactory(
        name="Kancelaria Prezydenta — Centrum Obywatelskie", short_name="KP"
    )
    official = new_staff(User.Role.OFFICIAL)
    Official.objects.create(user=official, department=department_a)
    secretary = UserFactory(full_name="Barbara Nowak", email=SECRETARY_EMAIL)
    other_secretary = UserFactory(full_name="Jan Kowalski", email=OTHER_SECRETARY_EMAIL)
    body = DialogueBodyFactory(
        name="Komisja Dialogu Obywatelskiego ds. Seniorów",
        slug="kdo-seniorzy",
        department=department_b,
        opinion_min_days=MIN_DAYS,
        areas=[seniors],
        secretaries=[secretary],
    )
    other_body = DialogueBodyFactory(
        name="Komisja Dialogu Obywatelskiego ds. Kultury",
        slug="kdo-kultura",
        department=department_b,
        areas=[culture],
        secretaries=[other_secretary],
    )
    today = timezone.localdate()
    resolution = Opinion.objects.create(
        body=body,
        kind=Opinion.Kind.RESOLUTION,
        number="3/2026",
        adopted_on=today,
        title="Uchwała w sprawie regulaminu komisji",
        text="Komisja przyjmuje regulamin.",
        published_at=timezone.now(),
    )
    last_year = Opinion.objects.create(
        body=body,
        kind=Opinion.Kind.OPINION,
        number=f"5/{today.year - 1}",
        adopted_on=date(today.year - 1, 6, 15),
        title="Opinia do programu współpracy na rok poprzedni",
        text="Komisja opiniuje projekt pozytywnie.",
        published_at=timezone.now(),
    )
    return SimpleNamespace(
        department_a=department_a,
        department_b=department_b,
        official=official,
        secretary=secretary,
        other_secretary=other_secretary,
        body=body,
        other_body=other_body,
        resolution=resolution,
        last_year=last_year,
        password=PASSWORD,
    )


# 1. The official asks for an opinion.


def fill_the_request(form, deadline):
    form.locator("input[name=title]").fill(DRAFT_TITLE)
    form.locator("textarea[name=description]").fill(DRAFT_ABOUT)
    form.locator("input[name=draft_url]").fill(DRAFT_URL)
    form.locator("input[name=deadline]").fill(deadline.isoformat())


def the_official_asks_for_an_opinion(page, world):
    from wspolpraca.city.models import OpinionRequest

    today = timezone.localdate()
    body = world.body
    first_sign_in_with_totp(page, world.official)
    visit(page, reverse("city:bodies"))
    follow(page, body.get_absolute_url())
    add_url = reverse("city:body_request_add", args=[body.slug])
    follow(page, add_url)

    # A day short of the commission's shortest term: refused next to the deadline.
    too_soon = today + timedelta(days=MIN_DAYS - 1)
    fill_the_request(page.locator("main form"), too_soon)
    press(page, shown("Send the request for an opinion"))
    assert path_of(page) == add_url, page.url
    form = page.locator("main form")
    expect(form.locator("#id_deadline")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#id_deadline_error")).to_be_visible()
    expect(form.locator("#id_deadline_error")).to_contain_text(str(MIN_DAYS))
    expect(form.locator("#id_title")).not_to_have_attribute("aria-invalid", "true")
    expect(form.locator("input[name=title]")).to_have_value(DRAFT_TITLE)
    expect(form.locator("textarea[name=description]")).to_have_value(DRAFT_ABOUT)
    expect(form.locator("input[name=draft_url]")).to_have_value(DRAFT_URL)
    expect(form.locator("input[name=deadline]")).to_have_value(too_soon.isoformat())
    assert not OpinionRequest.objects.exists()

    # The shortest term exactly: sent.
    deadline = today + timedelta(days=MIN_DAYS)
    form.locator("input[name=deadline]").fill(deadline.isoformat())
    press(page, shown("Send the request for an opinion"))
    item = OpinionRequest.objects.get()
    assert path_of(page) == item.get_absolute_url(), page.url
    assert (item.body, item.title, item.description, item.draft_url, item.deadline) == (
        body,
        DRAFT_TITLE,
        DRAFT_ABOUT,
        DRAFT_URL,
        deadline,
    )
    assert (item.requested_by, item.department) == (world.official, world.department_a)
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(DRAFT_TITLE)
    expect(main.locator(".badge")).to_have_text(capfirst(shown("awaiting the opinion")))
    expect(main.locator(f'a[href="{DRAFT_URL}"]')).to_have_count(1)
    # Another department's official asks, but does not record the answer.
    answer_url = reverse("city:body_request_answer", args=[body.slug, item.pk])
    expect(main.locator(f'a[href="{answer_url}"]')).to_have_count(0)
    return item


# 2. The secretary.


def the_secretary_is_told(item, mailoutbox):
    told = [m for m in mailoutbox if SECRETARY_EMAIL in m.to]
    assert len(told) == 1, [(m.to, m.subject) for m in mailoutbox]
    assert DRAFT_TITLE in told[0].subject, told[0].subject
    links = [u for u in URL.findall(told[0].body) if urlsplit(u).path == item.get_absolute_url()]
    assert links, f"no link to the request in the e-mail:\n{told[0].body}"
    assert OTHER_SECRETARY_EMAIL not in {a for m in mailoutbox for a in m.to}
    return urlsplit(links[0]).path


def the_secretary_plans_a_meeting(page, world, request_path):
    from wspolpraca.city.models import BodyMeeting

    body = world.body
    log_in(page, SECRETARY_EMAIL, world.password)
    visit(page, request_path)
    follow(page, body.get_absolute_url())
    add_url = reverse("city:body_meeting_add", args=[body.slug])
    follow(page, add_url)

    day = timezone.localdate() + timedelta(days=3)
    form = page.locator("main form")
    form.locator("input[name=starts_at]").fill(f"{day.isoformat()}T17:00")
    form.locator("input[name=ends_at]").fill(f"{day.isoformat()}T19:00")
    form.locator("input[name=place]").fill(PLACE)
    form.locator("textarea[name=agenda]").fill(AGENDA)
    expect(form.locator("input[name=status][value=planned]")).to_be_checked()
    press(page, shown("Save the new meeting"))
    meeting = BodyMeeting.objects.get(body=body)
    assert path_of(page) == meeting.get_absolute_url(), page.url
    starts = timezone.localtime(meeting.starts_at)
    assert (starts.date(), starts.hour, starts.minute) == (day, 17, 0)
    assert (meeting.place, meeting.status) == (PLACE, BodyMeeting.Status.PLANNED)
    assert meeting.agenda.splitlines() == AGENDA.splitlines()
    # The agenda's lines, numbered.
    items = page.locator("main ol li")
    expect(items).to_have_count(3)
    expect(items.nth(1)).to_have_text("Opinia do projektu programu „Aktywny senior”")

    # On the body's page, among the upcoming meetings.
    visit(page, body.get_absolute_url())
    expect(page.locator(f'main a[href="{meeting.get_absolute_url()}"]')).to_have_count(1)
    expect(page.locator("#posiedzenia")).to_be_visible()

    # In the calendar's list of its month.
    list_url = reverse("events:list")
    visit(page, f"{list_url}?miesiac={day:%Y-%m}")
    agenda = page.locator("main .agenda-day", has=page.locator(f"time[datetime='{day}']"))
    expect(agenda).to_have_count(1)
    expect(agenda.locator(f'a[href="{meeting.get_absolute_url()}"]')).to_have_count(1)
    expect(agenda).to_contain_text(body.name)
    expect(agenda).to_contain_text(PLACE)
    return meeting


def the_secretary_records_and_publishes_the_opinion(page, world, item):
    from wspolpraca.city.models import Opinion, OpinionRequest

    today = timezone.localdate()
    body = world.body
    visit(page, item.get_absolute_url())
    answer_url = reverse("city:body_request_answer", args=[body.slug, item.pk])
    follow(page, answer_url)
    form = page.locator("main form")
    # The answer to a request is an opinion: no kind to choose; the title is suggested.
    expect(form.locator("input[name=kind]")).to_have_count(0)
    expect(form.locator("input[name=title]")).to_have_value(
        shown("Opinion on: %(title)s") % {"title": DRAFT_TITLE}
    )
    form.locator("input[name=number]").fill(OPINION_NUMBER)
    form.locator("input[name=adopted_on]").fill(today.isoformat())
    form.locator("textarea[name=text]").fill(OPINION_TEXT)
    press(page, shown("Continue"))
    opinion = Opinion.objects.get(request=item)
    check_url = reverse("city:body_opinion_check", args=[body.slug, opinion.pk])
    assert path_of(page) == check_url, page.url
    assert opinion.published_at is None
    assert (opinion.kind, opinion.number, opinion.adopted_on, opinion.created_by) == (
        Opinion.Kind.OPINION,
        OPINION_NUMBER,
        today,
        world.secretary,
    )

    # Check your answers: each one shown, with a link to change it.
    main = page.locator("main")
    facts = main.locator("dl.facts")
    expect(facts).to_contain_text(OPINION_NUMBER)
    expect(facts).to_contain_text(DRAFT_TITLE)
    expect(main).to_contain_text("Proponuje dopisać wolontariat międzypokoleniowy.")
    change_url = reverse("city:body_opinion_edit", args=[body.slug, opinion.pk])
    expect(main.locator(f'a[href="{change_url}#id_number"]')).to_have_count(1)
    expect(main.locator(".notice")).to_have_count(0)  # neither late nor refused

    press(page, shown("Publish the document"))
    assert path_of(page) == opinion.get_absolute_url(), page.url
    opinion.refresh_from_db()
    assert opinion.published_at is not None
    item = OpinionRequest.objects.get(pk=item.pk)
    assert item.current_state == OpinionRequest.State.ANSWERED
    expect(page.locator("main h1")).to_have_text(opinion.title)
    return opinion


# 3. The official hears of it.


def the_official_is_told_and_sees_it_answered(page, world, item, opinion, mailoutbox):
    told = [m for m in mailoutbox if world.official.email in m.to]
    assert len(told) == 1, [(m.to, m.subject) for m in mailoutbox]
    assert DRAFT_TITLE in told[0].subject, told[0].subject
    assert opinion.get_absolute_url() in told[0].body, told[0].body

    visit(page, item.get_absolute_url())
    main = page.locator("main")
    expect(main.locator(".badge")).to_have_text(capfirst(shown("opinion given")))
    link = main.locator(f'a[href="{opinion.get_absolute_url()}"]')
    expect(link).to_have_count(1)
    expect(link).to_contain_text(OPINION_NUMBER)
    follow(page, opinion.get_absolute_url())
    # The opinion says what it answers.
    expect(page.locator(f'main dl.facts a[href="{item.get_absolute_url()}"]')).to_have_count(1)


# 4. A visitor.


def shows_only_the_opinion(page, world, opinion):
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator(f'a[href="{opinion.get_absolute_url()}"]')).to_have_count(1)
    main = page.locator("main")
    expect(main).not_to_contain_text(world.resolution.title)
    expect(main).not_to_contain_text(world.last_year.title)
    expect(main.locator("select[name=kind]")).to_have_value("opinion")
    expect(main.locator("input[name=year]")).to_have_value(str(timezone.localdate().year))


def a_visitor_filters_the_documents(page, world, opinion):
    body = world.body
    visit(page, reverse("city:bodies"))
    follow(page, body.get_absolute_url())
    # The request, answered, among the body's requests.
    row = page.locator("main section:has(#wnioski) tbody tr", has_text=DRAFT_TITLE)
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_text(capfirst(shown("opinion given")))
    list_url = reverse("city:body_opinions", args=[body.slug])
    follow(page, list_url)
    # The whole list, unfiltered: all three published documents.
    expect(page.locator("main table tbody tr")).to_have_count(3)

    year = timezone.localdate().year
    page.locator("main select[name=kind]").select_option("opinion")
    page.locator("main input[name=year]").fill(str(year))
    press(page, shown("Show"))
    assert path_of(page) == list_url, page.url
    query = parse_qs(urlsplit(page.url).query)
    assert (query.get("kind"), query.get("year")) == (["opinion"], [str(year)]), page.url
    shows_only_the_opinion(page, world, opinion)
    return page.url


def the_filtered_address_shows_the_same(page, world, opinion, address):
    visit(page, address)
    shows_only_the_opinion(page, world, opinion)
    follow(page, opinion.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Komisja pozytywnie opiniuje projekt programu.")


# 5. Another commission's secretary.


def refused(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 403, (url, response and response.status)
    expect(page.locator("main h1")).to_have_text(shown("Access denied"))
    check_a11y(page)


def another_secretary_is_refused(page, world, meeting, item, opinion):
    from wspolpraca.city.models import BodyMeeting, Opinion

    body = world.body
    log_in(page, OTHER_SECRETARY_EMAIL, world.password)
    # Their own commission's page offers them its keeping, this one's does not.
    visit(page, world.other_body.get_absolute_url())
    expect(
        page.locator(
            f'main a[href="{reverse("city:body_meeting_add", args=[world.other_body.slug])}"]'
        )
    ).to_have_count(1)
    visit(page, body.get_absolute_url())
    expect(
        page.locator(f'main a[href="{reverse("city:body_meeting_add", args=[body.slug])}"]')
    ).to_have_count(0)
    for url in (
        reverse("city:body_meeting_add", args=[body.slug]),
        reverse("city:body_meeting_edit", args=[body.slug, meeting.pk]),
        reverse("city:body_opinion_add", args=[body.slug]),
        reverse("city:body_member_add", args=[body.slug]),
        reverse("city:body_request_answer", args=[body.slug, item.pk]),
    ):
        refused(page, url)
    assert BodyMeeting.objects.filter(body=body).count() == 1
    assert Opinion.objects.filter(body=body).count() == 3
    meeting.refresh_from_db()
    assert meeting.place == PLACE


@pytest.mark.both_widths
def test_a_commission_is_asked_for_an_opinion_and_gives_it(
    page,
    window,  # noqa: F811
    world,
    mailoutbox,
):
    item = the_official_asks_for_an_opinion(page, world)
    request_path = the_secretary_is_told(item, mailoutbox)
    secretary = window()
    meeting = the_secretary_plans_a_meeting(secretary, world, request_path)
    opinion = the_secretary_records_and_publishes_the_opinion(secretary, world, item)
    the_official_is_told_and_sees_it_answered(page, world, item, opinion, mailoutbox)
    visitor = window()
    address = a_visitor_filters_the_documents(visitor, world, opinion)
    the_filtered_address_shows_the_same(window(), world, opinion, address)
    another_secretary_is_refused(window(), world, meeting, item, opinion)
