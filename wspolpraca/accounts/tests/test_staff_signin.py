"""Staff sign in with a second factor, through the site's sign-in only.

Each test goes through HTTP as a person would: the sign-in form, allauth's request for the
password again before a second factor is added, the TOTP set-up, the code at sign-in.
"""

import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY as TOTP_SECRET_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse

from conftest import login
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role
from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
from wspolpraca.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STAFF_ROLES = [User.Role.OFFICIAL, User.Role.COORDINATOR, User.Role.PLATFORM_ADMIN]
ADMIN_INDEX = reverse("admin:index")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """TOTP codes are single-use per period, remembered in the cache: start clean."""
    cache.clear()
    yield
    cache.clear()


def code_for(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def new_staff(role):
    """As an administrator creates one: the role, a verified e-mail, no TOTP, never signed in."""
    user = UserFactory(role=role)
    apply_role(user)
    return user


def staff_with_totp(role=User.Role.OFFICIAL):
    user = new_staff(role)
    TOTP.activate(user, SECRET)
    return user


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def is_signed_in(client):
    return "_auth_user_id" in client.session


def set_up_totp(client, user):
    """Sign in for the first time and set up TOTP, answering what allauth asks on the way."""
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    if response.resolver_match.url_name == "account_reauthenticate":
        response = client.post(
            response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"],
            {"password": PASSWORD},
            follow=True,
        )
    assert response.resolver_match.url_name == "mfa_activate_totp"
    secret = client.session[TOTP_SECRET_SESSION_KEY]
    return client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)}, follow=True)


# The loop and the first sign-in.


def test_first_sign_in_of_staff_reaches_a_page_without_a_redirect_loop(client):
    official = new_staff(User.Role.OFFICIAL)
    response = client.post(
        reverse("account_login"), {"login": official.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 3


def test_first_sign_in_goes_to_the_totp_set_up_without_a_second_password(client):
    official = new_staff(User.Role.OFFICIAL)
    response = client.post(
        reverse("account_login"), {"login": official.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.resolver_match.url_name == "mfa_activate_totp"


def test_set_up_long_after_the_sign_in_asks_for_the_password_again(client):
    official = new_staff(User.Role.OFFICIAL)
    sign_in(client, official)
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{**r, "at": r["at"] - 3600} for r in records]
    session.save()
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.resolver_match.url_name == "account_reauthenticate"


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_first_sign_in_of_each_staff_role_sets_up_totp_and_reaches_the_back_office(client, role):
    user = new_staff(role)
    response = set_up_totp(client, user)
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(ADMIN_INDEX).status_code == 200


def test_set_up_shows_recovery_codes(client):
    response = set_up_totp(client, new_staff(User.Role.OFFICIAL))
    assert response.resolver_match.url_name == "mfa_view_recovery_codes"


def test_flagged_resident_sets_up_totp_before_using_the_site(client):
    member = UserFactory(requires_mfa=True)
    set_up_totp(client, member)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_staff_without_totp_reach_no_page_but_the_set_up(client):
    official = new_staff(User.Role.OFFICIAL)
    sign_in(client, official)
    for url in [ADMIN_INDEX, reverse("accounts:profile"), reverse("organizations:list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


def test_set_up_after_the_password_confirmation_expired_asks_no_extra_code(client):
    """allauth asks the password again and then replays the set-up the person sent."""
    official = new_staff(User.Role.OFFICIAL)
    sign_in(client, official)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    session = client.session
    secret = session[TOTP_SECRET_SESSION_KEY]
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{**r, "at": r["at"] - 3600} for r in records]
    session.save()
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    assert Authenticator.objects.filter(user=official, type=Authenticator.Type.TOTP).exists()
    assert client.get(ADMIN_INDEX).status_code == 200


def test_wrong_code_does_not_set_up_totp(client):
    official = new_staff(User.Role.OFFICIAL)
    sign_in(client, official)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert not Authenticator.objects.filter(user=official).exists()
    assert client.get(ADMIN_INDEX).status_code == 302


# Every later sign-in.


def test_second_sign_in_asks_for_the_code(client):
    official = staff_with_totp()
    response = sign_in(client, official)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_sign_in_with_the_code_reaches_the_back_office(client, role):
    user = staff_with_totp(role)
    sign_in(client, user)
    client.post(reverse("mfa_authenticate"), {"code": code_for(SECRET)})
    assert client.get(ADMIN_INDEX).status_code == 200


def test_back_office_is_closed_while_the_code_is_awaited(client):
    official = staff_with_totp()
    sign_in(client, official)
    response = client.get(ADMIN_INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_wrong_code_does_not_sign_in(client):
    official = staff_with_totp()
    sign_in(client, official)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert not is_signed_in(client)
    assert client.get(ADMIN_INDEX).status_code == 302


def test_totp_set_up_then_sign_out_then_sign_in_asks_the_code(client):
    official = new_staff(User.Role.OFFICIAL)
    set_up_totp(client, official)
    client.post(reverse("account_logout"))
    response = sign_in(client, official)
    assert response["Location"] == reverse("mfa_authenticate")


# The back office's own sign-in is no way around the code.


def test_admin_login_with_a_correct_password_signs_nobody_in(client):
    official = staff_with_totp()
    response = client.post(
        reverse("admin:login"), {"username": official.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not is_signed_in(client)


def test_admin_login_sends_to_the_site_sign_in_and_back(client):
    response = client.get(f"{reverse('admin:login')}?next={ADMIN_INDEX}")
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_admin_login_with_a_password_reaches_no_staff_page(client, role):
    user = staff_with_totp(role)
    OrganizationFactory()
    client.post(reverse("admin:login"), {"username": user.email, "password": PASSWORD})
    for url in [
        ADMIN_INDEX,
        reverse("admin:organizations_organization_changelist"),
        reverse("admin:accounts_user_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_admin_login_of_staff_without_totp_signs_nobody_in(client):
    official = new_staff(User.Role.OFFICIAL)
    client.post(reverse("admin:login"), {"username": official.email, "password": PASSWORD})
    assert not is_signed_in(client)


# A session that passed only the password, however it was made.


def test_password_only_session_cannot_open_the_back_office(client):
    official = staff_with_totp()
    login(client, official, mfa=False)
    response = client.get(ADMIN_INDEX)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"


def test_password_only_session_cannot_open_a_changelist(client):
    admin = staff_with_totp(User.Role.PLATFORM_ADMIN)
    login(client, admin, mfa=False)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_password_only_session_cannot_open_a_staff_view_outside_the_back_office(client):
    official = staff_with_totp()
    organization = OrganizationFactory()
    login(client, official, mfa=False)
    response = client.get(organization.get_absolute_url())
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_password_only_session_cannot_remove_totp(client):
    official = staff_with_totp()
    login(client, official, mfa=False)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=official, type=Authenticator.Type.TOTP).exists()


def test_password_only_session_enters_the_code_and_goes_on(client):
    official = staff_with_totp()
    login(client, official, mfa=False)
    response = client.post(
        f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F", {"code": code_for(SECRET)}
    )
    assert response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_resident_is_not_asked_for_a_code(client, outsider):
    login(client, outsider, mfa=False)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_resident_cannot_open_the_back_office(client, outsider):
    login(client, outsider)
    response = client.get(ADMIN_INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_back_office_password_change_leads_to_the_site_page(client, platform_admin):
    login(client, platform_admin)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")
