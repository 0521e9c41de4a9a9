"""Every role signs in from a fresh account, as a person would, and reaches its pages.

Staff (official, coordinator, platform admin) are created as an administrator creates them:
the role and a verified e-mail, never signed in, no second factor. They sign in, go
straight on to set up TOTP (the code is computed from the secret allauth
keeps in the session), see the recovery codes, reach the back office, sign out, sign in
again with a code and open their role's pages. A resident signs up, verifies the e-mail
and reaches the profile. The back office's own sign-in leads to no staff page with a
password alone. Every page visited is checked with axe, at a desktop and a phone width.

Inputs are found by name and buttons by type: the templates' wording and classes change.
"""

import re
import time
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from e2e.helpers import check_a11y, log_in, submit, visit
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
ROLE_PAGES = {
    User.Role.OFFICIAL: [
        "admin:organizations_organization_changelist",
        "admin:core_auditentry_changelist",
    ],
    User.Role.COORDINATOR: [
        "admin:city_department_changelist",
        "admin:pages_page_changelist",
    ],
    User.Role.PLATFORM_ADMIN: [
        "admin:accounts_user_changelist",
        "admin:organizations_organization_changelist",
    ],
}
CONFIRM_LINK = re.compile(r"https?://[^\s<>\"']+/accounts/confirm-email/[^\s<>\"']+")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """TOTP codes are single-use per period, remembered in the cache: start clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=WIDTHS.values(), ids=WIDTHS.keys())
def sized_page(page, request):
    width, height = request.param
    page.set_viewport_size({"width": width, "height": height})
    return page


def totp_code(secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    # allauth accepts only the current 30-second window: a code made in a window's last
    # seconds can reach the server in the next one, so wait for a fresh window then.
    left = 30 - time.time() % 30
    if left < 4:
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def session_of(page):
    """The server-side session of the browser (the live server shares the database)."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def path_of(page):
    return urlsplit(page.url).path


def form_with(page, field):
    return page.locator(f"main form:has(input[name={field}])")


def fill_and_submit(page, values):
    form = form_with(page, next(iter(values)))
    for name, value in values.items():
        form.locator(f"input[name={name}]").fill(value)
    submit(form)


def sign_in_with_password(page, email):
    visit(page, reverse("account_login"))
    fill_and_submit(page, {"login": email, "password": PASSWORD})


def sign_out(page):
    visit(page, reverse("account_logout"))
    submit(page.locator("main form:has(button[type=submit])").first)


def assert_in_back_office(page):
    visit(page, reverse("admin:index"))
    assert path_of(page) == reverse("admin:index"), f"not in the back office: {page.url}"
    assert page.locator("#site-name, #content").count(), "the back office did not open"


def new_staff(role):
    sync_role_groups()  # as `manage.py sync_roles` does at deployment
    user = UserFactory(role=role)
    apply_role(user)
    return user


@pytest.mark.parametrize("role", list(ROLE_PAGES), ids=[str(r) for r in ROLE_PAGES])
def test_staff_set_up_totp_on_first_sign_in_and_sign_in_with_a_code_after(sized_page, role):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    page = sized_page
    user = new_staff(role)

    # First sign-in: straight on to the set-up, no second password prompt.
    sign_in_with_password(page, user.email)
    assert path_of(page) == reverse("mfa_activate_totp"), f"not sent to set up TOTP: {page.url}"

    # Set up TOTP with the secret the page offers (allauth keeps it in the session).
    secret = session_of(page)[SECRET_SESSION_KEY]
    fill_and_submit(page, {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if "recovery-codes" in page.url:
        assert page.locator("main").inner_text().strip(), "the recovery codes page is empty"

    assert_in_back_office(page)
    sign_out(page)

    # Every later sign-in asks for the code.
    sign_in_with_password(page, user.email)
    assert path_of(page) == reverse("mfa_authenticate"), f"no code was asked: {page.url}"
    fill_and_submit(page, {"code": totp_code(secret)})
    assert_in_back_office(page)
    for url_name in ROLE_PAGES[role]:
        visit(page, reverse(url_name))
        assert path_of(page) == reverse(url_name), f"{url_name} did not open: {page.url}"
    visit(page, reverse("accounts:profile"))


def test_resident_signs_up_verifies_the_email_and_reaches_the_profile(sized_page, mailoutbox):
    page = sized_page
    email = "mieszkanka@example.org"
    visit(page, reverse("account_signup"))
    fill_and_submit(page, {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    link = CONFIRM_LINK.search(mailoutbox[-1].body)
    assert link, f"no confirmation link in the e-mail:\n{mailoutbox[-1].body}"

    visit(page, urlsplit(link.group(0)).path)
    submit(page.locator("main form[method=post]:has(button[type=submit])").first)
    log_in(page, email, PASSWORD)

    visit(page, reverse("accounts:profile"))
    assert path_of(page) == reverse("accounts:profile"), page.url
    assert email in page.locator("main").inner_text()
    visit(page, reverse("organizations:register"))
    assert path_of(page) == reverse("organizations:register"), page.url


def test_admin_login_with_only_a_password_reaches_no_staff_page(sized_page):
    from allauth.mfa.totp.internal.auth import TOTP

    page = sized_page
    official = new_staff(User.Role.OFFICIAL)
    TOTP.activate(official, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

    # The back office's sign-in is the site's sign-in, which then asks for the code.
    visit(page, reverse("admin:login"))
    assert path_of(page) == reverse("account_login"), page.url
    fill_and_submit(page, {"login": official.email, "password": PASSWORD})
    assert path_of(page) == reverse("mfa_authenticate"), page.url

    for url_name in ["admin:index", "admin:organizations_organization_changelist"]:
        page.goto(reverse(url_name))
        assert not path_of(page).startswith("/admin/"), f"{url_name} opened: {page.url}"
        check_a11y(page)
