"""RODO: erasing an account keeps the facts and drops the identity; a data export holds no
other person's address."""

import json

import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.accounts import services
from wspolpraca.core.audit import record
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations import services as organization_services
from wspolpraca.organizations.models import Invitation, Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _erase(client, user, password):
    login(client, user)
    client.post(reverse("accounts:delete"), {"password": password})


def _label(user):
    return f"#{user.pk}"


def test_erasure_removes_my_address_from_what_other_people_recorded(
    client, organization, org_admin, outsider, password
):
    invitation = organization_services.invite(organization, outsider.email, "member", by=org_admin)
    organization_services.accept_invitation(invitation, user=outsider)
    membership = Membership.objects.get(user=outsider)
    organization_services.remove_member(membership, by=org_admin)
    email, pk = outsider.email, outsider.pk
    _erase(client, outsider, password)
    for entry in AuditEntry.objects.all():
        assert email not in json.dumps(entry.changes)
        assert email not in entry.object_repr
        assert email not in entry.actor_label
    removed = AuditEntry.objects.get(action="membership.removed")
    assert removed.actor == org_admin
    assert removed.changes["member"][0].endswith(f"#{pk}")


def test_erasure_replaces_my_address_in_object_names_of_the_trail(
    client, organization, outsider, password
):
    membership = MembershipFactory(organization=organization, user=outsider)
    record(None, "membership.changed", membership)
    pk = outsider.pk
    email = outsider.email
    Membership.objects.filter(pk=membership.pk).delete()
    _erase(client, outsider, password)
    entry = AuditEntry.objects.get(action="membership.changed")
    assert email not in entry.object_repr
    assert outsider.full_name not in entry.object_repr
    assert f"#{pk}" in entry.object_repr


def test_erasure_replaces_my_address_when_the_object_was_named_by_it(
    client, organization, outsider, password
):
    outsider.full_name = ""
    outsider.save()
    membership = MembershipFactory(organization=organization, user=outsider)
    record(None, "membership.changed", membership)
    email, pk = outsider.email, outsider.pk
    _erase(client, outsider, password)
    entry = AuditEntry.objects.get(action="membership.changed")
    assert email not in entry.object_repr
    assert f"#{pk}" in entry.object_repr
    assert organization.name in entry.object_repr


def test_erasure_keeps_the_entries_and_other_peoples_addresses(
    client, organization, org_admin, outsider, password
):
    organization_services.invite(organization, outsider.email, "member", by=org_admin)
    organization_services.invite(organization, "inna@example.org", "member", by=org_admin)
    count = AuditEntry.objects.count()
    _erase(client, outsider, password)
    assert AuditEntry.objects.count() == count
    assert AuditEntry.objects.filter(changes__invited=[None, "inna@example.org"]).exists()


def test_erasure_removes_my_address_from_invitations_sent_to_me(
    client, organization, org_admin, outsider, password
):
    invitation = organization_services.invite(organization, outsider.email, "member", by=org_admin)
    email, pk = outsider.email, outsider.pk
    _erase(client, outsider, password)
    invitation.refresh_from_db()
    assert invitation.email != email
    assert invitation.email.endswith(f"#{pk}")
    assert invitation.cancelled_at is not None
    assert not Invitation.objects.filter(email__iexact=email).exists()


def test_erasure_cancels_the_invitations_i_sent(
    client, organization, password, django_capture_on_commit_callbacks
):
    admin = MembershipFactory(organization=organization, role="admin").user
    invitation = organization_services.invite(organization, "nowa@example.org", "member", by=admin)
    _erase(client, admin, password)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    assert invitation.invited_by is None


def test_erasure_label_is_the_same_everywhere(client, organization, org_admin, outsider, password):
    organization_services.invite(organization, outsider.email, "member", by=org_admin)
    record(outsider, "organization.updated", organization)
    pk = outsider.pk
    _erase(client, outsider, password)
    invitation = Invitation.objects.get()
    acted = AuditEntry.objects.get(action="organization.updated")
    invited = AuditEntry.objects.get(action="membership.invited")
    assert invitation.email == acted.actor_label == invited.changes["invited"][1]
    assert invitation.email.endswith(f"#{pk}")


def test_my_export_holds_no_other_persons_address(client, organization, org_admin, org_member):
    organization_services.invite(organization, "nowa.osoba@example.org", "member", by=org_admin)
    organization_services.remove_member(Membership.objects.get(user=org_member), by=org_admin)
    login(client, org_admin)
    body = client.post(reverse("accounts:export")).content.decode()
    assert "nowa.osoba@example.org" not in body
    assert org_member.email not in body
    data = json.loads(body)
    assert data["account"]["email"] == org_admin.email
    assert {e["action"] for e in data["audit_trail_as_actor"]} >= {
        "membership.invited",
        "membership.removed",
    }


def test_my_export_keeps_my_own_address(client, organization, org_admin, outsider):
    invitation = organization_services.invite(organization, outsider.email, "member", by=org_admin)
    organization_services.accept_invitation(invitation, user=outsider)
    login(client, outsider)
    data = json.loads(client.post(reverse("accounts:export")).content)
    joined = next(e for e in data["audit_trail_as_actor"] if e["action"] == "membership.joined")
    assert joined["changes"]["member"] == [None, outsider.email]


def test_masking_replaces_every_address_but_mine():
    data = {"a": ["x@example.org", "Ja@Example.org"], "b": "pisz do y@example.org lub z@ex.pl"}
    masked = services.mask_other_addresses(data, {"ja@example.org"})
    text = json.dumps(masked)
    assert "x@example.org" not in text and "y@example.org" not in text
    assert "z@ex.pl" not in text
    assert masked["a"][1] == "Ja@Example.org"


def test_erasure_finds_a_name_that_begins_with_a_polish_capital(
    client, organization, outsider, password
):
    outsider.full_name = "Łucja Świergiel"
    outsider.save()
    membership = MembershipFactory(organization=organization, user=outsider)
    record(None, "membership.changed", membership)
    Membership.objects.filter(pk=membership.pk).delete()
    _erase(client, outsider, password)
    entry = AuditEntry.objects.get(action="membership.changed")
    assert "Świergiel" not in entry.object_repr
