import pytest
from django.core.management import call_command

from wspolpraca.accounts.models import User
from wspolpraca.city.models import Coordinator, Department
from wspolpraca.organizations.models import District, Organization


@pytest.mark.django_db
def test_demo_fills_an_empty_database_once():
    call_command("demo", "--if-empty", "--organizations", "40")
    call_command("demo", "--if-empty", "--organizations", "40")
    assert Organization.objects.count() == 40
    assert District.objects.count() == 18
    assert Department.objects.count() == 15
    assert Coordinator.objects.filter(areas__isnull=False).exists()
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)


@pytest.mark.django_db
def test_demo_organizations_lie_inside_krakow():
    call_command("demo", "--organizations", "40")
    for lat, lon in Organization.objects.values_list("latitude", "longitude"):
        assert 49.96 < lat < 50.13 and 19.79 < lon < 20.22
