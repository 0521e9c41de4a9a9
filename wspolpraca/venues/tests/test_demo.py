import random

import pytest

from wspolpraca.core.models import OutgoingEmail
from wspolpraca.demo.venues import make_venues
from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory
from wspolpraca.venues.models import Booking, Building, Room, SupportPlace, WaitingListEntry

pytestmark = pytest.mark.django_db


def test_the_demo_makes_rooms_bookings_in_every_status_and_support_places_silently():
    for number in (1, 4, 5, 6, 8, 13, 15, 18):
        DistrictFactory(number=number)
    accounts = make_venues(random.Random(2026), OrganizationFactory.create_batch(3))
    assert accounts == [("room manager", "sale@example.org")]
    assert Building.objects.count() == 8
    assert Room.objects.count() >= 20
    assert set(Booking.objects.values_list("status", flat=True)) == set(Booking.Status.values)
    assert WaitingListEntry.objects.exists()
    assert SupportPlace.objects.count() == 6
    assert not OutgoingEmail.objects.exists()
