"""Malformed input gets a 400 or a message next to the field, never a 500."""

import pytest
from django.core import mail
from django.urls import reverse

from conftest import login
from wspolpraca.accounts.models import User
from wspolpraca.organizations import services
from wspolpraca.organizations.models import ClaimRequest, Membership, Organization

from .factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def client(client):
    """A 500 shows as a response, as a visitor would see it, not as an exception."""
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "url_name", ["organizations:remove_member", "organizations:transfer_admin"]
)
@pytest.mark.parametrize("value", ["abc", "", "1.5", "１"])
def test_a_membership_id_that_is_not_a_number_is_a_bad_request(
    client, organization, org_admin, org_member, url_name, value
):
    login(client, org_admin)
    url = reverse(url_name, args=[organization.slug])
    assert client.post(url, {"membership": value}).status_code == 400
    assert client.get(url, {"membership": value}).status_code == 400
    assert Membership.objects.filter(user=org_member, role="member").exists()


@pytest.mark.parametrize(
    "url_name", ["organizations:remove_member", "organizations:transfer_admin"]
)
def test_a_missing_membership_id_is_a_bad_request(client, organization, org_admin, url_name):
    login(client, org_admin)
    assert client.post(reverse(url_name, args=[organization.slug])).status_code == 400


def test_a_membership_id_too_large_for_the_database_is_not_found(client, organization, org_admin):
    login(client, org_admin)
    url = reverse("organizations:remove_member", args=[organization.slug])
    assert client.post(url, {"membership": "9" * 30}).status_code == 404


def test_a_claim_decision_that_is_neither_approve_nor_reject_is_a_bad_request(
    client, organization, org_admin, outsider
):
    claim = services.request_claim(organization, user=outsider)
    login(client, org_admin)
    url = reverse("organizations:decide_claim", args=[organization.slug, claim.pk])
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    claim.refresh_from_db()
    assert claim.status == ClaimRequest.Status.PENDING


def test_a_claim_number_too_large_for_the_database_is_not_found(client, organization, org_admin):
    login(client, org_admin)
    url = reverse("organizations:decide_claim", args=[organization.slug, 1]).replace(
        "/1/", f"/{'9' * 30}/"
    )
    assert client.post(url, {"decision": "approve"}).status_code == 404


def test_an_unknown_invitation_token_is_not_found(client, outsider):
    login(client, outsider)
    url = reverse("organizations:accept_invitation", args=["nie-ma-takiego"])
    assert client.get(url).status_code == 404
    assert client.get(url.replace("takiego", "takiego%00")).status_code == 404


def test_an_invitation_with_an_unknown_role_is_refused_next_to_the_field(
    client, organization, org_admin
):
    login(client, org_admin)
    url = reverse("organizations:members", args=[organization.slug])
    response = client.post(url, {"email": "nowa@example.org", "role": "owner"})
    assert "role" in response.context["form"].errors


@pytest.mark.parametrize("field", ["name", "short_name", "street", "city"])
def test_a_line_break_in_a_one_line_field_is_refused_next_to_the_field(
    client, organization, org_admin, field
):
    login(client, org_admin)
    typed = "Fundacja\nBcc: ktos@example.org"
    data = {"name": organization.name, "kind": "foundation", "krs": organization.krs, field: typed}
    response = client.post(reverse("organizations:edit", args=[organization.slug]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "one line" in form.errors[field][0]
    assert form[field].value() == typed


def test_a_line_break_in_the_name_at_registration_is_refused(client, outsider):
    login(client, outsider)
    response = client.post(
        reverse("organizations:register"),
        {
            "step": "details",
            "name": "Grupa\r\nSąsiedzka",
            "kind": "informal_group",
            "city": "Kraków",
        },
    )
    assert "name" in response.context["form"].errors
    assert not Organization.objects.filter(name__contains="Sąsiedzka").exists()


def test_a_line_break_in_my_name_is_refused_next_to_the_field(client, outsider):
    login(client, outsider)
    response = client.post(reverse("accounts:profile"), {"full_name": "Anna\nNowak", "phone": ""})
    assert "one line" in response.context["form"].errors["full_name"][0]
    assert User.objects.get(pk=outsider.pk).full_name != "Anna\nNowak"


def test_a_name_with_a_line_break_from_the_register_makes_a_one_line_subject(
    client, outsider, django_capture_on_commit_callbacks
):
    # Names also arrive from the KRS and the back office, not only through the forms.
    organization = OrganizationFactory(name="Fundacja\nBcc: ktos@example.org")
    login(client, outsider)
    url = reverse("organizations:claim", args=[organization.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Jestem prezesem."})
    assert response.status_code == 302
    subject = mail.outbox[-1].subject
    assert "\n" not in subject and "\r" not in subject
    assert "Fundacja Bcc" in subject


def test_safe_subject_removes_every_control_character():
    from wspolpraca.core.mail import safe_subject

    assert safe_subject("A\r\nB\x00C\u2028D\tE") == "A B C D E"


@pytest.mark.parametrize("field", ["areas", "target_groups", "district"])
@pytest.mark.parametrize("value", ["9" * 30, "abc", "１"])
def test_an_id_the_database_cannot_hold_is_refused_next_to_the_field(
    client, organization, org_admin, field, value
):
    login(client, org_admin)
    data = {"name": organization.name, "kind": "foundation", "krs": organization.krs, field: value}
    response = client.post(reverse("organizations:edit", args=[organization.slug]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_an_invitation_address_longer_than_the_column_is_refused_next_to_the_field(
    client, organization, org_admin
):
    login(client, org_admin)
    url = reverse("organizations:members", args=[organization.slug])
    email = f"{'a' * 60}@{'b' * 60}.{'c' * 60}.{'d' * 60}.example.org"
    response = client.post(url, {"email": email, "role": "member"})
    assert "email" in response.context["form"].errors
