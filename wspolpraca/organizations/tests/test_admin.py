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


def test_official_cannot_verify_by_editing_the_field(client, staff_official):
    pending = Organization.objects.create(name="Czeka", kind="association", krs="0000555557")
    login(client, staff_official)
    page = client.get(reverse("admin:organizations_organization_change", args=[pending.pk]))
    assert 'name="verification"' not in page.content.decode()


def test_admin_edit_of_an_organization_is_audited(client, platform_admin, organization):
    from wspolpraca.core.models import AuditEntry

    login(client, platform_admin)
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    form = client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in {"areas", "target_groups", "logo"}
    }
    data.update({"name": "Nowa nazwa", "kind": "foundation", "slug": organization.slug})
    data.update({"memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="organization.updated")
    assert entry.changes["name"] == ["Fundacja Zdrowie Krakowa", "Nowa nazwa"]


def test_admin_audit_entry_leaves_out_columns_the_code_writes(client, platform_admin, organization):
    from wspolpraca.core.models import AuditEntry

    login(client, platform_admin)
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    form = client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in {"areas", "target_groups", "logo"}
    }
    data.update({"name": "Inna nazwa", "kind": "foundation", "slug": organization.slug})
    data.update({"memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0})
    client.post(url, data)
    changes = AuditEntry.objects.get(action="organization.updated").changes
    assert "search_document" not in changes
    assert "sort_name" not in changes
