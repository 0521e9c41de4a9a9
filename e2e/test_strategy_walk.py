"""The acceptance walk of strategies and programmes with their monitoring (issue 11), at
1366 and at 390 px, with axe on every page visited. Each person works in a browser of
their own.

1. An official of the culture department signs in for the first time (setting up TOTP),
   goes from My account to the strategies and adds one for the department; adds an
   indicator with a baseline, and a target for 2030.
2. The official enters last year's value: with the year left empty, and then with next
   year's (not begun), it is refused next to the year, keeping the value, source and note
   typed; with last year it is saved. The strategy's page shows the chart (an SVG with
   role=img whose description names the value) and the table with the value in that
   year's row.
3. An official of another department (also a first sign-in with TOTP) sees the page
   without the owner's links and is refused (403) the value form, by GET and by POST;
   nothing changes.
4. A visitor filters /strategie/ by department and status (the filters end up in the
   address) and finds the strategy, and only it; opens it and reads the same chart. The
   yearly cooperation programme on the list shows that its report is due by 31 May.

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons and messages by their text through `shown()` (the msgid through the Polish
catalogue).
"""

import signal
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from e2e.conftest import TEST_TIMEOUT_S
from e2e.helpers import check_a11y, visit
from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (TOTP codes are single-use: a clean cache)
    first_sign_in_with_totp,
    follow,
    my_account,
    path_of,
    press,
    shown,
    window,  # noqa: F401  (each person's own browser)
)
from e2e.test_staff_signin import new_staff

TITLE = "Strategia rozwoju kultury Krakowa na lata 2024–2030"
SUMMARY = "Kultura dostępna w każdej dzielnicy: domy kultury, biblioteki i festiwale."
INDICATOR = "Liczba uczestników zajęć w domach kultury"
UNIT = "tys. osób"
DESCRIPTION = "Suma uczestników zajęć stałych według sprawozdań domów kultury."
BASELINE = ("80", 2023)
TARGET = ("200", 2030)
VALUE = "135"
SOURCE = "Sprawozdania domów kultury"
NOTE = "Bez wydarzeń plenerowych."


@pytest.fixture(autouse=True)
def _longer_watchdog(_watchdog):
    """Three people, two first sign-ins with TOTP and some 25 pages each checked by axe:
    twice the limit conftest gives one test, which still fails a hung browser."""
    signal.alarm(2 * TEST_TIMEOUT_S)


@pytest.fixture
def world(db):
    """Two departments, each with an official never signed in (no second factor yet); the
    culture department's old, expired strategy; the social department's strategy in
    force and this year's cooperation programme with NGOs, its report not published."""
    from wspolpraca.accounts.models import User
    from wspolpraca.city.models import Official
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.library.strategy_models import Strategy
    from wspolpraca.library.tests.strategy_factories import (
        StrategyFactory,
        cooperation_programme,
    )
    from wspolpraca.organizations.models import PublicBenefitArea

    culture_area, _created = PublicBenefitArea.objects.get_or_create(
        code="16", defaults={"label_pl": "kultury, sztuki, ochrony dóbr kultury"}
    )
    culture = DepartmentFactory(name="Wydział Kultury i Dziedzictwa Narodowego", short_name="KD")
    social = DepartmentFactory(name="Wydział Polityki Społecznej i Zdrowia", short_name="SZ")
    official = new_staff(User.Role.OFFICIAL)
    official.full_name = "Maria Urzędnicza"
    official.save(update_fields=["full_name"])
    Official.objects.create(user=official, department=culture)
    stranger = new_staff(User.Role.OFFICIAL)
    stranger.full_name = "Jan Obcy"
    stranger.save(update_fields=["full_name"])
    Official.objects.create(user=stranger, department=social)

    old = StrategyFactory(
        title="Program rozwoju kultury 2015–2020",
        year_from=2015,
        year_to=2020,
        department=culture,
        areas=[culture_area],
    )
    health = StrategyFactory(
        title="Program profilaktyki zdrowotnej",
        year_from=2024,
        year_to=2030,
        department=social,
    )
    year = timezone.localdate().year
    programme = cooperation_programme(year, department=social)
    assert old.derived_status() == Strategy.Status.EXPIRED
    return SimpleNamespace(
        culture_area=culture_area,
        culture=culture,
        social=social,
        official=official,
        stranger=stranger,
        old=old,
        health=health,
        programme=programme,
    )


