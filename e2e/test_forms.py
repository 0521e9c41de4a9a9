"""The one form design in a browser: the error summary, "(opcjonalnie)", the map picker and
the searchable public benefit areas. Every test runs at 1366 px and at 390 px (conftest)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, log_in, visit
from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory


@pytest.fixture
def admin_of_lodz(page, directory_data):
    """Logged in as the administrator of Łódź Kultury; returns the organization."""
    from wspolpraca.organizations.models import Membership

    admin = UserFactory()
    Membership.objects.create(organization=directory_data.lodz, user=admin, role="admin")
    log_in(page, admin.email, PASSWORD)
    return directory_data.lodz


def area_pk(code):
    from wspolpraca.organizations.models import PublicBenefitArea

    return PublicBenefitArea.objects.get(code=code).pk


def test_error_summary_is_focused_and_links_to_each_field(page):
    visit(page, reverse("account_signup"))
    form = page.locator("main form:has(input[name=password1])")
    form.locator("input[name=password1]").fill("x")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    check_a11y(page)

    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    # Focused on load, so a screen reader announces it and Tab starts from it.
    expect(summary).to_be_focused()
    links = summary.locator("a")
    assert links.count() >= 2
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "#id_email" in hrefs

    # Each entry names its field, so that equal messages can be told apart.
    entries = links.all_inner_texts()
    assert len(entries) == len(set(entries))
    expect(summary.locator("a[href='#id_email']").first).to_contain_text(" — ")
    summary.locator("a[href='#id_email']").first.click()
    expect(page.locator("#id_email")).to_be_focused()
    # The field's own error sits next to it and the input points at it.
    described = page.locator("#id_email").get_attribute("aria-describedby")
    assert "id_email_error" in described.split()
    expect(page.locator("#id_email_error")).to_be_visible()


def test_optional_fields_are_marked_opcjonalnie(page, admin_of_lodz):
    visit(page, reverse("organizations:edit", args=[admin_of_lodz.slug]))
    short_name = page.locator("label[for=id_short_name]")
    expect(short_name).to_contain_text("(opcjonalnie)")
    expect(page.locator("label[for=id_name]")).not_to_contain_text("(opcjonalnie)")


def test_map_picker_sets_the_point_where_the_map_is_clicked(page, admin_of_lodz):
    from wspolpraca.organizations.models import Organization

    visit(page, reverse("organizations:edit", args=[admin_of_lodz.slug]))
    picker = page.locator(".map-picker")
    latitude = picker.locator("input[name=latitude]")
    longitude = page.locator("input[name=longitude]")
    # There is nowhere to type coordinates: both are hidden.
    expect(latitude).to_have_attribute("type", "hidden")
    expect(longitude).to_have_attribute("type", "hidden")
    before = (latitude.input_value(), longitude.input_value())

    # Away from the zoom buttons (top left) and from the marker (the middle).
    map_box = picker.locator(".map-picker-map")
    size = map_box.bounding_box()
    map_box.click(position={"x": size["width"] * 0.25, "y": size["height"] * 0.8})
    after = (latitude.input_value(), longitude.input_value())
    assert after != before and all(re.fullmatch(r"\d+\.\d{6}", value) for value in after)
    expect(picker.locator("[data-map-picker-status]")).to_contain_text(after[0])
    # The marker is named in Polish and its image (a {% static %} URL) has loaded.
    marker = picker.locator("img.leaflet-marker-icon")
    expect(marker).to_have_attribute("alt", "Miejsce organizacji (przeciągnij, aby przesunąć)")
    assert "/static/leaflet/images/marker-icon" in marker.get_attribute("src")
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=marker.element_handle()
    )

    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    check_a11y(page)
    saved = Organization.objects.get(pk=admin_of_lodz.pk)
    assert (saved.latitude, saved.longitude) == (Decimal(after[0]), Decimal(after[1]))


def test_map_picker_removes_the_point(page, admin_of_lodz):
    visit(page, reverse("organizations:edit", args=[admin_of_lodz.slug]))
    page.locator("[data-map-picker-clear]").click()
    expect(page.locator("input[name=latitude]")).to_have_value("")
    expect(page.locator("input[name=longitude]")).to_have_value("")


def test_map_picker_without_javascript_says_the_city_team_places_the_point(
    nojs_page, directory_data
):
    from wspolpraca.organizations.models import Membership

    admin = UserFactory()
    Membership.objects.create(organization=directory_data.theatre, user=admin, role="admin")
    directory_data.theatre.latitude = directory_data.theatre.longitude = None
    directory_data.theatre.save()
    log_in(nojs_page, admin.email, PASSWORD)
    visit(nojs_page, reverse("organizations:edit", args=[directory_data.theatre.slug]))
    note = nojs_page.locator("[data-map-picker-nojs]")
    expect(note).to_be_visible()
    expect(nojs_page.locator("[data-map-picker-ui]")).to_be_hidden()


def test_areas_filter_box_narrows_the_list(page, admin_of_lodz):
    visit(page, reverse("organizations:edit", args=[admin_of_lodz.slug]))
    areas = page.locator("[data-choice-groups]")
    culture = areas.locator(f"input[name=areas][value='{area_pk('16')}']")
    sport = areas.locator(f"input[name=areas][value='{area_pk('17')}']")
    expect(sport).to_be_visible()
    all_shown = areas.locator("[data-choice]:visible").count()

    areas.locator("input[type=search]").fill("sztuk")
    expect(sport).to_be_hidden()
    expect(culture).to_be_visible()
    shown = areas.locator("[data-choice]:visible").count()
    assert 0 < shown < all_shown
    # Groups with nothing left disappear too, and a ticked box stays ticked while hidden.
    assert areas.locator("fieldset:visible").count() < areas.locator("fieldset").count()
    areas.locator("input[type=search]").fill("")
    assert areas.locator("[data-choice]:visible").count() == all_shown
    check_a11y(page)


def test_areas_filter_ignores_diacritics(page, admin_of_lodz):
    visit(page, reverse("organizations:edit", args=[admin_of_lodz.slug]))
    areas = page.locator("[data-choice-groups]")
    areas.locator("input[type=search]").fill("spoleczn")
    expect(areas.locator(f"input[name=areas][value='{area_pk('1')}']")).to_be_visible()
