from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.organizations.tests.factories import DistrictFactory
from wspolpraca.venues.models import (
    BlockedPeriod,
    Booking,
    Building,
    BuildingHours,
    Room,
    SupportPlace,
    SupportPlaceHours,
)


def every_day(building, opens=time(8, 0), closes=time(21, 0)):
    BuildingHours.objects.bulk_create(
        BuildingHours(building=building, weekday=day, opens=opens, closes=closes)
        for day in range(7)
    )


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Centrum Kultury nr {n}")
    owner_unit = "Wydział Kultury"
    street = factory.Sequence(lambda n: f"ul. Przykładowa {n + 1}")
    postal_code = "31-001"
    district = factory.SubFactory(DistrictFactory)
    latitude = 50.06
    longitude = 19.94

    @factory.post_generation
    def open_daily(obj, create, extracted, **kwargs):
        # Open every day 8:00–21:00 unless told otherwise (open_daily=False).
        if create and extracted is not False:
            every_day(obj)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    building = factory.SubFactory(BuildingFactory)
    name = factory.Sequence(lambda n: f"Sala {n}")
    capacity = 30
    needs_approval = True
    house_rules = "Zostaw salę w porządku."


def at(days, hour, minute=0):
    """A local time `days` from today at `hour`:`minute`."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    room = factory.SubFactory(RoomFactory)
    requested_by = factory.SubFactory(UserFactory)
    group_name = "Grupa sąsiedzka"
    purpose = "Spotkanie grupy"
    starts = factory.LazyFunction(lambda: at(3, 10))
    ends = factory.LazyAttribute(lambda o: o.starts + timedelta(hours=2))
    expected_people = 10
    non_commercial = True
    rules_accepted = True
    status = Booking.Status.CONFIRMED


class BlockedPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlockedPeriod

    room = factory.SubFactory(RoomFactory)
    starts = factory.LazyFunction(lambda: at(3, 8))
    ends = factory.LazyFunction(lambda: at(3, 21))
    reason = "Remont"


class SupportPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPlace
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Centrum Obywatelskie {n}")
    operator = "Fundacja Wspierająca"
    street = "ul. Reformacka 3"
    district = factory.SubFactory(DistrictFactory)
    services = "Doradztwo prawne\nPomoc w księgowości"

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):
        if create:
            for weekday, opens, closes in extracted or [(0, time(9), time(17))]:
                SupportPlaceHours.objects.create(
                    place=obj, weekday=weekday, opens=opens, closes=closes
                )
