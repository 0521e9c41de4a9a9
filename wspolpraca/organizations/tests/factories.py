import factory

from wspolpraca.organizations.models import District, Membership, Organization


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n + 1)
    roman = factory.LazyAttribute(lambda o: str(o.number))
    name = factory.Sequence(lambda n: f"Dzielnica {n + 1}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Stowarzyszenie Przykładowe nr {n}")
    kind = Organization.Kind.ASSOCIATION
    krs = factory.Sequence(lambda n: f"{900000 + n:010d}")
    city = "Kraków"
    verification = Organization.Verification.VERIFIED

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory("wspolpraca.accounts.tests.factories.UserFactory")
    role = Membership.Role.MEMBER
