"""The back office's organization form in a browser: an official who signed in through the
site's pages (password, then the TOTP code) sets the organization's place by clicking the
map and finds an area with the filter box; the page loads its scripts and styles under the
Content-Security-Policy without a console error and passes axe at desktop width."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, submit, visit
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def official():
    """An official with TOTP set up, as after their first sign-in."""
    from allauth.mfa.totp.internal.auth import TOTP

    sync_role_groups()
    user = UserFactory(role=User.Role.OFFICIAL)
    apply_role(user)
    TOTP.activate(user, SECRET)
    return user


@pytest.fixture
def console_errors(page):
    """Errors the page reports: failed scripts, CSP refusals, uncaught exceptions."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def sign_in_with_code(page, email):
    from e2e.test_staff_signin import totp_code

    cache.clear()  # a code is accepted once per period; earlier tests may have used it
    visit(page, reverse("account_login"))
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    submit(form)
    assert page.url.endswith(reverse("mfa_authenticate")), f"no code was asked: {page.url}"
    form = page.locator("main form:has(input[name=code])")
    form.locator("input[name=code]").fill(totp_code(SECRET))
    submit(form)


def test_official_sets_the_place_on_the_map_in_the_back_office(page, official, console_errors):
    from wspolpraca.organizations.models import Organization
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    organization = OrganizationFactory(name="Fundacja Mapa", kind="foundation")
    sign_in_with_code(page, official.email)
    change_page = reverse("admin:organizations_organization_change", args=[organization.pk])
    # axe is checked below: its injected script applies a style the CSP refuses, which
    # would be taken for the page's own error.
    visit(page, change_page, a11y=False)

    # The map replaces the typed coordinates; both are hidden fields.
    picker = page.locator(".map-picker")
    expect(picker.locator(".map-picker-map")).to_be_visible()
    expect(picker.locator("input[name=latitude]")).to_have_attribute("type", "hidden")
    expect(page.locator("input[name=longitude]")).to_have_attribute("type", "hidden")
    expect(picker.locator(".leaflet-container")).to_have_count(1)

    # The areas: grouped, with a filter box that narrows them.
    areas = page.locator("[data-choice-groups]")
    expect(areas.locator("fieldset legend").first).to_be_visible()
    every = areas.locator("[data-choice]:visible").count()
    areas.locator(".choice-filter input[type=search]").fill("kultur")
    shown = areas.locator("[data-choice]:visible").count()
    assert 0 < shown < every, (shown, every)

    # Away from the zoom buttons (top left) and from the middle.
    map_box = picker.locator(".map-picker-map")
    size = map_box.bounding_box()
    map_box.click(position={"x": size["width"] * 0.25, "y": size["height"] * 0.8})
    latitude = picker.locator("input[name=latitude]").input_value()
    longitude = page.locator("input[name=longitude]").input_value()
    assert all(re.fullmatch(r"\d+\.\d{6}", value) for value in (latitude, longitude))
    expect(picker.locator("[data-map-picker-status]")).to_contain_text(latitude)
    assert console_errors == [], "\n".join(console_errors)
    check_a11y(page)

    console_errors.clear()
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert page.url.endswith(reverse("admin:organizations_organization_changelist")), page.url
    saved = Organization.objects.get(pk=organization.pk)
    assert (saved.latitude, saved.longitude) == (Decimal(latitude), Decimal(longitude))
    # Where it is is not who it is: the organization stays verified.
    assert saved.is_verified
    assert console_errors == [], "\n".join(console_errors)
