"""Preparing, publishing, changing and annulling a call in the back office, and the rules
the services hold whatever page calls them."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.models import User
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions import services
from wspolpraca.competitions.models import Call, CallVersion, LegalRules
from wspolpraca.core import feed
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations.models import PublicBenefitArea

from .factories import CallFactory, CallScheduleFactory, PlannedCallFactory
from .test_schedule import staff

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=timezone.get_current_timezone())


def at(day, hour=15, minute=30):
    return timezone.make_aware(datetime.combine(day, datetime.min.time())).replace(
        hour=hour, minute=minute
    )


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def official(department):
    return staff(User.Role.OFFICIAL, department)


def draft(department, **fields):
    call = CallFactory(
        department=department,
        status=Call.Status.DRAFT,
        published_bip_on=None,
        published_board_on=None,
        published_at=None,
        **fields,
    )
    services.add_statutory_criteria(call)
    return call


# The 21-day rule, counted from the last of the three publications


@time_machine.travel(NOW, tick=False)
def test_a_deadline_exactly_21_days_after_the_last_publication_is_accepted(department, official):
    call = draft(department, deadline=at(date(2027, 3, 23)))
    # BIP on 1 March, board on 2 March (the last), the site today (1 March).
    services.publish_call(call, official, date(2027, 3, 1), date(2027, 3, 2))
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED
    assert call.last_publication == date(2027, 3, 2)


@time_machine.travel(NOW, tick=False)
def test_a_deadline_a_day_short_is_refused_with_the_earliest_date(department, official):
    call = draft(department, deadline=at(date(2027, 3, 22)))
    with pytest.raises(ValidationError) as refused:
        services.publish_call(call, official, date(2027, 3, 1), date(2027, 3, 2))
    message = refused.value.message_dict["deadline"][0]
    assert "23 marca 2027" in message
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT


@time_machine.travel(NOW, tick=False)
def test_the_minimum_days_follow_the_legal_rules_row(department, official):
    rules = LegalRules.current()
    rules.min_days_to_deadline = 30
    rules.save()
    call = draft(department, deadline=at(date(2027, 3, 23)))
    with pytest.raises(ValidationError) as refused:
        services.publish_call(call, official, date(2027, 3, 1), date(2027, 3, 1))
    assert "31 marca 2027" in refused.value.message_dict["deadline"][0]


@time_machine.travel(NOW, tick=False)
def test_a_deadline_on_a_public_holiday_is_published_with_a_warning(department, official):
    # 3 May is Constitution Day.
    call = draft(department, deadline=at(date(2027, 5, 3)), selection_date=date(2027, 6, 1))
    warnings = services.publish_call(call, official, date(2027, 3, 1), date(2027, 3, 1))
    assert warnings and "3 maja 2027" in warnings[0]


def test_entrustment_refuses_a_required_own_contribution(department):
    call = CallFactory.build(
        department=department, funding_mode="entrustment", min_own_contribution_percent=5
    )
    assert "min_own_contribution_percent" in services.check_call(call)


def test_a_smallest_grant_above_the_largest_is_refused(department):
    call = CallFactory.build(department=department, min_grant=Decimal("30000"))
    assert "min_grant" in services.check_call(call)


def test_a_task_ending_before_it_starts_is_refused(department):
    call = CallFactory.build(
        department=department, task_starts=date(2027, 6, 1), task_ends=date(2027, 5, 1)
    )
    assert "task_ends" in services.check_call(call)


# Publishing, versions, annulment


@time_machine.travel(NOW, tick=False)
def test_publishing_records_the_three_dates_version_one_and_an_audit_entry(department, official):
    call = draft(department, deadline=at(date(2027, 4, 1)))
    services.publish_call(call, official, date(2027, 2, 28), date(2027, 3, 1))
    call.refresh_from_db()
    assert call.publication_dates == [date(2027, 2, 28), date(2027, 3, 1), date(2027, 3, 1)]
    version = CallVersion.objects.get(call=call)
    assert version.number == 1
    assert any(item["value"] == call.title for item in version.content["items"])
    assert AuditEntry.objects.filter(action="call.published", object_id=str(call.pk)).exists()


@time_machine.travel(NOW, tick=False)
def test_an_official_of_another_department_cannot_publish(department):
    call = draft(department, deadline=at(date(2027, 4, 1)))
    stranger = staff(User.Role.OFFICIAL, DepartmentFactory())
    with pytest.raises(services.CallError):
        services.publish_call(call, stranger, date(2027, 3, 1), date(2027, 3, 1))


@time_machine.travel(NOW, tick=False)
def test_annulment_needs_a_reason_and_keeps_it_in_a_version(department, official):
    call = CallFactory(department=department, deadline=at(date(2027, 4, 1)))
    with pytest.raises(ValidationError):
        services.annul_call(call, official, "  ")
    services.annul_call(call, official, "Nie wpłynęła żadna oferta.")
    call.refresh_from_db()
    assert call.status == Call.Status.ANNULLED
    assert call.versions.get().change_note.endswith("Nie wpłynęła żadna oferta.")
    assert AuditEntry.objects.filter(action="call.annulled").exists()


def test_a_planned_call_becomes_a_draft_call_in_one_step(department, official):
    area = PublicBenefitArea.objects.get(code="16")
    planned = PlannedCallFactory(
        schedule=CallScheduleFactory(year=2027), department=department, areas=[area]
    )
    call = services.draft_call_from_planned(planned, official)
    assert call.status == Call.Status.DRAFT
    assert (call.title, call.budget, call.department) == (
        planned.title,
        planned.planned_amount,
        department,
    )
    assert list(call.areas.all()) == [area]
    assert call.criteria.filter(kind="statutory").count() == 6
    with pytest.raises(services.CallError):
        services.draft_call_from_planned(planned, official)


def test_an_entrustment_call_gets_the_statutory_criteria_without_own_funds(department):
    call = CallFactory(
        department=department, funding_mode="entrustment", min_own_contribution_percent=0
    )
    services.add_statutory_criteria(call)
    codes = set(call.criteria.values_list("code", flat=True))
    assert "own_funds" not in codes and len(codes) == 5


def test_published_calls_give_the_feed_their_deadlines(department):
    call = CallFactory(department=department)
    draft(department, title="Szkic")
    items = feed.items(timezone.now(), timezone.now() + timedelta(days=30), kinds=["call"])
    assert [item.url for item in items] == [call.get_absolute_url()]


# The back office, from the side of the person refused


def call_form_data(call, **changes):
    data = {
        "department": call.department_id,
        "reference": call.reference,
        "title": call.title,
        "description": call.description,
        "areas": [a.pk for a in call.areas.all()] or [PublicBenefitArea.objects.get(code="16").pk],
        "funding_mode": call.funding_mode,
        "budget": str(call.budget),
        "min_grant": str(call.min_grant),
        "max_grant": str(call.max_grant),
        "min_own_contribution_percent": str(call.min_own_contribution_percent),
        "admin_cost_cap_percent": str(call.admin_cost_cap_percent),
        "eligible_kinds": call.eligible_kinds,
        "task_starts": call.task_starts.isoformat(),
        "task_ends": call.task_ends.isoformat(),
        "offers_from_0": "",
        "offers_from_1": "",
        "deadline_0": timezone.localtime(call.deadline).date().isoformat(),
        "deadline_1": timezone.localtime(call.deadline).strftime("%H:%M"),
        "award_rules": call.award_rules,
        "task_conditions": call.task_conditions,
        "selection_procedure": call.selection_procedure,
        "selection_date": call.selection_date.isoformat(),
        "previous_funding": call.previous_funding,
        "other_information": "",
        "contact": call.contact,
        "results_table_required": "on",
        "change_note": "",
    }
    for prefix, rows in (("criteria", call.criteria.all()), ("attachments", [])):
        rows = list(rows)
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for i, row in enumerate(rows):
            data.update(
                {
                    f"{prefix}-{i}-id": row.pk,
                    f"{prefix}-{i}-call": call.pk,
                    f"{prefix}-{i}-order": row.order,
                    f"{prefix}-{i}-kind": row.kind,
                    f"{prefix}-{i}-name": row.name,
                    f"{prefix}-{i}-description": row.description,
                    f"{prefix}-{i}-max_points": row.max_points,
                    f"{prefix}-{i}-weight": str(row.weight),
                }
            )
    data.update(changes)
    return data


def test_an_official_cannot_change_another_departments_call(client, department):
    call = draft(department, title="Cudzy")
    login(client, staff(User.Role.OFFICIAL, DepartmentFactory()))
    url = reverse("admin:competitions_call_change", args=[call.pk])
    response = client.post(url, call_form_data(call, title="Przejęty"))
    assert response.status_code == 403
    assert Call.objects.get(pk=call.pk).title == "Cudzy"


def test_an_official_cannot_open_the_publish_page_of_another_departments_call(client, department):
    call = draft(department)
    login(client, staff(User.Role.OFFICIAL, DepartmentFactory()))
    url = reverse("admin:competitions_call_publish", args=[call.pk])
    assert client.post(url, {"bip_on": "2027-03-01", "board_on": "2027-03-01"}).status_code == 403
    assert Call.objects.get(pk=call.pk).status == Call.Status.DRAFT


def test_a_published_call_is_not_deleted_but_annulled(client, department, official):
    call = CallFactory(department=department)
    login(client, official)
    url = reverse("admin:competitions_call_delete", args=[call.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Call.objects.filter(pk=call.pk).exists()


def test_an_annulled_call_cannot_be_changed(client, department, official):
    call = CallFactory(department=department, status=Call.Status.ANNULLED)
    login(client, official)
    url = reverse("admin:competitions_call_change", args=[call.pk])
    response = client.post(url, call_form_data(call, title="Po fakcie"))
    assert response.status_code == 403
    assert Call.objects.get(pk=call.pk).title != "Po fakcie"


def test_the_publish_page_refuses_a_short_deadline_and_names_the_earliest(
    client, department, official
):
    with time_machine.travel(NOW, tick=False):
        call = draft(department, deadline=at(date(2027, 3, 15)))
        login(client, official)
        url = reverse("admin:competitions_call_publish", args=[call.pk])
        response = client.post(url, {"bip_on": "2027-03-01", "board_on": "2027-03-01"})
    assert response.status_code == 200
    assert "22 marca 2027" in response.content.decode()
    assert Call.objects.get(pk=call.pk).status == Call.Status.DRAFT


def test_changing_a_published_call_needs_a_note_and_adds_a_version(client, department, official):
    call = CallFactory(department=department)
    services.add_statutory_criteria(call)
    login(client, official)
    url = reverse("admin:competitions_call_change", args=[call.pk])
    response = client.post(url, call_form_data(call, contact="Nowy kontakt"))
    assert response.status_code == 200
    assert "change_note" in response.context["adminform"].form.errors
    response = client.post(
        url, call_form_data(call, contact="Nowy kontakt", change_note="Zmiana osoby.")
    )
    assert response.status_code == 302
    version = CallVersion.objects.get(call=call)
    assert version.change_note == "Zmiana osoby."
    assert {"label": "Kontakt w sprawie pytań", "value": "Nowy kontakt"} in version.content[
        "items"
    ] or any(item["value"] == "Nowy kontakt" for item in version.content["items"])


def test_a_bonus_criterion_can_be_added_to_a_draft_made_from_the_plan(client, department, official):
    call = draft(department)
    login(client, official)
    data = call_form_data(call)
    n = data["criteria-TOTAL_FORMS"]
    data.update(
        {
            "criteria-TOTAL_FORMS": n + 1,
            f"criteria-{n}-call": call.pk,
            f"criteria-{n}-order": 20,
            f"criteria-{n}-kind": "bonus",
            f"criteria-{n}-name": "Projekt międzypokoleniowy",
            f"criteria-{n}-max_points": 2,
            f"criteria-{n}-weight": "1",
        }
    )
    response = client.post(reverse("admin:competitions_call_change", args=[call.pk]), data)
    assert response.status_code == 302
    assert call.criteria.get(name="Projekt międzypokoleniowy").kind == "bonus"


def test_a_statutory_criterion_keeps_its_kind(client, department, official):
    call = draft(department)
    login(client, official)
    data = call_form_data(call)
    data["criteria-0-kind"] = "own"
    response = client.post(reverse("admin:competitions_call_change", args=[call.pk]), data)
    assert response.status_code == 200
    assert call.criteria.filter(kind="statutory").count() == 6


def test_an_answer_longer_than_the_limit_is_refused_next_to_the_field(client, department, official):
    from .factories import CallQuestionFactory

    question = CallQuestionFactory(call=CallFactory(department=department))
    login(client, official)
    url = reverse("admin:competitions_callquestion_change", args=[question.pk])
    response = client.post(url, {"answer": "x" * 2001})
    assert response.status_code == 200
    assert "answer" in response.context["adminform"].form.errors


def attachment_form(data_bytes, name="regulamin.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wspolpraca.competitions.admin import CallAttachmentForm

    upload = SimpleUploadedFile(name, data_bytes, content_type="application/pdf")
    return CallAttachmentForm(data={"title": "Regulamin"}, files={"file": upload})


def test_an_attachment_that_is_not_really_a_pdf_is_refused():
    form = attachment_form(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert not form.is_valid() and form.errors["file"]


def test_an_attachment_over_the_size_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_SIZE = 1000
    form = attachment_form(b"%PDF-1.7\n" + b"0" * 2000)
    assert not form.is_valid() and form.errors["file"]


def test_a_pdf_attachment_is_accepted_under_a_random_name():
    form = attachment_form(b"%PDF-1.7\n%%EOF\n")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].name != "regulamin.pdf"


def test_a_published_deadline_cannot_move_closer_than_the_law_allows(client, department, official):
    call = CallFactory(department=department)  # published a week ago on all three
    services.add_statutory_criteria(call)
    login(client, official)
    earliest = call.last_publication + timedelta(days=21)
    too_soon = timezone.make_aware(
        datetime.combine(earliest - timedelta(days=1), datetime.min.time())
    )
    data = call_form_data(call, change_note="Krótszy termin.")
    data["deadline_0"] = too_soon.date().isoformat()
    data["selection_date"] = (earliest + timedelta(days=10)).isoformat()
    response = client.post(reverse("admin:competitions_call_change", args=[call.pk]), data)
    assert response.status_code == 200
    assert "deadline" in response.context["adminform"].form.errors
    assert Call.objects.get(pk=call.pk).deadline == call.deadline