def polish_date(day):
    with translation.override("pl"):
        return formats.date_format(day, "j E Y")


def field_refused(form, field):
    expect(form.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
    expect(form.locator(f"#id_{field}_error")).to_be_visible()


# 1. The owner department's official adds the strategy, an indicator and a target.


def the_official_adds_a_strategy(page, world):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.library.strategy_models import Strategy

    first_sign_in_with_totp(page, world.official)
    my_account(page)
    follow(page, reverse("library:strategy_list"))
    create_url = reverse("library:strategy_create")
    follow(page, create_url)
    expect(page.locator("main")).to_contain_text(world.culture.name)

    form = page.locator("main form[method=post]:has(input[name=title])")
    form.locator("input[name=kind][value=strategy]").check()
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=year_from]").fill("2024")
    form.locator("input[name=year_to]").fill("2030")
    form.locator(f"input[name=areas][value='{world.culture_area.pk}']").check()
    form.locator("textarea[name=summary]").fill(SUMMARY)
    # The status follows the period unless the department says otherwise.
    expect(form.locator("input[name=status_setting][value=period]")).to_be_checked()
    expect(form.locator("[name=department]")).to_have_count(0)
    press(page, shown("Save"))

    strategy = Strategy.objects.get(title=TITLE)
    assert path_of(page) == strategy.get_absolute_url(), page.url
    assert (strategy.department, strategy.year_from, strategy.year_to) == (
        world.culture,
        2024,
        2030,
    )
    assert list(strategy.areas.all()) == [world.culture_area]
    assert strategy.status == Strategy.Status.IN_FORCE
    assert AuditEntry.objects.filter(action="strategy.created", actor=world.official).exists()
    expect(page.locator("main h1")).to_have_text(TITLE)
    return strategy


def the_official_adds_an_indicator_and_a_target(page, world, strategy):
    from wspolpraca.library.strategy_models import Indicator

    follow(page, reverse("library:indicator_add", args=[strategy.slug]))
    form = page.locator("main form[method=post]:has(input[name=name])")
    form.locator("input[name=name]").fill(INDICATOR)
    form.locator("input[name=unit]").fill(UNIT)
    form.locator("input[name=direction][value=up]").check()
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    form.locator("input[name=baseline_value]").fill(BASELINE[0])
    form.locator("input[name=baseline_year]").fill(str(BASELINE[1]))
    press(page, shown("Save"))
    assert path_of(page) == strategy.get_absolute_url(), page.url

    indicator = Indicator.objects.get(strategy=strategy)
    assert (indicator.name, indicator.unit, indicator.direction) == (
        INDICATOR,
        UNIT,
        Indicator.Direction.UP,
    )
    assert (indicator.baseline_value, indicator.baseline_year) == (
        Decimal(BASELINE[0]),
        BASELINE[1],
    )
    section = page.locator(f"main section#wskaznik-{indicator.pk}")
    expect(section.locator("h3")).to_have_text(INDICATOR)

    follow(page, reverse("library:indicator_target", args=[strategy.slug, indicator.pk]))
    form = page.locator("main form[method=post]:has(input[name=year])")
    form.locator("input[name=year]").fill(str(TARGET[1]))
    form.locator("input[name=value]").fill(TARGET[0])
    press(page, shown("Save"))
    assert path_of(page) == strategy.get_absolute_url(), page.url
    target = indicator.targets.get()
    assert (target.year, target.value) == (TARGET[1], Decimal(TARGET[0]))
    row = section.locator("tbody tr", has=page.locator(f"th:text-is('{TARGET[1]}')"))
    expect(row.locator("td").nth(1)).to_have_text(TARGET[0])
    return indicator


