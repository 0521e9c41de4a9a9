import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.api.views import generated_schema
from wspolpraca.organizations.models import (
    ClaimRequest,
    Invitation,
    Organization,
    PublicBenefitArea,
)
from wspolpraca.organizations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("api:organization-list")
AREAS = reverse("api:area-list")


def detail_url(organization):
    return reverse("api:organization-detail", args=[organization.slug])


def names(response):
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def podgorze():
    return DistrictFactory(number=13, roman="XIII", name="Podgórze")


@pytest.fixture
def culture():
    return PublicBenefitArea.objects.get(code="16")


def test_list_gives_public_fields_paginated_by_name(client, podgorze, culture):
    OrganizationFactory(name="Beta")
    OrganizationFactory(
        name="Alfa",
        kind="foundation",
        district=podgorze,
        areas=[culture],
        is_public_benefit=True,
        latitude="50.050000",
        longitude="19.950000",
    )
    body = client.get(LIST).json()
    assert body["count"] == 2
    assert {"next", "previous"} <= body.keys()
    first = body["results"][0]
    assert first["name"] == "Alfa"
    assert first["kind"] == "foundation"
    assert first["district"] == {"number": 13, "roman": "XIII", "name": "Podgórze"}
    assert first["areas"] == ["16"]
    assert first["is_public_benefit"] is True
    assert first["verified"] is True
    assert first["latitude"] == "50.050000"
    assert first["url"].endswith(f"/organizacje/{first['slug']}/")
    assert first["api_url"].endswith(f"/api/v1/organizations/{first['slug']}/")


def test_list_is_paginated_by_fifty(client):
    OrganizationFactory.create_batch(51)
    body = client.get(LIST).json()
    assert len(body["results"]) == 50
    assert body["next"]
    assert len(client.get(LIST, {"page": 2}).json()["results"]) == 1


def test_detail_gives_the_public_page_data(client, culture):
    org = OrganizationFactory(
        name="Fundacja Zdrowie Krakowa",
        email="biuro@zdrowie.example.org",
        phone="+48 12 345 67 89",
        website="https://zdrowie.example.org",
        description="Uczymy pierwszej pomocy.",
        areas=[culture],
    )
    body = client.get(detail_url(org)).json()
    assert body["name"] == "Fundacja Zdrowie Krakowa"
    assert body["email"] == "biuro@zdrowie.example.org"
    assert body["phone"] == "+48 12 345 67 89"
    assert body["website"] == "https://zdrowie.example.org"
    assert body["description"] == "Uczymy pierwszej pomocy."
    assert body["areas"] == ["16"]
    assert body["krs"] == org.krs


def test_detail_of_unknown_slug_is_404(client):
    assert client.get(reverse("api:organization-detail", args=["nie-ma"])).status_code == 404


def test_areas_lists_current_areas_with_both_labels(client):
    PublicBenefitArea.objects.create(code="99z", label_pl="dawna", valid_to="2000-01-01")
    body = client.get(AREAS).json()
    codes = [row["code"] for row in body]
    assert codes == list(PublicBenefitArea.objects.current().values_list("code", flat=True))
    assert "99z" not in codes
    culture = next(row for row in body if row["code"] == "16")
    assert set(culture) == {"code", "label_pl", "label_en"}
    assert culture["label_pl"] and culture["label_en"]


def test_filters_by_area_and_district(client, podgorze, culture):
    OrganizationFactory(name="Teatr w Podgórzu", district=podgorze, areas=[culture])
    OrganizationFactory(name="Teatr gdzie indziej", areas=[culture])
    OrganizationFactory(name="Sport w Podgórzu", district=podgorze)
    assert names(client.get(LIST, {"area": "16"})) == ["Teatr gdzie indziej", "Teatr w Podgórzu"]
    assert names(client.get(LIST, {"district": 13})) == ["Sport w Podgórzu", "Teatr w Podgórzu"]
    assert names(client.get(LIST, {"district": 13, "area": "16"})) == ["Teatr w Podgórzu"]


def test_filters_by_kind_and_opp(client):
    OrganizationFactory(name="A", kind="foundation", is_public_benefit=True)
    OrganizationFactory(name="B", kind="foundation", is_public_benefit=False)
    OrganizationFactory(name="C", kind="association", is_public_benefit=True)
    assert names(client.get(LIST, {"kind": "foundation"})) == ["A", "B"]
    assert names(client.get(LIST, {"opp": "true"})) == ["A", "C"]
    assert names(client.get(LIST, {"kind": "foundation", "opp": "false"})) == ["B"]


def test_search_without_diacritics_finds_the_name_with_them(client):
    OrganizationFactory(name="Stowarzyszenie Łódź Kultury")
    OrganizationFactory(name="Fundacja Inna")
    assert names(client.get(LIST, {"q": "lodz"})) == ["Stowarzyszenie Łódź Kultury"]


def test_invalid_filter_value_is_a_400(client):
    assert client.get(LIST, {"kind": "nonsense"}).status_code == 400


