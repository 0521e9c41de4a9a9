import pytest
from django.urls import reverse

from conftest import admin_change_data, login
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.core.audit import record
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations.models import ClaimRequest, Invitation, Membership, Organization

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
    assert "Stara" in html and "Nowa" in html
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
    data = admin_change_data(
        client, url, name="Nowa nazwa", kind="foundation", slug=organization.slug
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="organization.updated")
    assert entry.changes["name"] == ["Fundacja Zdrowie Krakowa", "Nowa nazwa"]


def test_admin_audit_entry_leaves_out_columns_the_code_writes(client, platform_admin, organization):
    from wspolpraca.core.models import AuditEntry

    login(client, platform_admin)
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = admin_change_data(
        client, url, name="Inna nazwa", kind="foundation", slug=organization.slug
    )
    client.post(url, data)
    changes = AuditEntry.objects.get(action="organization.updated").changes
    assert "search_document" not in changes
    assert "sort_name" not in changes


# Rights that follow the roles (accounts/roles.py), from the side of the person refused.


@pytest.fixture
def staff_coordinator(db):
    from conftest import with_totp
    from wspolpraca.accounts.tests.factories import UserFactory

    sync_role_groups()
    person = with_totp(UserFactory(role=User.Role.COORDINATOR))
    apply_role(person)
    return User.objects.get(pk=person.pk)


def organization_form(client, organization, rows=(), **changes):
    """The POST of the organization's change page as it stands, with `rows` of the
    membership inline ({"user": pk, "role": ..., "id": pk, "DELETE": "on"})."""
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = admin_change_data(client, url, kind=organization.kind, slug=organization.slug, **changes)
    initial = [row for row in rows if row.get("id")]
    data.update({"memberships-TOTAL_FORMS": len(rows), "memberships-INITIAL_FORMS": len(initial)})
    for index, row in enumerate(rows):
        for key, value in {"organization": organization.pk, **row}.items():
            data[f"memberships-{index}-{key}"] = value
    return url, data


def offered_actions(page):
    action_form = page.context["action_form"]  # None when no action is offered at all
    return (
        {value for value, _label in action_form.fields["action"].choices} if action_form else set()
    )


def test_official_cannot_open_the_page_that_adds_a_membership(client, staff_official):
    login(client, staff_official)
    response = client.get(reverse("admin:organizations_membership_add"))
    assert response.status_code == 403


