from datetime import time, timedelta

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core import feed
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.organizations.tests.factories import DistrictFactory, MembershipFactory
from wspolpraca.venues import services
from wspolpraca.venues.models import Booking, WaitingListEntry
from wspolpraca.venues.views import organization_token

from .factories import BookingFactory, BuildingFactory, RoomFactory, SupportPlaceFactory, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def manager():
    return UserFactory()


@pytest.fixture
def room(manager):
    room = RoomFactory(
        name="Sala widowiskowa",
        capacity=40,
        building__step_free_entry=True,
        building__district=DistrictFactory(number=4, name="Prądnik Biały"),
    )
    room.managers.add(manager)
    return room


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _form(room, **changes):
    day = timezone.localdate() + timedelta(days=3)
    data = {
        "kto": "group",
        "group_name": "Klub Seniora",
        "purpose": "Spotkanie klubu",
        "data": day.isoformat(),
        "od": "10:00",
        "do": "12:00",
        "weeks": "1",
        "expected_people": "20",
        "non_commercial": "on",
        "rules_accepted": "on",
    }
    data.update(changes)
    return data


# The search


def test_the_list_finds_a_room_for_20_with_step_free_entry_in_a_district_free_then(client, room):
    RoomFactory(name="Mała salka", capacity=10, building__district=room.building.district)
    RoomFactory(name="Sala bez podjazdu", capacity=50, building__district=room.building.district)
    taken = RoomFactory(
        name="Sala zajęta",
        capacity=50,
        building__step_free_entry=True,
        building__district=room.building.district,
    )
    BookingFactory(room=taken, starts=at(3, 9), ends=at(3, 11))
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.get(
        reverse("venues:list"),
        {
            "dzielnica": 4,
            "osoby": 20,
            "bez_schodow": "on",
            "data": day,
            "od": "10:00",
            "do": "12:00",
        },
    )
    names = [r.name for r in response.context["page"]]
    assert names == ["Sala widowiskowa"]
    assert "Book this room at that time" in response.content.decode()


def test_the_list_filters_by_equipment_whole_codes_only(client):
    RoomFactory(name="Z rzutnikiem", equipment=["projector", "wifi"])
    RoomFactory(name="Z ekranem", equipment=["screen"])
    response = client.get(reverse("venues:list"), {"wyposazenie": ["projector"]})
    assert [r.name for r in response.context["page"]] == ["Z rzutnikiem"]


def test_a_time_filter_without_its_end_says_what_is_missing(client, room):
    response = client.get(reverse("venues:list"), {"data": "2030-01-01", "od": "10:00"})
    assert "Enter the time until which the room is to be free." in response.content.decode()


def test_the_list_makes_the_same_queries_for_2_and_20_rooms(client):
    RoomFactory.create_batch(2, equipment=["wifi"])
    url = reverse("venues:list") + "?osoby=5&data=2030-06-03&od=10:00&do=12:00"
    few = _queries(client, url)
    RoomFactory.create_batch(18, equipment=["wifi"])
    assert _queries(client, url) == few


def test_the_map_carries_the_buildings_of_the_filtered_rooms(client, room):
    response = client.get(reverse("venues:map"), {"bez_schodow": "on"})
    assert [p["name"] for p in response.context["points"]] == [room.building.name]


# A room


def test_the_room_page_shows_the_week_with_taken_times_and_no_names(client, room):
    BookingFactory(room=room, starts=at(1, 10), group_name="Tajna Grupa")
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.get(room.get_absolute_url(), {"tydzien": tomorrow.isoformat()})
    page = response.content.decode()
    assert "10:00–12:00 (booked)" in page
    assert "Tajna Grupa" not in page
    assert "Step-free entry: yes" in page


