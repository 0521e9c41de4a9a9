"""/api/v1/grants/ (the awarded grants) and the results of /api/v1/calls/<id>/."""

from decimal import Decimal

import pytest
from django.urls import reverse

from wspolpraca.agreements.tests.grants_data import at, decide, decided_call, known_data, offer_in
from wspolpraca.api.views import generated_schema

pytestmark = pytest.mark.django_db
URL = reverse("api:grant-list")


@pytest.fixture
def data():
    return known_data()


def titles(client, params=None):
    response = client.get(URL, params or {})
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in response.json()["results"])


def test_only_grants_of_published_results_are_listed(client, data):
    assert titles(client) == ["Klub seniora", "Liga osiedlowa", "Teatr na podwórku"]


def test_a_grant_has_its_call_organization_amount_agreement_areas_and_department(client, data):
    decision = data.decisions["o1"]
    offer = data.offers["o1"]
    rows = {row["id"]: row for row in client.get(URL).json()["results"]}
    assert rows[decision.pk] == {
        "id": decision.pk,
        "call": {"id": offer.call.pk, "title": offer.call.title, "reference": "K/2024/1"},
        "organization": {"name": offer.organization.name, "krs": offer.organization.krs},
        "title": "Teatr na podwórku",
        "amount": "10000.00",
        "decided_at": "2024-05-03T12:00:00+02:00",
        "agreement": {"number": "UM/2024/001", "status": "signed"},
        "areas": ["16"],
        "department": {
            "id": data.department_a.pk,
            "name": "Wydział Kultury",
            "short_name": "WK",
        },
    }


def test_a_grant_without_an_agreement_or_reference_has_nulls(client, data):
    rows = {row["id"]: row for row in client.get(URL).json()["results"]}
    row = rows[data.decisions["o4"].pk]
    assert row["agreement"] is None
    assert row["call"]["reference"] is None


def test_newest_decisions_come_first(client, data):
    ids = [row["id"] for row in client.get(URL).json()["results"]]
    assert ids == [data.decisions[key].pk for key in ("o4", "o3", "o1")]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"year": "2024"}, ["Liga osiedlowa", "Teatr na podwórku"]),
        ({"year": "2025"}, ["Klub seniora"]),
        ({"area": "1"}, ["Klub seniora", "Liga osiedlowa"]),
        ({"area": "16", "year": "2024"}, ["Liga osiedlowa", "Teatr na podwórku"]),
    ],
)
def test_the_filters_narrow_the_grants(client, data, params, expected):
    assert titles(client, params) == expected


def test_the_department_filter_takes_a_departments_id(client, data):
    assert titles(client, {"department": str(data.department_b.pk)}) == ["Liga osiedlowa"]


@pytest.mark.parametrize(
    "params", [{"year": "1999"}, {"year": "abc"}, {"area": "999"}, {"department": "0"}]
)
def test_a_filter_value_that_is_not_allowed_is_a_400_naming_it(client, data, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_a_repeated_filter_is_a_400(client, data):
    assert client.get(f"{URL}?year=2024&year=2025").status_code == 400


@pytest.mark.parametrize("name", ["page", "page_size"])
def test_a_repeated_page_or_page_size_is_a_400_naming_it(client, data, name):
    response = client.get(f"{URL}?{name}=1&{name}=2")
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_one_grant_by_its_id(client, data):
    decision = data.decisions["o3"]
    body = client.get(reverse("api:grant-detail", args=[decision.pk])).json()
    assert body["amount"] == "8000.00" and body["title"] == "Liga osiedlowa"


@pytest.mark.parametrize("key", ["o2", "o5"])
def test_a_rejection_or_an_unpublished_grant_is_not_found(client, data, key):
    response = client.get(reverse("api:grant-detail", args=[data.decisions[key].pk]))
    assert response.status_code == 404


def test_writing_is_refused(client, data):
    assert client.post(URL, {}).status_code == 405


def test_the_list_makes_the_same_queries_for_2_and_10_grants(
    client, db, django_assert_max_num_queries
):
    def grants(count):
        for n in range(count):
            call = decided_call(at(2024, 4, 2 + n, 12))
            decide(offer_in(call, "10000.00"), "9000.00")

    grants(2)
    with django_assert_max_num_queries(6) as small:
        assert client.get(URL).json()["count"] == 2
    grants(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).json()["count"] == 10


def test_the_response_names_the_licence(client, settings, data):
    assert client.get(URL)["Link"] == f'<{settings.DATA_LICENCE_URL}>; rel="license"'


# The results of a call.


def test_a_decided_call_lists_its_results_in_rank_order(client, data):
    call = data.calls["c1"]
    results = client.get(reverse("api:call-detail", args=[call.pk])).json()["results"]
    assert results == [
        {
            "applicant": data.offers["o1"].organization.name,
            "title": "Teatr na podwórku",
            "amount": "10000.00",
            "score": "52.50",
            "outcome": "granted",
        },
        {
            "applicant": data.offers["o2"].organization.name,
            "title": "Festiwal odrzucony",
            "amount": None,
            "score": "30.00",
            "outcome": "rejected",
        },
    ]


def test_a_call_without_published_results_has_none(client, data):
    body = client.get(reverse("api:call-detail", args=[data.calls["c4"].pk])).json()
    assert body["results"] == []


def test_the_call_list_does_not_carry_results(client, data):
    assert all(
        "results" not in row for row in client.get(reverse("api:call-list")).json()["results"]
    )


def test_the_call_detail_makes_the_same_queries_for_2_and_10_offers(
    client, db, django_assert_max_num_queries
):
    call = decided_call(at(2024, 4, 2, 12))
    for _ in range(2):
        decide(offer_in(call, "10000.00"), "9000.00")
    url = reverse("api:call-detail", args=[call.pk])
    with django_assert_max_num_queries(8) as small:
        assert len(client.get(url).json()["results"]) == 2
    for _ in range(8):
        decide(offer_in(call, "10000.00"), None)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(url).json()["results"]) == 10


# The schema.


def test_the_schema_documents_the_grants_and_the_results():
    schema = generated_schema()
    assert {"200", "400", "404"} <= set(schema["paths"]["/api/v1/grants/"]["get"]["responses"])
    assert {"200", "404"} <= set(schema["paths"]["/api/v1/grants/{id}/"]["get"]["responses"])
    grant = schema["components"]["schemas"]["Grant"]["properties"]
    assert {"call", "organization", "amount", "agreement", "areas", "department"} <= set(grant)
    detail = schema["components"]["schemas"]["CallDetail"]["properties"]
    assert detail["results"]["type"] == "array"


def test_the_grants_filters_list_their_values(client, data):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/grants/"]["get"]["parameters"]
    }
    assert "16" in parameters["area"]["enum"]
    assert str(data.department_a.pk) in parameters["department"]["enum"]
    assert parameters["year"] == {"type": "integer", "minimum": 2000, "maximum": 2100}


def test_an_amount_keeps_its_cents(client, db):
    call = decided_call(at(2024, 4, 2, 12))
    decide(offer_in(call, "10000.00"), "1234.56")
    assert client.get(URL).json()["results"][0]["amount"] == str(Decimal("1234.56"))
