"""The pages, through the HTTP interface: the calendar (month and list, filters in the
URL, items of every feed kind), the iCal feed parsed back, an event's page with
registration, submitting (form, check your answers, confirmation), moderation,
permissions from the refused side, and constant queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core import feed
from wspolpraca.events.models import Event, Registration
from wspolpraca.organizations.tests.factories import DistrictFactory, MembershipFactory

from .factories import EventFactory, RegistrationFactory, TrainingTopicFactory, in_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CALENDAR = reverse("events:calendar")
LIST = reverse("events:list")
ICAL = reverse("events:ical")


def _month(day):
    return day.strftime("%Y-%m")


@pytest.fixture
def deadline_source():
    """A feed kind of another app, whole-day items: the calendar shows it without
    importing anything."""
    day = timezone.localdate() + timedelta(days=7)

    def source(start, end):
        if not start <= timezone.make_aware(timezone.datetime(day.year, day.month, day.day)) < end:
            return []
        return [
            feed.Item(
                kind="test_deadline",
                title="Termin składania ofert: Seniorzy",
                url="/konkursy/123/",
                published=timezone.now(),
                starts=day,
                areas=("10",),
            )
        ]

    feed.register("test_deadline", source, label="Test deadline")
    yield day
    feed.unregister("test_deadline")


def _queries(client, url):
    client.get(url)  # the first request of a session reads more (the session, the MFA state)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The calendar


def test_the_month_shows_items_of_every_kind_with_their_labels_and_links(client, deadline_source):
    event = EventFactory(title="Piknik sąsiedzki", starts_at=in_days(7, 15), ends_at=in_days(7, 18))
    response = client.get(CALENDAR, {"miesiac": _month(deadline_source)})
    html = response.content.decode()
    assert "Piknik sąsiedzki" in html
    assert f'href="{event.get_absolute_url()}"' in html
    assert "Termin składania ofert: Seniorzy" in html
    assert 'href="/konkursy/123/"' in html
    assert "Test deadline" in html and "NGO event" in html
    assert "15:00" in html


def test_the_month_is_a_table_with_a_caption_and_weekday_headers(client):
    html = client.get(CALENDAR).content.decode()
    assert "<caption" in html
    assert html.count('<th scope="col">') == 7


def test_every_registered_dated_feed_kind_is_a_filter_with_its_label(client, deadline_source):
    html = client.get(CALENDAR).content.decode()
    for kind in feed.kinds(dated=True):
        assert f'value="{kind}"' in html
    assert "Test deadline" in html


def test_the_kind_filter_keeps_only_the_chosen_kinds(client, deadline_source):
    EventFactory(title="Piknik sąsiedzki", starts_at=in_days(7, 15), ends_at=in_days(7, 18))
    month = _month(deadline_source)
    html = client.get(CALENDAR, {"miesiac": month, "rodzaj": "test_deadline"}).content.decode()
    assert "Termin składania ofert" in html
    assert "Piknik sąsiedzki" not in html


def test_the_area_and_district_filters_narrow_the_events(client):
    seniors = PublicBenefitAreaFactory(code="10")
    culture = PublicBenefitAreaFactory(code="16")
    nowa_huta = DistrictFactory(number=18)
    EventFactory(title="Dla seniorów w Nowej Hucie", areas=[seniors], district=nowa_huta)
    EventFactory(title="Koncert w centrum", areas=[culture])
    month = _month(in_days(7))
    html = client.get(LIST, {"miesiac": month, "obszar": "10"}).content.decode()
    assert "Dla seniorów w Nowej Hucie" in html and "Koncert w centrum" not in html
    html = client.get(LIST, {"miesiac": month, "dzielnica": "18"}).content.decode()
    assert "Dla seniorów w Nowej Hucie" in html and "Koncert w centrum" not in html


def test_a_bad_month_is_reported_next_to_its_field_and_the_current_month_shown(client):
    response = client.get(CALENDAR, {"miesiac": "2026-13"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_miesiac_error"' in html
    assert response.context["first"] == timezone.localdate().replace(day=1)


def test_the_month_links_keep_the_filters(client):
    PublicBenefitAreaFactory(code="10")
    response = client.get(CALENDAR, {"miesiac": "2026-01", "obszar": "10", "rodzaj": "event"})
    html = response.content.decode()
    assert "?obszar=10&amp;rodzaj=event&amp;miesiac=2025-12" in html
    assert "?obszar=10&amp;rodzaj=event&amp;miesiac=2026-02" in html


def test_the_calendar_links_its_ical_feed_with_the_same_filters(client):
    PublicBenefitAreaFactory(code="10")
    html = client.get(
        CALENDAR, {"miesiac": "2026-01", "obszar": "10", "rodzaj": "training"}
    ).content.decode()
    assert f'href="{ICAL}?obszar=10&amp;rodzaj=training"' in html


def test_the_list_groups_items_by_day_in_order(client):
    EventFactory(title="Drugie", starts_at=in_days(9, 10), ends_at=in_days(9, 12))
    EventFactory(title="Pierwsze", starts_at=in_days(8, 10), ends_at=in_days(8, 12))
    month = in_days(8).strftime("%Y-%m")
    response = client.get(LIST, {"miesiac": month})
    days = [day for day, _entries in response.context["days"]]
    html = response.content.decode()
    if in_days(8).month == in_days(9).month:
        assert days == sorted(days)
        assert html.index("Pierwsze") < html.index("Drugie")


def test_the_events_address_leads_to_the_list_of_own_kinds(client):
    response = client.get(reverse("events:landing"))
    assert response.status_code == 302
    assert response["Location"].startswith(LIST + "?rodzaj=event&rodzaj=training&rodzaj=meeting")


def test_unpublished_events_are_not_in_the_calendar(client):
    EventFactory(title="Czeka na moderację", status=Event.Status.SUBMITTED)
    html = client.get(LIST, {"miesiac": _month(in_days(7))}).content.decode()
    assert "Czeka na moderację" not in html


def test_the_month_makes_the_same_queries_for_3_and_60_events(client):
    area = PublicBenefitAreaFactory(code="10")
    url = f"{CALENDAR}?miesiac={_month(in_days(7))}"
    for _n in range(3):
        EventFactory(areas=[area])
    few = _queries(client, url)
    for n in range(57):
        EventFactory(areas=[area], starts_at=in_days(7, 8 + n % 10))
    assert _queries(client, url) == few


def test_the_list_makes_the_same_queries_for_3_and_60_events(client):
    area = PublicBenefitAreaFactory(code="10")
    url = f"{LIST}?miesiac={_month(in_days(7))}"
    for _n in range(3):
        EventFactory(areas=[area])
    few = _queries(client, url)
    for _n in range(57):
        EventFactory(areas=[area])
    assert _queries(client, url) == few


# iCal


def _parsed(response):
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_ical_feed_holds_the_events_with_warsaw_times_and_a_vtimezone(client):
    event = EventFactory(title="Warsztaty z RODO", starts_at=in_days(5, 17), ends_at=in_days(5, 19))
    cal = _parsed(client.get(ICAL))
    vevents = cal.walk("VEVENT")
    assert [str(v["SUMMARY"]) for v in vevents] == ["Warsztaty z RODO"]
    vevent = vevents[0]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    assert str(vevent["URL"]).endswith(event.get_absolute_url())
    assert vevent["UID"]
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Warsaw"]


def test_whole_day_items_are_date_values_in_the_ical_feed(client, deadline_source):
    cal = _parsed(client.get(ICAL, {"rodzaj": "test_deadline"}))
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("DTSTART") == deadline_source
    assert type(vevent.decoded("DTSTART")) is date
    assert vevent.decoded("DTEND") == deadline_source + timedelta(days=1)


def test_the_ical_feed_follows_the_area_and_kind_filters(client):
    seniors = PublicBenefitAreaFactory(code="10")
    culture = PublicBenefitAreaFactory(code="16")
    EventFactory(title="Seniorzy", areas=[seniors])
    EventFactory(title="Kultura", areas=[culture])
    EventFactory(
        title="Szkolenie seniorów", areas=[seniors], kind=Event.Kind.TRAINING, organization=None
    )
    cal = _parsed(client.get(ICAL, {"obszar": "10", "rodzaj": "event"}))
    assert [str(v["SUMMARY"]) for v in cal.walk("VEVENT")] == ["Seniorzy"]


def test_one_events_ical_file_parses(client):
    event = EventFactory(title="Spotkanie sektorowe", kind=Event.Kind.MEETING, organization=None)
    cal = _parsed(client.get(reverse("events:event_ical", args=[event.pk])))
    assert [str(v["SUMMARY"]) for v in cal.walk("VEVENT")] == ["Spotkanie sektorowe"]


# An event's page and registration


def test_a_signed_in_person_registers_from_the_event_page(client, outsider):
    event = EventFactory(capacity=3)
    login(client, outsider)
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "Your place is confirmed" in response.content.decode()
    assert event.registrations.get(user=outsider).status == "registered"


def test_registering_needs_signing_in(client):
    event = EventFactory(capacity=3)
    response = client.post(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not event.registrations.exists()


def test_the_page_of_a_full_event_offers_the_waiting_list(client, outsider):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    login(client, outsider)
    assert "Join the waiting list" in client.get(event.get_absolute_url()).content.decode()


def test_cancelling_a_registration_asks_first_then_cancels(client, outsider):
    event = EventFactory(capacity=3)
    RegistrationFactory(event=event, user=outsider)
    login(client, outsider)
    url = reverse("events:cancel_registration", args=[event.pk])
    page = client.get(url).content.decode()
    assert "Cancel your registration" in page
    assert event.registrations.get(user=outsider).status == "registered"
    client.post(url)
    assert event.registrations.get(user=outsider).status == "cancelled"


def test_the_online_link_is_shown_only_to_people_registered(client, outsider):
    event = EventFactory(capacity=3, online=True, online_link="https://meet.example.org/tajne")
    login(client, outsider)
    assert "meet.example.org/tajne" not in client.get(event.get_absolute_url()).content.decode()
    RegistrationFactory(event=event, user=outsider)
    assert "meet.example.org/tajne" in client.get(event.get_absolute_url()).content.decode()


def test_registered_peoples_names_are_hidden_from_others(client, organization, outsider):
    event = EventFactory(organization=organization)
    person = UserFactory(full_name="Zofia Tajemnicza")
    RegistrationFactory(event=event, user=person)
    login(client, outsider)
    assert "Zofia Tajemnicza" not in client.get(event.get_absolute_url()).content.decode()
    assert client.get(reverse("events:registrations", args=[event.pk])).status_code == 403


def test_the_organizers_member_sees_the_registered_people(client, organization, org_member):
    event = EventFactory(organization=organization)
    RegistrationFactory(event=event, user=UserFactory(full_name="Zofia Tajemnicza"))
    login(client, org_member)
    html = client.get(reverse("events:registrations", args=[event.pk])).content.decode()
    assert "Zofia Tajemnicza" in html


def test_a_member_of_another_organization_does_not_see_the_registered_people(
    client, organization, other_organization
):
    event = EventFactory(organization=organization)
    login(client, MembershipFactory(organization=other_organization).user)
    assert client.get(reverse("events:registrations", args=[event.pk])).status_code == 403


def test_a_draft_is_not_found_by_people_outside_its_organization(client, organization, outsider):
    event = EventFactory(organization=organization, status=Event.Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    login(client, outsider)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_a_cancelled_events_page_says_so_with_the_reason(client):
    event = EventFactory(status=Event.Status.CANCELLED, cancellation_reason="Burza.")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "This event is cancelled" in html and "Burza." in html


def test_the_event_page_makes_the_same_queries_for_3_and_30_registrations(client, outsider):
    event = EventFactory(capacity=100)
    for _n in range(3):
        RegistrationFactory(event=event)
    login(client, outsider)
    few = _queries(client, event.get_absolute_url())
    for _n in range(27):
        RegistrationFactory(event=event)
    assert _queries(client, event.get_absolute_url()) == few


def test_the_list_of_registered_makes_the_same_queries_for_3_and_30(
    client, organization, org_member
):
    event = EventFactory(organization=organization, capacity=100)
    url = reverse("events:registrations", args=[event.pk])
    for _n in range(3):
        RegistrationFactory(event=event)
    login(client, org_member)
    few = _queries(client, url)
    for _n in range(27):
        RegistrationFactory(event=event)
    assert _queries(client, url) == few


# Submitting an event


def _form(area, **changes):
    day = timezone.localdate() + timedelta(days=14)
    data = {
        "title": "Dzień otwarty fundacji",
        "description": "Pokażemy, co robimy.",
        "areas": [area.pk],
        "district": "",
        "place": "ul. Długa 5, Kraków",
        "online_link": "",
        "capacity": "20",
        "day": day.isoformat(),
        "starts": "16:00",
        "ends_day": "",
        "ends": "19:00",
        "registration_until": "",
    }
    data.update(changes)
    return data


def test_a_member_submits_an_event_through_check_your_answers(client, organization, org_member):
    area = PublicBenefitAreaFactory(code="10")
    login(client, org_member)
    response = client.post(reverse("events:new"), _form(area))
    event = Event.objects.get()
    assert response["Location"] == reverse("events:check", args=[event.pk])
    assert event.status == Event.Status.DRAFT and event.organization == organization
    check = client.get(response["Location"]).content.decode()
    assert "Dzień otwarty fundacji" in check and "Send for moderation" in check
    response = client.post(reverse("events:check", args=[event.pk]))
    assert response["Location"] == reverse("events:sent", args=[event.pk])
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED
    assert str(event.pk) in client.get(response["Location"]).content.decode()


def test_an_end_before_the_start_is_shown_next_to_the_field_keeping_what_was_typed(
    client, org_member
):
    area = PublicBenefitAreaFactory(code="10")
    login(client, org_member)
    response = client.post(reverse("events:new"), _form(area, ends="15:00"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_ends_error"' in html
    assert "The event must end after it starts." in html
    assert 'value="Dzień otwarty fundacji"' in html
    assert not Event.objects.exists()


def test_a_registration_deadline_after_the_event_is_refused(client, org_member):
    area = PublicBenefitAreaFactory(code="10")
    login(client, org_member)
    late = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.post(reverse("events:new"), _form(area, registration_until=late))
    assert 'id="id_registration_until_error"' in response.content.decode()


def test_a_person_in_no_organization_cannot_submit_an_event(client, outsider):
    login(client, outsider)
    assert client.get(reverse("events:new")).status_code == 403


def test_a_member_of_another_organization_cannot_edit_the_event(
    client, organization, other_organization
):
    event = EventFactory(organization=organization, status=Event.Status.DRAFT)
    login(client, MembershipFactory(organization=other_organization).user)
    area = PublicBenefitAreaFactory(code="10")
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:edit", args=[event.pk]), _form(area)).status_code == 404
    event.refresh_from_db()
    assert event.title != "Dzień otwarty fundacji"


def test_a_member_of_another_organization_cannot_cancel_a_published_event(
    client, organization, other_organization
):
    event = EventFactory(organization=organization)
    login(client, MembershipFactory(organization=other_organization).user)
    response = client.post(reverse("events:cancel", args=[event.pk]), {"reason": "Nie."})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_city_staff_publish_a_training_at_once(client, official):
    area = PublicBenefitAreaFactory(code="10")
    topic = TrainingTopicFactory()
    login(client, official)
    client.post(
        reverse("events:new"), _form(area, kind="training", topics=[topic.pk], level="beginner")
    )
    event = Event.objects.get()
    assert event.kind == Event.Kind.TRAINING and event.organization is None
    client.post(reverse("events:check", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_cancelling_an_event_asks_for_a_reason(client, organization, org_member):
    event = EventFactory(organization=organization)
    login(client, org_member)
    url = reverse("events:cancel", args=[event.pk])
    response = client.post(url, {"reason": ""})
    assert 'id="id_reason_error"' in response.content.decode()
    client.post(url, {"reason": "Choroba prowadzącej."})
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_my_events_lists_my_registrations_and_my_organizations_events(
    client, organization, org_member
):
    RegistrationFactory(event=EventFactory(title="Tu się zapisałem"), user=org_member)
    EventFactory(title="Nasz szkic", organization=organization, status=Event.Status.DRAFT)
    login(client, org_member)
    html = client.get(reverse("events:mine")).content.decode()
    assert "Tu się zapisałem" in html and "Nasz szkic" in html


# Moderation


@pytest.fixture
def submitted(organization, org_member):
    return EventFactory(
        title="Do sprawdzenia",
        organization=organization,
        status=Event.Status.SUBMITTED,
        submitted_by=org_member,
        submitted_at=timezone.now(),
    )


def test_a_resident_cannot_open_the_moderation_queue_or_moderate(client, outsider, submitted):
    login(client, outsider)
    assert client.get(reverse("events:queue")).status_code == 403
    assert client.post(reverse("events:moderate", args=[submitted.pk])).status_code == 403
    assert (
        client.post(reverse("events:reject", args=[submitted.pk]), {"reason": "x"}).status_code
        == 403
    )
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.SUBMITTED


def test_the_organizations_member_cannot_approve_their_own_event(client, org_member, submitted):
    login(client, org_member)
    assert client.post(reverse("events:moderate", args=[submitted.pk])).status_code == 403


def test_staff_see_the_queue_and_publish_an_event(client, official, submitted):
    login(client, official)
    assert "Do sprawdzenia" in client.get(reverse("events:queue")).content.decode()
    response = client.post(reverse("events:moderate", args=[submitted.pk]))
    assert response["Location"] == reverse("events:queue")
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.PUBLISHED


def test_staff_reject_with_a_reason_on_a_page_of_its_own(client, official, submitted):
    login(client, official)
    url = reverse("events:reject", args=[submitted.pk])
    assert "Reject" in client.get(url).content.decode()
    assert 'id="id_reason_error"' in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "Brak adresu."})
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.REJECTED
    assert submitted.rejection_reason == "Brak adresu."


def test_the_queue_makes_the_same_queries_for_2_and_20_events(client, official, organization):
    def submit(n):
        for _i in range(n):
            EventFactory(
                organization=organization,
                status=Event.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )

    login(client, official)
    submit(2)
    few = _queries(client, reverse("events:queue"))
    submit(18)
    assert _queries(client, reverse("events:queue")) == few


def test_a_waiting_persons_page_shows_their_place_in_the_queue(client, outsider):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITING)
    RegistrationFactory(event=event, status=Registration.Status.WAITING, user=outsider)
    login(client, outsider)
    assert "number 2" in client.get(event.get_absolute_url()).content.decode()


def test_the_calendar_leaves_out_kinds_that_are_published_rather_than_dated(client):
    page = client.get(reverse("events:calendar")).content.decode()
    assert 'value="event"' in page
    assert 'value="room"' not in page
    assert 'value="news"' not in page
