"""/api/v1/calls/: the published calls, by phase, department, area and mode."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from wspolpraca.api.views import generated_schema
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.models import Call, Criterion
from wspolpraca.competitions.tests.factories import (
    CallFactory,
    CallQuestionFactory,
    CriterionFactory,
)
from wspolpraca.organizations.models import PublicBenefitArea

pytestmark = pytest.mark.django_db

URL = "/api/v1/calls/"
WARSAW = ZoneInfo("Europe/Warsaw")


def at(*args):
    return datetime(*args, tzinfo=WARSAW)


def titles(client, params=None):
    return sorted(r["title"] for r in client.get(URL, params or {}).json()["results"])


@pytest.fixture
def culture():
    return PublicBenefitArea.objects.get(code="16")


def test_published_calls_are_listed_with_their_fields(client, culture):
    call = CallFactory(
        title="Teatr",
        areas=[culture],
        budget=Decimal("120000"),
        max_grant=None,
        admin_cost_cap_percent=None,
        eligible_kinds=["foundation"],
        deadline=at(2030, 3, 22, 15, 30),
    )
    CriterionFactory(
        call=call, kind=Criterion.Kind.STATUTORY, name="Koszty", max_points=10, weight="1.50"
    )
    body = client.get(URL).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == call.pk
    assert item["url"].endswith(f"/konkursy/{call.pk}/")
    assert item["title"] == "Teatr"
    assert item["department"]["id"] == call.department.pk
    assert item["areas"] == ["16"]
    assert item["funding_mode"] == "support"
    assert item["budget"] == "120000.00"
    assert item["min_grant"] == "5000.00" and item["max_grant"] is None
    assert item["min_own_contribution_percent"] == "10.00"
    assert item["admin_cost_cap_percent"] is None
    assert item["eligible_kinds"] == ["foundation"]
    assert item["deadline"] == "2030-03-22T15:30:00+01:00"
    assert item["phase"] == "open"
    assert item["annulment_reason"] is None
    assert item["criteria"] == [
        {
            "kind": "statutory",
            "name": "Koszty",
            "description": None,
            "max_points": 10,
            "weight": "1.50",
        }
    ]
    for name in ["task_starts", "task_ends", "offers_from", "published_bip_on"]:
        assert name in item
    assert {"published_board_on", "published_at"} <= set(item)


def test_drafts_are_neither_listed_nor_shown(client):
    draft = CallFactory(status=Call.Status.DRAFT)
    assert client.get(URL).json()["count"] == 0
    response = client.get(f"{URL}{draft.pk}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_detail_adds_the_texts_of_the_announcement(client):
    call = CallFactory(award_rules="Zasady dotacji.", other_information="")
    body = client.get(f"{URL}{call.pk}/").json()
    assert body["award_rules"] == "Zasady dotacji."
    assert body["other_information"] is None
    assert body["selection_procedure"] and body["previous_funding"]


def test_an_annulled_call_gives_its_reason(client):
    call = CallFactory(status=Call.Status.ANNULLED, annulment_reason="Brak ofert.")
    item = client.get(f"{URL}{call.pk}/").json()
    assert (item["phase"], item["annulment_reason"]) == ("annulled", "Brak ofert.")


@time_machine.travel(at(2027, 3, 10, 12, 0), tick=False)
def test_the_state_filter_follows_the_clock(client):
    CallFactory(title="Zapowiedziany", offers_from=at(2027, 4, 1), deadline=at(2027, 5, 1))
    CallFactory(title="Otwarty", offers_from=at(2027, 3, 1), deadline=at(2027, 3, 31))
    CallFactory(title="W ocenie", offers_from=at(2027, 1, 1), deadline=at(2027, 2, 1))
    CallFactory(title="Rozstrzygnięty", status=Call.Status.DECIDED)
    CallFactory(title="Unieważniony", status=Call.Status.ANNULLED)
    assert titles(client, {"state": "upcoming"}) == ["Zapowiedziany"]
    assert titles(client, {"state": "open"}) == ["Otwarty"]
    assert titles(client, {"state": "evaluation"}) == ["W ocenie"]
    assert titles(client, {"state": "decided"}) == ["Rozstrzygnięty"]
    assert titles(client, {"state": "annulled"}) == ["Unieważniony"]


def test_filters_keep_one_department_area_and_mode(client, culture):
    mine = DepartmentFactory()
    CallFactory(department=mine, title="Tak", areas=[culture])
    CallFactory(title="Inny wydział", areas=[culture])
    CallFactory(department=mine, title="Bez sfery")
    CallFactory(department=mine, title="Inny tryb", areas=[culture], funding_mode="entrustment")
    params = {"department": mine.pk, "area": "16", "mode": "support"}
    assert titles(client, params) == ["Tak"]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("state", "closed"),
        ("state", "draft"),
        ("department", "99999999999999999999"),
        ("department", "abc"),
        ("area", "x"),
        ("mode", "free"),
    ],
)
def test_a_wrong_filter_value_is_a_400_naming_the_parameter(client, param, value):
    response = client.get(URL, {param: value})
    assert response.status_code == 400
    assert param in response.json()


@pytest.mark.parametrize("value", ["", "abc", "2"])
def test_a_page_that_is_no_page_is_a_404(client, value):
    CallFactory()
    assert client.get(URL, {"page": value}).status_code == 404


def test_a_filter_given_twice_is_a_400(client):
    response = client.get(URL + "?state=open&state=decided")
    assert response.status_code == 400
    assert "state" in response.json()


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "1.5"])
def test_an_id_that_is_no_call_is_a_json_404(client, value):
    response = client.get(f"{URL}{value}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_schema_lists_every_filter_value():
    schema = generated_schema()
    assert {"/api/v1/calls/", "/api/v1/calls/{id}/"} <= set(schema["paths"])
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/calls/"]["get"]["parameters"]
    }
    assert set(parameters["state"]["enum"]) == {
        "",
        "upcoming",
        "open",
        "evaluation",
        "decided",
        "annulled",
    }
    assert set(parameters["mode"]["enum"]) == {"", "support", "entrustment"}
    assert "16" in parameters["area"]["enum"]
    assert "enum" in parameters["department"]


def test_the_schema_documents_the_statuses():
    paths = generated_schema()["paths"]
    assert {"200", "400", "404"} <= set(paths["/api/v1/calls/"]["get"]["responses"])
    assert {"200", "404"} <= set(paths["/api/v1/calls/{id}/"]["get"]["responses"])


def test_questions_and_who_asked_are_not_in_the_api(client):
    question = CallQuestionFactory(answered=True)
    text = client.get(f"{URL}{question.call.pk}/").content.decode()
    assert question.asked_by.email not in text
    assert question.question not in text


def test_the_call_is_licensed_like_all_data(client, settings):
    assert client.get(URL)["Link"] == f'<{settings.DATA_LICENCE_URL}>; rel="license"'


def test_writes_are_refused(client):
    call = CallFactory()
    assert client.post(URL, {"title": "X"}).status_code == 405
    assert client.delete(f"{URL}{call.pk}/").status_code == 405


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_makes_the_same_queries_whatever_it_holds(
    client, culture, django_assert_max_num_queries, count
):
    for _n in range(count):
        call = CallFactory(areas=[culture])
        CriterionFactory(call=call)
    # the filters' choices (departments, areas), the count, the rows, their areas, their
    # criteria
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"state": "open", "area": "16"}).status_code == 200


def test_the_detail_makes_a_few_queries_whatever_the_call_holds(
    client, django_assert_max_num_queries
):
    call = CallFactory()
    CriterionFactory.create_batch(12, call=call)
    # the call, its areas, its criteria
    with django_assert_max_num_queries(3):
        assert client.get(f"{URL}{call.pk}/").status_code == 200
