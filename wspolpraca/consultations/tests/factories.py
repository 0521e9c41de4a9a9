import factory
from allauth.mfa.models import Authenticator

from wspolpraca.accounts.models import User
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.models import Official
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.consultations.models import (
    Catalogue,
    ProgressNote,
    TrackedPostulate,
    TrackerLink,
)

# Tracker


class CatalogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalogue
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"katalog-{n}")
    title = factory.Sequence(lambda n: f"Katalog postulatów {n}")


class TrackedPostulateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackedPostulate
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T-{n:04d}")
    title = factory.Sequence(lambda n: f"Postulat numer {n}")
    description = "Opis postulatu: co miasto powinno zrobić i dlaczego."
    plane = TrackedPostulate.Plane.POLICY
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class ProgressNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressNote

    postulate = factory.SubFactory(TrackedPostulateFactory)
    date = factory.Faker("past_date")
    text = "Spotkanie wydziału z organizacjami."


class TrackerLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackerLink

    postulate = factory.SubFactory(TrackedPostulateFactory)
    kind = TrackerLink.Kind.CALL
    title = "Otwarty konkurs ofert"
    url = "/konkursy/1/"


def tracker_official(department):
    """A city official of `department` with two-factor authentication set up (city staff
    must have it to use the site)."""
    user = UserFactory(role=User.Role.OFFICIAL)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "test"})
    Official.objects.create(user=user, department=department)
    return user
