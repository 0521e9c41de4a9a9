"""axe-core (WCAG 2.0/2.1 A and AA) reports no violation on the public pages.

Pages reached only through a flow (sign-up steps, registration steps, the map after its
data has loaded) are checked inside the tests of that flow; every test calls check_a11y
on every page it visits.
"""

import pytest
from django.urls import reverse

from e2e.helpers import check_a11y, log_in, visit

PUBLIC_PAGES = {
    "home": ("home", {}),
    "directory": ("organizations:list", {}),
    "coordinators": ("city:coordinators", {}),
    "accessibility declaration": ("pages:accessibility", {}),
    "cooperation guide": ("pages:detail", {"slug": "przewodnik"}),
    "starter pack": ("pages:detail", {"slug": "pakiet-na-start"}),
    "guide: offers": ("pages:guide", {"slug": "oferta"}),
    "guide: calls": ("pages:guide", {"slug": "konkurs"}),
    "plane: policy": ("pages:plane", {"slug": "polityki"}),
    "plane: public tasks": ("pages:plane", {"slug": "zadania-publiczne"}),
    "plane: infrastructure": ("pages:plane", {"slug": "infrastruktura"}),
    "departments": ("city:departments", {}),
    "API docs": ("api-docs", {}),
    "sign-up": ("account_signup", {}),
    "login": ("account_login", {}),
    "password reset": ("account_reset_password", {}),
    "map": ("organizations:map", {}),
}


@pytest.mark.parametrize("url_name, kwargs", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_axe_violations(page, directory_data, url_name, kwargs):
    visit(page, reverse(url_name, kwargs=kwargs))


def test_filtered_directory_has_no_axe_violations(page, directory_data):
    visit(page, reverse("organizations:list") + "?q=kultura&district=13&area=16&sort=name")


def test_directory_page_two_has_no_axe_violations(page, directory_data):
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    OrganizationFactory.create_batch(30)
    visit(page, reverse("organizations:list") + "?page=2")


def test_empty_search_result_has_no_axe_violations(page, directory_data):
    visit(page, reverse("organizations:list") + "?q=nieistniejacaorganizacja")


def test_organization_page_has_no_axe_violations(page, directory_data):
    visit(page, directory_data.lodz.get_absolute_url())


def test_map_page_has_no_axe_violations(page, directory_data):
    with page.expect_response(lambda r: "/mapa.geojson" in r.url):
        visit(page, reverse("organizations:map") + "?district=13", a11y=False)
    page.locator("#map .leaflet-marker-icon").first.wait_for()
    check_a11y(page)


@pytest.mark.parametrize("url_name", ["home", "organizations:list"])
def test_english_page_has_no_axe_violations(english_page, directory_data, url_name):
    visit(english_page, reverse(url_name))
    assert english_page.locator("html").get_attribute("lang") == "en"


def test_registration_without_krs_has_no_axe_violations(page):
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory

    log_in(page, UserFactory().email, PASSWORD)
    visit(page, reverse("organizations:register"))
    visit(page, reverse("organizations:register") + "?step=manual")


def test_site_search_results_have_no_axe_violations(page, directory_data):
    visit(page, reverse("pages:search") + "?q=lodz")


def test_pages_of_an_organization_admin_have_no_axe_violations(page, directory_data):
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.organizations.models import Membership

    admin = UserFactory()
    Membership.objects.create(organization=directory_data.lodz, user=admin, role="admin")
    log_in(page, admin.email, PASSWORD)
    slug = directory_data.lodz.slug
    visit(page, reverse("accounts:profile"))
    visit(page, reverse("accounts:delete"))
    visit(page, reverse("organizations:edit", args=[slug]))
    visit(page, reverse("organizations:members", args=[slug]))


def test_claim_page_has_no_axe_violations(page, directory_data):
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory

    log_in(page, UserFactory().email, PASSWORD)
    visit(page, reverse("organizations:claim", args=[directory_data.theatre.slug]))


def test_account_pages_of_allauth_have_no_axe_violations(page):
    """allauth's pages in the site's layout and form design (sign-in is in PUBLIC_PAGES)."""
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory

    log_in(page, UserFactory().email, PASSWORD)
    visit(page, reverse("account_change_password"))
    visit(page, reverse("account_email"))
    visit(page, reverse("mfa_index"))
    visit(page, reverse("account_reauthenticate"))
    # Setting up TOTP: the page may first ask for the password again.
    visit(page, reverse("mfa_activate_totp"))
    if "reauthenticate" in page.url:
        form = page.locator("main form:has(input[name=password])")
        form.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        check_a11y(page)
    assert "/2fa/totp/activate/" in page.url
    # A wrong code: the error summary and the message beside the field.
    form = page.locator("main form:has(input[name=code])")
    form.locator("input[name=code]").fill("000000")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    check_a11y(page)


def test_confirmation_page_has_no_axe_violations(page, directory_data):
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.organizations.models import Membership

    member = UserFactory()
    Membership.objects.create(organization=directory_data.lodz, user=member, role="member")
    log_in(page, member.email, PASSWORD)
    visit(page, reverse("organizations:leave", args=[directory_data.lodz.slug]))
