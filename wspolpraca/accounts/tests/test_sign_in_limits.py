"""Brute force: attempts are limited per account and per client address, the address is
read so that a client cannot choose it, and staff sessions end when left idle.

Limits are off under pytest; the `rate_limits` fixture switches on the production values.
"""

import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import RequestFactory
from django.urls import reverse

from conftest import login
from wspolpraca.accounts.middleware import StaffSessionIdleTimeoutMiddleware
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role
from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
from wspolpraca.core import ratelimit
from wspolpraca.organizations.tests.fake_krs import FakeKrs, sample_extract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PROXY = "10.0.0.1"
TOO_MANY = "Too many failed login attempts"


def attempt(client, email, password="wrong-password", **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def signed_in(client):
    return "_auth_user_id" in client.session


def current_code():
    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))


# Per account.


def test_ten_wrong_passwords_lock_the_account_against_the_right_one(client, rate_limits):
    user = UserFactory()
    for n in range(10):
        attempt(client, user.email, REMOTE_ADDR=f"203.0.113.{n + 1}")
    response = attempt(client, user.email, PASSWORD, REMOTE_ADDR="198.51.100.1")
    assert not signed_in(client)
    assert TOO_MANY in response.content.decode()


def test_a_locked_account_does_not_lock_another(client, rate_limits):
    locked, other = UserFactory(), UserFactory()
    for n in range(10):
        attempt(client, locked.email, REMOTE_ADDR=f"203.0.113.{n + 1}")
    attempt(client, other.email, PASSWORD)
    assert signed_in(client)


def test_the_right_password_before_the_limit_signs_in(client, rate_limits):
    user = UserFactory()
    for _ in range(9):
        attempt(client, user.email)
    attempt(client, user.email, PASSWORD)
    assert signed_in(client)


# Per client address.


