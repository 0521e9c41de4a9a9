import factory

from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.library.strategy_models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    MonitoringTeamMember,
    Strategy,
    StrategyReport,
)


class StrategyFactory(factory.django.DjangoModelFactory):
    """A city strategy in force from 2022 to 2030."""

    class Meta:
        model = Strategy
        skip_postgeneration_save = True

    kind = Strategy.Kind.STRATEGY
    title = factory.Sequence(lambda n: f"Strategia rozwoju nr {n}")
    slug = factory.Sequence(lambda n: f"strategia-{n}")
    year_from = 2022
    year_to = 2030
    department = factory.SubFactory(DepartmentFactory)
    summary = "Cele miasta na lata 2022–2030."

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


def cooperation_programme(year, **fields):
    return StrategyFactory(
        kind=Strategy.Kind.YEARLY_COOPERATION,
        title=f"Roczny program współpracy na {year}",
        year_from=year,
        year_to=year,
        **fields,
    )


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    strategy = factory.SubFactory(StrategyFactory)
    name = factory.Sequence(lambda n: f"Liczba uczestników nr {n}")
    unit = "osoby"
    direction = Indicator.Direction.UP
    baseline_value = 100
    baseline_year = 2021


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2023
    value = 120
    source = "sprawozdanie wydziału"


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2030
    value = 200


class StrategyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyReport

    strategy = factory.SubFactory(StrategyFactory)
    kind = StrategyReport.Kind.MONITORING
    title = factory.Sequence(lambda n: f"Raport z monitoringu nr {n}")
    year = 2024
    url = "https://bip.krakow.pl/raport.pdf"
    published_on = factory.Faker("date_between", start_date="-1y", end_date="today")


class MonitoringTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringTeamMember

    strategy = factory.SubFactory(StrategyFactory)
    full_name = factory.Sequence(lambda n: f"Członkini Zespołu {n}")
    role = "członkini"
