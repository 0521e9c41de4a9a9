"""/api/v1/schedule/: the published schedules' planned calls, filtered like the page."""

from datetime import date

import pytest

from wspolpraca.api.views import generated_schema
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.tests.factories import CallScheduleFactory, PlannedCallFactory
from wspolpraca.organizations.models import PublicBenefitArea

pytestmark = pytest.mark.django_db

URL = "/api/v1/schedule/"


@pytest.fixture
def culture():
    return PublicBenefitArea.objects.get(code="16")


def test_planned_calls_of_published_schedules_are_listed_with_their_fields(client, culture):
    planned = PlannedCallFactory(
        schedule=CallScheduleFactory(year=2027),
        title="Teatr",
        areas=[culture],
        planned_announcement=date(2026, 12, 1),
        planned_deadline=date(2027, 1, 8),
    )
    PlannedCallFactory(schedule=CallScheduleFactory(year=2028, published_at=None))
    body = client.get(URL).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["title"] == "Teatr" and item["year"] == 2027
    assert item["areas"] == ["16"]
    assert item["planned_amount"] == "50000.00"
    assert item["announced_before_the_year"] is True
    assert item["department"]["id"] == planned.department.pk
    assert item["url"].endswith(f"/konkursy/harmonogram/2027/#planowany-{planned.pk}")


def test_filters_keep_one_year_department_area_and_mode(client, culture):
    mine = DepartmentFactory()
    PlannedCallFactory(
        schedule=CallScheduleFactory(year=2027), department=mine, title="Tak", areas=[culture]
    )
    PlannedCallFactory(
        schedule=CallScheduleFactory(year=2027), title="Inny wydział", areas=[culture]
    )
    PlannedCallFactory(
        schedule=CallScheduleFactory(year=2027),
        department=mine,
        title="Inny tryb",
        areas=[culture],
        funding_mode="entrustment",
    )
    params = {"year": 2027, "department": mine.pk, "area": "16", "mode": "support"}
    assert [r["title"] for r in client.get(URL, params).json()["results"]] == ["Tak"]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("year", "99999999999999999999"),
        ("year", "abc"),
        ("department", "99999999999999999999"),
        ("area", "x"),
        ("mode", "free"),
    ],
)
def test_a_wrong_filter_value_is_a_400_naming_the_parameter(client, param, value):
    response = client.get(URL, {param: value})
    assert response.status_code == 400
    assert param in response.json()


def test_the_schedule_is_in_the_api_schema():
    schema = generated_schema()
    assert "/api/v1/schedule/" in schema["paths"]


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_makes_the_same_queries_whatever_it_holds(
    client, culture, django_assert_max_num_queries, count
):
    for _n in range(count):
        PlannedCallFactory(schedule=CallScheduleFactory(year=2027), areas=[culture])
    # when the data last changed, the filters' choices (departments, areas), the count,
    # the rows, their areas
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200


def test_a_filter_given_twice_is_a_400(client):
    response = client.get(URL + "?year=2027&year=")
    assert response.status_code == 400
    assert "year" in response.json()