def test_the_room_page_makes_the_same_queries_for_1_and_15_bookings_in_the_week(client, room):
    monday = services.week_of(timezone.localdate() + timedelta(days=7))
    url = room.get_absolute_url() + f"?tydzien={monday.isoformat()}"
    BookingFactory(room=room, starts=at(7 + 0, 8))
    few = _queries(client, url)
    for n in range(1, 15):
        BookingFactory(room=room, starts=at(7 + n % 7, 8 + 2 * (n // 7) + 2))
    assert _queries(client, url) == few


# Booking through the pages


def test_a_member_books_through_form_and_check_page_and_the_manager_is_told(
    client, room, organization, org_member, manager
):
    login(client, org_member)
    data = _form(room, kto=f"org-{organization.pk}", group_name="")
    response = client.post(reverse("venues:book", args=[room.slug]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("venues:book_check", args=[room.slug])
    page = client.get(response["Location"]).content.decode()
    assert "Check your answers" in page and organization.name in page
    response = client.post(reverse("venues:book_check", args=[room.slug]))
    booking = Booking.objects.get()
    assert response["Location"] == booking.get_absolute_url()
    assert booking.organization == organization
    assert booking.status == Booking.Status.REQUESTED
    assert OutgoingEmail.objects.filter(to=manager.email).exists()


def test_a_second_request_for_the_same_slot_is_refused_and_offered_the_waiting_list(
    client, room, outsider
):
    BookingFactory(room=room, starts=at(3, 10), ends=at(3, 12))
    login(client, outsider)
    response = client.post(reverse("venues:book", args=[room.slug]), _form(room))
    page = response.content.decode()
    assert response.status_code == 200
    assert "already booked" in page
    assert "Join the waiting list" in page
    wait_url = response.context["waiting_url"]
    client.post(wait_url.split("?")[0], {"data": _form(room)["data"], "od": "10:00", "do": "12:00"})
    assert WaitingListEntry.objects.filter(user=outsider, room=room).exists()


def test_errors_stand_next_to_their_fields_and_keep_what_was_typed(client, room, outsider):
    login(client, outsider)
    response = client.post(
        reverse("venues:book", args=[room.slug]), _form(room, expected_people="41")
    )
    page = response.content.decode()
    assert "The room holds at most 40 people" in page
    assert "Spotkanie klubu" in page


def test_the_manager_approves_from_the_queue_and_the_requester_gets_the_email(
    client, room, manager
):
    booking = BookingFactory(room=room, status=Booking.Status.REQUESTED)
    login(client, manager)
    queue = client.get(reverse("venues:queue")).content.decode()
    assert booking.number in queue
    client.post(reverse("venues:decide", args=[booking.pk]), {"action": "approve"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert OutgoingEmail.objects.filter(
        to=booking.requested_by.email, template="venues/email/confirmed.txt"
    ).exists()


def test_a_refusal_without_a_reason_is_shown_next_to_the_reason(client, room, manager):
    booking = BookingFactory(room=room, status=Booking.Status.REQUESTED)
    login(client, manager)
    response = client.post(
        reverse("venues:decide", args=[booking.pk]), {"action": "refuse", "odmowa-reason": ""}
    )
    assert "Give the reason for the refusal" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_a_manager_of_room_x_gets_403_on_room_ys_decisions(client, room):
    other = UserFactory()
    RoomFactory().managers.add(other)
    booking = BookingFactory(room=room, status=Booking.Status.REQUESTED)
    login(client, other)
    assert client.get(reverse("venues:decide", args=[booking.pk])).status_code == 403
    assert (
        client.post(reverse("venues:decide", args=[booking.pk]), {"action": "approve"}).status_code
        == 403
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_someone_who_manages_no_room_gets_403_on_the_queue(client, outsider):
    login(client, outsider)
    assert client.get(reverse("venues:queue")).status_code == 403


def test_a_member_of_ngo_a_gets_403_on_cancelling_ngo_bs_booking(
    client, room, organization, other_organization
):
    booking = BookingFactory(room=room, organization=other_organization, group_name="")
    member = MembershipFactory(organization=organization, role="admin").user
    login(client, member)
    assert client.get(reverse("venues:cancel", args=[booking.pk])).status_code == 403
    assert client.post(reverse("venues:cancel", args=[booking.pk])).status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_the_requester_cancels_after_a_confirmation_page(client, room):
    booking = BookingFactory(room=room)
    login(client, booking.requested_by)
    page = client.get(reverse("venues:cancel", args=[booking.pk])).content.decode()
    assert "What will happen" in page
    client.post(reverse("venues:cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_an_outsider_cannot_see_someone_elses_booking(client, room, outsider):
    booking = BookingFactory(room=room)
    login(client, outsider)
    assert client.get(booking.get_absolute_url()).status_code == 403


def test_my_bookings_lists_the_organizations_bookings_in_constant_queries(
    client, room, organization, org_member
):
    BookingFactory(room=room, organization=organization, group_name="")
    login(client, org_member)
    url = reverse("venues:my_bookings")
    few = _queries(client, url)
    for n in range(1, 10):
        BookingFactory(room=room, organization=organization, group_name="", starts=at(3 + n, 10))
    assert _queries(client, url) == few
    assert organization.name in client.get(url).content.decode()


def test_the_queue_makes_the_same_queries_for_1_and_12_requests(client, room, manager):
    BookingFactory(room=room, status=Booking.Status.REQUESTED)
    login(client, manager)
    few = _queries(client, reverse("venues:queue"))
    for n in range(1, 12):
        BookingFactory(room=room, status=Booking.Status.REQUESTED, starts=at(3 + n, 10))
    assert _queries(client, reverse("venues:queue")) == few


# iCal


def _parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_rooms_ical_holds_its_public_confirmed_bookings_in_warsaw_time(client, room):
    shown = BookingFactory(
        room=room, is_public=True, purpose="Warsztaty origami\nszczegóły", group_name="Jan Nowak"
    )
    BookingFactory(room=room, is_public=False, starts=at(4, 10), purpose="Prywatne")
    BookingFactory(room=room, is_public=True, status=Booking.Status.REQUESTED, starts=at(5, 10))
    calendar = _parse(client.get(reverse("venues:room_ical", args=[room.slug])))
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Warsztaty origami"]
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert events[0].decoded("DTSTART") == shown.starts
    assert (
        "Jan Nowak"
        not in client.get(reverse("venues:room_ical", args=[room.slug])).content.decode()
    )
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]


def test_the_organizations_ical_opens_with_its_signed_token_only(client, room, organization):
    BookingFactory(room=room, organization=organization, group_name="", purpose="Zebranie zarządu")
    BookingFactory(room=room, group_name="Inni", starts=at(5, 10))
    url = reverse("venues:organization_ical", args=[organization_token(organization)])
    events = _parse(client.get(url)).walk("VEVENT")
    assert len(events) == 1 and "Zebranie zarządu" in str(events[0]["SUMMARY"])
    forged = reverse("venues:organization_ical", args=[f"{organization.pk}:forged"])
    assert client.get(forged).status_code == 404


# The feed


def test_the_feed_has_public_confirmed_bookings_and_new_rooms(room):
    BookingFactory(room=room, is_public=True, purpose="Dzień otwarty")
    BookingFactory(room=room, is_public=False, starts=at(4, 10))
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=10)
    bookings = feed.items(start, end, kinds={"room_booking"})
    assert [i.title for i in bookings] == ["Dzień otwarty"]
    assert bookings[0].district == 4
    assert "Sala widowiskowa" in bookings[0].place
    rooms = feed.items(start, end, kinds={"room"})
    assert [i.url for i in rooms] == [room.get_absolute_url()]


def test_each_feed_source_makes_one_query_whatever_it_returns(room):
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=30)
    for n in range(5):
        BookingFactory(room=room, is_public=True, starts=at(1 + n, 10))
    RoomFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        services.bookings_feed(start, end)
        services.rooms_feed(start, end)
    assert len(queries) == 2


# Support places


def test_support_places_mark_evening_hours_in_words(client):
    SupportPlaceFactory(name="Centrum Wieczorne", hours=[(1, time(12), time(20))])
    SupportPlaceFactory(name="Centrum Poranne", hours=[(1, time(8), time(16))])
    page = client.get(reverse("venues:support_places")).content.decode()
    assert page.count("open in the evening") >= 2  # the intro, and the evening place
    assert "Centrum Poranne" in page


def test_support_places_make_the_same_queries_for_2_and_10_places(client):
    SupportPlaceFactory.create_batch(2, latitude=50.05, longitude=19.95)
    few = _queries(client, reverse("venues:support_places"))
    SupportPlaceFactory.create_batch(8, latitude=50.05, longitude=19.95)
    assert _queries(client, reverse("venues:support_places")) == few


def test_the_building_factory_can_make_a_closed_building():
    assert not BuildingFactory(open_daily=False).hours.exists()


# The back office


def test_the_back_office_shows_rooms_and_bookings_to_a_platform_admin(client, room, platform_admin):
    booking = BookingFactory(room=room)
    login(client, platform_admin)
    assert client.get(reverse("admin:venues_room_change", args=[room.pk])).status_code == 200
    assert client.get(reverse("admin:venues_building_add")).status_code == 200
    assert client.get(reverse("admin:venues_booking_changelist")).status_code == 200
    page = client.get(reverse("admin:venues_booking_change", args=[booking.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()  # read-only
