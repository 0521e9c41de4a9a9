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


@pytest.mark.django_db
def test_demo_has_calls_in_every_state_offers_small_grants_and_requests():
    from django.utils import timezone

    from wspolpraca.competitions.models import Call, CityRequest
    from wspolpraca.offers.checks import problems
    from wspolpraca.offers.models import Offer

    call_command("demo", "--organizations", "40")
    assert {call.phase for call in Call.objects.all()} == set(Call.Phase.values)
    submitted = Offer.objects.filter(status="submitted", kind="competition")
    assert submitted.filter(partners__isnull=False).exists()
    assert all(o.content_sha256 for o in submitted)
    drafts = Offer.objects.filter(status="draft", call__deadline__gt=timezone.now())
    assert drafts.exists() and all(problems(o) == [] for o in drafts)
    small = Offer.objects.filter(kind="small_grant")
    assert small.filter(comments_open_until__gt=timezone.now()).exists()
    assert small.filter(comments_open_until__lt=timezone.now()).exists()
    assert any(r.is_overdue for r in CityRequest.objects.all())
    assert CityRequest.objects.filter(status="submitted", answer_due__gte=timezone.localdate())
