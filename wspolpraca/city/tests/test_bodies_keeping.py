"""Keeping a body's records on the site: who may (its secretaries, the staff of its
servicing department), who may not (anyone else, a secretary of another body), and what
each change records: members, meetings with minutes, and opinions checked before they
are published."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.city.models import BodyMeeting, BodyMember, Official, Opinion
from wspolpraca.city.tests.factories import (
    BodyMeetingFactory,
    BodyMemberFactory,
    DialogueBodyFactory,
    OpinionFactory,
    in_days,
)
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def body(outsider):
    """A commission whose secretary is `outsider` (a person with no city role)."""
    return DialogueBodyFactory(secretaries=[outsider])


@pytest.fixture
def secretary(body, outsider):
    return outsider


def _meeting_data(**changes):
    data = {
        "starts_at": in_days(10).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": in_days(10, 19).strftime("%Y-%m-%dT%H:%M"),
        "place": "Urząd Miasta, sala 3",
        "agenda": "Otwarcie\nOpinia o programie",
        "status": "planned",
    }
    data.update(changes)
    return data


def _opinion_data(**changes):
    data = {
        "kind": "resolution",
        "number": "3/2026",
        "adopted_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "title": "Uchwała w sprawie programu współpracy",
        "text": "Komisja popiera projekt programu.",
    }
    data.update(changes)
    return data


# --- who may keep a body ----------------------------------------------------------------


def test_secretary_plans_a_meeting_and_it_is_audited(client, body, secretary):
    login(client, secretary)

    response = client.post(reverse("city:body_meeting_add", args=[body.slug]), _meeting_data())

    meeting = BodyMeeting.objects.get(body=body)
    assert response.status_code == 302
    assert meeting.place == "Urząd Miasta, sala 3"
    entry = AuditEntry.objects.get(action="body_meeting.planned")
    assert entry.actor == secretary


def test_official_of_the_servicing_department_may_keep_the_body(client, body, official):
    Official.objects.create(user=official, department=body.department)
    login(client, official)

    response = client.post(reverse("city:body_meeting_add", args=[body.slug]), _meeting_data())

    assert response.status_code == 302
    assert BodyMeeting.objects.filter(body=body).exists()


def test_official_of_another_department_cannot_keep_the_body(client, body, official):
    Official.objects.create(user=official, department=DialogueBodyFactory().department)
    login(client, official)

    response = client.post(reverse("city:body_meeting_add", args=[body.slug]), _meeting_data())

    assert response.status_code == 403
    assert not BodyMeeting.objects.exists()


def test_ngo_member_cannot_add_a_meeting(client, body, org_member):
    login(client, org_member)

    response = client.post(reverse("city:body_meeting_add", args=[body.slug]), _meeting_data())

    assert response.status_code == 403
    assert not BodyMeeting.objects.exists()


def test_secretary_of_one_body_cannot_edit_another(client, secretary):
    other = DialogueBodyFactory()
    meeting = BodyMeetingFactory(body=other, place="Sala stara")
    login(client, secretary)

    response = client.post(
        reverse("city:body_meeting_edit", args=[other.slug, meeting.pk]),
        _meeting_data(place="Sala nowa"),
    )

    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.place == "Sala stara"


def test_secretary_of_one_body_cannot_add_a_member_to_another(client, secretary):
    other = DialogueBodyFactory()
    login(client, secretary)

    response = client.post(
        reverse("city:body_member_add", args=[other.slug]),
        {
            "full_name": "Ktoś Obcy",
            "role": "member",
            "representing": "ngos",
            "term_start": "2026-01-01",
        },
    )

    assert response.status_code == 403
    assert not BodyMember.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, body):
    response = client.get(reverse("city:body_meeting_add", args=[body.slug]))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_meeting_of_another_body_cannot_be_reached_through_ones_own(client, body, secretary):
    meeting = BodyMeetingFactory(place="Sala cudza")
    login(client, secretary)

    response = client.post(
        reverse("city:body_meeting_edit", args=[body.slug, meeting.pk]),
        _meeting_data(place="Sala nowa"),
    )

    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.place == "Sala cudza"


def test_keeper_links_are_shown_to_the_secretary_only(client, body, secretary, outsider):
    assert "For the body" not in client.get(body.get_absolute_url()).content.decode()
    login(client, secretary)
    assert "For the body" in client.get(body.get_absolute_url()).content.decode()


# --- meetings and minutes ---------------------------------------------------------------


def test_a_meeting_needs_a_place_or_online(client, body, secretary):
    login(client, secretary)

    response = client.post(
        reverse("city:body_meeting_add", args=[body.slug]), _meeting_data(place="")
    )

    assert response.status_code == 200
    assert "Enter where the meeting takes place" in response.content.decode()
    assert not BodyMeeting.objects.exists()


def test_minutes_are_added_to_a_held_meeting_with_a_pdf(client, body, secretary):
    meeting = BodyMeetingFactory(body=body, starts_at=in_days(-2), ends_at=in_days(-2, 19))
    login(client, secretary)

    response = client.post(
        reverse("city:body_meeting_edit", args=[body.slug, meeting.pk]),
        _meeting_data(
            starts_at=in_days(-2).strftime("%Y-%m-%dT%H:%M"),
            ends_at=in_days(-2, 19).strftime("%Y-%m-%dT%H:%M"),
            status="held",
            minutes_text="Przyjęto opinię.",
            minutes_file=SimpleUploadedFile("protokol.pdf", PDF_BYTES, "application/pdf"),
        ),
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert meeting.minutes_file.name.endswith(".pdf")
    entry = AuditEntry.objects.get(action="body_meeting.changed")
    assert entry.changes["status"] == ["planned", "held"]


def test_minutes_are_refused_for_a_meeting_not_marked_held(client, body, secretary):
    meeting = BodyMeetingFactory(body=body)
    login(client, secretary)

    response = client.post(
        reverse("city:body_meeting_edit", args=[body.slug, meeting.pk]),
        _meeting_data(minutes_text="Protokół"),
    )

    assert "mark it as held" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes_text == ""


def test_a_minutes_file_that_is_not_a_pdf_is_refused(client, body, secretary):
    meeting = BodyMeetingFactory(body=body, starts_at=in_days(-2), ends_at=in_days(-2, 19))
    login(client, secretary)

    response = client.post(
        reverse("city:body_meeting_edit", args=[body.slug, meeting.pk]),
        _meeting_data(
            starts_at=in_days(-2).strftime("%Y-%m-%dT%H:%M"),
            ends_at=in_days(-2, 19).strftime("%Y-%m-%dT%H:%M"),
            status="held",
            minutes_file=SimpleUploadedFile("protokol.pdf", b"not a pdf", "application/pdf"),
        ),
    )

    assert response.status_code == 200
    meeting.refresh_from_db()
    assert not meeting.minutes_file


def test_deleting_a_meeting_asks_first_then_deletes_and_audits(client, body, secretary):
    meeting = BodyMeetingFactory(body=body)
    login(client, secretary)
    url = reverse("city:body_meeting_delete", args=[body.slug, meeting.pk])

    assert "Delete the meeting" in client.get(url).content.decode()
    assert BodyMeeting.objects.exists()
    client.post(url)

    assert not BodyMeeting.objects.exists()
    assert AuditEntry.objects.filter(action="body_meeting.deleted").exists()


# --- members ----------------------------------------------------------------------------


def test_secretary_adds_a_member_nominated_by_an_organization(client, body, secretary):
    org = OrganizationFactory(krs="0000123456")
    login(client, secretary)

    client.post(
        reverse("city:body_member_add", args=[body.slug]),
        {
            "full_name": "Ewa Nowa",
            "role": "deputy",
            "representing": "ngos",
            "nominated_by": "0000123456",
            "term_start": "2026-01-01",
        },
    )

    member = BodyMember.objects.get()
    assert member.organization == org
    assert member.role == "deputy"
    assert AuditEntry.objects.get(action="body_member.added").changes["full_name"] == [
        None,
        "Ewa Nowa",
    ]


def test_a_term_that_ends_before_it_starts_is_refused_next_to_the_field(client, body, secretary):
    login(client, secretary)

    response = client.post(
        reverse("city:body_member_add", args=[body.slug]),
        {
            "full_name": "Ewa Nowa",
            "role": "member",
            "representing": "city",
            "term_start": "2026-05-01",
            "term_end": "2026-04-01",
        },
    )

    assert "The term must end on or after the day it starts." in response.content.decode()
    assert not BodyMember.objects.exists()


def test_ending_a_members_term_moves_them_to_former_members(client, body, secretary):
    member = BodyMemberFactory(body=body, full_name="Jan Kończący")
    login(client, secretary)
    yesterday = timezone.localdate() - timedelta(days=1)

    client.post(
        reverse("city:body_member_edit", args=[body.slug, member.pk]),
        {
            "full_name": "Jan Kończący",
            "role": "member",
            "representing": "ngos",
            "term_start": member.term_start.isoformat(),
            "term_end": yesterday.isoformat(),
        },
    )

    response = client.get(body.get_absolute_url())
    assert [m.full_name for m in response.context["former_members"]] == ["Jan Kończący"]


def test_deleting_a_member_asks_first(client, body, secretary):
    member = BodyMemberFactory(body=body)
    login(client, secretary)
    url = reverse("city:body_member_delete", args=[body.slug, member.pk])

    client.get(url)
    assert BodyMember.objects.exists()
    client.post(url)

    assert not BodyMember.objects.exists()
    assert AuditEntry.objects.filter(action="body_member.removed").exists()


# --- opinions: a draft, check your answers, publish -------------------------------------


def test_a_new_document_is_a_draft_shown_on_the_check_page(client, body, secretary):
    login(client, secretary)

    response = client.post(reverse("city:body_opinion_add", args=[body.slug]), _opinion_data())

    opinion = Opinion.objects.get()
    assert response["Location"] == reverse("city:body_opinion_check", args=[body.slug, opinion.pk])
    assert opinion.published_at is None
    page = client.get(response["Location"]).content.decode()
    assert "Uchwała w sprawie programu współpracy" in page
    assert "Publish the document" in page


def test_publishing_from_the_check_page_makes_the_document_public(client, body, secretary):
    opinion = OpinionFactory(body=body, published_at=None, title="Uchwała do publikacji")
    login(client, secretary)

    client.post(reverse("city:body_opinion_check", args=[body.slug, opinion.pk]))

    opinion.refresh_from_db()
    assert opinion.published_at is not None
    assert AuditEntry.objects.get(action="opinion.published").actor == secretary
    client.logout()
    assert client.get(opinion.get_absolute_url()).status_code == 200


def test_a_document_needs_its_text_or_a_file(client, body, secretary):
    login(client, secretary)

    response = client.post(
        reverse("city:body_opinion_add", args=[body.slug]), _opinion_data(text="")
    )

    assert "Enter the text of the document, or attach it" in response.content.decode()
    assert not Opinion.objects.exists()


def test_a_number_already_used_for_that_kind_is_refused(client, body, secretary):
    OpinionFactory(body=body, kind="resolution", number="3/2026")
    login(client, secretary)

    response = client.post(reverse("city:body_opinion_add", args=[body.slug]), _opinion_data())

    assert "already has a document of this kind with number 3/2026" in response.content.decode()
    assert Opinion.objects.count() == 1


def test_a_published_document_cannot_be_changed_on_the_site(client, body, secretary):
    opinion = OpinionFactory(body=body, title="Opublikowana")
    login(client, secretary)

    client.post(
        reverse("city:body_opinion_edit", args=[body.slug, opinion.pk]),
        _opinion_data(title="Zmieniona"),
    )

    opinion.refresh_from_db()
    assert opinion.title == "Opublikowana"


def test_a_secretary_of_another_body_cannot_publish_a_draft(client, secretary):
    opinion = OpinionFactory(published_at=None)
    login(client, secretary)

    response = client.post(reverse("city:body_opinion_check", args=[opinion.body.slug, opinion.pk]))

    assert response.status_code == 403
    opinion.refresh_from_db()
    assert opinion.published_at is None


def test_deleting_a_draft_asks_first_then_deletes(client, body, secretary):
    opinion = OpinionFactory(body=body, published_at=None)
    login(client, secretary)
    url = reverse("city:body_opinion_delete", args=[body.slug, opinion.pk])

    client.get(url)
    assert Opinion.objects.exists()
    client.post(url)

    assert not Opinion.objects.exists()


def test_a_published_document_cannot_be_deleted_on_the_site(client, body, secretary):
    opinion = OpinionFactory(body=body)
    login(client, secretary)

    response = client.post(reverse("city:body_opinion_delete", args=[body.slug, opinion.pk]))

    assert response.status_code == 403
    assert Opinion.objects.exists()


def test_my_export_lists_the_bodies_i_keep(client):
    import json

    from wspolpraca.accounts.tests.factories import UserFactory

    secretary = UserFactory()
    body = DialogueBodyFactory(name="Komisja Dialogu Obywatelskiego ds. Seniorów")
    body.secretaries.add(secretary)
    login(client, secretary)
    data = json.loads(client.post(reverse("accounts:export")).content)
    assert data["dialogue_bodies_kept"] == ["Komisja Dialogu Obywatelskiego ds. Seniorów"]