def test_official_cannot_change_a_membership_in_its_admin_page(
    client, staff_official, organization, org_member
):
    membership = Membership.objects.get(user=org_member)
    login(client, staff_official)
    response = client.post(
        reverse("admin:organizations_membership_change", args=[membership.pk]),
        {"organization": organization.pk, "user": staff_official.pk, "role": "admin"},
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert (membership.user, membership.role) == (org_member, "member")


def test_official_cannot_delete_a_membership(client, staff_official, org_member):
    membership = Membership.objects.get(user=org_member)
    login(client, staff_official)
    response = client.post(
        reverse("admin:organizations_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_official_cannot_make_themselves_admin_through_the_organization_inline(
    client, staff_official, organization
):
    login(client, staff_official)
    url, data = organization_form(
        client, organization, rows=[{"user": staff_official.pk, "role": "admin"}]
    )
    client.post(url, data)
    assert not Membership.objects.filter(user=staff_official).exists()


def test_official_cannot_change_a_members_role_through_the_inline(
    client, staff_official, organization, org_member
):
    membership = Membership.objects.get(user=org_member)
    login(client, staff_official)
    row = {"id": membership.pk, "user": org_member.pk, "role": "admin"}
    url, data = organization_form(client, organization, rows=[row])
    client.post(url, data)
    membership.refresh_from_db()
    assert membership.role == "member"


def test_official_cannot_delete_a_member_through_the_inline(
    client, staff_official, organization, org_member
):
    membership = Membership.objects.get(user=org_member)
    login(client, staff_official)
    row = {"id": membership.pk, "user": org_member.pk, "role": "member", "DELETE": "on"}
    url, data = organization_form(client, organization, rows=[row])
    client.post(url, data)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_official_sees_the_members_read_only_on_the_organization_page(
    client, staff_official, organization, org_member
):
    login(client, staff_official)
    page = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    html = page.content.decode()
    assert str(org_member) in html
    assert 'name="memberships-0-role"' not in html


def test_official_is_not_offered_the_verify_reject_or_delete_actions(
    client, staff_official, organization
):
    login(client, staff_official)
    page = client.get(reverse("admin:organizations_organization_changelist"))
    actions = offered_actions(page)
    assert not {"verify_selected", "reject_selected", "delete_selected"} & actions


def test_platform_admin_is_offered_the_verify_action(client, platform_admin, organization):
    login(client, platform_admin)
    page = client.get(reverse("admin:organizations_organization_changelist"))
    actions = offered_actions(page)
    assert {"verify_selected", "reject_selected", "delete_selected"} <= actions


def test_official_cannot_set_the_source_or_the_confirmation_date(
    client, staff_official, organization
):
    login(client, staff_official)
    page = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    html = page.content.decode()
    assert 'name="source"' not in html
    assert 'name="data_confirmed_at_0"' not in html


def test_official_cannot_add_or_delete_organizations(client, staff_official, organization):
    login(client, staff_official)
    assert client.get(reverse("admin:organizations_organization_add")).status_code == 403
    response = client.post(
        reverse("admin:organizations_organization_delete", args=[organization.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_official_cannot_change_an_invitation(client, staff_official, organization):
    invitation = Invitation.objects.create(organization=organization, email="a@example.org")
    login(client, staff_official)
    response = client.post(
        reverse("admin:organizations_invitation_change", args=[invitation.pk]),
        {"organization": organization.pk, "email": "ja@example.org", "role": "admin"},
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert (invitation.email, invitation.role) == ("a@example.org", "member")


def test_official_cannot_add_an_invitation(client, staff_official):
    login(client, staff_official)
    assert client.get(reverse("admin:organizations_invitation_add")).status_code == 403


def test_official_cannot_approve_a_claim_in_the_back_office(
    client, staff_official, organization, outsider
):
    claim = ClaimRequest.objects.create(organization=organization, user=outsider)
    login(client, staff_official)
    response = client.post(
        reverse("admin:organizations_claimrequest_change", args=[claim.pk]),
        {"organization": organization.pk, "user": outsider.pk, "status": "approved"},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "pending"


def test_coordinator_cannot_change_a_membership(client, staff_coordinator, org_member):
    membership = Membership.objects.get(user=org_member)
    login(client, staff_coordinator)
    response = client.post(
        reverse("admin:organizations_membership_change", args=[membership.pk]),
        {"organization": membership.organization_id, "user": org_member.pk, "role": "admin"},
    )
    assert response.status_code == 403


def test_coordinator_cannot_make_themselves_admin_through_the_inline(
    client, staff_coordinator, organization
):
    login(client, staff_coordinator)
    url, data = organization_form(
        client, organization, rows=[{"user": staff_coordinator.pk, "role": "admin"}]
    )
    client.post(url, data)
    assert not Membership.objects.filter(user=staff_coordinator).exists()


def test_coordinator_is_not_offered_the_verify_action(client, staff_coordinator, organization):
    login(client, staff_coordinator)
    page = client.get(reverse("admin:organizations_organization_changelist"))
    actions = offered_actions(page)
    assert "verify_selected" not in actions


def test_coordinator_cannot_change_districts(client, staff_coordinator):
    from wspolpraca.organizations.tests.factories import DistrictFactory

    district = DistrictFactory(name="Stare Miasto")
    login(client, staff_coordinator)
    response = client.post(
        reverse("admin:organizations_district_change", args=[district.pk]),
        {"number": district.number, "roman": "I", "name": "Moje Miasto"},
    )
    assert response.status_code == 403


def test_coordinator_may_edit_the_short_name_of_an_area(client, staff_coordinator):
    from wspolpraca.city.tests.factories import PublicBenefitAreaFactory

    area = PublicBenefitAreaFactory(label_pl="Sfera", label_en="")
    login(client, staff_coordinator)
    response = client.post(
        reverse("admin:organizations_publicbenefitarea_change", args=[area.pk]),
        {"code": area.code, "label_pl": "Sfera", "short_label_pl": "Krótko", "position": 1},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.short_label_pl == "Krótko"


# Every change in the back office is audited: inline rows, deletions, bulk actions.


def test_membership_added_through_the_inline_is_audited_on_the_organization(
    client, platform_admin, organization, outsider
):
    login(client, platform_admin)
    url, data = organization_form(
        client, organization, rows=[{"user": outsider.pk, "role": "admin"}]
    )
    response = client.post(url, data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="membership.created")
    assert entry.target == organization
    assert entry.changes["user"] == [None, outsider.pk]
    assert entry.changes["role"] == [None, "admin"]
    assert entry.actor == platform_admin


def test_role_changed_through_the_inline_is_audited_with_whose_row_it_was(
    client, platform_admin, organization, org_member
):
    membership = Membership.objects.get(user=org_member)
    login(client, platform_admin)
    row = {"id": membership.pk, "user": org_member.pk, "role": "admin"}
    url, data = organization_form(client, organization, rows=[row])
    client.post(url, data)
    entry = AuditEntry.objects.get(action="membership.updated")
    assert entry.target == organization
    assert entry.changes["role"] == ["member", "admin"]
    assert entry.changes["user"] == [org_member.pk, org_member.pk]


def test_membership_deleted_through_the_inline_is_audited(
    client, platform_admin, organization, org_member
):
    membership = Membership.objects.get(user=org_member)
    login(client, platform_admin)
    row = {"id": membership.pk, "user": org_member.pk, "role": "member", "DELETE": "on"}
    url, data = organization_form(client, organization, rows=[row])
    client.post(url, data)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(action="membership.deleted")
    assert entry.target == organization
    assert entry.changes["user"] == [org_member.pk, None]


def test_deleting_an_organization_in_the_back_office_is_audited(
    client, platform_admin, organization
):
    login(client, platform_admin)
    client.post(
        reverse("admin:organizations_organization_delete", args=[organization.pk]), {"post": "yes"}
    )
    entry = AuditEntry.objects.get(action="organization.deleted")
    assert entry.object_repr == "Fundacja Zdrowie Krakowa"
    assert entry.changes["name"] == ["Fundacja Zdrowie Krakowa", None]


def test_bulk_delete_writes_an_entry_for_each_row(client, platform_admin):
    from wspolpraca.organizations.tests.factories import DistrictFactory

    districts = [DistrictFactory(number=91, name="Jeden"), DistrictFactory(number=92, name="Dwa")]
    login(client, platform_admin)
    client.post(
        reverse("admin:organizations_district_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in districts], "post": "yes"},
    )
    entries = AuditEntry.objects.filter(action="district.deleted")
    assert sorted(entries.values_list("object_repr", flat=True)) == ["91 Jeden", "92 Dwa"]


def test_bulk_verify_action_writes_an_entry_for_each_organization(
    client, platform_admin, django_capture_on_commit_callbacks
):
    pending = [
        Organization.objects.create(name=f"Czeka {n}", kind="association", krs=f"000055550{n}")
        for n in range(2)
    ]
    login(client, platform_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:organizations_organization_changelist"),
            {"action": "verify_selected", "_selected_action": [o.pk for o in pending]},
        )
    assert AuditEntry.objects.filter(action="organization.verified").count() == 2


# The trail in plain language.


def test_audit_trail_names_actions_and_fields_in_polish(
    client, staff_official, organization, org_admin
):
    from wspolpraca.organizations.tests.factories import DistrictFactory

    district = DistrictFactory(name="Podgórze", roman="XIII")
    record(
        org_admin, "membership.admin_transferred", organization, {"admin_added": [None, "a@b.pl"]}
    )
    record(org_admin, "organization.updated", organization, {"district_id": [None, district.pk]})
    record(
        org_admin, "organization.verified", organization, {"verification": ["pending", "verified"]}
    )
    login(client, staff_official)
    page = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    html = page.content.decode()
    for text in ["Przekazano administrowanie", "Nowy administrator", "Zmieniono dane"]:
        assert text in html
    assert "Dzielnica</strong>: — → XIII Podgórze" in html
    assert "Weryfikacja</strong>: czeka na weryfikację → zweryfikowana" in html
    for code in ["membership.admin_transferred", "organization.updated", "district_id"]:
        assert code not in html


def test_inline_row_entry_reads_with_the_row_models_labels(
    client, platform_admin, organization, outsider
):
    login(client, platform_admin)
    url, data = organization_form(
        client, organization, rows=[{"user": outsider.pk, "role": "admin"}]
    )
    client.post(url, data)
    html = client.get(url).content.decode()
    assert "Dodano członkostwo w panelu administracyjnym" in html
    assert "Rola</strong>: — → administrator" in html
    assert f"Użytkownik</strong>: — → {outsider}" in html


# The back office's organization form keeps the site form's rules (issue 5, points 5, 6, 13).


def post_organization(client, organization, **changes):
    url, data = organization_form(client, organization, **changes)
    return client.post(url, data)


def field_errors(response, name):
    return response.context["adminform"].form.errors.get(name, [])


def test_official_cannot_save_a_full_width_postal_code(client, staff_official, organization):
    login(client, staff_official)
    response = post_organization(client, organization, postal_code="３１-899")
    assert response.status_code == 200
    assert field_errors(response, "postal_code")
    organization.refresh_from_db()
    assert organization.postal_code == ""


def test_official_cannot_save_letters_as_the_nip(client, staff_official, organization):
    login(client, staff_official)
    response = post_organization(client, organization, nip="abc")
    assert response.status_code == 200
    assert field_errors(response, "nip")
    organization.refresh_from_db()
    assert organization.nip == ""


def test_official_cannot_give_a_krs_number_another_organization_has(
    client, staff_official, organization, other_organization
):
    login(client, staff_official)
    response = post_organization(client, organization, krs=other_organization.krs)
    assert response.status_code == 200
    assert field_errors(response, "krs")


def test_official_cannot_save_a_name_with_a_line_break(client, staff_official, organization):
    login(client, staff_official)
    response = post_organization(client, organization, name="Fundacja\nBcc: ktos@example.org")
    assert response.status_code == 200
    assert field_errors(response, "name")
    organization.refresh_from_db()
    assert organization.name == "Fundacja Zdrowie Krakowa"


def test_official_renaming_a_verified_organization_sends_it_back_to_verification(
    client,
    staff_official,
    platform_admin,
    organization,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    assert organization.is_verified
    login(client, staff_official)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_organization(client, organization, name="Fundacja Nowa Nazwa")
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.verification == Organization.Verification.PENDING
    assert organization.verified_at is None
    entry = AuditEntry.objects.get(action="organization.verification_reset")
    assert entry.actor == staff_official
    assert entry.changes["changed_fields"] == [None, ["name"]]
    assert [m.to for m in mailoutbox] == [[platform_admin.email]]
    assert "Fundacja Nowa Nazwa" in mailoutbox[0].subject


def test_platform_admin_renaming_a_verified_organization_keeps_it_verified(
    client, platform_admin, organization, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, platform_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_organization(client, organization, name="Fundacja Nowa Nazwa")
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Fundacja Nowa Nazwa"
    assert organization.is_verified
    assert not AuditEntry.objects.filter(action="organization.verification_reset").exists()
    assert mailoutbox == []


def test_official_cannot_set_the_public_benefit_status(client, staff_official, organization):
    login(client, staff_official)
    response = post_organization(
        client, organization, is_public_benefit="on", register_status="struck_off"
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.is_public_benefit is False
    assert organization.register_status != "struck_off"


def test_coordinator_cannot_set_the_public_benefit_status(client, staff_coordinator, organization):
    login(client, staff_coordinator)
    post_organization(client, organization, is_public_benefit="on")
    organization.refresh_from_db()
    assert organization.is_public_benefit is False


def test_organization_admin_page_places_the_point_on_a_map_and_groups_the_areas(
    client, staff_official, organization
):
    login(client, staff_official)
    page = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    html = page.content.decode()
    assert "data-map-picker" in html and "core/map_picker.js" in html
    assert "leaflet/leaflet.js" in html and "leaflet/leaflet.css" in html
    assert "data-choice-groups" in html and "core/choices.js" in html
    assert 'name="longitude"' in html and 'type="hidden" name="longitude"' in html


def test_staff_who_may_only_view_organizations_open_the_page(client, organization):
    from django.contrib.auth.models import Permission

    from conftest import with_totp
    from wspolpraca.accounts.tests.factories import UserFactory

    viewer = with_totp(UserFactory(is_staff=True))
    viewer.user_permissions.add(Permission.objects.get(codename="view_organization"))
    login(client, viewer)
    page = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    assert page.status_code == 200
    assert organization.name in page.content.decode()
