import json

import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.accounts.models import User
from wspolpraca.core.audit import record
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302


def test_export_gives_my_data_as_json(client, org_member, organization):
    login(client, org_member)
    response = client.post(reverse("accounts:export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == org_member.email
    assert data["memberships"][0]["organization"] == organization.name


def test_export_is_not_reachable_by_get(client, outsider):
    login(client, outsider)
    assert client.get(reverse("accounts:export")).status_code == 405


def test_deleting_my_account_needs_my_password(client, outsider):
    login(client, outsider)
    response = client.post(reverse("accounts:delete"), {"password": "zle-haslo"})
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=outsider.pk).exists()


def test_deleting_my_account_erases_it_and_my_name_in_the_trail(
    client, outsider, password, organization
):
    record(outsider, "organization.updated", organization)
    login(client, outsider)
    client.post(reverse("accounts:delete"), {"password": password})
    assert not User.objects.filter(pk=outsider.pk).exists()
    entry = AuditEntry.objects.get(action="organization.updated")
    assert outsider.email not in entry.actor_label


def test_only_admin_of_an_organization_with_members_cannot_delete_account(
    client, org_admin, org_member, password
):
    login(client, org_admin)
    response = client.post(reverse("accounts:delete"), {"password": password})
    assert response.context["obstacles"]
    assert User.objects.filter(pk=org_admin.pk).exists()


def test_official_without_totp_is_sent_to_set_it_up(client):
    from wspolpraca.accounts.tests.factories import UserFactory

    official = UserFactory(role=User.Role.OFFICIAL)
    login(client, official)
    response = client.get(reverse("organizations:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_resident_is_not_forced_to_set_up_totp(client, outsider):
    login(client, outsider)
    assert client.get(reverse("organizations:list")).status_code == 200


def test_commission_member_flag_requires_totp(client):
    from wspolpraca.accounts.tests.factories import UserFactory

    member = UserFactory(requires_mfa=True)
    login(client, member)
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_member_list_is_part_of_profile(client, outsider):
    MembershipFactory(user=outsider)
    login(client, outsider)
    response = client.get(reverse("accounts:profile"))
    assert len(response.context["memberships"]) == 1
