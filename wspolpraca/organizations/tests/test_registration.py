import pytest
from django.core import mail
from django.urls import reverse

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations import registration
from wspolpraca.organizations.krs import KrsEntity
from wspolpraca.organizations.models import Membership, Organization, PublicBenefitArea

from .factories import OrganizationFactory
from .fake_krs import sample_extract

URL = reverse("organizations:register")
KRAKOW_FOUNDATION = "odpis-S-0000512345-fundacja-krakow.json"
REGISTER_EMAIL = "kontakt@zielone-podworka.example.org"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _look_up(client, number):
    return client.post(URL, {"step": "lookup", "krs": number})


def _details(response):
    """What the browser would send back from step 2: the prefilled values."""
    form = response.context["form"]
    data = {"step": "details"}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False or value == "":
            continue
        if value is True:
            data[name] = "on"
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = value
    return data


def _manual_data(**extra):
    return {
        "step": "details",
        "name": "Grupa Sąsiedzka z Dąbia",
        "kind": Organization.Kind.INFORMAL_GROUP,
        "city": "Kraków",
        **extra,
    }


@pytest.fixture
def user(db):
    return UserFactory(email="anna@example.org")


@pytest.fixture
def registered_in_krs(fake_krs):
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    return fake_krs


# Access and step 1.


def test_anonymous_user_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_step_one_asks_for_the_krs_number(client, user):
    login(client, user)
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="krs"' in response.content.decode()
    assert "step=manual" in response.content.decode()


def test_lookup_prefills_the_form_from_the_krs(client, user, registered_in_krs):
    login(client, user)
    response = _look_up(client, "512345")
    assert response.templates[0].name == "organizations/register_form.html"
    initial = response.context["form"].initial
    assert initial["name"] == "FUNDACJA ZIELONE PODWÓRKA"
    assert initial["kind"] == "foundation"
    assert initial["krs"] == "0000512345"
    assert initial["nip"] == "1005123452"
    assert initial["regon"] == "159320939"
    assert initial["street"] == "ul. Kasztanowa 12/4"
    assert initial["email"] == REGISTER_EMAIL
    assert 'value="FUNDACJA ZIELONE PODWÓRKA"' in response.content.decode()


def test_lookup_shows_how_the_organization_is_represented(client, user, registered_in_krs):
    login(client, user)
    response = _look_up(client, "512345")
    assert "DWÓCH CZŁONKÓW ZARZĄDU DZIAŁAJĄCYCH ŁĄCZNIE." in response.content.decode()


def test_invalid_krs_number_is_refused_next_to_the_field_keeping_the_input(client, user):
    login(client, user)
    response = _look_up(client, "12ab")
    form = response.context["form"]
    assert "krs" in form.errors
    assert "ten digits" in form.errors["krs"][0]
    assert 'value="12ab"' in response.content.decode()


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda f: None, "no organization with this number"),
        (lambda f: f.set_status("OdpisAktualny/0000512345?rejestr=S", 204), "struck off"),
        (
            lambda f: f.add_extract("512345", "odpis-P-0000600777-spolka.json", register="P"),
            "register of entrepreneurs",
        ),
    ],
    ids=["not-found", "struck-off", "not-an-ngo"],
)
def test_register_refusal_is_shown_next_to_the_krs_field_keeping_the_input(
    client, user, fake_krs, setup, expected
):
    setup(fake_krs)
    login(client, user)
    response = _look_up(client, "512345")
    form = response.context["form"]
    assert response.templates[0].name == "organizations/register_krs.html"
    assert expected in form.errors["krs"][0]
    assert 'value="512345"' in response.content.decode()


def test_duplicate_krs_at_lookup_links_to_the_claim_page(client, user, fake_krs):
    existing = OrganizationFactory(krs="0000512345", name="Fundacja Już Jest")
    login(client, user)
    response = _look_up(client, "512345")
    error = response.context["form"].errors["krs"][0]
    assert "already on the platform" in error
    claim_url = reverse("organizations:claim", args=[existing.slug])
    assert f'<a href="{claim_url}">' in response.content.decode()
    assert fake_krs.requests == []


def test_register_unavailable_shows_the_empty_form_keeping_the_krs(client, user, fake_krs):
    fake_krs.set_status("*", 503)
    login(client, user)
    response = _look_up(client, "0000512345")
    form = response.context["form"]
    assert response.templates[0].name == "organizations/register_form.html"
    assert "not answering right now" in form.errors["krs"][0]
    assert form.initial == {"krs": "0000512345"}
    assert 'value="0000512345"' in response.content.decode()


