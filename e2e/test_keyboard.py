"""Keyboard-only use: the skip link and the order of focus."""

from django.urls import reverse

from e2e.helpers import check_a11y, result_names, visit


def active_element(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? {id: e.id, tag: e.tagName.toLowerCase(), cls: e.className} : null; }"
    )


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    visit(page, reverse("home"))
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("e => e === document.activeElement"), active_element(page)
    assert skip.is_visible(), "the skip link must be visible when focused"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    assert page.url.endswith("#main")


def tab_until(page, selector, presses):
    """Press Tab until the element matching selector has the focus; return the path taken."""
    target = page.locator(selector)
    path = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        path.append(active_element(page))
        if target.evaluate("e => e === document.activeElement"):
            return path
    raise AssertionError(f"{presses} Tab presses never reached {selector}: {path}")


def test_tab_reaches_the_site_search_box(page):
    visit(page, reverse("home"))
    tab_until(page, "#site-search-q", presses=10)
    page.keyboard.type("lodz")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=lodz" in page.url
    check_a11y(page)


def test_tab_reaches_the_directory_search_box_and_enter_searches(page, directory_data):
    visit(page, reverse("organizations:list"))
    tab_until(page, "form.filters input[name=q]", presses=40)
    page.keyboard.type("lodz")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page)
    assert "q=lodz" in page.url
    assert result_names(page) == [directory_data.lodz.name]