# 2. The yearly value: refused without its year, then saved; the chart and table show it.


def the_official_enters_a_value(page, world, strategy, indicator):
    from wspolpraca.library.strategy_models import IndicatorValue

    year = timezone.localdate().year - 1
    value_url = reverse("library:indicator_value", args=[strategy.slug, indicator.pk])
    follow(page, value_url)
    form = page.locator("main form[method=post]:has(input[name=year])")
    # The form offers last year; the official clears it by mistake.
    expect(form.locator("input[name=year]")).to_have_value(str(year))
    form.locator("input[name=year]").fill("")
    form.locator("input[name=value]").fill(VALUE)
    form.locator("input[name=source]").fill(SOURCE)
    form.locator("textarea[name=note]").fill(NOTE)
    press(page, shown("Save"))

    assert path_of(page) == value_url, page.url
    form = page.locator("main form[method=post]:has(input[name=year])")
    field_refused(form, "year")
    expect(form.locator("#id_value")).not_to_have_attribute("aria-invalid", "true")
    expect(form.locator("input[name=value]")).to_have_value(VALUE)
    expect(form.locator("input[name=source]")).to_have_value(SOURCE)
    expect(form.locator("textarea[name=note]")).to_have_value(NOTE)
    assert not IndicatorValue.objects.exists()

    # Next year, which has not begun: refused next to the year by the rules, input kept.
    form.locator("input[name=year]").fill(str(year + 2))
    press(page, shown("Save"))
    assert path_of(page) == value_url, page.url
    form = page.locator("main form[method=post]:has(input[name=year])")
    field_refused(form, "year")
    expect(form.locator("#id_year_error")).to_contain_text(
        shown("A value can be entered for a year that has begun.")
    )
    expect(form.locator("input[name=year]")).to_have_value(str(year + 2))
    expect(form.locator("input[name=value]")).to_have_value(VALUE)
    expect(form.locator("textarea[name=note]")).to_have_value(NOTE)
    assert not IndicatorValue.objects.exists()

    form.locator("input[name=year]").fill(str(year))
    press(page, shown("Save"))
    assert path_of(page) == strategy.get_absolute_url(), page.url
    expect(page.locator("main")).to_contain_text(shown("The value is saved."))
    value = IndicatorValue.objects.get(indicator=indicator)
    assert (value.year, value.value, value.source, value.note, value.entered_by) == (
        year,
        Decimal(VALUE),
        SOURCE,
        NOTE,
        world.official,
    )
    shows_the_value(page, indicator, year)
    return value


def shows_the_value(page, indicator, year):
    """The indicator's chart names the value in its accessible text (title and desc, as
    the SVG's aria-labelledby) and draws it; its table has it in the year's row."""
    section = page.locator(f"main section#wskaznik-{indicator.pk}")
    chart = section.locator("svg[role=img]")
    expect(chart).to_have_count(1)
    labelled_by = chart.get_attribute("aria-labelledby").split()
    words = " ".join(section.locator(f"[id='{ref}']").text_content() for ref in labelled_by)
    assert f"{year}: {VALUE}" in words, words
    assert INDICATOR in words, words
    expect(chart.locator("text", has_text=VALUE).first).to_be_attached()

    row = section.locator("table tbody tr", has=page.locator(f"th:text-is('{year}')"))
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text(VALUE)
    expect(row).to_contain_text(SOURCE)


# 3. An official of another department is refused.


