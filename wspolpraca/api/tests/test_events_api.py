"""/api/v1/events/: published events only, strict filters, the online link only where no
registration is needed, places left, a constant number of queries a page, and the
operation documented in the schema."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from rest_framework.routers import DefaultRouter

from wspolpraca.api.events import EventViewSet
from wspolpraca.city.tests.factories import DepartmentFactory, PublicBenefitAreaFactory
from wspolpraca.events.models import Event, Registration
from wspolpraca.events.tests.factories import EventFactory, RegistrationFactory, in_days
from wspolpraca.organizations.tests.factories import DistrictFactory
from wspolpraca.urls import urlpatterns as site_urlpatterns

# The site's URLs with the events' route in front, whether or not the API's router has
# it yet (the router line is `router.register("events", events.EventViewSet, basename="event")`).
_router = DefaultRouter()
_router.register("events", EventViewSet, basename="event")
urlpatterns = [path("api/v1/", include((_router.urls, "events_api"))), *site_urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

EVENTS = "/api/v1/events/"


def _titles(client, **params):
    response = client.get(EVENTS, params)
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_only_published_events_are_listed_soonest_first(client):
    EventFactory(title="Później", starts_at=in_days(9), ends_at=in_days(9) + timedelta(hours=1))
    EventFactory(title="Wcześniej", starts_at=in_days(3), ends_at=in_days(3) + timedelta(hours=1))
    for status in ("draft", "submitted", "rejected", "cancelled"):
        EventFactory(title=f"Nie: {status}", status=status)
    assert _titles(client) == ["Wcześniej", "Później"]


def test_an_unpublished_event_is_not_found(client):
    event = EventFactory(status=Event.Status.SUBMITTED)
    assert client.get(f"{EVENTS}{event.pk}/").status_code == 404
    assert client.get(f"{EVENTS}abc/").status_code == 404


def test_the_filters_narrow_by_area_kind_district_and_dates(client):
    seniors = PublicBenefitAreaFactory(code="10")
    culture = PublicBenefitAreaFactory(code="16")
    huta = DistrictFactory(number=18)
    EventFactory(
        title="Seniorzy",
        areas=[seniors],
        district=huta,
        starts_at=in_days(3),
        ends_at=in_days(3, 19),
    )
    EventFactory(title="Kultura", areas=[culture], starts_at=in_days(20), ends_at=in_days(20, 19))
    EventFactory(title="Szkolenie", kind=Event.Kind.TRAINING, organization=None, areas=[seniors])
    assert _titles(client, area="10", kind="event") == ["Seniorzy"]
    assert _titles(client, district="18") == ["Seniorzy"]
    assert _titles(client, **{"from": in_days(10).date().isoformat()}) == ["Kultura"]
    assert _titles(client, to=in_days(4).date().isoformat()) == ["Seniorzy"]


@pytest.mark.parametrize(
    "params", [{"area": "nope"}, {"kind": "party"}, {"district": "99"}, {"from": "jutro"}]
)
def test_a_bad_filter_is_a_400_naming_the_parameter(client, params):
    response = client.get(EVENTS, params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_places_left_count_only_the_registered(client):
    event = EventFactory(capacity=3)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    row = client.get(f"{EVENTS}{event.pk}/").json()
    assert row["capacity"] == 3
    assert row["places_left"] == 2
    assert row["registration_closes_at"] is not None


def test_the_online_link_is_given_only_when_no_registration_is_needed(client):
    open_event = EventFactory(capacity=None, online=True, online_link="https://meet.example.org/a")
    closed = EventFactory(capacity=5, online=True, online_link="https://meet.example.org/b")
    assert (
        client.get(f"{EVENTS}{open_event.pk}/").json()["online_link"]
        == "https://meet.example.org/a"
    )
    assert client.get(f"{EVENTS}{closed.pk}/").json()["online_link"] is None


def test_the_organizer_is_named_organization_or_department(client):
    ngo = EventFactory()
    city = EventFactory(
        organization=None,
        department=DepartmentFactory(name="Wydział Polityki Społecznej", short_name="WS"),
        kind=Event.Kind.TRAINING,
    )
    assert client.get(f"{EVENTS}{ngo.pk}/").json()["organizer"]["type"] == "organization"
    organizer = client.get(f"{EVENTS}{city.pk}/").json()["organizer"]
    assert organizer == {
        "type": "department",
        "name": "Wydział Polityki Społecznej (WS)",
        "slug": None,
    }


def test_no_registered_persons_data_is_in_the_response(client):
    event = EventFactory()
    person = RegistrationFactory(event=event).user
    body = client.get(EVENTS).content.decode()
    assert person.email not in body and person.full_name not in body


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(EVENTS).status_code == 200
    return len(queries)


def test_a_page_makes_the_same_queries_for_2_and_20_events(client):
    area = PublicBenefitAreaFactory(code="10")
    for _n in range(2):
        RegistrationFactory(event=EventFactory(areas=[area]))
    few = _queries(client)
    for _n in range(18):
        RegistrationFactory(event=EventFactory(areas=[area]))
    assert _queries(client) == few


def test_the_operations_are_documented_with_their_responses():
    schema = SchemaGenerator(patterns=urlpatterns[:1]).get_schema(request=None, public=True)
    listing = schema["paths"]["/api/v1/events/"]["get"]
    assert {"200", "400", "404"} <= set(listing["responses"])
    assert {p["name"] for p in listing["parameters"]} >= {"area", "kind", "district", "from", "to"}
    assert {"200", "404"} <= set(schema["paths"]["/api/v1/events/{id}/"]["get"]["responses"])


def test_an_empty_date_is_refused_not_read_as_no_limit(client):
    response = client.get("/api/v1/events/?to=")
    assert response.status_code == 400
    assert "to" in response.json()
