"""/api/v1/bodies/: bodies that still work with their current members (no private data)
and latest published documents, strict filters, constant queries, and the schema."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wspolpraca.city.models import DialogueBody
from wspolpraca.city.tests.factories import (
    BodyMemberFactory,
    DialogueBodyFactory,
    OpinionFactory,
    PublicBenefitAreaFactory,
)
from wspolpraca.organizations.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BODIES = "/api/v1/bodies/"


def test_a_body_lists_its_current_members_with_nominating_organizations(client, outsider):
    body = DialogueBodyFactory(slug="kdo-kultura", secretaries=[outsider])
    org = OrganizationFactory(name="Fundacja Nominująca", slug="fundacja-nominujaca")
    BodyMemberFactory(body=body, full_name="Anna Obecna", role="chair", organization=org)
    BodyMemberFactory(
        body=body,
        full_name="Jan Dawny",
        term_start=timezone.localdate() - timedelta(days=800),
        term_end=timezone.localdate() - timedelta(days=1),
    )

    data = client.get(f"{BODIES}kdo-kultura/").json()

    assert [m["full_name"] for m in data["current_members"]] == ["Anna Obecna"]
    assert data["current_members"][0]["nominated_by"] == {
        "name": "Fundacja Nominująca",
        "slug": "fundacja-nominujaca",
    }
    assert data["current_members"][0]["role"] == "chair"
    assert outsider.email not in str(data)


def test_latest_opinions_are_published_ones_newest_first_and_at_most_five(client):
    body = DialogueBodyFactory()
    today = timezone.localdate()
    for days in range(7):
        OpinionFactory(body=body, title=f"Opinia {days}", adopted_on=today - timedelta(days=days))
    OpinionFactory(body=body, title="Szkic", published_at=None)

    data = client.get(f"{BODIES}{body.slug}/").json()

    assert [o["title"] for o in data["latest_opinions"]] == [f"Opinia {d}" for d in range(5)]


def test_bodies_that_no_longer_work_are_not_listed(client):
    DialogueBodyFactory(name="Działająca")
    gone = DialogueBodyFactory(name="Rozwiązana", is_active=False)

    names = [row["name"] for row in client.get(BODIES).json()["results"]]

    assert names == ["Działająca"]
    assert client.get(f"{BODIES}{gone.slug}/").status_code == 404


def test_the_filters_narrow_by_kind_and_area(client):
    area = PublicBenefitAreaFactory(code="T99")
    DialogueBodyFactory(name="Rada", kind=DialogueBody.Kind.COUNCIL)
    DialogueBodyFactory(name="KDO z obszarem", areas=[area])

    def names(**params):
        return [row["name"] for row in client.get(BODIES, params).json()["results"]]

    assert names(kind="council") == ["Rada"]
    assert names(area="T99") == ["KDO z obszarem"]


@pytest.mark.parametrize("params", [{"kind": "club"}, {"area": "nope"}])
def test_a_bad_filter_is_a_400_naming_the_parameter(client, params):
    response = client.get(BODIES, params)

    assert response.status_code == 400
    assert list(response.json()) == list(params)


@pytest.mark.parametrize("rows", [2, 8])
def test_a_page_takes_the_same_number_of_queries_whatever_the_data(
    client, rows, django_assert_num_queries
):
    for _ in range(rows):
        body = DialogueBodyFactory(areas=[PublicBenefitAreaFactory()])
        BodyMemberFactory(body=body, organization=OrganizationFactory())
        BodyMemberFactory(body=body)
        OpinionFactory(body=body)
        OpinionFactory(body=body)
    # count, rows, areas, current members with organizations, latest documents
    with django_assert_num_queries(5):
        response = client.get(BODIES)
    assert len(response.json()["results"]) == rows


def test_the_operations_are_in_the_schema(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    listing = schema["paths"]["/api/v1/bodies/"]["get"]["responses"]
    detail = schema["paths"]["/api/v1/bodies/{slug}/"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(listing)
    assert {"200", "404"} <= set(detail)
