import pytest
from django.core import mail
from django.urls import reverse

from conftest import login
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations import services
from wspolpraca.organizations.models import ClaimRequest, Invitation, Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_admin_invites_by_email_and_the_person_is_told(
    client, organization, org_admin, django_capture_on_commit_callbacks
):
    login(client, org_admin)
    url = reverse("organizations:members", args=[organization.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "Nowa@Example.org", "role": "member"})
    invitation = Invitation.objects.get()
    assert invitation.email == "nowa@example.org"
    assert mail.outbox[0].to == ["nowa@example.org"]
    assert invitation.token in mail.outbox[0].body


def test_invited_person_joins_by_accepting(client, organization, org_admin, outsider):
    invitation = services.invite(organization, outsider.email, "member", by=org_admin)
    login(client, outsider)
    client.post(reverse("organizations:accept_invitation", args=[invitation.token]))
    assert Membership.objects.filter(
        organization=organization, user=outsider, role="member"
    ).exists()


def test_invitation_cannot_be_accepted_by_another_address(
    client, organization, org_admin, outsider
):
    invitation = services.invite(organization, "ktos@example.org", "member", by=org_admin)
    login(client, outsider)
    client.post(reverse("organizations:accept_invitation", args=[invitation.token]))
    assert not Membership.objects.filter(user=outsider).exists()


def test_inviting_an_existing_member_gives_a_message_next_to_the_field(
    client, organization, org_admin, org_member
):
    login(client, org_admin)
    url = reverse("organizations:members", args=[organization.slug])
    response = client.post(url, {"email": org_member.email, "role": "member"})
    assert response.context["form"].errors["email"]
    assert response.context["form"]["email"].value() == org_member.email


def test_invalid_invitation_address_keeps_what_was_typed(client, organization, org_admin):
    login(client, org_admin)
    url = reverse("organizations:members", args=[organization.slug])
    response = client.post(url, {"email": "to-nie-adres", "role": "member"})
    assert "email" in response.context["form"].errors
    assert 'value="to-nie-adres"' in response.content.decode()


def test_member_leaves(client, organization, org_member):
    login(client, org_member)
    client.post(reverse("organizations:leave", args=[organization.slug]))
    assert not Membership.objects.filter(user=org_member).exists()
    assert AuditEntry.objects.filter(action="membership.left").exists()


def test_only_admin_cannot_leave_while_others_remain(client, organization, org_admin, org_member):
    login(client, org_admin)
    client.post(reverse("organizations:leave", args=[organization.slug]))
    assert Membership.objects.filter(user=org_admin, role="admin").exists()


def test_admin_transfers_administration_and_becomes_member(
    client, organization, org_admin, org_member
):
    login(client, org_admin)
    target = Membership.objects.get(user=org_member)
    client.post(
        reverse("organizations:transfer_admin", args=[organization.slug]), {"membership": target.pk}
    )
    assert Membership.objects.get(user=org_member).role == "admin"
    assert Membership.objects.get(user=org_admin).role == "member"
    entry = AuditEntry.objects.get(action="membership.admin_transferred")
    assert entry.actor == org_admin
    assert entry.changes["admin_added"] == [None, org_member.email]


def test_claim_goes_to_the_admins_and_approval_makes_a_member(
    organization, org_admin, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.request_claim(organization, user=outsider, message="Jestem skarbnikiem")
    assert mail.outbox[0].to == [org_admin.email]
    services.decide_claim(claim, by=org_admin, approve=True)
    assert Membership.objects.get(user=outsider).role == "member"
    assert ClaimRequest.objects.get().status == "approved"


def test_claim_of_an_unadministered_record_makes_the_claimant_admin(
    organization, outsider, platform_admin
):
    claim = services.request_claim(organization, user=outsider, message="Prezes zarządu")
    services.decide_claim(claim, by=platform_admin, approve=True)
    assert Membership.objects.get(user=outsider).role == "admin"


def test_second_pending_claim_is_refused(organization, outsider):
    services.request_claim(organization, user=outsider)
    with pytest.raises(services.OrganizationError):
        services.request_claim(organization, user=outsider)


def test_platform_admin_verifies_and_admins_are_told(
    organization, org_admin, platform_admin, django_capture_on_commit_callbacks
):
    organization.verification = "pending"
    organization.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.verify(organization, by=platform_admin)
    organization.refresh_from_db()
    assert organization.is_verified
    assert mail.outbox[-1].to == [org_admin.email]
    assert (
        AuditEntry.objects.for_object(organization).filter(action="organization.verified").exists()
    )


def test_official_without_admin_role_cannot_verify(organization, official):
    with pytest.raises(services.OrganizationError):
        services.verify(organization, by=official)


def test_admin_edit_is_audited_with_the_changed_fields(client, organization, org_admin):
    login(client, org_admin)
    url = reverse("organizations:edit", args=[organization.slug])
    data = {
        "name": "Fundacja Zdrowie Krakowa i Okolic",
        "kind": "foundation",
        "krs": organization.krs,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="organization.updated")
    assert entry.changes["name"] == [
        "Fundacja Zdrowie Krakowa",
        "Fundacja Zdrowie Krakowa i Okolic",
    ]
    organization.refresh_from_db()
    assert organization.data_confirmed_at is not None


@pytest.mark.parametrize(
    ("field", "value"),
    [("nip", "1234567890"), ("regon", "123456789"), ("krs", "12ab"), ("postal_code", "31000")],
)
def test_invalid_identifiers_are_reported_next_to_the_field_and_kept(
    client, organization, org_admin, field, value
):
    login(client, org_admin)
    url = reverse("organizations:edit", args=[organization.slug])
    data = {"name": organization.name, "kind": "foundation", "krs": organization.krs, field: value}
    response = client.post(url, data)
    form = response.context["form"]
    assert field in form.errors
    assert form[field].value() == value


def test_duplicate_krs_is_refused_next_to_the_field(
    client, organization, org_admin, other_organization
):
    login(client, org_admin)
    url = reverse("organizations:edit", args=[organization.slug])
    response = client.post(
        url, {"name": organization.name, "kind": "foundation", "krs": other_organization.krs}
    )
    assert "krs" in response.context["form"].errors


def test_removing_a_member_is_audited(organization, org_admin):
    member = MembershipFactory(organization=organization)
    services.remove_member(member, by=org_admin)
    assert AuditEntry.objects.filter(action="membership.removed").exists()


def test_nip_typed_with_dashes_is_accepted_and_stored_compact(client, organization, org_admin):
    login(client, org_admin)
    url = reverse("organizations:edit", args=[organization.slug])
    data = {
        "name": organization.name,
        "kind": "foundation",
        "krs": organization.krs,
        "nip": "521-300-37-00",
    }
    assert client.post(url, data).status_code == 302
    organization.refresh_from_db()
    assert organization.nip == "5213003700"
