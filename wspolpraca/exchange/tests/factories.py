from datetime import timedelta

import factory
from django.utils import timezone

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.exchange.models import Message, Post
from wspolpraca.organizations.tests.factories import OrganizationFactory


class PostFactory(factory.django.DjangoModelFactory):
    """An organization's open offer; `business=True` makes it a company's."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    class Params:
        business = factory.Trait(
            author_kind=Post.AuthorKind.BUSINESS,
            organization=None,
            company_name=factory.Sequence(lambda n: f"Firma Przykładowa {n} sp. z o.o."),
            category=Post.Category.PRO_BONO,
        )

    side = Post.Side.OFFER
    category = Post.Category.EQUIPMENT
    author_kind = Post.AuthorKind.ORGANIZATION
    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Rzutnik i ekran do użyczenia nr {n}")
    description = "Użyczymy sprzętu na szkolenia i spotkania w dni robocze."
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create:
            obj.areas.set(extracted or [PublicBenefitAreaFactory(code="33")])


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    post = factory.SubFactory(PostFactory)
    correspondent = factory.SubFactory(UserFactory)
    sender = factory.LazyAttribute(lambda o: o.correspondent)
    body = "Dzień dobry, chętnie skorzystamy."
