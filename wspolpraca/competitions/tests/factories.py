from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.models import CallSchedule, PlannedCall


class CallScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallSchedule
        django_get_or_create = ["year"]

    year = 2027
    published_at = factory.LazyFunction(timezone.now)


class PlannedCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedCall
        skip_postgeneration_save = True

    schedule = factory.SubFactory(CallScheduleFactory)
    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"Zadanie planowane {n}")
    funding_mode = "support"
    planned_announcement = date(2027, 2, 1)
    planned_deadline = date(2027, 3, 1)
    planned_amount = Decimal("50000.00")

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)
