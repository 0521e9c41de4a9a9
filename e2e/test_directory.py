"""A newcomer finds an organization in the directory: search, filters, its page, English."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, result_names, visit

LIST = reverse("organizations:list")


def search(page, words):
    form = page.locator("form.filters")
    form.locator("input[name=q]").fill(words)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    check_a11y(page)


def test_home_page_is_in_polish_and_leads_to_the_directory(page, directory_data):
    visit(page, reverse("home"))
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    with page.expect_navigation():
        page.locator(f"nav.main-nav a[href='{LIST}']").click()
    check_a11y(page)
    assert directory_data.lodz.name in result_names(page)


def test_search_finds_the_same_organization_with_and_without_diacritics(page, directory_data):
    visit(page, LIST)
    search(page, "Łódź")
    with_diacritics = result_names(page)
    assert "q=" in page.url
    search(page, "lodz")
    assert result_names(page) == with_diacritics == [directory_data.lodz.name]


def test_filtering_by_district_and_area_keeps_the_filters_in_the_url(page, directory_data):
    visit(page, LIST)
    form = page.locator("form.filters")
    form.locator("select[name=district]").select_option("13")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    check_a11y(page)
    assert "district=13" in page.url
    assert sorted(result_names(page)) == sorted(
        [directory_data.lodz.name, directory_data.sport_club.name]
    )

    form.locator("select[name=area]").select_option("16")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    check_a11y(page)
    assert "district=13" in page.url and "area=16" in page.url
    assert result_names(page) == [directory_data.lodz.name]
    # The form shows the filters it applied, so the visitor can change one of them.
    expect(form.locator("select[name=district]")).to_have_value("13")
    expect(form.locator("select[name=area]")).to_have_value("16")

    # The URL is shareable: opened afresh, it shows the same result.
    visit(page, page.url)
    assert result_names(page) == [directory_data.lodz.name]


def test_organization_page_opens_from_the_directory(page, directory_data):
    lodz = directory_data.lodz
    visit(page, f"{LIST}?q=lodz")
    with page.expect_navigation():
        page.locator(".cards h2 a", has_text=lodz.name).click()
    check_a11y(page)
    assert page.url.endswith(lodz.get_absolute_url())
    expect(page.locator("main h1")).to_have_text(lodz.name)
    expect(page.locator("main")).to_contain_text(lodz.email)


def test_language_button_switches_the_site_to_english(page, directory_data):
    visit(page, LIST)
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    with page.expect_navigation():
        page.locator("form.language-switch button[name=language][value=en]").click()
    check_a11y(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The switch returns to the page the visitor was on, now in English.
    assert page.url.split("?")[0].endswith(LIST)
    expect(page.locator("main h1")).to_have_text("NGO directory")
    expect(page.locator(".skip-link")).to_have_text("Skip to main content")
    # ...and the choice sticks on the next page.
    visit(page, reverse("home"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("form.language-switch button[value=pl]")).to_have_text("Polski")


def test_directory_filters_work_without_javascript(nojs_page, directory_data):
    page = nojs_page
    visit(page, LIST)
    form = page.locator("form.filters")
    form.locator("input[name=q]").fill("lodz")
    form.locator("select[name=district]").select_option("13")
    form.locator("select[name=area]").select_option("16")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    check_a11y(page)
    assert re.search(r"[?&]district=13(&|$)", page.url)
    assert re.search(r"[?&]area=16(&|$)", page.url)
    assert result_names(page) == [directory_data.lodz.name]
