"""Invitations are e-mails the platform sends in a person's name: limited, worded so they
cannot pass for the city's words, cancellable, and dead once the inviter stops
administering the organization."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations import services
from wspolpraca.organizations.models import Invitation, Membership

from .factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _invite(client, organization, email, role="member"):
    url = reverse("organizations:members", args=[organization.slug])
    return client.post(url, {"email": email, "role": role})


# Limits, counted from the invitations in the database.


def test_an_account_cannot_send_more_invitations_in_an_hour_than_the_limit(
    client, settings, organization, org_admin
):
    settings.INVITATIONS_PER_ACCOUNT_HOUR = 2
    login(client, org_admin)
    _invite(client, organization, "a@example.org")
    _invite(client, organization, "b@example.org")
    response = _invite(client, organization, "c@example.org")
    assert response.status_code == 200
    assert "Too many invitations" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.filter(email="c@example.org").exists()


def test_an_account_cannot_send_more_invitations_in_a_day_than_the_limit(
    client, settings, organization, org_admin
):
    settings.INVITATIONS_PER_ACCOUNT_DAY = 2
    login(client, org_admin)
    _invite(client, organization, "a@example.org")
    _invite(client, organization, "b@example.org")
    Invitation.objects.update(created_at=timezone.now() - timedelta(hours=5))
    response = _invite(client, organization, "c@example.org")
    assert "email" in response.context["form"].errors
    assert not Invitation.objects.filter(email="c@example.org").exists()


def test_the_organization_limit_counts_the_invitations_of_all_its_admins(
    client, settings, organization, org_admin
):
    settings.INVITATIONS_PER_ORGANIZATION_HOUR = 2
    second_admin = MembershipFactory(organization=organization, role="admin").user
    services.invite(organization, "a@example.org", "member", by=org_admin)
    services.invite(organization, "b@example.org", "member", by=org_admin)
    login(client, second_admin)
    response = _invite(client, organization, "c@example.org")
    assert "email" in response.context["form"].errors
    assert Invitation.objects.count() == 2


def test_invitations_older_than_a_day_do_not_count(client, settings, organization, org_admin):
    settings.INVITATIONS_PER_ACCOUNT_DAY = 1
    services.invite(organization, "a@example.org", "member", by=org_admin)
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=2))
    login(client, org_admin)
    assert _invite(client, organization, "b@example.org").status_code == 302


# The e-mail.


def test_the_invitation_email_does_not_carry_the_inviters_free_text_name(
    client, organization, org_admin, django_capture_on_commit_callbacks
):
    org_admin.full_name = "Urząd Miasta Krakowa: pilne wezwanie do zapłaty"
    org_admin.save()
    login(client, org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, organization, "nowa@example.org")
    message = mail.outbox[-1]
    assert "Urząd Miasta" not in message.body
    assert "Urząd Miasta" not in message.subject
    assert org_admin.email in message.body
    assert organization.name in message.body


def test_the_invitation_email_says_it_is_not_a_message_from_the_city(
    client, organization, org_admin, django_capture_on_commit_callbacks
):
    login(client, org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, organization, "nowa@example.org")
    assert "it is not a message from the city" in mail.outbox[-1].body


# Cancelling.


def test_an_admin_cancels_an_invitation_after_confirming(client, organization, org_admin):
    invitation = services.invite(organization, "nowa@example.org", "member", by=org_admin)
    login(client, org_admin)
    url = reverse("organizations:cancel_invitation", args=[organization.slug, invitation.pk])
    client.post(url)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    entry = AuditEntry.objects.get(action="membership.invitation_cancelled")
    assert entry.actor == org_admin


def test_a_plain_member_cannot_cancel_an_invitation(client, organization, org_admin, org_member):
    invitation = services.invite(organization, "nowa@example.org", "member", by=org_admin)
    login(client, org_member)
    url = reverse("organizations:cancel_invitation", args=[organization.slug, invitation.pk])
    assert client.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


def test_the_admin_of_another_organization_cannot_cancel_an_invitation(
    client, organization, org_admin, other_organization
):
    invitation = services.invite(organization, "nowa@example.org", "member", by=org_admin)
    other_admin = MembershipFactory(organization=other_organization, role="admin").user
    login(client, other_admin)
    url = reverse("organizations:cancel_invitation", args=[other_organization.slug, invitation.pk])
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


def test_accepting_a_cancelled_invitation_fails_with_a_clear_message(
    client, organization, org_admin, outsider
):
    invitation = services.invite(organization, outsider.email, "member", by=org_admin)
    services.cancel_invitation(invitation, by=org_admin)
    login(client, outsider)
    url = reverse("organizations:accept_invitation", args=[invitation.token])
    response = client.post(url, follow=True)
    assert not Membership.objects.filter(user=outsider).exists()
    assert "has been cancelled by the organization" in response.content.decode()


def test_the_page_of_a_cancelled_invitation_says_it_was_cancelled(
    client, organization, org_admin, outsider
):
    invitation = services.invite(organization, outsider.email, "member", by=org_admin)
    services.cancel_invitation(invitation, by=org_admin)
    login(client, outsider)
    response = client.get(reverse("organizations:accept_invitation", args=[invitation.token]))
    content = response.content.decode()
    assert "has been cancelled by the organization" in content
    assert "Accept the invitation" not in content


# Invitations die with the inviter's admin rights.


def test_handing_over_administration_cancels_the_givers_open_invitations(
    client, organization, org_admin, org_member
):
    invitation = services.invite(organization, "nowa@example.org", "member", by=org_admin)
    target = Membership.objects.get(user=org_member)
    login(client, org_admin)
    client.post(
        reverse("organizations:transfer_admin", args=[organization.slug]),
        {"membership": target.pk},
    )
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None


def test_handing_over_while_staying_admin_keeps_the_invitations(
    organization, org_admin, org_member
):
    invitation = services.invite(organization, "nowa@example.org", "member", by=org_admin)
    target = Membership.objects.get(user=org_member)
    services.transfer_admin(organization, target, by=org_admin, stay_admin=True)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


def test_removing_an_admin_cancels_their_open_invitations(organization, org_admin):
    second_admin = MembershipFactory(organization=organization, role="admin")
    invitation = services.invite(organization, "nowa@example.org", "member", by=second_admin.user)
    services.remove_member(second_admin, by=org_admin)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None


def test_an_admin_who_leaves_leaves_no_open_invitations(organization, org_admin):
    second_admin = MembershipFactory(organization=organization, role="admin").user
    invitation = services.invite(organization, "nowa@example.org", "member", by=second_admin)
    services.leave(organization, user=second_admin)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None


def test_other_admins_invitations_stay_open_when_one_admin_leaves(organization, org_admin):
    second_admin = MembershipFactory(organization=organization, role="admin").user
    invitation = services.invite(organization, "nowa@example.org", "member", by=org_admin)
    services.leave(organization, user=second_admin)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


# Rejected organizations.


def test_the_admin_of_a_rejected_organization_cannot_invite(client, organization, org_admin):
    organization.verification = "rejected"
    organization.save()
    login(client, org_admin)
    response = _invite(client, organization, "nowa@example.org")
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_members_page_of_a_rejected_organization_offers_no_invitation_form(
    client, organization, org_admin
):
    organization.verification = "rejected"
    organization.save()
    login(client, org_admin)
    response = client.get(reverse("organizations:members", args=[organization.slug]))
    assert "Send invitation" not in response.content.decode()
    assert "cannot invite people" in response.content.decode()


def test_rejecting_an_organization_cancels_its_open_invitations(
    organization, org_admin, platform_admin
):
    invitation = services.invite(organization, "nowa@example.org", "member", by=org_admin)
    services.verify(organization, by=platform_admin, approve=False)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None


def test_the_admin_of_a_pending_organization_may_invite(client, organization, org_admin):
    organization.verification = "pending"
    organization.save()
    login(client, org_admin)
    assert _invite(client, organization, "nowa@example.org").status_code == 302