def the_other_official_is_refused(page, world, strategy, indicator, value):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.library.strategy_models import IndicatorValue

    first_sign_in_with_totp(page, world.stranger)
    my_account(page)
    follow(page, reverse("library:strategy_list"))
    follow(page, strategy.get_absolute_url())
    value_url = reverse("library:indicator_value", args=[strategy.slug, indicator.pk])
    expect(page.locator(f'main a[href="{value_url}"]')).to_have_count(0)
    expect(
        page.locator(f'main a[href="{reverse("library:strategy_edit", args=[strategy.slug])}"]')
    ).to_have_count(0)

    response = page.goto(value_url)
    assert response is not None and response.status == 403, response and response.status
    expect(page.locator("main h1")).to_have_text(shown("Access denied"))
    check_a11y(page)

    # Nor does a POST, with a valid CSRF token, change anything.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(
        value_url,
        form={"year": str(value.year), "value": "1", "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token},
    )
    assert answer.status == 403, answer.status
    assert list(IndicatorValue.objects.values_list("year", "value")) == [
        (value.year, Decimal(VALUE))
    ]
    assert not AuditEntry.objects.filter(
        actor=world.stranger, action__startswith="indicator"
    ).exists()


# 4. A visitor finds it with the list's filters; the programme's report flag.


def a_visitor_finds_the_strategy(page, world, strategy, indicator, value):
    from wspolpraca.library.strategy_models import Strategy

    list_url = reverse("library:strategy_list")
    visit(page, list_url)
    form = page.locator("main form[role=search]")
    form.locator("select[name=department]").select_option(str(world.culture.pk))
    form.locator("select[name=status]").select_option(Strategy.Status.IN_FORCE.value)
    press(page, shown("Show"))

    assert path_of(page) == list_url, page.url
    query = parse_qs(urlsplit(page.url).query)
    assert (query["department"], query["status"]) == ([str(world.culture.pk)], ["in_force"]), query
    titles = page.locator("main ul.cards h3 a")
    expect(titles).to_have_text([TITLE])

    # The same address, shared as a link, gives the same list.
    visit(page, f"{list_url}?department={world.culture.pk}&status=in_force")
    expect(page.locator("main ul.cards h3 a")).to_have_text([TITLE])
    expect(page.locator("main select[name=department]")).to_have_value(str(world.culture.pk))

    follow(page, strategy.get_absolute_url())
    expect(page.locator("main h1")).to_have_text(TITLE)
    shows_the_value(page, indicator, value.year)
    value_url = reverse("library:indicator_value", args=[strategy.slug, indicator.pk])
    expect(page.locator(f'main a[href="{value_url}"]')).to_have_count(0)


def the_programme_shows_its_report_due(page, world):
    programme = world.programme
    deadline = date(programme.year_from + 1, 5, 31)
    flag = shown("report due by %(day)s") % {"day": polish_date(deadline)}
    assert "31 maja" in flag, flag

    visit(page, reverse("library:strategy_list"))
    card = page.locator(
        "main ul.cards > li", has=page.locator(f'a[href="{programme.get_absolute_url()}"]')
    )
    expect(card).to_have_count(1)
    expect(card.locator(".badge", has_text=flag)).to_have_count(1)
    # Only the programme carries a flag.
    expect(page.locator("main ul.cards .badge", has_text=flag)).to_have_count(1)

    follow(page, programme.get_absolute_url())
    expect(page.locator("main")).to_contain_text(flag)


@pytest.mark.both_widths
def test_a_strategy_with_an_indicator_monitored_and_found_by_a_visitor(
    page,
    window,  # noqa: F811
    world,
):
    strategy = the_official_adds_a_strategy(page, world)
    indicator = the_official_adds_an_indicator_and_a_target(page, world, strategy)
    value = the_official_enters_a_value(page, world, strategy, indicator)
    the_other_official_is_refused(window(), world, strategy, indicator, value)
    visitor = window()
    a_visitor_finds_the_strategy(visitor, world, strategy, indicator, value)
    the_programme_shows_its_report_due(visitor, world)
