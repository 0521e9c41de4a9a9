import factory

from wspolpraca.city.models import Coordinator, Department
from wspolpraca.organizations.models import PublicBenefitArea


class PublicBenefitAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicBenefitArea
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"T{n}")
    label_pl = factory.Sequence(lambda n: f"Sfera testowa {n}")
    label_en = factory.Sequence(lambda n: f"Test area {n}")
    position = factory.Sequence(lambda n: 1000 + n)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Wydział Testowy {n}")
    short_name = factory.Sequence(lambda n: f"WT{n}")
    email = factory.Sequence(lambda n: f"wydzial{n}@example.org")
    phone = "+48 12 616 00 00"


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    full_name = factory.Sequence(lambda n: f"Koordynator Nr {n}")
    role = "koordynator ds. współpracy z NGO"
    email = factory.Sequence(lambda n: f"koordynator{n}@example.org")
    phone = "+48 12 616 11 11"

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)
