"""The user accounts in the back office: platform administrators only, every change
audited, access derived from the role."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from conftest import login, with_totp
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def staff(role):
    sync_role_groups()
    person = with_totp(UserFactory(role=role))
    apply_role(person)
    return User.objects.get(pk=person.pk)


def user_form(client, user, **changes):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled or value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data.update(changes)
    return url, data


@pytest.mark.parametrize("role", [User.Role.OFFICIAL, User.Role.COORDINATOR])
def test_city_staff_cannot_open_the_user_accounts(client, role):
    login(client, staff(role))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


@pytest.mark.parametrize("role", [User.Role.OFFICIAL, User.Role.COORDINATOR])
def test_city_staff_cannot_change_their_own_role(client, role):
    person = staff(role)
    login(client, person)
    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {"email": person.email, "role": "platform_admin"},
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert not person.is_superuser


def test_changing_a_role_in_the_back_office_is_audited_with_the_access_it_gives(
    client, platform_admin, outsider
):
    sync_role_groups()
    login(client, platform_admin)
    url, data = user_form(client, outsider, role="official")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    outsider.refresh_from_db()
    assert outsider.is_staff
    assert list(outsider.groups.values_list("name", flat=True)) == ["Urzędnicy"]
    entry = AuditEntry.objects.get(action="account.updated")
    assert entry.changes["role"] == ["resident", "official"]
    assert entry.changes["is_staff"] == [False, True]


def test_the_password_hash_never_reaches_the_audit_trail(client, platform_admin, outsider):
    login(client, platform_admin)
    url, data = user_form(client, outsider, full_name="Nowe Nazwisko")
    client.post(url, data)
    entry = AuditEntry.objects.get(action="account.updated")
    assert entry.changes == {"full_name": [outsider.full_name, "Nowe Nazwisko"]}


def test_superuser_status_cannot_be_set_apart_from_the_role(client, platform_admin, outsider):
    login(client, platform_admin)
    url, data = user_form(client, outsider, is_superuser="on", is_staff="on")
    client.post(url, data)
    outsider.refresh_from_db()
    assert not outsider.is_superuser
    assert not outsider.is_staff


def test_resetting_a_second_factor_asks_on_a_page_of_its_own_first(client, platform_admin):
    person = staff(User.Role.OFFICIAL)
    login(client, platform_admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [person.pk]},
    )
    assert response.status_code == 200
    assert person.email in response.content.decode()
    assert Authenticator.objects.filter(user=person).exists()


def test_platform_admin_resets_a_lost_second_factor_and_it_is_audited(client, platform_admin):
    person = staff(User.Role.OFFICIAL)
    login(client, platform_admin)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [person.pk], "confirm": "yes"},
    )
    assert not Authenticator.objects.filter(user=person).exists()
    assert AuditEntry.objects.filter(action="account.two_factor_reset", object_id=person.pk)


def test_the_groups_kept_by_the_code_are_not_in_the_back_office(client, platform_admin):
    login(client, platform_admin)
    assert client.get("/admin/auth/group/").status_code == 404


def test_roles_never_give_staff_more_than_a_look_at_memberships():
    sync_role_groups()
    official = staff(User.Role.OFFICIAL)
    coordinator = staff(User.Role.COORDINATOR)
    for person in (official, coordinator):
        assert person.has_perm("organizations.view_membership")
        for action in ("add", "change", "delete"):
            assert not person.has_perm(f"organizations.{action}_membership")
            assert not person.has_perm(f"organizations.{action}_invitation")
            assert not person.has_perm(f"organizations.{action}_claimrequest")


def test_a_grant_to_change_a_reserved_model_is_refused(monkeypatch):
    from wspolpraca.accounts import roles

    name, grants = roles.ROLE_GROUPS[User.Role.OFFICIAL]
    bad = {**grants, "organizations.membership": {"view", "change"}}
    monkeypatch.setitem(roles.ROLE_GROUPS, User.Role.OFFICIAL, (name, bad))
    with pytest.raises(ValueError):
        sync_role_groups()


def test_adding_an_official_gives_the_role_access_and_is_audited(client, platform_admin):
    sync_role_groups()
    login(client, platform_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "urzednik@example.org",
            "password1": "Bardzo-dlugie-haslo-2026",
            "password2": "Bardzo-dlugie-haslo-2026",
            "role": "official",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = User.objects.get(email="urzednik@example.org")
    assert person.is_staff and not person.is_superuser
    entry = AuditEntry.objects.get(action="account.created")
    assert entry.changes["role"] == [None, "official"]
    assert "password" not in entry.changes
