"""/api/v1/strategies/: read only, the page's filters (strict), indicators with values and
targets by year, the cooperation programme's report flag, a constant number of queries a
page, and the operations documented in the schema."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from wspolpraca.city.tests.factories import DepartmentFactory, PublicBenefitAreaFactory
from wspolpraca.library.strategy_models import StrategyReport

from .strategy_factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
    MonitoringTeamMemberFactory,
    StrategyFactory,
    StrategyReportFactory,
    cooperation_programme,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/strategies/"


def _titles(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_a_strategy_comes_with_its_indicators_values_and_targets(client):
    strategy = StrategyFactory(title="Strategia klimatyczna", slug="strategia-klimatyczna")
    indicator = IndicatorFactory(
        strategy=strategy,
        name="Emisja CO2",
        unit="tys. t",
        direction="down",
        baseline_value=Decimal("900"),
        baseline_year=2020,
    )
    IndicatorValueFactory(
        indicator=indicator, year=2023, value=Decimal("850.5"), source="KOBiZE", note=""
    )
    IndicatorTargetFactory(indicator=indicator, year=2030, value=Decimal("600"))
    body = client.get(f"{API}strategia-klimatyczna/").json()
    assert body["status"] == "in_force"
    assert body["indicators"] == [
        {
            "name": "Emisja CO2",
            "unit": "tys. t",
            "direction": "down",
            "description": None,
            "baseline": {"year": 2020, "value": 900.0},
            "targets": [{"year": 2030, "value": 600.0}],
            "values": [{"year": 2023, "value": 850.5, "source": "KOBiZE", "note": None}],
        }
    ]
    assert body["url"].endswith("/strategie/strategia-klimatyczna/")


def test_the_filters_narrow_like_the_page(client):
    culture = DepartmentFactory()
    PublicBenefitAreaFactory(code="Y1")
    StrategyFactory(
        title="Kultura", department=culture, areas=[PublicBenefitAreaFactory(code="Y2")]
    )
    StrategyFactory(title="Dawna", year_from=2010, year_to=2014)
    cooperation_programme(2026)
    assert _titles(client, kind="yearly_cooperation") == ["Roczny program współpracy na 2026"]
    assert _titles(client, status="expired") == ["Dawna"]
    assert _titles(client, department=culture.pk) == ["Kultura"]
    assert _titles(client, area="Y2") == ["Kultura"]
    assert _titles(client, year=2012) == ["Dawna"]
    assert _titles(client, q="kultury") == ["Kultura"]


@pytest.mark.parametrize(
    ("name", "value"), [("kind", "junk"), ("status", "old"), ("year", "abc"), ("area", "none")]
)
def test_a_bad_filter_is_a_400_naming_it(client, name, value):
    response = client.get(API, {name: value})
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_the_programmes_report_flag_is_given(client):
    programme = cooperation_programme(2024)
    StrategyReportFactory(
        strategy=programme, kind=StrategyReport.Kind.EXECUTION, published_on=date(2025, 5, 30)
    )
    cooperation_programme(2020, slug="program-2020")
    rows = {row["year_from"]: row["report_due"] for row in client.get(API).json()["results"]}
    assert rows[2024] == {
        "deadline": "2025-05-31",
        "state": "published",
        "published_on": "2025-05-30",
    }
    assert rows[2020] == {"deadline": "2021-05-31", "state": "overdue", "published_on": None}


def test_an_unknown_strategy_is_a_404(client):
    assert client.get(f"{API}nie-ma/").status_code == 404


def test_writes_are_refused(client):
    strategy = StrategyFactory()
    assert client.post(API, {}).status_code in (403, 405)
    assert client.delete(f"{API}{strategy.slug}/").status_code in (403, 405)


def test_the_list_takes_the_same_number_of_queries_for_more_strategies(
    client, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            strategy = StrategyFactory(areas=[PublicBenefitAreaFactory()])
            IndicatorValueFactory(indicator=IndicatorFactory(strategy=strategy))
            StrategyReportFactory(strategy=strategy)
            MonitoringTeamMemberFactory(strategy=strategy)

    add(2)
    response = client.get(API)
    with django_assert_num_queries(8) as first:
        client.get(API)
    add(5)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(API)
    assert response.json()["count"] == 7


def test_the_schema_documents_the_operations(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/strategies/"]["get"]
    assert {"200", "400", "404"} <= set(listing["responses"])
    assert {p["name"] for p in listing["parameters"]} >= {
        "kind",
        "status",
        "department",
        "area",
        "year",
        "q",
    }
    assert {"200", "404"} <= set(schema["paths"]["/api/v1/strategies/{slug}/"]["get"]["responses"])
