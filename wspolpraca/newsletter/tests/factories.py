import factory
from django.utils import timezone

from wspolpraca.newsletter.models import Kind, News, Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber of every kind and area, unless told otherwise."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"czytelnik{n}@example.org")
    kinds = factory.LazyFunction(lambda: list(Kind.values))
    language = "pl"
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class NewsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = News
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Wiadomość dla organizacji nr {n}")
    lead = "Krótko: co się stało i kogo to dotyczy."
    body = "Treść **ważnej** wiadomości.\n\n- pierwszy punkt\n- drugi punkt"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)