def test_hidden_and_rejected_organizations_are_not_listed_nor_shown(client):
    OrganizationFactory(name="Widoczna")
    rejected = OrganizationFactory(name="Odrzucona", verification="rejected")
    hidden = OrganizationFactory(name="Ukryta", is_hidden=True)
    assert names(client.get(LIST)) == ["Widoczna"]
    assert client.get(detail_url(rejected)).status_code == 404
    assert client.get(detail_url(hidden)).status_code == 404


def test_no_personal_data_of_members_in_any_response(client, organization):
    people = [
        MembershipFactory(organization=organization, role=role).user for role in ("admin", "member")
    ]
    claimant = UserFactory(email="chce.przejac@example.org")
    ClaimRequest.objects.create(organization=organization, user=claimant, message="Proszę")
    Invitation.objects.create(organization=organization, email="zaproszona@example.org")
    secrets = [user.email for user in [*people, claimant]]
    secrets += [user.full_name for user in people if user.full_name]
    secrets += list(EmailAddress.objects.values_list("email", flat=True))
    secrets += ["zaproszona@example.org", "Proszę"]
    urls = [LIST, f"{LIST}?q=zdrowie", detail_url(organization), AREAS, "/api/v1/"]
    for url in urls:
        for accept in ("application/json", "text/html"):
            content = client.get(url, HTTP_ACCEPT=accept).content.decode()
            for secret in secrets:
                assert secret not in content, (url, secret)


def test_the_organizations_own_contact_email_is_public(client):
    org = OrganizationFactory(email="kontakt@fundacja.example.org")
    assert client.get(detail_url(org)).json()["email"] == "kontakt@fundacja.example.org"


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


def test_list_makes_a_constant_number_of_queries(client, podgorze, culture):
    def make(count):
        for _ in range(count):
            OrganizationFactory(district=podgorze, areas=[culture])

    make(3)
    few = _list_queries(client)
    make(27)
    assert Organization.objects.count() == 30
    assert _list_queries(client) == few
    assert few <= 4  # +1: when the data last changed (core.caching)


def test_schema_is_openapi_with_the_endpoints(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/organizations/",
        "/api/v1/organizations/{slug}/",
        "/api/v1/areas/",
    } <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}
    assert {"q", "area", "district", "kind", "opp", "verified", "sort", "page"} <= parameters


def test_schema_has_only_read_operations():
    for operations in generated_schema()["paths"].values():
        assert set(operations) <= {"get", "parameters"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused(client, organization, method):
    for url in (LIST, detail_url(organization), AREAS):
        response = getattr(client, method)(url, {"name": "X"}, content_type="application/json")
        assert response.status_code in (403, 405), (method, url)
    assert Organization.objects.get(pk=organization.pk).name == "Fundacja Zdrowie Krakowa"


def test_docs_page_lists_endpoints_parameters_and_fields(client, organization):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for text in ("/api/v1/organizations/", "/api/v1/areas/", "<code>district</code>"):
        assert text in html
    assert '<th scope="col">' in html and '<th scope="row"><code>slug</code></th>' in html
    assert f'href="/api/v1/organizations/{organization.slug}/"' in html
    assert "cdn" not in html.lower()


def test_docs_page_headings_do_not_skip_levels(client):
    import re

    html = client.get(reverse("api-docs")).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_the_whole_directorys_count_is_read_not_counted(client):
    OrganizationFactory.create_batch(3)
    OrganizationFactory(is_hidden=True)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:organization-list"))

    assert response.json()["count"] == 3
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_a_filtered_list_is_counted_exactly(client, podgorze):
    OrganizationFactory.create_batch(2, district=podgorze)
    OrganizationFactory()

    response = client.get(reverse("api:organization-list"), {"district": podgorze.number})

    assert response.json()["count"] == 2
    assert response.json()["count_is_exact"] is True


def test_a_filtered_list_past_the_cap_says_its_count_is_not_exact(client, podgorze, monkeypatch):
    from wspolpraca.api.views import Pagination

    monkeypatch.setattr(Pagination, "COUNT_CAP", 3)
    for n in range(5):
        OrganizationFactory(name=f"W Podgórzu {n}", district=podgorze)
    first = client.get("/api/v1/organizations/", {"district": 13, "page_size": 2}).json()
    assert (first["count"], first["count_is_exact"]) == (3, False)
    last = client.get("/api/v1/organizations/", {"district": 13, "page_size": 2, "page": 2})
    assert last.json()["next"] is None
    past = client.get("/api/v1/organizations/", {"district": 13, "page_size": 2, "page": 3})
    assert past.status_code == 404


def test_an_unknown_slug_with_a_dot_gets_the_apis_json_404(client):
    response = client.get("/api/v1/organizations/nie.ma/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_filter_given_twice_is_refused(client):
    response = client.get("/api/v1/organizations/?district=13&district=")
    assert response.status_code == 400
    assert "district" in response.json()
