"""Numbers in law (KRS, NIP, REGON, postal code) are written with the digits 0-9 only.

str.isdigit() and python-stdnum also take full-width ("０１２") and Arabic-Indic ("٠١٢")
digits; a KRS typed with them was stored as typed, so the duplicate check compared it with
nothing and the same organization could be registered twice."""

import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.organizations.models import Organization

from .factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _edit(client, organization, **fields):
    data = {"name": organization.name, "kind": "foundation", "krs": organization.krs, **fields}
    return client.post(reverse("organizations:edit", args=[organization.slug]), data)


@pytest.mark.parametrize("digits", [FULL_WIDTH, ARABIC_INDIC], ids=["full-width", "arabic"])
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("krs", "0000123456"),
        ("nip", "5213003700"),
        ("regon", "123456785"),
        ("postal_code", "31-000"),
    ],
)
def test_number_written_with_other_digits_is_refused_next_to_the_field(
    client, organization, org_admin, digits, field, value
):
    typed = value.translate(digits)
    login(client, org_admin)
    response = _edit(client, organization, **{field: typed})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert form[field].value() == typed


def test_full_width_krs_of_another_organization_cannot_bypass_the_duplicate_check(
    client, organization, org_admin
):
    other = OrganizationFactory(krs="0000777777")
    login(client, org_admin)
    response = _edit(client, organization, krs=other.krs.translate(FULL_WIDTH))
    assert "krs" in response.context["form"].errors
    assert Organization.objects.filter(krs__endswith="７７７７７７").count() == 0


def test_ascii_numbers_with_spaces_and_dashes_are_still_accepted(client, organization, org_admin):
    login(client, org_admin)
    response = _edit(
        client,
        organization,
        krs="0000 123 456",
        nip="PL 521-300-37-00",
        regon="123-456-785",
        postal_code="31-000",
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.krs, organization.nip, organization.regon) == (
        "0000123456",
        "5213003700",
        "123456785",
    )


def test_registration_look_up_refuses_a_full_width_krs(client, outsider, fake_krs):
    login(client, outsider)
    response = client.post(
        reverse("organizations:register"), {"step": "lookup", "krs": "512345".translate(FULL_WIDTH)}
    )
    assert "krs" in response.context["form"].errors
    assert fake_krs.requests == []


def test_registration_form_refuses_a_full_width_krs(client, outsider, organization):
    login(client, outsider)
    response = client.post(
        reverse("organizations:register"),
        {
            "step": "details",
            "name": "Fundacja Druga",
            "kind": "foundation",
            "krs": organization.krs.translate(FULL_WIDTH),
        },
    )
    assert "krs" in response.context["form"].errors
    assert not Organization.objects.filter(name="Fundacja Druga").exists()
