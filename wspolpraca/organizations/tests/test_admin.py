import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.core.audit import record
from wspolpraca.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_official(official):
    sync_role_groups()
    apply_role(official)
    return User.objects.get(pk=official.pk)


def test_official_sees_the_audit_trail_on_the_organization_admin_page(
    client, staff_official, organization, org_admin
):
    record(org_admin, "organization.updated", organization, {"name": ["Stara", "Nowa"]})
    login(client, staff_official)
    page = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "organization.updated" in html
    assert org_admin.email in html


def test_platform_admin_verifies_from_the_list_action(
    client, platform_admin, django_capture_on_commit_callbacks
):
    pending = Organization.objects.create(name="Czeka", kind="association", krs="0000555555")
    login(client, platform_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:organizations_organization_changelist"),
            {"action": "verify_selected", "_selected_action": [pending.pk]},
        )
    pending.refresh_from_db()
    assert pending.is_verified


def test_official_cannot_use_the_verify_action(client, staff_official):
    pending = Organization.objects.create(name="Czeka", kind="association", krs="0000555556")
    login(client, staff_official)
    client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "verify_selected", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert not pending.is_verified


def test_changelist_lists_krs_watch_records_for_staff(client, staff_official):
    Organization.objects.create(
        name="Nowa z KRS", kind="foundation", krs="0000777777", source="krs_watch", is_hidden=True
    )
    login(client, staff_official)
    page = client.get(
        reverse("admin:organizations_organization_changelist"), {"source__exact": "krs_watch"}
    )
    assert "Nowa z KRS" in page.content.decode()
