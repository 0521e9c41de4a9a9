"""What the platform team verified stays verified only while it is unchanged; the OPP
status comes from the KRS; unverified organizations say so wherever they are listed."""

import pytest
from django.core import mail
from django.urls import reverse

from conftest import login
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations.models import Organization

from .factories import MembershipFactory, OrganizationFactory
from .fake_krs import sample_extract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _edit_data(organization, **changes):
    data = {
        "name": organization.name,
        "kind": organization.kind,
        "krs": organization.krs,
        "nip": organization.nip,
        "regon": organization.regon,
        "city": organization.city,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _edit(client, organization, **changes):
    url = reverse("organizations:edit", args=[organization.slug])
    return client.post(url, _edit_data(organization, **changes))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Fundacja Zupełnie Inna"),
        ("kind", "association"),
        ("krs", "0000654321"),
        ("nip", "5213003700"),
        ("regon", "123456785"),
    ],
)
def test_changing_what_identifies_a_verified_organization_sends_it_back_to_pending(
    client, organization, org_admin, field, value
):
    login(client, org_admin)
    assert _edit(client, organization, **{field: value}).status_code == 302
    organization.refresh_from_db()
    assert organization.verification == Organization.Verification.PENDING
    assert organization.verified_at is None


def test_sending_back_to_pending_is_audited_with_the_changed_fields(
    client, organization, org_admin
):
    login(client, org_admin)
    _edit(client, organization, name="Fundacja Zupełnie Inna")
    entry = AuditEntry.objects.for_object(organization).get(
        action="organization.verification_reset"
    )
    assert entry.actor == org_admin
    assert entry.changes["verification"] == ["verified", "pending"]
    assert entry.changes["changed_fields"] == [None, ["name"]]


def test_platform_admins_are_told_by_email_when_an_organization_needs_verifying_again(
    client, organization, org_admin, platform_admin, django_capture_on_commit_callbacks
):
    login(client, org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, organization, name="Fundacja Zupełnie Inna")
    notices = [m for m in mail.outbox if platform_admin.email in m.to]
    assert len(notices) == 1
    assert "Fundacja Zupełnie Inna" in notices[0].subject
    assert org_admin.email not in notices[0].to


def test_changing_the_description_keeps_the_organization_verified(client, organization, org_admin):
    login(client, org_admin)
    _edit(client, organization, description="Nowy opis działań.")
    organization.refresh_from_db()
    assert organization.is_verified


def test_a_platform_admins_own_edit_keeps_the_verification(client, organization, platform_admin):
    login(client, platform_admin)
    _edit(client, organization, name="Fundacja Poprawiona Nazwa")
    organization.refresh_from_db()
    assert organization.is_verified


def test_the_edit_form_has_no_public_benefit_checkbox(client, organization, org_admin):
    login(client, org_admin)
    response = client.get(reverse("organizations:edit", args=[organization.slug]))
    assert "is_public_benefit" not in response.context["form"].fields
    assert 'name="is_public_benefit"' not in response.content.decode()


def test_an_admin_cannot_give_the_organization_the_opp_status(client, organization, org_admin):
    login(client, org_admin)
    _edit(client, organization, is_public_benefit="on")
    organization.refresh_from_db()
    assert organization.is_public_benefit is False


def test_registration_without_the_krs_cannot_claim_the_opp_status(client, outsider):
    login(client, outsider)
    client.post(
        reverse("organizations:register"),
        {
            "step": "details",
            "name": "Grupa Sąsiedzka",
            "kind": "informal_group",
            "city": "Kraków",
            "is_public_benefit": "on",
        },
    )
    assert Organization.objects.get(name="Grupa Sąsiedzka").is_public_benefit is False


def test_registration_from_the_krs_takes_the_opp_status_from_the_register(
    client, outsider, fake_krs
):
    fake_krs.add_extract("512346", sample_extract("512346", "FUNDACJA OPP", opp=True))
    login(client, outsider)
    url = reverse("organizations:register")
    step_two = client.post(url, {"step": "lookup", "krs": "512346"})
    form = step_two.context["form"]
    data = {"step": "details"}
    for name in form.fields:
        value = form.initial.get(name)
        if value not in (None, "", False):
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    client.post(url, data)
    assert Organization.objects.get(krs="0000512346").is_public_benefit is True


# The "unverified" badge: text, wherever organizations are listed.

BADGE = '<span class="badge unverified">unverified</span>'


@pytest.fixture
def pending(db):
    return OrganizationFactory(name="Fundacja Oczekująca", verification="pending")


def test_directory_card_of_a_pending_organization_says_unverified(client, pending):
    response = client.get(reverse("organizations:list"), {"q": "Oczekująca"})
    assert BADGE in response.content.decode()


def test_directory_card_of_a_verified_organization_has_no_unverified_badge(client, organization):
    response = client.get(reverse("organizations:list"), {"q": "Zdrowie"})
    assert "unverified" not in response.content.decode()


def test_detail_page_of_a_pending_organization_says_unverified(client, pending):
    response = client.get(pending.get_absolute_url())
    assert BADGE in response.content.decode()


def test_site_search_result_of_a_pending_organization_says_unverified(client, pending):
    response = client.get(reverse("pages:search"), {"q": "Oczekująca"})
    assert BADGE in response.content.decode()


def test_my_memberships_list_says_which_organization_is_unverified(client, pending, outsider):
    MembershipFactory(organization=pending, user=outsider)
    login(client, outsider)
    response = client.get(reverse("accounts:profile"))
    assert BADGE in response.content.decode()
