from datetime import datetime, timedelta

import factory
from django.utils import timezone

from wspolpraca.events.models import Event, Registration
from wspolpraca.organizations.tests.factories import OrganizationFactory


def in_days(days, hour=17):
    """An aware moment `days` from today at `hour` o'clock, in the site's time zone."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


class EventFactory(factory.django.DjangoModelFactory):
    """A published NGO event a week ahead, with 10 places."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.EVENT
    title = factory.Sequence(lambda n: f"Warsztaty sąsiedzkie nr {n}")
    description = "Spotkanie dla mieszkańców i organizacji dzielnicy."
    organization = factory.SubFactory(OrganizationFactory)
    place = "ul. Floriańska 1, Kraków"
    starts_at = factory.LazyFunction(lambda: in_days(7, 17))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 10
    status = Event.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory("wspolpraca.accounts.tests.factories.UserFactory")
    status = Registration.Status.REGISTERED
