from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.models import (
    Call,
    CallQuestion,
    CallSchedule,
    CallVersion,
    Criterion,
    PlannedCall,
)


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


class CallFactory(factory.django.DjangoModelFactory):
    """A published call open for offers now: published a week ago, deadline in 21 days."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"Konkurs testowy {n}")
    description = "Zajęcia dla dzieci i młodzieży w dzielnicach."
    funding_mode = "support"
    budget = Decimal("100000.00")
    min_grant = Decimal("5000.00")
    max_grant = Decimal("20000.00")
    min_own_contribution_percent = Decimal("10.00")
    admin_cost_cap_percent = Decimal("15.00")
    eligible_kinds = factory.LazyFunction(lambda: ["foundation", "association"])
    task_starts = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    task_ends = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=240))
    offers_from = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    award_rules = "Dotacja do 90% kosztów zadania."
    task_conditions = "Zadanie realizowane w Krakowie."
    selection_procedure = "Ocena formalna, potem komisja konkursowa."
    selection_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=45))
    previous_funding = "W zeszłym roku: 2 zadania, 80 000 zł."
    contact = "Anna Nowak, konkursy@example.org"
    status = Call.Status.PUBLISHED
    published_bip_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    published_board_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    kind = Criterion.Kind.OWN
    name = factory.Sequence(lambda n: f"Kryterium {n}")
    max_points = 10
    weight = Decimal("1.00")
    order = factory.Sequence(lambda n: n)


class CallVersionFactory(factory.django.DjangoModelFactory):
    """A published wording, in the shape the publishing service writes."""

    class Meta:
        model = CallVersion

    call = factory.SubFactory(CallFactory)
    number = factory.Sequence(lambda n: n + 1)
    change_note = ""
    content = factory.LazyAttribute(
        lambda version: {
            "items": [
                {"label": "Zadanie publiczne", "value": version.call.title},
                {"label": "Wysokość środków", "value": f"{version.call.budget} zł"},
            ],
            "criteria": [
                {
                    "name": "Możliwość realizacji zadania",
                    "kind": "statutory",
                    "max_points": 10,
                    "weight": "1.00",
                    "description": "",
                }
            ],
        }
    )


class CallQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallQuestion

    call = factory.SubFactory(CallFactory)
    question = factory.Sequence(lambda n: f"Czy można złożyć ofertę wspólną? ({n})")
    asked_by = factory.SubFactory("wspolpraca.accounts.tests.factories.UserFactory")

    class Params:
        answered = factory.Trait(
            answer="Tak, oferta wspólna jest dozwolona.",
            answered_at=factory.LazyFunction(timezone.now),
        )
