import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import DepartmentFactory, PublicBenefitAreaFactory
from wspolpraca.consultations import services
from wspolpraca.consultations.models import (
    Consultation,
    Invitation,
    Postulate,
    Registration,
    Response,
    TrackedPostulate,
)
from wspolpraca.core.audit import AuditEntry
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .consultation_factories import (
    ConsultationFactory,
    add_meeting,
    add_postulate,
    closed,
    official_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def department():
    return DepartmentFactory(short_name="WS")


@pytest.fixture
def official(department):
    return official_of(department)


@pytest.fixture
def consultation(department):
    return ConsultationFactory(department=department)


def _draft(department, **dates):
    today = timezone.localdate()
    values = {
        "information_from": today,
        "opens_on": today + timedelta(days=7),
        "closes_on": today + timedelta(days=27),
    }
    values.update(dates)
    values.setdefault("report_due", values["closes_on"] + timedelta(days=30))
    return ConsultationFactory(department=department, announced_at=None, **values)


# The timeline


def test_a_six_day_information_period_is_refused_with_the_earliest_opening_shown():
    today = timezone.localdate()
    errors = services.timeline_errors(
        today, today + timedelta(days=6), today + timedelta(days=40), today + timedelta(days=60)
    )
    earliest = today + timedelta(days=7)
    assert set(errors) == {"opens_on"}
    assert "at least 7 days" in errors["opens_on"]
    assert str(earliest.day) in errors["opens_on"]


def test_a_twenty_day_consultation_is_refused_and_twenty_one_days_pass():
    today = timezone.localdate()
    opens = today + timedelta(days=7)
    short = services.timeline_errors(
        today, opens, opens + timedelta(days=19), opens + timedelta(days=50)
    )
    assert set(short) == {"closes_on"}
    assert "at least 21 days" in short["closes_on"]
    assert (
        services.timeline_errors(
            today, opens, opens + timedelta(days=20), opens + timedelta(days=50)
        )
        == {}
    )


def test_the_rules_come_from_the_editable_row():
    rules = services.ConsultationRules.current()
    rules.information_days = 14
    rules.save()
    today = timezone.localdate()
    errors = services.timeline_errors(
        today, today + timedelta(days=10), today + timedelta(days=40), today + timedelta(days=60)
    )
    assert "at least 14 days" in errors["opens_on"]


def test_the_form_shows_the_error_next_to_the_field_and_keeps_what_was_typed(client, official):
    login(client, official)
    today = timezone.localdate()
    response = client.post(
        reverse("consultations:create"),
        {
            "title": "Program dla seniorów",
            "document_title": "Projekt programu",
            "summary": "Krótko o programie.",
            "areas": [PublicBenefitAreaFactory(code="10").pk],
            "forms": ["online", "meeting", "written"],
            "information_from": today.isoformat(),
            "opens_on": (today + timedelta(days=6)).isoformat(),
            "closes_on": (today + timedelta(days=40)).isoformat(),
            "draft_text": "§ 1 Cel\nTreść.",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "opens_on" in form.errors
    assert 'value="Program dla seniorów"' in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_draft_pasted_with_headings_is_split_at_each_heading():
    sections = services.split_into_sections(
        "Wstęp ogólny\n§ 1 Cele\nTekst celu.\n§ 2 Zasady\nTekst zasad."
    )
    assert [title for title, _text in sections] == ["Introduction", "§ 1 Cele", "§ 2 Zasady"]
    assert sections[2][1] == "Tekst zasad."


def test_a_draft_without_headings_is_split_at_each_paragraph():
    sections = services.split_into_sections("Pierwszy akapit.\n\nDrugi akapit.")
    assert [text for _title, text in sections] == ["Pierwszy akapit.", "Drugi akapit."]


def test_an_uploaded_word_document_gives_its_text():
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>§ 1 Cele</w:t></w:r></w:p><w:p><w:r><w:t>Tekst.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", body)
    upload = SimpleUploadedFile("projekt.docx", data.getvalue())
    assert services.text_of_upload(upload) == "§ 1 Cele\nTekst."


# Announcing and invitations


def test_announcing_is_refused_without_an_open_meeting(department, official):
    draft = _draft(department)
    with pytest.raises(services.ConsultationError, match="meeting or workshop"):
        services.announce(draft, official)
    assert Consultation.objects.get(pk=draft.pk).announced_at is None


def test_announcing_is_refused_with_fewer_forms_than_the_rules_require(department, official):
    draft = _draft(department)
    draft.forms = ["online", "meeting"]
    draft.save()
    add_meeting(draft)
    with pytest.raises(services.ConsultationError, match="at least 3 forms"):
        services.announce(draft, official)


def test_invitations_go_only_to_the_organizations_of_the_areas_once_each(
    department, official, django_capture_on_commit_callbacks, mailoutbox
):
    area, other_area = PublicBenefitAreaFactory(code="10"), PublicBenefitAreaFactory(code="17")
    invited = OrganizationFactory(email="seniorzy@example.org", areas=[area])
    OrganizationFactory(email="sport@example.org", areas=[other_area])
    twin = OrganizationFactory(email="SENIORZY@example.org", areas=[area])
    draft = _draft(department, areas=[area])
    add_meeting(draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.announce(draft, official)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations.enqueue(draft.pk)  # asked again: nobody is told twice
    assert [m.to for m in mailoutbox] == [["seniorzy@example.org"]]
    assert set(Invitation.objects.values_list("organization", flat=True)) == {invited.pk, twin.pk}


def test_an_official_of_another_department_cannot_announce(department):
    draft = _draft(department)
    stranger = official_of(DepartmentFactory())
    with pytest.raises(services.PermissionDenied):
        services.announce(draft, stranger)


def test_a_draft_is_not_public(client, department):
    draft = _draft(department)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_announced_consultation_is_an_item_of_the_feed(consultation):
    from wspolpraca.core import feed

    now = timezone.now()
    items = feed.items(now - timedelta(days=1), now + timedelta(days=1), kinds={"consultation"})
    assert [item.url for item in items] == [consultation.get_absolute_url()]


# Postulates


def test_a_member_posts_for_the_organization(consultation):
    membership = MembershipFactory()
    postulate = services.submit_postulate(
        consultation,
        membership.user,
        proposal="Dodać dyżury wieczorne.",
        justification="Wolontariusze pracują w dzień.",
        organization=membership.organization,
        section=consultation.sections.first(),
    )
    assert postulate.signed == membership.organization.name
    assert Consultation.objects.get(pk=consultation.pk).postulate_count == 1


def test_a_person_cannot_post_for_an_organization_they_are_not_a_member_of(client, consultation):
    outsider = UserFactory()
    organization = OrganizationFactory()
    login(client, outsider)
    response = client.post(
        reverse("consultations:submit", args=[consultation.slug]),
        {"organization": str(organization.pk), "proposal": "Zmiana.", "justification": "Bo tak."},
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Postulate.objects.exists()


def test_postulates_are_refused_by_the_server_after_the_last_day(client, consultation):
    resident = UserFactory()
    last_day_evening = timezone.make_aware(
        timezone.datetime.combine(consultation.closes_on, timezone.datetime.min.time())
    ) + timedelta(hours=23, minutes=59)
    url = reverse("consultations:submit", args=[consultation.slug])
    data = {"proposal": "Zmiana.", "justification": "Powód."}
    with time_machine.travel(last_day_evening, tick=False):
        login(client, resident)
        assert client.post(url, data).status_code == 302
    with time_machine.travel(last_day_evening + timedelta(minutes=2), tick=False):
        assert client.post(url, data).status_code == 403
    assert Postulate.objects.count() == 1


def test_a_postulate_is_supported_once_and_not_by_its_author(consultation):
    postulate = add_postulate(consultation)
    supporter = UserFactory()
    services.support(postulate, supporter)
    with pytest.raises(services.ConsultationError, match="already support"):
        services.support(postulate, supporter)
    with pytest.raises(services.ConsultationError, match="your own"):
        services.support(postulate, postulate.author)
    postulate.refresh_from_db()
    assert postulate.support_count == 1


def test_a_hidden_postulate_is_not_shown_to_the_public_but_its_reason_is(
    client, consultation, official
):
    postulate = add_postulate(consultation, proposal="Treść obraźliwa XYZ.")
    services.hide_postulate(postulate, official, "Obraźliwy język.")
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Treść obraźliwa XYZ." not in page
    assert "Obraźliwy język." in page
    assert Postulate.objects.filter(pk=postulate.pk).exists()


def test_a_resident_cannot_hide_a_postulate(client, consultation):
    postulate = add_postulate(consultation)
    login(client, UserFactory())
    response = client.post(
        reverse("consultations:hide", args=[consultation.slug, postulate.number]),
        {"reason": "Nie podoba mi się."},
    )
    assert response.status_code == 403
    assert not Postulate.objects.get(pk=postulate.pk).is_hidden


def test_staff_enter_a_remark_received_on_paper_with_its_source(consultation, official):
    postulate = services.enter_remark(
        consultation,
        official,
        proposal="Uwaga z listu.",
        author_name="Koło Gospodyń Wiejskich",
        source=Postulate.Source.PAPER,
        received_on=consultation.opens_on,
    )
    assert postulate.signed == "Koło Gospodyń Wiejskich"
    assert postulate.get_source_display() == "on paper"


def test_a_remark_received_after_the_closing_day_is_refused(consultation, official):
    with pytest.raises(services.ConsultationError) as error:
        services.enter_remark(
            consultation,
            official,
            proposal="Spóźniona uwaga.",
            author_name="Ktoś",
            source=Postulate.Source.EMAIL,
            received_on=consultation.closes_on + timedelta(days=1),
        )
    assert error.value.field == "received_on"


# Meetings


def test_a_full_meeting_puts_people_on_the_waiting_list_and_a_cancellation_moves_them_up(
    consultation, django_capture_on_commit_callbacks
):
    meeting = add_meeting(consultation, capacity=1)
    first, second = UserFactory(), UserFactory()
    assert services.register(meeting, first).status == Registration.Status.CONFIRMED
    assert services.register(meeting, second).status == Registration.Status.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(meeting, first)
    assert Registration.objects.get(user=second).status == Registration.Status.CONFIRMED
    told = OutgoingEmail.objects.filter(to=second.email).order_by("pk").last()
    assert told.body.startswith("Zwolniło się miejsce")  # the place is theirs now


# Answers


def test_a_rejection_without_a_reason_is_refused(consultation, official):
    closed(consultation)
    postulate = add_postulate(consultation)
    with pytest.raises(services.ConsultationError) as error:
        services.answer([postulate], official, outcome=Response.Outcome.REJECTED, reason=" ")
    assert error.value.field == "reason"


def test_postulates_are_not_answered_while_the_consultation_is_open(consultation, official):
    postulate = add_postulate(consultation)
    with pytest.raises(services.ConsultationError, match="after the consultation closes"):
        services.answer([postulate], official, outcome=Response.Outcome.ACCEPTED, reason="")


def test_a_resident_cannot_answer(client, consultation):
    closed(consultation)
    postulate = add_postulate(consultation)
    login(client, UserFactory())
    response = client.post(
        reverse("consultations:answer", args=[consultation.slug, postulate.number]),
        {"outcome": "accepted"},
    )
    assert response.status_code == 403
    assert Postulate.objects.get(pk=postulate.pk).response is None


def test_an_official_of_another_department_cannot_answer(client, consultation):
    closed(consultation)
    postulate = add_postulate(consultation)
    login(client, official_of(DepartmentFactory()))
    response = client.post(
        reverse("consultations:answer", args=[consultation.slug, postulate.number]),
        {"outcome": "accepted"},
    )
    assert response.status_code == 403
    assert Postulate.objects.get(pk=postulate.pk).response is None


def test_similar_postulates_are_suggested_as_a_group_and_share_one_answer(consultation, official):
    closed(consultation)
    one = add_postulate(consultation, "Wydłużyć godziny otwarcia centrum organizacji wieczorem.")
    two = add_postulate(consultation, "Wydłużyć godziny otwarcia centrum organizacji wieczorami.")
    other = add_postulate(consultation, "Zwiększyć kwoty małych grantów dla sportu.")
    groups = services.suggest_groups([one, two, other])
    assert [[p.number for p in group] for group in groups] == [[one.number, two.number]]
    response = services.answer(groups[0], official, outcome="partly", reason="Od marca w piątki.")
    assert set(response.postulates.values_list("number", flat=True)) == {one.number, two.number}
    assert services.suggest_groups(list(consultation.postulates.all())) == []


def test_answers_are_published_together_only_when_every_one_is_reviewed(
    consultation, official, django_capture_on_commit_callbacks
):
    closed(consultation)
    author = UserFactory(email="autorka@example.org")
    accepted = add_postulate(consultation, author=author)
    rejected = add_postulate(consultation, "Zlikwidować konkursy.")
    for postulate, outcome, reason in (
        (accepted, "accepted", ""),
        (rejected, "rejected", "Ustawa."),
    ):
        services.answer([postulate], official, outcome=outcome, reason=reason)
    with pytest.raises(services.ConsultationError, match="reviewed answer"):
        services.publish_answers(consultation, official)
    for response in Response.objects.all():
        services.review(response, official)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_answers(consultation, official)
    assert OutgoingEmail.objects.filter(to="autorka@example.org").count() == 1
    tracked = TrackedPostulate.objects.get()
    assert (tracked.postulate, tracked.status) == (accepted, "accepted")
    assert AuditEntry.objects.filter(action="consultation.answers_published").count() == 1


def test_answers_are_not_public_before_publication(client, consultation, official):
    closed(consultation)
    postulate = add_postulate(consultation)
    services.answer([postulate], official, outcome="rejected", reason="Powód odrzucenia ABC.")
    assert (
        "Powód odrzucenia ABC." not in client.get(consultation.get_absolute_url()).content.decode()
    )


# The report


def _answered(consultation, official, count=2):
    closed(consultation)
    for n in range(count):
        postulate = add_postulate(consultation, f"Postulat numer {n} o sprawie {n * 7}.")
        response = services.answer([postulate], official, outcome="rejected", reason=f"Powód {n}.")
        services.review(response, official)
    services.publish_answers(consultation, official)
    return consultation


def test_the_report_cannot_be_published_before_the_answers(consultation, official):
    closed(consultation)
    add_postulate(consultation)
    with pytest.raises(services.ConsultationError, match="published answer"):
        services.publish_report(consultation, official, "Przebieg.")


def test_the_report_page_and_pdf_list_every_postulate_with_its_answer(
    client, consultation, official, django_capture_on_commit_callbacks
):
    _answered(consultation, official)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_report(consultation, official, "Konsultacje przebiegły spokojnie.")
    page = client.get(reverse("consultations:report", args=[consultation.slug])).content.decode()
    consultation.refresh_from_db()
    pdf = consultation.report_pdf.open("rb").read()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for n in range(2):
        assert f"Postulat numer {n}" in page and f"Powód {n}." in page
        assert f"Postulat numer {n}" in text and f"Powód {n}." in text
    assert consultation.report_jobs.get().seconds is not None


def test_a_report_past_its_due_date_is_flagged_on_the_consultation_and_the_department(
    client, consultation
):
    closed(consultation)
    consultation.report_due = timezone.localdate() - timedelta(days=1)
    consultation.save()
    assert "report overdue" in client.get(consultation.get_absolute_url()).content.decode()
    department_page = client.get(
        reverse("consultations:department", args=[consultation.department.short_name])
    )
    assert "report overdue" in department_page.content.decode()


# Queries


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_consultation_page_makes_the_same_queries_for_3_and_30_postulates(client, consultation):
    for _n in range(3):
        add_postulate(consultation)
    few = _queries(client, consultation.get_absolute_url())
    for _n in range(27):
        add_postulate(consultation)
    assert _queries(client, consultation.get_absolute_url()) == few


def test_the_report_page_makes_the_same_queries_for_2_and_20_postulates(client, official):
    small = _answered(ConsultationFactory(department=official.official.department), official, 2)
    large = _answered(ConsultationFactory(department=official.official.department), official, 20)
    for consultation in (small, large):
        Consultation.objects.filter(pk=consultation.pk).update(report_published_at=timezone.now())
    assert _queries(client, reverse("consultations:report", args=[small.slug])) == _queries(
        client, reverse("consultations:report", args=[large.slug])
    )


def test_invitations_are_sent_in_batches_until_every_organization_is_invited(
    department, official, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    monkeypatch.setattr(services, "INVITATION_BATCH", 2)
    area = PublicBenefitAreaFactory(code="10")
    for n in range(5):
        OrganizationFactory(email=f"org{n}@example.org", areas=[area])
    draft = _draft(department, areas=[area])
    add_meeting(draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.announce(draft, official)
    assert sorted(m.to[0] for m in mailoutbox) == [f"org{n}@example.org" for n in range(5)]


def test_an_official_adds_a_pdf_attachment_and_a_resident_cannot(client, consultation, official):
    pdf = SimpleUploadedFile("nota.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    url = reverse("consultations:attachments", args=[consultation.slug])
    login(client, UserFactory())
    assert client.post(url, {"title": "Nota", "file": pdf}).status_code == 403
    login(client, official)
    pdf.seek(0)
    assert client.post(url, {"title": "Nota wyjaśniająca", "file": pdf}).status_code == 302
    assert consultation.attachments.get().title == "Nota wyjaśniająca"


def test_the_answers_page_is_refused_to_an_official_of_another_department(client, consultation):
    login(client, official_of(DepartmentFactory()))
    assert client.get(reverse("consultations:answers", args=[consultation.slug])).status_code == 403


def test_a_signed_in_person_registers_for_a_meeting_on_its_page(client, consultation):
    meeting = add_meeting(consultation, capacity=10)
    person = UserFactory()
    login(client, person)
    response = client.post(meeting.get_absolute_url())
    assert response.status_code == 302
    assert Registration.objects.get(meeting=meeting, user=person).status == "confirmed"


def test_a_long_report_is_read_one_part_of_the_document_at_a_time(client, official):
    from wspolpraca.consultations.views import REPORT_ROWS

    consultation = ConsultationFactory(department=official.official.department)
    closed(consultation)
    first, second = consultation.sections.order_by("number")
    for n in range(REPORT_ROWS + 1):
        add_postulate(consultation, f"Postulat {n}.", section=second if n % 2 else None)
    Consultation.objects.filter(pk=consultation.pk).update(
        answers_published_at=timezone.now(), report_published_at=timezone.now()
    )
    url = reverse("consultations:report", args=[consultation.slug])
    rows = client.get(url, {"sekcja": second.number}).context["rows"]
    assert rows and {p.section for p in rows} == {second}
    assert not {p.section for p in client.get(url).context["rows"]} - {None}


def test_the_second_page_of_postulates_holds_the_next_numbers(client, consultation):
    for _n in range(30):
        add_postulate(consultation)
    rows = client.get(consultation.get_absolute_url(), {"page": 2}).context["rows"]
    assert [p.number for p in rows] == list(range(26, 31))


def test_the_published_report_keeps_the_numbers_it_was_published_with(consultation, official):
    _answered(consultation, official)
    services.publish_report(consultation, official, "Przebieg.")
    consultation.refresh_from_db()
    assert consultation.report_numbers["postulates"] == 2
    assert services.report_facts(consultation)["by_outcome"] == {"rejected": 2}
