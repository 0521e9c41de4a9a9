"""The API says what it does: every status it answers is in the schema, empty fields are
null, the schema is English and downloads under a proper name, and the data's licence is
stated in the schema, in every response and on the documentation page."""

import pytest
from django.urls import reverse

from wspolpraca.api.views import generated_schema
from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("api:organization-list")
SCHEMA = reverse("api-schema")


def schema_json(client):
    return client.get(SCHEMA, {"format": "json"}).json()


def test_list_documents_200_400_and_404(client):
    responses = schema_json(client)["paths"]["/api/v1/organizations/"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(responses)


def test_detail_documents_200_and_404(client):
    responses = schema_json(client)["paths"]["/api/v1/organizations/{slug}/"]["get"]["responses"]
    assert {"200", "404"} <= set(responses)


def test_a_bad_filter_is_a_400_naming_the_parameter(client):
    response = client.get(LIST, {"kind": "junk"})
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


@pytest.mark.parametrize("value", ["null", "yes", "1"])
def test_a_yes_no_filter_takes_only_true_or_false(client, value):
    assert client.get(LIST, {"opp": value}).status_code == 400
    assert client.get(LIST, {"verified": value}).status_code == 400


def test_yes_no_filters_still_filter(client):
    OrganizationFactory(name="Z OPP", is_public_benefit=True)
    OrganizationFactory(name="Bez OPP", is_public_benefit=False)
    body = client.get(LIST, {"opp": "false"}).json()
    assert [row["name"] for row in body["results"]] == ["Bez OPP"]


@pytest.mark.parametrize("value", ["abc", "0", "-5", "null"])
def test_a_bad_page_size_is_a_400(client, value):
    response = client.get(LIST, {"page_size": value})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_large_page_size_gives_a_hundred(client):
    OrganizationFactory.create_batch(3)
    assert client.get(LIST, {"page_size": "1000"}).status_code == 200


def test_a_page_that_does_not_exist_is_a_404(client):
    assert client.get(LIST, {"page": "abc"}).status_code == 404


def test_the_district_and_area_filters_list_their_values(client):
    DistrictFactory(number=13, roman="XIII", name="Podgórze")
    parameters = {
        p["name"]: p["schema"]
        for p in schema_json(client)["paths"]["/api/v1/organizations/"]["get"]["parameters"]
    }
    assert "13" in parameters["district"]["enum"]
    assert "16" in parameters["area"]["enum"]


def test_empty_fields_are_null_and_the_schema_says_they_may_be(client):
    organization = OrganizationFactory(short_name="", website="", email="", phone="")
    body = client.get(reverse("api:organization-detail", args=[organization.slug])).json()
    assert body["short_name"] is None
    assert body["website"] is None
    assert body["email"] is None
    assert body["phone"] is None
    fields = schema_json(client)["components"]["schemas"]["OrganizationDetail"]["properties"]
    for name in ["short_name", "website", "email", "phone", "street", "description"]:
        assert fields[name].get("nullable") is True, name


def test_filled_fields_keep_their_value(client):
    organization = OrganizationFactory(website="https://example.org/")
    body = client.get(reverse("api:organization-detail", args=[organization.slug])).json()
    assert body["website"] == "https://example.org/"


def test_the_yaml_schema_downloads_as_a_named_file(client):
    response = client.get(SCHEMA)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="wspolpraca-api.yaml"'


def test_the_json_schema_downloads_as_a_named_file(client):
    response = client.get(SCHEMA, {"format": "json"})
    assert response["Content-Disposition"] == 'attachment; filename="wspolpraca-api.json"'


def test_the_schema_is_english_whatever_the_sites_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    response = client.get(SCHEMA, {"format": "json"})
    assert response["Content-Language"] == "en"
    text = response.content.decode()
    assert "List organizations" in text
    for polish in ["Lista", "organizacji", "Wybierz", "Numer strony", "fundacja"]:
        assert polish not in text, polish


def test_a_bad_schema_format_is_not_a_server_error(client):
    assert client.get(SCHEMA, {"format": "junk"}).status_code == 404


def test_the_schema_states_the_data_licence(client, settings):
    info = schema_json(client)["info"]
    assert info["license"] == {
        "name": settings.DATA_LICENCE_NAME,
        "url": settings.DATA_LICENCE_URL,
    }


@pytest.mark.parametrize("url", [LIST, reverse("api:area-list")])
def test_every_api_response_names_the_licence(client, settings, url):
    link = client.get(url)["Link"]
    assert link == f'<{settings.DATA_LICENCE_URL}>; rel="license"'


def test_the_docs_page_states_the_licence(client, settings):
    html = client.get(reverse("api-docs")).content.decode()
    assert f'href="{settings.DATA_LICENCE_URL}" rel="license"' in html
    assert settings.DATA_LICENCE_NAME in html


def test_the_docs_page_schema_has_the_same_responses():
    responses = generated_schema()["paths"]["/api/v1/organizations/"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(responses)
