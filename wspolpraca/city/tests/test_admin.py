"""Back office for departments and coordinators: staff only, every save audited."""

import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.city.models import Coordinator
from wspolpraca.city.tests.factories import (
    CoordinatorFactory,
    PublicBenefitAreaFactory,
)
from wspolpraca.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:city_coordinator_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_outsider_without_staff_access_cannot_open_the_admin(client, outsider):
    login(client, outsider)

    response = client.get(reverse("admin:city_coordinator_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_platform_admin_can_list_coordinators(client, platform_admin):
    CoordinatorFactory(full_name="Anna Kulturalna")
    login(client, platform_admin)

    response = client.get(reverse("admin:city_coordinator_changelist"))

    assert response.status_code == 200
    assert "Anna Kulturalna" in response.content.decode()


def test_changing_a_coordinator_in_the_admin_records_the_changed_fields(client, platform_admin):
    area = PublicBenefitAreaFactory()
    coordinator = CoordinatorFactory(full_name="Anna Stara")
    login(client, platform_admin)

    client.post(
        reverse("admin:city_coordinator_change", args=[coordinator.pk]),
        {
            "department": coordinator.department.pk,
            "full_name": "Anna Nowa",
            "role": coordinator.role,
            "email": coordinator.email,
            "phone": coordinator.phone,
            "areas": [area.pk],
            "is_active": "on",
            "position": 0,
        },
    )

    entry = AuditEntry.objects.get(action="coordinator.updated")
    assert entry.changes["full_name"] == ["Anna Stara", "Anna Nowa"]
    assert entry.changes["areas"] == [[], [area.pk]]
    assert entry.actor == platform_admin


def test_adding_a_department_in_the_admin_records_its_creation(client, platform_admin):
    login(client, platform_admin)

    client.post(
        reverse("admin:city_department_add"),
        {
            "name": "Wydział Nowy",
            "short_name": "WN",
            "position": 0,
            "coordinators-TOTAL_FORMS": 0,
            "coordinators-INITIAL_FORMS": 0,
        },
    )

    entry = AuditEntry.objects.get(action="department.created")
    assert entry.changes["name"] == [None, "Wydział Nowy"]


def test_saving_a_coordinator_without_changes_records_nothing(client, platform_admin):
    coordinator = CoordinatorFactory()
    login(client, platform_admin)

    client.post(
        reverse("admin:city_coordinator_change", args=[coordinator.pk]),
        {
            "department": coordinator.department.pk,
            "full_name": coordinator.full_name,
            "role": coordinator.role,
            "email": coordinator.email,
            "phone": coordinator.phone,
            "is_active": "on",
            "position": 0,
        },
    )

    assert Coordinator.objects.get().full_name == coordinator.full_name
    assert not AuditEntry.objects.filter(action="coordinator.updated").exists()


def test_coordinator_added_in_the_department_inline_is_audited_on_the_department(
    client, platform_admin
):
    from wspolpraca.city.tests.factories import DepartmentFactory

    department = DepartmentFactory(name="Wydział Kultury", short_name="KU")
    login(client, platform_admin)
    response = client.post(
        reverse("admin:city_department_change", args=[department.pk]),
        {
            "name": department.name,
            "short_name": department.short_name,
            "email": department.email,
            "phone": department.phone,
            "position": 0,
            "coordinators-TOTAL_FORMS": 1,
            "coordinators-INITIAL_FORMS": 0,
            "coordinators-0-full_name": "Ewa Nowa",
            "coordinators-0-is_active": "on",
            "coordinators-0-position": 0,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="coordinator.created")
    assert entry.target == department
    assert entry.changes["full_name"] == [None, "Ewa Nowa"]


def test_official_cannot_change_a_department(client, official):
    from wspolpraca.accounts.roles import apply_role, sync_role_groups
    from wspolpraca.city.tests.factories import DepartmentFactory

    sync_role_groups()
    apply_role(official)
    department = DepartmentFactory(name="Wydział Kultury")
    login(client, official)
    response = client.post(
        reverse("admin:city_department_change", args=[department.pk]),
        {"name": "Mój wydział", "position": 0},
    )
    assert response.status_code == 403