def test_ten_wrong_passwords_from_one_address_stop_that_address(client, rate_limits):
    for n in range(10):
        attempt(client, f"guess{n}@example.org", REMOTE_ADDR="203.0.113.7")
    user = UserFactory()
    response = attempt(client, user.email, PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert not signed_in(client)
    assert TOO_MANY in response.content.decode()


def test_one_address_cannot_go_on_locking_accounts_for_an_hour(client, rate_limits):
    start = time.time()
    with time_machine.travel(start, tick=False) as clock:
        for minute in range(3):
            for _ in range(10):
                attempt(client, f"victim{minute}@example.org", REMOTE_ADDR="203.0.113.7")
            clock.shift(61)
        # The address has used its 30 failures for the hour: the next account is safe.
        victim = UserFactory()
        for _ in range(10):
            attempt(client, victim.email, REMOTE_ADDR="203.0.113.7")
        attempt(client, victim.email, PASSWORD, REMOTE_ADDR="198.51.100.1")
    assert signed_in(client)


def test_an_address_stopped_does_not_stop_another_address(client, rate_limits):
    for n in range(10):
        attempt(client, f"guess{n}@example.org", REMOTE_ADDR="203.0.113.7")
    user = UserFactory()
    attempt(client, user.email, PASSWORD, REMOTE_ADDR="198.51.100.1")
    assert signed_in(client)


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_limit(
    client, rate_limits
):
    rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        attempt(
            client,
            f"guess{n}@example.org",
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}",
        )
    user = UserFactory()
    attempt(
        client,
        user.email,
        PASSWORD,
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert not signed_in(client)


def test_behind_one_proxy_one_client_does_not_lock_out_the_others(client, rate_limits):
    rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        attempt(
            client,
            f"guess{n}@example.org",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    user = UserFactory()
    attempt(client, user.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert signed_in(client)


def test_behind_one_proxy_a_client_cannot_spend_another_clients_attempts(client, rate_limits):
    """The attacker at 203.0.113.7 writes the victim's address into its own header; the
    proxy appends the attacker's real address, and only that one is believed."""
    rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victim_ip = "198.51.100.1"
    for n in range(10):
        attempt(
            client,
            f"guess{n}@example.org",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{victim_ip}, 203.0.113.7",
        )
    user = UserFactory()
    attempt(client, user.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=victim_ip)
    assert signed_in(client)


def test_behind_one_proxy_the_client_is_still_limited(client, rate_limits):
    rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        attempt(
            client,
            f"guess{n}@example.org",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}, 203.0.113.7",
        )
    user = UserFactory()
    attempt(client, user.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert not signed_in(client)


# How the client address is read.


def test_client_ip_ignores_forwarded_for_without_a_trusted_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert ratelimit.client_ip(request) == "203.0.113.7"


def test_client_ip_takes_the_entry_written_by_the_trusted_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert ratelimit.client_ip(request) == "203.0.113.7"


def test_client_ip_with_a_short_forwarded_for_falls_back_to_the_peer(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert ratelimit.client_ip(request) == "203.0.113.7"


def test_a_short_forwarded_for_gives_no_server_error_at_sign_in(client, rate_limits):
    rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = attempt(client, "anyone@example.org", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert response.status_code == 200


def test_client_ip_refuses_garbage_in_the_header(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>")
    assert ratelimit.client_ip(request) == PROXY


# The core limiter.


def test_hit_allows_up_to_the_limit_in_a_window(rate_limits):
    assert [ratelimit.hit("test", "k", 2, 60) for _ in range(3)] == [True, True, False]


def test_hit_counts_keys_apart(rate_limits):
    ratelimit.hit("test", "a", 1, 60)
    assert ratelimit.hit("test", "b", 1, 60)


def test_hit_allows_everything_when_limits_are_off(settings):
    settings.RATE_LIMITS_ENABLED = False
    assert all(ratelimit.hit("test", "k", 1, 60) for _ in range(3))


# The two-factor code.


def test_ten_wrong_codes_lock_the_code_step(client, rate_limits):
    official = UserFactory(role=User.Role.OFFICIAL)
    TOTP.activate(official, SECRET)
    for n in range(10):
        attempt(client, official.email, PASSWORD, REMOTE_ADDR=f"203.0.113.{n + 1}")
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    attempt(client, official.email, PASSWORD, REMOTE_ADDR="198.51.100.1")
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert not signed_in(client)


def test_wrong_codes_in_the_set_up_are_limited(client, rate_limits):
    official = UserFactory(role=User.Role.OFFICIAL)
    login(client, official)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    for _ in range(10):
        client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.context["form"].errors["code"]
    assert "Incorrect code" not in str(response.context["form"].errors["code"])


# Idle staff sessions.


def staff_session(client):
    official = UserFactory(role=User.Role.OFFICIAL)
    apply_role(official)
    TOTP.activate(official, SECRET)
    login(client, official)
    return official


def idle_for(client, minutes):
    session = client.session
    session[StaffSessionIdleTimeoutMiddleware.SESSION_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_idle_staff_session_ends(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    staff_session(client)
    client.get(reverse("admin:index"))
    idle_for(client, 31)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"
    assert not signed_in(client)


def test_idle_sign_out_says_why(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    staff_session(client)
    client.get(reverse("admin:index"))
    idle_for(client, 31)
    response = client.get(reverse("admin:index"), follow=True)
    assert "signed out after 30 minutes without activity" in response.content.decode()


def test_active_staff_session_goes_on(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    staff_session(client)
    client.get(reverse("admin:index"))
    idle_for(client, 29)
    assert client.get(reverse("admin:index")).status_code == 200


def test_idle_time_is_configurable(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    staff_session(client)
    client.get(reverse("admin:index"))
    idle_for(client, 6)
    assert client.get(reverse("admin:index")).status_code == 302
    assert not signed_in(client)


def test_resident_session_does_not_end_when_idle(client, settings, outsider):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    login(client, outsider)
    client.get(reverse("accounts:profile"))
    idle_for(client, 600)
    assert client.get(reverse("accounts:profile")).status_code == 200


# The KRS look-up during registration.


@pytest.fixture
def fake_krs(settings):
    server = FakeKrs().start()
    server.add_extract("0000123456", sample_extract("0000123456", "FUNDACJA PRÓBNA"))
    settings.KRS_API_URL = server.url
    settings.KRS_BACKOFF = 0
    settings.KRS_TIMEOUT = 5
    yield server
    server.stop()


def look_up(client, number="0000123456"):
    return client.post(reverse("organizations:register"), {"step": "lookup", "krs": number})


def test_krs_look_ups_are_limited_per_account(client, rate_limits, fake_krs, outsider):
    rate_limits.KRS_LOOKUPS_PER_HOUR = 2
    login(client, outsider)
    look_up(client)
    look_up(client)
    asked = len(fake_krs.requests)
    response = look_up(client)
    assert len(fake_krs.requests) == asked
    assert "too many times" in str(response.context["form"].errors["krs"])
    assert response.context["form"]["krs"].value() == "0000123456"


def test_krs_limit_of_one_account_leaves_another_free(client, rate_limits, fake_krs, outsider):
    rate_limits.KRS_LOOKUPS_PER_HOUR = 1
    login(client, outsider)
    look_up(client)
    login(client, UserFactory())
    response = look_up(client)
    assert response.context.get("entity") is not None
