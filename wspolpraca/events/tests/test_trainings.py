"""The training offer: a training's topics, level and trainer (asked in the form, checked by
the server), organizations' trainings through moderation, /szkolenia/ with its filters in
the URL and constant queries, a topic's page, and the trainings in the calendar."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core import feed
from wspolpraca.events import services
from wspolpraca.events.models import Event, Registration

from .factories import (
    EventFactory,
    RegistrationFactory,
    TrainingFactory,
    TrainingTopicFactory,
    in_days,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TRAININGS = reverse("events:trainings")


@pytest.fixture
def area():
    return PublicBenefitAreaFactory(code="33")


@pytest.fixture
def topic():
    return TrainingTopicFactory(name="Rozliczanie dotacji")


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _form(area, **changes):
    day = timezone.localdate() + timedelta(days=14)
    data = {
        "title": "Szkolenie z rozliczania dotacji",
        "description": "Jak rozliczyć dotację krok po kroku.",
        "areas": [area.pk],
        "district": "",
        "place": "ul. Reymonta 20, Kraków",
        "online_link": "",
        "capacity": "20",
        "day": day.isoformat(),
        "starts": "10:00",
        "ends_day": "",
        "ends": "14:00",
        "registration_until": "",
        "kind": "training",
        "level": "beginner",
        "trainer_name": "Anna Kowalska",
        "trainer_note": "Księgowa z 15-letnim doświadczeniem.",
    }
    data.update(changes)
    return data


def _data(area, topics, **changes):
    data = {
        "kind": Event.Kind.TRAINING,
        "title": "Szkolenie z RODO",
        "description": "Dla organizacji.",
        "place": "ul. Długa 5",
        "online": False,
        "online_link": "",
        "starts_at": in_days(10, 16),
        "ends_at": in_days(10, 19),
        "capacity": 20,
        "registration_until": None,
        "district": None,
        "areas": [area],
        "topics": topics,
        "level": Event.Level.BEGINNER,
    }
    data.update(changes)
    return data


# A training's questions


def test_a_training_without_a_topic_is_refused_next_to_the_topics(client, official, area):
    login(client, official)
    response = client.post(reverse("events:new"), _form(area))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_topics_error"' in html
    assert "Choose at least one topic the training is about." in html
    assert not Event.objects.exists()


def test_a_training_without_a_level_is_refused_next_to_the_level(client, official, area, topic):
    login(client, official)
    response = client.post(reverse("events:new"), _form(area, topics=[topic.pk], level=""))
    assert 'id="id_level_error"' in response.content.decode()
    assert not Event.objects.exists()


def test_the_services_refuse_a_training_without_a_topic_too(official, area):
    with pytest.raises(services.EventError) as error:
        services.create_event(official, _data(area, []))
    assert error.value.field == "topics"


def test_staff_save_a_training_with_its_topics_level_and_trainer(client, official, area, topic):
    login(client, official)
    client.post(reverse("events:new"), _form(area, topics=[topic.pk]))
    event = Event.objects.get()
    assert event.kind == Event.Kind.TRAINING
    assert list(event.topics.all()) == [topic]
    assert event.level == Event.Level.BEGINNER
    assert event.trainer_name == "Anna Kowalska"
    check = client.get(reverse("events:check", args=[event.pk])).content.decode()
    assert "Rozliczanie dotacji" in check and "Anna Kowalska" in check


def test_topics_and_level_are_dropped_from_a_meeting(official, area, topic):
    data = _data(area, [topic], kind=Event.Kind.MEETING, trainer_name="Ktoś")
    event = services.create_event(official, data)
    assert event.kind == Event.Kind.MEETING
    assert not event.topics.exists() and event.level == "" and event.trainer_name == ""


def test_topic_links_are_counted_through_the_topics_events(area, topic):
    TrainingFactory(topics=[topic])
    assert topic.events.count() == 1


def test_an_organizations_training_goes_to_moderation(client, organization, org_member, area):
    topic = TrainingTopicFactory()
    login(client, org_member)
    client.post(reverse("events:new"), _form(area, topics=[topic.pk]))
    event = Event.objects.get()
    assert event.kind == Event.Kind.TRAINING and event.organization == organization
    client.post(reverse("events:check", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED


def test_an_organization_cannot_make_a_sector_meeting(organization, org_member, area):
    event = services.create_event(
        org_member, _data(area, [], kind=Event.Kind.MEETING), organization=organization
    )
    assert event.kind == Event.Kind.EVENT


def test_a_resident_cannot_publish_a_city_training(outsider, area, topic):
    with pytest.raises(PermissionDenied):
        services.create_event(outsider, _data(area, [topic]))
    assert not Event.objects.exists()


def test_a_trainings_page_shows_its_topics_level_and_trainer(client, topic):
    training = TrainingFactory(topics=[topic], trainer_note="Prowadzi szkolenia od lat.")
    html = client.get(training.get_absolute_url()).content.decode()
    assert "Rozliczanie dotacji" in html
    assert reverse("events:topic", args=[topic.pk]) in html
    assert "For beginners" in html and "Anna Kowalska" in html


# The training offer


def test_the_offer_lists_upcoming_trainings_only(client):
    TrainingFactory(title="Szkolenie za tydzień")
    TrainingFactory(title="Szkolenie wczoraj", starts_at=in_days(-1, 10), ends_at=in_days(-1, 12))
    TrainingFactory(title="Szkolenie w szkicu", status=Event.Status.DRAFT)
    EventFactory(title="Piknik")
    html = client.get(TRAININGS).content.decode()
    assert "Szkolenie za tydzień" in html
    assert "Szkolenie wczoraj" not in html
    assert "Szkolenie w szkicu" not in html
    assert "Piknik" not in html


def test_each_training_shows_its_free_places_and_waiting_list(client):
    full = TrainingFactory(title="Pełne", capacity=1)
    RegistrationFactory(event=full)
    RegistrationFactory(event=full, status=Registration.Status.WAITING)
    RegistrationFactory(event=full, status=Registration.Status.WAITING)
    roomy = TrainingFactory(title="Wolne", capacity=5)
    RegistrationFactory(event=roomy)
    html = client.get(TRAININGS).content.decode()
    assert "2 people on the waiting list" in html
    assert "4 places free of 5" in html
    assert "Full" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"poziom": "advanced"}, "Zaawansowane online"),
        ({"forma": "online"}, "Zaawansowane online"),
        ({"forma": "na-miejscu"}, "Dla początkujących"),
        ({"obszar": "10"}, "Dla początkujących"),
    ],
)
def test_the_filters_narrow_the_offer(client, params, expected):
    seniors = PublicBenefitAreaFactory(code="10")
    TrainingFactory(title="Dla początkujących", areas=[seniors])
    TrainingFactory(
        title="Zaawansowane online",
        level=Event.Level.ADVANCED,
        place="",
        online=True,
        online_link="https://meet.example.org/x",
    )
    html = client.get(TRAININGS, params).content.decode()
    titles = {"Dla początkujących", "Zaawansowane online"}
    assert expected in html
    assert all(t not in html for t in titles - {expected})


def test_the_topic_filter_keeps_the_trainings_of_that_topic(client, topic):
    other = TrainingTopicFactory(name="Pozyskiwanie funduszy")
    TrainingFactory(title="O dotacjach", topics=[topic])
    TrainingFactory(title="O funduszach", topics=[other])
    html = client.get(TRAININGS, {"temat": topic.pk}).content.decode()
    assert "O dotacjach" in html and "O funduszach" not in html


def test_the_month_filter_keeps_the_trainings_of_that_month(client):
    soon = TrainingFactory(title="Wkrótce", starts_at=in_days(3, 10), ends_at=in_days(3, 12))
    later = TrainingFactory(title="Później", starts_at=in_days(70, 10), ends_at=in_days(70, 12))
    html = client.get(TRAININGS, {"miesiac": later.starts_at.strftime("%Y-%m")}).content.decode()
    assert "Później" in html
    if soon.starts_at.month != later.starts_at.month:
        assert "Wkrótce" not in html


def test_a_bad_month_is_reported_next_to_its_field_and_left_out(client):
    TrainingFactory(title="Wkrótce")
    response = client.get(TRAININGS, {"miesiac": "2026-13"})
    html = response.content.decode()
    assert 'id="id_miesiac_error"' in html and "Wkrótce" in html


def test_the_offer_is_paginated(client):
    for _n in range(21):
        TrainingFactory()
    first = client.get(TRAININGS)
    assert len(first.context["page"]) == 20
    assert len(client.get(TRAININGS, {"page": 2}).context["page"]) == 1


def test_the_offer_makes_the_same_queries_for_3_and_30_trainings(client, area, topic):
    def make(n):
        for _i in range(n):
            training = TrainingFactory(areas=[area], topics=[topic])
            RegistrationFactory(event=training)

    make(3)
    few = _queries(client, f"{TRAININGS}?temat={topic.pk}&obszar=33")
    make(27)
    assert _queries(client, f"{TRAININGS}?temat={topic.pk}&obszar=33") == few


# A topic's page


def test_a_topics_page_lists_its_planned_trainings(client, topic):
    TrainingFactory(title="Rozliczenie krok po kroku", topics=[topic])
    TrainingFactory(title="Inny temat", topics=[TrainingTopicFactory()])
    html = client.get(reverse("events:topic", args=[topic.pk])).content.decode()
    assert "Rozliczenie krok po kroku" in html and "Inny temat" not in html
    assert "No training on this topic is planned yet." not in html


def test_a_topics_page_says_when_no_training_is_planned(client, topic):
    TrainingFactory(topics=[topic], starts_at=in_days(-3, 10), ends_at=in_days(-3, 12))
    html = client.get(reverse("events:topic", args=[topic.pk])).content.decode()
    assert "No training on this topic is planned yet." in html


def test_the_topics_index_counts_planned_trainings(client, topic):
    TrainingFactory(topics=[topic])
    TrainingFactory(topics=[topic])
    TrainingTopicFactory(name="Ewaluacja projektów")
    response = client.get(reverse("events:topics"))
    counts = {t.name: t.planned for t in response.context["rows"]}
    assert counts == {"Rozliczanie dotacji": 2, "Ewaluacja projektów": 0}


def test_a_topics_page_makes_the_same_queries_for_2_and_20_trainings(client, topic):
    url = reverse("events:topic", args=[topic.pk])
    for _n in range(2):
        TrainingFactory(topics=[topic])
    few = _queries(client, url)
    for _n in range(18):
        TrainingFactory(topics=[topic])
    assert _queries(client, url) == few


# The calendar


def test_trainings_keep_appearing_in_the_calendar(client, topic):
    TrainingFactory(title="Szkolenie w kalendarzu", topics=[topic])
    items = feed.items(in_days(0, 0), in_days(30, 0), kinds={"training"})
    assert [i.title for i in items] == ["Szkolenie w kalendarzu"]
    month = in_days(7).strftime("%Y-%m")
    html = client.get(reverse("events:list"), {"miesiac": month}).content.decode()
    assert "Szkolenie w kalendarzu" in html


def test_editing_a_training_keeps_its_topics_ticked(client, official, topic):
    training = TrainingFactory(topics=[topic], status=Event.Status.DRAFT, submitted_by=official)
    login(client, official)
    response = client.get(reverse("events:edit", args=[training.pk]))
    assert response.context["form"]["topics"].value() == [topic.pk]
