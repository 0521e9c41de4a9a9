"""The accessibility declaration (X5) in the structure Polish law requires."""

import re

import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.core.models import AuditEntry
from wspolpraca.pages.models import AccessibilityDeclaration

pytestmark = pytest.mark.django_db

REQUIRED_IDS = [
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-ocena",
    "a11y-data-sporzadzenie",
    "a11y-kontakt",
    "a11y-osoba",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-architektura",
    "a11y-aplikacje",
    "a11y-data-przeglad",
]
DATE_IDS = [
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-data-sporzadzenie",
    "a11y-data-przeglad",
]


@pytest.fixture
def html(client):
    return client.get(reverse("pages:accessibility")).content.decode()


def test_declaration_exists_after_migrations_with_partial_status():
    declaration = AccessibilityDeclaration.current()

    assert declaration.status == AccessibilityDeclaration.Status.PARTIAL
    assert "OpenStreetMap" in declaration.non_accessible_content


def test_declaration_contact_defaults_to_the_site_contact(settings):
    declaration = AccessibilityDeclaration.current()

    assert declaration.email == settings.CONTACT_EMAIL
    assert declaration.phone == settings.CONTACT_PHONE


@pytest.mark.parametrize("element_id", REQUIRED_IDS)
def test_declaration_contains_required_element_id(html, element_id):
    assert html.count(f'id="{element_id}"') == 1


@pytest.mark.parametrize("element_id", DATE_IDS)
def test_declaration_dates_are_time_elements_in_iso_format(html, element_id):
    assert re.search(rf'<time id="{element_id}" datetime="\d{{4}}-\d{{2}}-\d{{2}}">', html)


def test_auditor_element_is_absent_without_an_auditor(html):
    assert 'id="a11y-audytor"' not in html


def test_auditor_element_is_shown_when_an_auditor_is_named(client):
    declaration = AccessibilityDeclaration.current()
    declaration.auditor = "Fundacja Audytów Dostępności"
    declaration.save()

    html = client.get(reverse("pages:accessibility")).content.decode()

    assert '<span id="a11y-audytor">Fundacja Audytów Dostępności</span>' in html


def test_entity_name_is_escaped_in_the_introduction(client):
    declaration = AccessibilityDeclaration.current()
    declaration.entity_name = "<b>Gmina</b>"
    declaration.save()

    html = client.get(reverse("pages:accessibility")).content.decode()

    assert '<span id="a11y-podmiot">&lt;b&gt;Gmina&lt;/b&gt;</span>' in html


def test_saving_another_declaration_replaces_the_single_row():
    declaration = AccessibilityDeclaration.current()
    declaration.pk = None
    declaration.entity_name = "Inny podmiot"
    declaration.save()

    assert AccessibilityDeclaration.objects.count() == 1
    assert AccessibilityDeclaration.current().entity_name == "Inny podmiot"


def test_declaration_admin_cannot_add_a_second_row(client, platform_admin):
    login(client, platform_admin)

    response = client.get(reverse("admin:pages_accessibilitydeclaration_add"))

    assert response.status_code == 403


def test_changing_the_declaration_status_in_the_admin_is_audited(client, platform_admin):
    declaration = AccessibilityDeclaration.current()
    login(client, platform_admin)
    data = {
        field.name: field.value_from_object(declaration)
        for field in AccessibilityDeclaration._meta.concrete_fields
        if field.editable and not field.primary_key
    }
    data["status"] = "full"

    response = client.post(
        reverse("admin:pages_accessibilitydeclaration_change", args=[declaration.pk]), data
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accessibility_declaration.updated")
    assert entry.changes["status"] == ["partial", "full"]
