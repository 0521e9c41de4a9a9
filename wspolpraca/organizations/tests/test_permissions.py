"""Permissions, each tested from the side of the person who must be refused."""

import pytest
from django.core import mail
from django.urls import reverse

from conftest import login
from wspolpraca.organizations.models import Invitation, Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_member_of_a_cannot_open_the_edit_page_of_b(client, org_admin, other_organization):
    login(client, org_admin)
    response = client.get(reverse("organizations:edit", args=[other_organization.slug]))
    assert response.status_code == 403


def test_member_of_a_cannot_change_b_by_posting(client, org_admin, other_organization):
    login(client, org_admin)
    url = reverse("organizations:edit", args=[other_organization.slug])
    client.post(url, {"name": "Przejęta", "kind": "association", "krs": other_organization.krs})
    other_organization.refresh_from_db()
    assert other_organization.name == "Stowarzyszenie Inna Sprawa"


def test_admin_of_a_cannot_see_members_of_b(client, org_admin, other_organization):
    MembershipFactory(organization=other_organization)
    login(client, org_admin)
    response = client.get(reverse("organizations:members", args=[other_organization.slug]))
    assert response.status_code == 403


def test_non_admin_member_cannot_invite(client, organization, org_member):
    login(client, org_member)
    url = reverse("organizations:members", args=[organization.slug])
    response = client.post(url, {"email": "nowa@example.org", "role": "member"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_non_admin_member_cannot_remove_another_member(client, organization, org_member, org_admin):
    login(client, org_member)
    admin_membership = Membership.objects.get(user=org_admin)
    client.post(
        reverse("organizations:remove_member", args=[organization.slug]),
        {"membership": admin_membership.pk},
    )
    assert Membership.objects.filter(pk=admin_membership.pk).exists()


def test_non_admin_member_cannot_make_themselves_admin(client, organization, org_member):
    login(client, org_member)
    mine = Membership.objects.get(user=org_member)
    client.post(
        reverse("organizations:transfer_admin", args=[organization.slug]), {"membership": mine.pk}
    )
    mine.refresh_from_db()
    assert mine.role == Membership.Role.MEMBER


def test_anonymous_visitor_is_sent_to_login_from_members_page(client, organization):
    response = client.get(reverse("organizations:members", args=[organization.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_anonymous_visitor_sees_no_personal_data_of_members(
    client, organization, org_admin, org_member
):
    page = client.get(organization.get_absolute_url()).content.decode()
    for person in (org_admin, org_member):
        assert person.email not in page
        assert person.full_name not in page


def test_outsider_sees_no_personal_data_of_members(client, organization, org_admin, outsider):
    login(client, outsider)
    page = client.get(organization.get_absolute_url()).content.decode()
    assert org_admin.email not in page
    assert client.get(reverse("organizations:members", args=[organization.slug])).status_code == 403


def test_outsider_cannot_decide_a_claim(client, organization, outsider):
    from wspolpraca.organizations import services

    claimant = MembershipFactory.build().user
    claimant.save()
    claim = services.request_claim(organization, user=claimant, message="To ja")
    login(client, outsider)
    response = client.post(
        reverse("organizations:decide_claim", args=[organization.slug, claim.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "pending"


def test_resident_cannot_open_the_back_office(client, outsider):
    login(client, outsider)
    response = client.get(reverse("admin:organizations_organization_changelist"))
    assert response.status_code == 302
