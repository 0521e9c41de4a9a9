"""/api/v1/studies/: published studies only, the list page's filters, strict about values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.library.models import Study
from wspolpraca.organizations.tests.factories import DistrictFactory

from .factories import StudyFactory

pytestmark = pytest.mark.django_db
LIST = reverse("api:study-list")


def _titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_the_api_lists_published_studies_only(client):
    StudyFactory(title="Opublikowane")
    for status in ("draft", "submitted", "rejected", "hidden"):
        StudyFactory(title=status, status=status)
    assert _titles(client.get(LIST)) == ["Opublikowane"]


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "hidden"])
def test_an_unpublished_study_is_a_404(client, status):
    study = StudyFactory(status=status)
    assert client.get(reverse("api:study-detail", args=[study.pk])).status_code == 404


def test_a_study_in_the_api(client):
    district = DistrictFactory(number=18)
    study = StudyFactory(with_file=True, districts=[district], publisher_name="")
    row = client.get(reverse("api:study-detail", args=[study.pk])).json()
    assert row["publisher"] == {
        "type": "ngo",
        "name": study.organization.name,
        "organization": study.organization.slug,
    }
    assert row["areas"] == ["33"] and row["districts"] == [18]
    assert row["licence"] == "cc-by-4.0" and row["licence_text"].startswith("CC BY 4.0")
    assert row["file_url"].endswith(reverse("library:study_file", args=[study.pk]))
    assert row["file_type"] == "pdf"
    assert "submitted_by" not in row


def test_the_api_searches_without_polish_letters(client):
    StudyFactory(title="Współpraca młodzieży z organizacjami")
    StudyFactory(title="Transport")
    assert _titles(client.get(LIST, {"q": "wspolpraca mlodziez"})) == [
        "Współpraca młodzieży z organizacjami"
    ]


def test_the_api_takes_the_list_pages_filters(client):
    culture = PublicBenefitAreaFactory(code="16")
    StudyFactory(title="Pasuje", areas=[culture], year=2022, licence=Study.Licence.CC0)
    StudyFactory(title="Stare", areas=[culture], year=2010, licence=Study.Licence.CC0)
    StudyFactory(title="Inna sfera", year=2022, licence=Study.Licence.CC0)
    query = {"area": "16", "year_from": "2020", "year_to": "2024", "licence": "cc0-1.0"}
    assert _titles(client.get(LIST, {**query, "publisher": "ngo"})) == ["Pasuje"]


@pytest.mark.parametrize(
    "name,value",
    [
        ("area", "nope"),
        ("district", "99"),
        ("publisher", "company"),
        ("licence", "gpl"),
        ("year_from", "2020.0"),
        ("year_to", "1800"),
        ("q", "x" * 201),
    ],
)
def test_an_unknown_filter_value_is_a_400_naming_the_parameter(client, name, value):
    StudyFactory()
    response = client.get(LIST, {name: value})
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_a_parameter_given_twice_is_a_400(client):
    response = client.get(f"{LIST}?licence=cc0-1.0&licence=cc-by-4.0")
    assert response.status_code == 400


def test_the_api_makes_the_same_queries_for_3_and_30_studies(client):
    district = DistrictFactory(number=3)
    for _n in range(3):
        StudyFactory(districts=[district])
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _n in range(27):
        StudyFactory(districts=[district])
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST).json()["results"]) == 30
    assert len(many) == len(few)


def test_the_schema_documents_the_studies(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    responses = schema["paths"]["/api/v1/studies/"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(responses)
    names = {p["name"] for p in schema["paths"]["/api/v1/studies/"]["get"]["parameters"]}
    assert {"q", "area", "district", "publisher", "year_from", "year_to", "licence"} <= names
