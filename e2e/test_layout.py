"""The layout on a phone and on a laptop: folded filters, the current page in the
navigation, a calm directory (no request per key, no history entry per filter) and a map
page that helps without JavaScript. check_a11y also checks that no page scrolls sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, result_names, visit

LIST = reverse("organizations:list")


@pytest.mark.viewport("phone")
def test_filters_fold_behind_a_button_with_the_count_on_a_phone(page, directory_data):
    visit(page, LIST + "?district=13&area=16")
    fold = page.locator("form.filters details.filter-fold")
    summary = fold.locator("summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text("▸ Filtry (2)".removeprefix("▸ "))
    district = page.locator("form.filters select[name=district]")
    expect(district).to_be_hidden()
    # The search box stays in view.
    expect(page.locator("form.filters input[name=q]")).to_be_visible()

    summary.click()
    expect(district).to_be_visible()
    expect(district).to_have_value("13")
    check_a11y(page)


@pytest.mark.viewport("phone")
def test_filters_fold_works_without_javascript(nojs_page, directory_data):
    page = nojs_page
    visit(page, LIST)
    expect(page.locator("form.filters summary")).to_have_text("Filtry")
    page.locator("form.filters summary").click()
    page.locator("form.filters select[name=district]").select_option("13")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    check_a11y(page)
    assert "district=13" in page.url
    expect(page.locator("form.filters summary")).to_have_text("Filtry (1)")


@pytest.mark.viewport("desktop")
def test_filters_are_open_beside_the_list_on_a_wide_screen(page, directory_data):
    visit(page, LIST)
    expect(page.locator("form.filters summary")).to_be_hidden()
    expect(page.locator("form.filters select[name=district]")).to_be_visible()


def test_the_current_page_is_marked_in_the_navigation(page, directory_data):
    visit(page, LIST)
    current = page.locator("nav.main-nav a[aria-current]")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("aria-current", "page")
    expect(current).to_have_attribute("href", LIST)
    # Marked by more than colour: underlined, unlike the other links.
    other = page.locator("nav.main-nav a:not([aria-current])").first
    assert current.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
    assert other.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"


def test_typing_in_the_search_box_sends_one_request_not_one_per_key(page, directory_data):
    visit(page, LIST)
    requests = []
    page.on(
        "request",
        lambda request: requests.append(request.url) if request.headers.get("hx-request") else None,
    )
    box = page.locator("form.filters input[name=q]")
    box.press_sequentially("lodz", delay=60)
    with page.expect_response(lambda r: "q=lodz" in r.url):
        pass
    page.wait_for_timeout(700)
    assert len(requests) == 1, requests
    assert result_names(page) == [directory_data.lodz.name]


def test_changing_filters_replaces_the_address_instead_of_adding_history(page, directory_data):
    visit(page, LIST)
    length = page.evaluate("history.length")
    select = page.locator("form.filters select[name=sort]")
    if not select.is_visible():
        page.locator("form.filters summary").click()
    with page.expect_response(lambda r: "sort=name" in r.url):
        select.select_option("name")
    with page.expect_response(lambda r: "sort=-name" in r.url):
        select.select_option("-name")
    page.wait_for_url(lambda url: "sort=-name" in url)
    assert page.evaluate("history.length") == length
    check_a11y(page)


def test_map_page_without_javascript_points_to_the_list(nojs_page, directory_data):
    visit(nojs_page, reverse("organizations:map") + "?district=13")
    note = nojs_page.locator("main p.notice")
    expect(note).to_be_visible()
    link = note.locator("a")
    expect(link).to_have_attribute("href", LIST + "?district=13")
    with nojs_page.expect_navigation():
        link.click()
    assert sorted(result_names(nojs_page)) == sorted(
        [directory_data.lodz.name, directory_data.sport_club.name]
    )
