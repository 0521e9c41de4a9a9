"""Hand over administration, remove a member, leave, cancel an invitation: each asks on a
page of its own that says what will happen (GET), and only its POST acts."""

import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.organizations import services
from wspolpraca.organizations.models import Invitation, Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _confirmation(response):
    assert response.status_code == 200
    assert response.templates[0].name in {"core/confirm.html", "accounts/delete_account.html"}
    return response.content.decode()


def test_the_members_page_posts_no_destructive_action_directly(
    client, organization, org_admin, org_member
):
    services.invite(organization, "nowa@example.org", "member", by=org_admin)
    login(client, org_admin)
    html = client.get(reverse("organizations:members", args=[organization.slug])).content.decode()
    for url_name in ["remove_member", "transfer_admin", "leave"]:
        url = reverse(f"organizations:{url_name}", args=[organization.slug])
        assert f'action="{url}"' not in html
        assert f'href="{url}' in html
    assert "/anuluj/" in html


def test_the_remove_page_says_what_will_happen_and_removes_nobody(
    client, organization, org_admin, org_member
):
    membership = Membership.objects.get(user=org_member)
    login(client, org_admin)
    url = reverse("organizations:remove_member", args=[organization.slug])
    html = _confirmation(client.get(url, {"membership": membership.pk}))
    assert org_member.email in html
    assert "stops being a member" in html
    assert "Remove the member" in html
    assert f'name="membership" value="{membership.pk}"' in html
    assert reverse("organizations:members", args=[organization.slug]) in html
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_confirming_the_removal_removes_the_member(client, organization, org_admin, org_member):
    membership = Membership.objects.get(user=org_member)
    login(client, org_admin)
    url = reverse("organizations:remove_member", args=[organization.slug])
    client.post(url, {"membership": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_plain_member_cannot_open_the_remove_page(client, organization, org_admin, org_member):
    membership = Membership.objects.get(user=org_admin)
    login(client, org_member)
    url = reverse("organizations:remove_member", args=[organization.slug])
    assert client.get(url, {"membership": membership.pk}).status_code == 403


def test_the_hand_over_page_says_the_giver_becomes_a_member_and_changes_nothing(
    client, organization, org_admin, org_member
):
    membership = Membership.objects.get(user=org_member)
    login(client, org_admin)
    url = reverse("organizations:transfer_admin", args=[organization.slug])
    html = _confirmation(client.get(url, {"membership": membership.pk}))
    assert "you become an ordinary member" in html
    assert 'name="stay_admin"' in html
    assert "Hand over administration" in html
    assert Membership.objects.get(user=org_admin).role == "admin"
    assert Membership.objects.get(user=org_member).role == "member"


def test_confirming_with_stay_admin_keeps_the_giver_an_admin(
    client, organization, org_admin, org_member
):
    membership = Membership.objects.get(user=org_member)
    login(client, org_admin)
    url = reverse("organizations:transfer_admin", args=[organization.slug])
    client.post(url, {"membership": membership.pk, "stay_admin": "on"})
    assert Membership.objects.get(user=org_member).role == "admin"
    assert Membership.objects.get(user=org_admin).role == "admin"


def test_the_leave_page_says_what_will_happen_and_keeps_the_membership(
    client, organization, org_member
):
    login(client, org_member)
    html = _confirmation(client.get(reverse("organizations:leave", args=[organization.slug])))
    assert "You stop being a member" in html
    assert "Leave the organization" in html
    assert Membership.objects.filter(user=org_member).exists()


def test_the_leave_page_of_the_only_admin_explains_why_not_and_offers_no_button(
    client, organization, org_admin, org_member
):
    login(client, org_admin)
    html = _confirmation(client.get(reverse("organizations:leave", args=[organization.slug])))
    assert "You are the only administrator" in html
    assert "Leave the organization</button>" not in html


def test_the_leave_page_is_not_found_for_someone_who_is_not_a_member(
    client, organization, outsider
):
    login(client, outsider)
    assert client.get(reverse("organizations:leave", args=[organization.slug])).status_code == 404


def test_the_cancel_invitation_page_says_what_will_happen_and_cancels_nothing(
    client, organization, org_admin
):
    invitation = services.invite(organization, "nowa@example.org", "member", by=org_admin)
    login(client, org_admin)
    url = reverse("organizations:cancel_invitation", args=[organization.slug, invitation.pk])
    html = _confirmation(client.get(url))
    assert "nowa@example.org" in html
    assert "will stop working" in html
    assert "Cancel the invitation" in html
    assert Invitation.objects.get(pk=invitation.pk).cancelled_at is None


def test_the_delete_account_page_says_what_will_happen(client, org_member):
    login(client, org_member)
    html = _confirmation(client.get(reverse("accounts:delete")))
    assert "cannot be undone" in html
    assert "You stop being a member of: Fundacja Zdrowie Krakowa" in html
    assert f"erased account #{org_member.pk}" in html
    assert "Erase my account for good" in html
    assert reverse("accounts:profile") in html