def test_manual_path_shows_the_empty_form(client, user):
    login(client, user)
    response = client.get(URL + "?step=manual")
    assert response.templates[0].name == "organizations/register_form.html"
    assert response.context["form"].initial == {}
    assert not response.context["form"].errors


# Step 2.


def test_invalid_nip_is_refused_next_to_the_field_keeping_the_input(
    client, user, registered_in_krs
):
    login(client, user)
    data = _details(_look_up(client, "512345"))
    data["nip"] = "123-456-78-90"
    response = client.post(URL, data)
    form = response.context["form"]
    assert "NIP is not valid" in form.errors["nip"][0]
    assert 'value="123-456-78-90"' in response.content.decode()
    assert not Organization.objects.exists()


def test_invalid_regon_is_refused_next_to_the_field_keeping_the_input(
    client, user, registered_in_krs
):
    login(client, user)
    data = _details(_look_up(client, "512345"))
    data["regon"] = "123456789"
    response = client.post(URL, data)
    form = response.context["form"]
    assert "REGON is not valid" in form.errors["regon"][0]
    assert 'value="123456789"' in response.content.decode()


def test_invalid_krs_in_the_form_is_refused_next_to_the_field_keeping_the_input(client, user):
    login(client, user)
    response = client.post(URL, _manual_data(kind="foundation", krs="KRS-12"))
    assert "ten digits" in response.context["form"].errors["krs"][0]
    assert 'value="KRS-12"' in response.content.decode()


def test_duplicate_krs_in_the_form_is_refused_with_a_link_to_claim(client, user):
    existing = OrganizationFactory(krs="0000512345")
    login(client, user)
    response = client.post(URL, _manual_data(kind="foundation", krs="512345"))
    error = response.context["form"].errors["krs"][0]
    assert "already on the platform" in error
    assert reverse("organizations:claim", args=[existing.slug]) in error
    assert 'value="512345"' in response.content.decode()
    assert Organization.objects.count() == 1


def test_registration_from_the_krs_creates_a_pending_organization(client, user, registered_in_krs):
    login(client, user)
    data = _details(_look_up(client, "512345"))
    data["email"] = "inny@example.org"
    response = client.post(URL, data)
    organization = Organization.objects.get(krs="0000512345")
    assert response.status_code == 302
    assert response.url == organization.get_absolute_url()
    assert organization.name == "FUNDACJA ZIELONE PODWÓRKA"
    assert organization.verification == Organization.Verification.PENDING
    assert organization.source == Organization.Source.REGISTRATION
    assert organization.register_status == Organization.RegisterStatus.ACTIVE
    assert not organization.is_hidden


def test_registrant_becomes_the_admin(client, user, registered_in_krs):
    login(client, user)
    client.post(URL, _details(_look_up(client, "512345")))
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.ADMIN
    assert membership.organization.krs == "0000512345"


def test_registration_keeps_the_areas_the_user_chose(client, user, registered_in_krs):
    areas = list(PublicBenefitArea.objects.all()[:2])
    login(client, user)
    data = _details(_look_up(client, "512345"))
    data["areas"] = [a.pk for a in areas]
    data["description"] = "Ogrody na podwórkach Krakowa."
    client.post(URL, data)
    organization = Organization.objects.get(krs="0000512345")
    assert set(organization.areas.all()) == set(areas)
    assert organization.description == "Ogrody na podwórkach Krakowa."


def test_organization_page_shows_it_waits_for_verification(client, user, registered_in_krs):
    login(client, user)
    response = client.post(URL, _details(_look_up(client, "512345")), follow=True)
    content = response.content.decode()
    assert "FUNDACJA ZIELONE PODWÓRKA" in content
    assert "waits for verification by the platform team" in content
    assert "pending verification" in content


def test_matching_register_email_verifies_at_once(client, fake_krs):
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    owner = UserFactory(email=REGISTER_EMAIL)
    login(client, owner)
    client.post(URL, _details(_look_up(client, "512345")))
    organization = Organization.objects.get(krs="0000512345")
    assert organization.verification == Organization.Verification.VERIFIED
    assert organization.verified_at is not None
    entry = AuditEntry.objects.get(action="organization.verified", object_id=str(organization.pk))
    assert entry.actor is None
    assert "automatic" in entry.changes["reason"][1]


def test_register_email_matches_case_insensitively(client, fake_krs):
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    owner = UserFactory(email="Kontakt@Zielone-Podworka.EXAMPLE.org")
    login(client, owner)
    client.post(URL, _details(_look_up(client, "512345")))
    assert Organization.objects.get(krs="0000512345").is_verified


