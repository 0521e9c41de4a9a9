from datetime import datetime, timedelta

import factory
from django.utils import timezone

from wspolpraca.city.models import TrainingTopic
from wspolpraca.events.models import Event, MentoringBooking, MentoringSlot, Registration
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

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory("wspolpraca.accounts.tests.factories.UserFactory")
    status = Registration.Status.REGISTERED


class TrainingTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingTopic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Temat szkolenia nr {n}")


class TrainingFactory(EventFactory):
    """A published city training a week ahead, for beginners, with 10 places."""

    kind = Event.Kind.TRAINING
    title = factory.Sequence(lambda n: f"Szkolenie nr {n}")
    organization = None
    level = Event.Level.BEGINNER
    trainer_name = "Anna Kowalska"


class MentoringSlotFactory(factory.django.DjangoModelFactory):
    """A free consultation in three days, 10:00–11:00, on the training topic given."""

    class Meta:
        model = MentoringSlot

    mentor = factory.SubFactory("wspolpraca.accounts.tests.factories.UserFactory", role="official")
    starts_at = factory.LazyFunction(lambda: in_days(3, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    topic = factory.SubFactory(TrainingTopicFactory)
    place = "ul. Reymonta 20, pokój 5"


class MentoringBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringBooking

    slot = factory.SubFactory(MentoringSlotFactory)
    organization = factory.SubFactory(OrganizationFactory)
    booked_by = factory.SubFactory("wspolpraca.accounts.tests.factories.UserFactory")
    need = "Pomoc w napisaniu budżetu oferty."
