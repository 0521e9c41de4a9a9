"""The public pages of the dialogue bodies (I7): the list, a body's page with its current
and former members, meetings and documents, a meeting's page, the filtered documents,
the feed's items, and constant query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wspolpraca.city.models import BodyMeeting, BodyMember, DialogueBody, Opinion, numbered_agenda
from wspolpraca.city.tests.factories import (
    BodyMeetingFactory,
    BodyMemberFactory,
    DialogueBodyFactory,
    OpinionFactory,
    OpinionRequestFactory,
    PublicBenefitAreaFactory,
    in_days,
)
from wspolpraca.core import feed
from wspolpraca.organizations.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def section(html, element_id):
    start = html.index(f'aria-labelledby="{element_id}"')
    return html[start : html.find("</section>", start)]


def test_list_shows_the_council_apart_from_the_commissions(client):
    DialogueBodyFactory(kind=DialogueBody.Kind.COUNCIL, name="Rada Pożytku Testowa")
    DialogueBodyFactory(name="KDO ds. Kultury Testowej")

    html = client.get(reverse("city:bodies")).content.decode()

    assert "Rada Pożytku Testowa" in section(html, "council")
    assert "KDO ds. Kultury Testowej" in section(html, "commissions")
    assert "Rada Pożytku Testowa" not in section(html, "commissions")


def test_list_leaves_out_bodies_that_no_longer_work(client):
    DialogueBodyFactory(name="KDO Rozwiązana", is_active=False)

    assert "KDO Rozwiązana" not in client.get(reverse("city:bodies")).content.decode()


def test_body_page_shows_current_and_former_members_apart(client):
    body = DialogueBodyFactory()
    today = timezone.localdate()
    BodyMemberFactory(body=body, full_name="Anna Obecna", role=BodyMember.Role.CHAIR)
    BodyMemberFactory(
        body=body,
        full_name="Jan Dawny",
        term_start=today - timedelta(days=900),
        term_end=today - timedelta(days=10),
    )

    html = client.get(body.get_absolute_url()).content.decode()
    members = section(html, "sklad")
    current = members[: members.index("<details>")]
    former = members[members.index("<details>") :]

    assert "Anna Obecna" in current and "Jan Dawny" not in current
    assert "Jan Dawny" in former


def test_body_page_names_the_nominating_organization_and_no_private_data(client, outsider):
    body = DialogueBodyFactory(secretaries=[outsider])
    org = OrganizationFactory(name="Stowarzyszenie Nominujące")
    BodyMemberFactory(body=body, full_name="Ewa Członkini", organization=org)

    html = client.get(body.get_absolute_url()).content.decode()

    assert "Stowarzyszenie Nominujące" in section(html, "sklad")
    assert outsider.email not in html
    assert "@" not in section(html, "sklad")


def test_body_page_lists_upcoming_and_past_meetings(client):
    body = DialogueBodyFactory()
    BodyMeetingFactory(body=body, starts_at=in_days(5), ends_at=None)
    BodyMeetingFactory(
        body=body, starts_at=in_days(-30), ends_at=None, status=BodyMeeting.Status.HELD
    )

    response = client.get(body.get_absolute_url())

    assert len(response.context["upcoming"]) == 1
    assert len(response.context["past"]) == 1


def test_body_page_shows_published_documents_only(client):
    body = DialogueBodyFactory()
    OpinionFactory(body=body, title="Opinia opublikowana")
    OpinionFactory(body=body, title="Opinia w szkicu", published_at=None)

    html = client.get(body.get_absolute_url()).content.decode()

    assert "Opinia opublikowana" in html
    assert "Opinia w szkicu" not in html


def test_a_draft_document_is_not_found_by_the_public(client):
    opinion = OpinionFactory(published_at=None)

    assert client.get(opinion.get_absolute_url()).status_code == 404


def test_meeting_page_numbers_the_agenda_items(client):
    meeting = BodyMeetingFactory(agenda="Otwarcie\nOpinia o programie\nWolne wnioski")

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert "<ol>" in html
    assert "<li>Opinia o programie</li>" in html


def test_an_agenda_numbered_by_its_author_is_kept_as_written():
    assert numbered_agenda("1. Otwarcie\n2. Zamknięcie") == "1. Otwarcie\n2. Zamknięcie"
    assert numbered_agenda("- Otwarcie\n- Zamknięcie") == "1. Otwarcie\n2. Zamknięcie"


def test_meeting_page_shows_the_minutes_of_a_held_meeting(client):
    meeting = BodyMeetingFactory(
        starts_at=in_days(-3),
        status=BodyMeeting.Status.HELD,
        minutes_text="Komisja przyjęła opinię jednogłośnie.",
    )

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert "Komisja przyjęła opinię jednogłośnie." in html


def test_meeting_of_another_body_is_not_found_under_this_one(client):
    meeting = BodyMeetingFactory()
    other = DialogueBodyFactory()

    url = reverse("city:body_meeting", args=[other.slug, meeting.pk])

    assert client.get(url).status_code == 404


def test_documents_filter_by_kind_and_year_from_the_url(client):
    body = DialogueBodyFactory()
    this_year = timezone.localdate().year
    OpinionFactory(body=body, title="Uchwała bieżąca", kind=Opinion.Kind.RESOLUTION)
    OpinionFactory(
        body=body,
        title="Uchwała dawna",
        kind=Opinion.Kind.RESOLUTION,
        adopted_on=timezone.localdate().replace(year=this_year - 2),
    )
    OpinionFactory(body=body, title="Opinia bieżąca")
    url = reverse("city:body_opinions", args=[body.slug])

    html = client.get(url, {"kind": "resolution", "year": this_year}).content.decode()

    assert "Uchwała bieżąca" in html
    assert "Uchwała dawna" not in html
    assert "Opinia bieżąca" not in html


def test_documents_list_without_filters_shows_every_published_document(client):
    body = DialogueBodyFactory()
    OpinionFactory(body=body, title="Opinia bieżąca")
    OpinionFactory(body=body, title="Uchwała bieżąca", kind=Opinion.Kind.RESOLUTION)

    html = client.get(reverse("city:body_opinions", args=[body.slug])).content.decode()

    assert "Opinia bieżąca" in html
    assert "Uchwała bieżąca" in html


def test_a_bad_year_is_reported_next_to_the_filter_and_lists_nothing(client):
    body = DialogueBodyFactory()
    OpinionFactory(body=body, title="Opinia bieżąca")

    response = client.get(reverse("city:body_opinions", args=[body.slug]), {"year": "abc"})

    assert response.status_code == 200
    assert response.context["filters"].errors
    assert "Opinia bieżąca" not in response.content.decode()


def test_documents_list_is_paginated(client):
    body = DialogueBodyFactory()
    for _ in range(26):
        OpinionFactory(body=body)

    response = client.get(reverse("city:body_opinions", args=[body.slug]), {"page": 2})

    assert len(response.context["page"].object_list) == 1


def _fill(n):
    areas = [PublicBenefitAreaFactory() for _ in range(2)]
    body = DialogueBodyFactory(areas=areas)
    for i in range(n):
        DialogueBodyFactory(areas=areas[: 1 + i % 2])
        BodyMemberFactory(body=body, organization=OrganizationFactory())
        BodyMeetingFactory(body=body, starts_at=in_days(i + 1))
        BodyMeetingFactory(body=body, starts_at=in_days(-i - 1), status=BodyMeeting.Status.HELD)
        OpinionFactory(body=body)
        request = OpinionRequestFactory(body=body)
        if i % 2:
            OpinionFactory(body=body, request=request)
    return body


@pytest.mark.parametrize("rows", [2, 12])
def test_list_page_query_count_does_not_grow_with_data(client, rows, django_assert_num_queries):
    _fill(rows)
    with django_assert_num_queries(2):  # bodies with departments, their areas
        client.get(reverse("city:bodies"))


@pytest.mark.parametrize("rows", [2, 12])
def test_body_page_query_count_does_not_grow_with_data(client, rows, django_assert_num_queries):
    body = _fill(rows)
    # body, areas, members, upcoming, past, opinions, requests with answers
    with django_assert_num_queries(7):
        client.get(body.get_absolute_url())


@pytest.mark.parametrize("rows", [2, 12])
def test_documents_page_query_count_does_not_grow_with_data(
    client, rows, django_assert_num_queries
):
    body = _fill(rows)
    with django_assert_num_queries(3):  # body, count, rows
        client.get(reverse("city:body_opinions", args=[body.slug]), {"kind": "opinion"})


@pytest.mark.parametrize("rows", [2, 12])
def test_requests_page_query_count_does_not_grow_with_data(client, rows, django_assert_num_queries):
    body = _fill(rows)
    with django_assert_num_queries(3):  # body, count, rows with answers
        client.get(reverse("city:body_requests", args=[body.slug]))


@pytest.mark.parametrize("rows", [2, 12])
def test_meetings_page_query_count_does_not_grow_with_data(client, rows, django_assert_num_queries):
    body = _fill(rows)
    with django_assert_num_queries(3):  # body, count, rows
        client.get(reverse("city:body_meetings", args=[body.slug]))


def test_meetings_are_in_the_feed_with_the_areas_of_their_body():
    area = PublicBenefitAreaFactory(code="TQ")
    body = DialogueBodyFactory(name="KDO Feedowa", areas=[area])
    meeting = BodyMeetingFactory(body=body, starts_at=in_days(3))
    BodyMeetingFactory(body=body, starts_at=in_days(4), status=BodyMeeting.Status.CANCELLED)

    items = feed.items(in_days(0, 0), in_days(10, 0), kinds={"body_meeting"})

    assert [item.url for item in items] == [meeting.get_absolute_url()]
    assert items[0].areas == ("TQ",)
    assert "KDO Feedowa" in items[0].title
    assert feed.label("body_meeting") == "Meeting of a dialogue body"


@pytest.mark.parametrize("rows", [2, 12])
def test_feed_source_query_count_does_not_grow_with_data(rows, django_assert_num_queries):
    _fill(rows)
    with django_assert_num_queries(2):  # meetings with bodies, the bodies' areas
        feed.items(in_days(-30, 0), in_days(30, 0), kinds={"body_meeting"})