def test_unverified_email_does_not_verify(client, fake_krs):
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    owner = UserFactory(email=REGISTER_EMAIL)
    owner.emailaddress_set.update(verified=False)
    login(client, owner)
    client.post(URL, _details(_look_up(client, "512345")))
    assert not Organization.objects.get(krs="0000512345").is_verified


def test_auto_verify_can_be_switched_off(client, fake_krs, settings):
    settings.KRS_AUTO_VERIFY = False
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    owner = UserFactory(email=REGISTER_EMAIL)
    login(client, owner)
    client.post(URL, _details(_look_up(client, "512345")))
    assert not Organization.objects.get(krs="0000512345").is_verified


def test_email_typed_into_the_form_does_not_verify(client, user):
    login(client, user)
    client.post(URL, _manual_data(kind="foundation", krs="512345", email=user.email))
    assert not Organization.objects.get(krs="0000512345").is_verified


def test_registration_sends_confirmation_and_tells_staff(
    client, user, registered_in_krs, settings, django_capture_on_commit_callbacks
):
    login(client, user)
    data = _details(_look_up(client, "512345"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, data)
    recipients = [m.to for m in mail.outbox]
    assert [user.email] in recipients
    assert [settings.CONTACT_EMAIL] in recipients
    staff = next(m for m in mail.outbox if m.to == [settings.CONTACT_EMAIL])
    assert "/admin/organizations/organization/" in staff.body


def test_verified_registration_does_not_bother_staff(
    client, fake_krs, settings, django_capture_on_commit_callbacks
):
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    owner = UserFactory(email=REGISTER_EMAIL)
    login(client, owner)
    data = _details(_look_up(client, "512345"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, data)
    assert [m.to for m in mail.outbox] == [[REGISTER_EMAIL]]


def test_registration_writes_an_audit_entry(client, user, registered_in_krs):
    login(client, user)
    client.post(URL, _details(_look_up(client, "512345")))
    organization = Organization.objects.get(krs="0000512345")
    entry = AuditEntry.objects.get(action="organization.registered")
    assert entry.object_id == str(organization.pk)
    assert entry.actor == user
    assert entry.changes["prefilled_from_krs"] == [None, True]
    assert entry.changes["name"] == [None, "FUNDACJA ZIELONE PODWÓRKA"]


def test_group_outside_the_krs_registers_by_hand(client, user):
    login(client, user)
    response = client.post(URL, _manual_data())
    organization = Organization.objects.get(name="Grupa Sąsiedzka z Dąbia")
    assert response.status_code == 302
    assert organization.krs is None
    assert organization.kind == Organization.Kind.INFORMAL_GROUP
    assert organization.verification == Organization.Verification.PENDING


def test_foundation_by_hand_must_give_a_krs_number(client, user):
    login(client, user)
    response = client.post(URL, _manual_data(kind="foundation"))
    assert "give the number" in response.context["form"].errors["krs"][0]


def test_registering_the_krs_of_a_record_found_by_the_watch_takes_it_over(
    client, user, registered_in_krs
):
    found = OrganizationFactory(
        krs="0000512345",
        source=Organization.Source.KRS_WATCH,
        is_hidden=True,
        verification=Organization.Verification.PENDING,
    )
    login(client, user)
    response = _look_up(client, "512345")
    client.post(URL, _details(response))
    found.refresh_from_db()
    assert Organization.objects.count() == 1
    assert not found.is_hidden
    assert found.memberships.get().user == user
    assert AuditEntry.objects.filter(action="organization.registered_over_krs_watch").exists()


# The service on its own.


def test_service_refuses_a_duplicate_krs(user):
    existing = OrganizationFactory(krs="0000512345")
    with pytest.raises(registration.DuplicateKrs) as error:
        registration.register_organization(
            {"name": "X", "kind": "foundation", "krs": "0000512345"}, by=user
        )
    assert error.value.field == "krs"
    assert error.value.organization == existing


def test_service_ignores_a_krs_entity_of_another_number(user):
    entity = KrsEntity.from_dict(
        {
            "krs": "0000000001",
            "email": user.email,
            "name": "FUNDACJA A",
        }
    )
    organization = registration.register_organization(
        {"name": "Fundacja B", "kind": "foundation", "krs": "0000000002"},
        by=user,
        krs_entity=entity,
    )
    assert not organization.is_verified


def test_sample_extract_registers_end_to_end(client, user, fake_krs):
    fake_krs.add_extract("4410", sample_extract("4410", "STOWARZYSZENIE C", kind="STOWARZYSZENIE"))
    login(client, user)
    response = client.post(URL, _details(_look_up(client, "4410")))
    assert response.status_code == 302
    assert Organization.objects.get(krs="0000004410").kind == "association"
