import pytest

from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_official_gets_back_office_access_to_view_organizations():
    sync_role_groups()
    official = UserFactory(role=User.Role.OFFICIAL)
    apply_role(official)
    official = User.objects.get(pk=official.pk)
    assert official.is_staff
    assert official.has_perm("organizations.view_organization")
    assert not official.has_perm("organizations.delete_organization")


def test_official_cannot_change_users():
    sync_role_groups()
    official = UserFactory(role=User.Role.OFFICIAL)
    apply_role(official)
    assert not User.objects.get(pk=official.pk).has_perm("accounts.change_user")


def test_resident_demoted_from_official_loses_back_office_access():
    sync_role_groups()
    person = UserFactory(role=User.Role.OFFICIAL)
    apply_role(person)
    person.role = User.Role.RESIDENT
    person.save()
    apply_role(person)
    person = User.objects.get(pk=person.pk)
    assert not person.is_staff
    assert not person.has_perm("organizations.view_organization")
