"""The demo's strategies: both multi-year cooperation programmes, the yearly programmes
2024–2027 with their reports, and strategies measured over several years."""

import random
from datetime import date

import pytest

from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.demo.strategies import make_strategies
from wspolpraca.library.strategy_models import IndicatorValue, Strategy
from wspolpraca.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_cooperation_programmes_and_measured_strategies():
    DepartmentFactory(short_name="MCW")
    make_strategies(random.Random(2026), [OrganizationFactory() for _n in range(5)])
    multi = Strategy.objects.filter(kind="multiyear_cooperation").order_by("year_from")
    assert [(s.year_from, s.year_to) for s in multi] == [(2019, 2022), (2023, 2026)]
    assert multi[0].derived_status() == "expired"
    yearly = {s.year_from: s for s in Strategy.objects.filter(kind="yearly_cooperation")}
    assert sorted(yearly) == [2024, 2025, 2026, 2027]
    assert yearly[2024].report_flag()[0] == yearly[2025].report_flag()[0] == "published"
    assert yearly[2026].report_flag(today=date(2027, 5, 1)) == ("due", date(2027, 5, 31))
    assert Strategy.objects.filter(kind__in=["strategy", "programme"]).count() >= 3
    assert IndicatorValue.objects.values("indicator").distinct().count() >= 6
    assert Strategy.objects.filter(team__organization__isnull=False).exists()


def test_the_demo_runs_once():
    DepartmentFactory()
    make_strategies(random.Random(1), [])
    count = Strategy.objects.count()
    make_strategies(random.Random(1), [])
    assert Strategy.objects.count() == count > 0


def test_every_demo_strategy_page_and_the_list_render(client):
    DepartmentFactory(short_name="WS")
    make_strategies(random.Random(2026), [OrganizationFactory() for _n in range(3)])
    assert client.get("/strategie/").status_code == 200
    for strategy in Strategy.objects.all():
        assert client.get(strategy.get_absolute_url()).status_code == 200
