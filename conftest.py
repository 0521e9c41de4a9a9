"""Shared personas, as in every permission test: the admin of an organization, a plain
member, an outsider with an account, an official and a platform admin."""

import pytest
from allauth.mfa.models import Authenticator

from wspolpraca.accounts.models import User
from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def english(settings):
    """Assertions read the English messages (the msgids), whatever the catalogue says.
    Use with `pytestmark = pytest.mark.usefixtures("english")`."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Fundacja Zdrowie Krakowa", kind="foundation")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Stowarzyszenie Inna Sprawa")


@pytest.fixture
def org_admin(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user


@pytest.fixture
def org_member(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.MEMBER).user


@pytest.fixture
def outsider(db):
    return UserFactory()


def with_totp(user):
    """Staff must have TOTP set up before they can use the site (RequireMfaMiddleware)."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "test"})
    return user


@pytest.fixture
def official(db):
    return with_totp(UserFactory(role=User.Role.OFFICIAL))


@pytest.fixture
def platform_admin(db):
    return with_totp(UserFactory(role=User.Role.PLATFORM_ADMIN, is_staff=True, is_superuser=True))


def login(client, user, *, mfa=True):
    """Sign `user` in on the test client.

    Staff pages need a session that passed the second factor (RequireMfaMiddleware); with
    mfa=True (the default) a user who has TOTP gets the session allauth leaves after the
    code was entered. mfa=False leaves a password-only session, for tests of refusal.
    """
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if mfa and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        mark_mfa_passed(client, user)
    return client


def mark_mfa_passed(client, user):
    """Record in the client's session what allauth records when the code is entered."""
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import record_authentication

    session = client.session
    record_authentication(SimpleNamespace(session=session), user, "mfa", type="totp")
    session.save()


@pytest.fixture
def rate_limits(settings):
    """Switch on the limits that are off under pytest: allauth's and core.ratelimit's."""
    from django.core.cache import cache

    settings.ACCOUNT_RATE_LIMITS = settings.SIGN_IN_RATE_LIMITS
    settings.RATE_LIMITS_ENABLED = True
    cache.clear()
    yield settings
    cache.clear()


def admin_change_data(client, url, **changes):
    """What the back office's change form at `url` would post unchanged, plus `changes`:
    the form's initial values (many-to-many and files left out) and empty inlines."""
    form = client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in {"areas", "target_groups", "logo"}
    }
    data.update({"memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0})
    data.update(changes)
    return data
