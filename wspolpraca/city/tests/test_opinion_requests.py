"""Requests for a body's opinion: city staff ask, with at least the body's shortest term;
the body's secretaries and its department are e-mailed; the body's keepers record the
answer as an opinion; the request shows where it stands (awaiting, given, given late, no
opinion by the deadline). Refused from the side of those who may not."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.models import Official, Opinion, OpinionRequest
from wspolpraca.city.tests.factories import (
    DialogueBodyFactory,
    OpinionFactory,
    OpinionRequestFactory,
)
from wspolpraca.core.models import AuditEntry, OutgoingEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def secretary(db):
    return UserFactory(email="sekretarz@example.org")


@pytest.fixture
def body(secretary):
    return DialogueBodyFactory(secretaries=[secretary])


def _data(**changes):
    data = {
        "title": "Projekt programu współpracy na 2027 rok",
        "description": "Prosimy o opinię.",
        "draft_url": "https://example.org/konsultacje/program-2027/",
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    data.update(changes)
    return data


def _ask(client, body, **changes):
    return client.post(reverse("city:body_request_add", args=[body.slug]), _data(**changes))


# --- asking -----------------------------------------------------------------------------


def test_official_asks_for_an_opinion_and_the_request_is_public(client, body, official):
    login(client, official)

    response = _ask(client, body)

    item = OpinionRequest.objects.get()
    assert response["Location"] == item.get_absolute_url()
    assert item.requested_by == official
    assert AuditEntry.objects.get(action="opinion_request.created").actor == official
    client.logout()
    assert "Projekt programu współpracy" in client.get(item.get_absolute_url()).content.decode()


def test_secretaries_and_the_servicing_department_are_emailed(client, body, official, secretary):
    department_official = UserFactory(email="wydzial@example.org", role="official")
    Official.objects.create(user=department_official, department=body.department)
    login(client, official)

    _ask(client, body)

    told = set(OutgoingEmail.objects.values_list("to", flat=True))
    assert told == {"sekretarz@example.org", "wydzial@example.org"}


def test_the_department_address_is_emailed_when_it_has_no_officials(client, body, official):
    login(client, official)

    _ask(client, body)

    told = set(OutgoingEmail.objects.values_list("to", flat=True))
    assert body.department.email in told


def test_a_deadline_shorter_than_the_bodys_term_is_refused_next_to_the_field(
    client, body, official
):
    login(client, official)

    response = _ask(client, body, deadline=(timezone.localdate() + timedelta(days=6)).isoformat())

    assert "Give the body at least 7 days" in response.content.decode()
    assert not OpinionRequest.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_the_shortest_term_is_the_bodys_own_setting(client, official):
    body = DialogueBodyFactory(opinion_min_days=14)
    login(client, official)

    response = _ask(client, body)  # 10 days

    assert "Give the body at least 14 days" in response.content.decode()
    assert not OpinionRequest.objects.exists()


def test_a_request_needs_the_draft_as_a_file_or_a_link(client, body, official):
    login(client, official)

    response = _ask(client, body, draft_url="")

    assert "Attach the draft as a PDF file or give a link to it." in response.content.decode()
    assert not OpinionRequest.objects.exists()


def test_resident_cannot_ask_for_an_opinion(client, body, outsider):
    login(client, outsider)

    response = _ask(client, body)

    assert response.status_code == 403
    assert not OpinionRequest.objects.exists()


def test_ngo_member_cannot_ask_for_an_opinion(client, body, org_admin):
    login(client, org_admin)

    response = _ask(client, body)

    assert response.status_code == 403
    assert not OpinionRequest.objects.exists()


def test_secretary_without_a_city_role_cannot_ask_for_an_opinion(client, body, secretary):
    login(client, secretary)

    assert _ask(client, body).status_code == 403
    assert not OpinionRequest.objects.exists()


# --- answering --------------------------------------------------------------------------


def _answer(client, item, **changes):
    data = {
        "number": "5/2026",
        "adopted_on": timezone.localdate().isoformat(),
        "title": "Opinia o projekcie programu",
        "text": "Komisja opiniuje projekt pozytywnie.",
    }
    data.update(changes)
    response = client.post(
        reverse("city:body_request_answer", args=[item.body.slug, item.pk]), data
    )
    return response


def test_secretary_records_the_answer_and_the_request_is_answered(client, body, secretary):
    asker = UserFactory(email="pytajacy@example.org")
    item = OpinionRequestFactory(body=body, requested_by=asker)
    login(client, secretary)

    response = _answer(client, item)
    opinion = Opinion.objects.get()
    client.post(response["Location"])  # check your answers, then publish

    opinion.refresh_from_db()
    assert opinion.request == item and opinion.kind == "opinion" and opinion.is_published
    item.refresh_from_db()
    assert item.current_state == OpinionRequest.State.ANSWERED
    entry = AuditEntry.objects.get(action="opinion_request.answered")
    assert entry.changes["state"] == ["awaiting", "answered"]
    assert OutgoingEmail.objects.filter(to="pytajacy@example.org").exists()


def test_official_cannot_record_an_answer_for_a_body_they_do_not_keep(client, body, official):
    Official.objects.create(user=official, department=DialogueBodyFactory().department)
    item = OpinionRequestFactory(body=body)
    login(client, official)

    response = _answer(client, item)

    assert response.status_code == 403
    assert not Opinion.objects.exists()


def test_secretary_of_another_body_cannot_record_an_answer(client, body):
    other_secretary = UserFactory()
    DialogueBodyFactory(secretaries=[other_secretary])
    item = OpinionRequestFactory(body=body)
    login(client, other_secretary)

    assert _answer(client, item).status_code == 403
    assert not Opinion.objects.exists()


def test_the_answer_link_is_shown_to_the_keepers_only(client, body, secretary, official):
    item = OpinionRequestFactory(body=body)
    login(client, official)
    assert "Record the body" not in client.get(item.get_absolute_url()).content.decode()
    login(client, secretary)
    assert "Record the body" in client.get(item.get_absolute_url()).content.decode()


def test_an_opinion_adopted_after_the_deadline_is_flagged_late(client, body, secretary):
    item = OpinionRequestFactory(body=body, deadline=timezone.localdate() - timedelta(days=3))
    login(client, secretary)

    check = _answer(client, item)["Location"]
    assert "given late" in client.get(check).content.decode()
    client.post(check)

    item.refresh_from_db()
    assert item.current_state == OpinionRequest.State.ANSWERED_LATE
    page = client.get(item.get_absolute_url()).content.decode()
    assert "The opinion was given after the deadline." in page


def test_a_request_with_no_opinion_by_the_deadline_says_so(client, body):
    item = OpinionRequestFactory(body=body, deadline=timezone.localdate() + timedelta(days=8))

    assert item.current_state == OpinionRequest.State.AWAITING
    with time_machine.travel(timezone.now() + timedelta(days=9)):
        assert item.current_state == OpinionRequest.State.LAPSED
        page = client.get(item.get_absolute_url()).content.decode()
    assert "The body gave no opinion by the deadline." in page


def test_a_draft_answer_does_not_answer_the_request(client, body):
    item = OpinionRequestFactory(body=body)
    OpinionFactory(body=body, request=item, published_at=None)

    item.refresh_from_db()

    assert item.current_state == OpinionRequest.State.AWAITING


def test_a_request_gets_one_answer_only(client, body, secretary):
    item = OpinionRequestFactory(body=body)
    existing = OpinionFactory(body=body, request=item)
    login(client, secretary)

    response = _answer(client, item, number="9/2026")

    assert response["Location"] == existing.get_absolute_url()
    assert Opinion.objects.count() == 1
