"""/api/v1/rooms/. The lead adds the router line to api/urls.py; until then these tests
mount the view set under the same address with a urlconf of their own (this module)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone
from rest_framework.routers import DefaultRouter

from wspolpraca.api import rooms
from wspolpraca.venues.models import Booking
from wspolpraca.venues.tests.factories import BlockedPeriodFactory, BookingFactory, RoomFactory, at

router = DefaultRouter()
router.register("rooms", rooms.RoomViewSet, basename="room")
urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("", include("wspolpraca.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__), pytest.mark.usefixtures("english")]


def test_the_list_filters_like_the_page(client):
    RoomFactory(name="Duża", capacity=50, equipment=["projector"], building__step_free_entry=True)
    RoomFactory(name="Mała", capacity=8, equipment=["projector"], building__step_free_entry=True)
    RoomFactory(name="Schody", capacity=50, equipment=["projector"])
    data = client.get(
        "/api/v1/rooms/",
        {"min_capacity": 20, "equipment": "projector", "step_free_entry": "true"},
    ).json()
    assert [r["name"] for r in data["results"]] == ["Duża"]


def test_free_on_leaves_out_rooms_taken_then(client):
    free, taken = RoomFactory(name="Wolna"), RoomFactory(name="Zajęta")
    BookingFactory(room=taken, starts=at(3, 10))
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    data = client.get(
        "/api/v1/rooms/", {"free_on": day, "free_from": "10:30", "free_until": "11:00"}
    ).json()
    assert [r["slug"] for r in data["results"]] == [free.slug]


def test_free_busy_gives_busy_intervals_without_personal_data(client):
    room = RoomFactory()
    BookingFactory(room=room, starts=at(2, 10), group_name="Jan Kowalski", purpose="Urodziny Jana")
    BookingFactory(room=room, starts=at(2, 14), status=Booking.Status.CANCELLED)
    BlockedPeriodFactory(room=room, starts=at(4, 8), ends=at(4, 21), reason="Remont")
    first = timezone.localdate().isoformat()
    last = (timezone.localdate() + timedelta(days=6)).isoformat()
    response = client.get(f"/api/v1/rooms/{room.slug}/", {"from": first, "to": last})
    body = response.content.decode()
    assert [b["kind"] for b in response.json()["busy"]] == ["booked", "blocked"]
    assert "Jan" not in body and "Remont" not in body


def test_a_range_longer_than_31_days_is_refused(client):
    RoomFactory()
    first = timezone.localdate()
    response = client.get(
        "/api/v1/rooms/",
        {"from": first.isoformat(), "to": (first + timedelta(days=31)).isoformat()},
    )
    assert response.status_code == 400
    assert "to" in response.json()


def test_without_a_range_busy_is_null(client):
    RoomFactory()
    assert client.get("/api/v1/rooms/").json()["results"][0]["busy"] is None


def test_the_list_makes_the_same_queries_for_2_and_12_rooms_with_busy_times(client):
    params = {
        "from": timezone.localdate().isoformat(),
        "to": (timezone.localdate() + timedelta(days=6)).isoformat(),
    }
    for room in RoomFactory.create_batch(2):
        BookingFactory(room=room)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/rooms/", params)
    for room in RoomFactory.create_batch(10):
        BookingFactory(room=room)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/rooms/", params)
    assert len(many) == len(few)


def test_an_inactive_room_is_not_found(client):
    room = RoomFactory(is_active=False)
    assert client.get(f"/api/v1/rooms/{room.slug}/").status_code == 404


def test_the_schema_documents_the_rooms(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(patterns=urlpatterns[:1]).get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/rooms/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"from", "to", "free_on", "equipment", "min_capacity"} <= names


def test_an_empty_range_day_is_refused_not_read_as_no_range(client):
    response = client.get("/api/v1/rooms/?to=")
    assert response.status_code == 400
