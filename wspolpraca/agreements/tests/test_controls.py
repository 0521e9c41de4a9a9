"""Controls and monitoring visits: notice, findings, the organization's answer, closing;
who may do each, from the refused side too."""

import datetime as dt

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.agreements import controls
from wspolpraca.agreements.models import Agreement, Control
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.core.models import AuditEntry
from wspolpraca.evaluations.tests.factories import official_of, org_admin_of
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

from .control_factories import admin_for, agreement_for, control_for, official_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SCOPE = "Listy obecności i faktury z pierwszego półrocza."


@pytest.fixture
def agreement():
    return agreement_for()


@pytest.fixture
def official(agreement):
    return official_for(agreement.department)


@pytest.fixture
def admin(agreement):
    return admin_for(agreement)


def _in(days):
    return timezone.localdate() + dt.timedelta(days=days)


def _plan(agreement, official, days=7, kind=Control.Kind.CONTROL):
    return controls.plan_control(agreement, official, kind, _in(days), SCOPE)


# Planning and the notice.


def test_a_control_six_days_ahead_is_refused_with_the_earliest_date(agreement, official):
    with pytest.raises(controls.ControlError) as refused:
        _plan(agreement, official, days=6)

    assert refused.value.field == "planned_on"
    assert "at least 7 days" in str(refused.value)
    assert f"{_in(7):%Y}" in str(refused.value) and str(_in(7).day) in str(refused.value)
    assert not Control.objects.exists()


def test_a_control_seven_days_ahead_is_planned(agreement, official):
    control = _plan(agreement, official, days=7)

    assert control.status == Control.Status.PLANNED
    assert control.planned_on == _in(7)
    assert control.notice_sent_at is not None


def test_the_notice_days_come_from_the_settings(agreement, official, settings):
    settings.CONTROL_NOTICE_DAYS = 10

    with pytest.raises(controls.ControlError):
        _plan(agreement, official, days=9)
    assert _plan(agreement, official, days=10).planned_on == _in(10)


def test_a_monitoring_visit_may_be_planned_for_today_but_not_the_past(agreement, official):
    assert _plan(agreement, official, days=0, kind=Control.Kind.MONITORING).pk

    with pytest.raises(controls.ControlError):
        _plan(agreement, official, days=-1, kind=Control.Kind.MONITORING)


def test_the_notice_is_emailed_to_the_organizations_admins_at_once(
    agreement, official, admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _plan(agreement, official)

    assert [m.to for m in mailoutbox] == [[admin.email]]
    body = mailoutbox[0].body
    assert SCOPE in body
    assert _in(7).strftime("%Y") in body and agreement.number in mailoutbox[0].subject
    assert reverse("agreements:control", args=[Control.objects.get().pk]) in body


def test_a_control_cannot_be_planned_before_the_agreement_is_signed(official):
    agreement = agreement_for(status=Agreement.Status.READY)

    with pytest.raises(controls.ControlError):
        _plan(agreement, official_for(agreement.department))
    assert not Control.objects.exists()


def test_a_settled_agreement_may_still_be_controlled():
    agreement = agreement_for(status=Agreement.Status.SETTLED)

    assert _plan(agreement, official_for(agreement.department)).pk


def test_an_official_of_another_department_cannot_plan_a_control(agreement):
    stranger = official_of(DepartmentFactory())

    with pytest.raises(controls.ControlError):
        _plan(agreement, stranger)
    assert not Control.objects.exists()


def test_the_organizations_admin_cannot_plan_a_control(agreement, admin):
    with pytest.raises(controls.ControlError):
        _plan(agreement, admin)


# Findings.


def test_a_monitoring_visit_needs_a_description_of_the_quality(agreement, official):
    control = control_for(agreement, kind=Control.Kind.MONITORING)

    with pytest.raises(controls.ControlError) as refused:
        controls.record_findings(
            control, official, timezone.localdate(), "  ", "Dokumenty w porządku.", ""
        )

    assert refused.value.field == "quality"
    control.refresh_from_db()
    assert control.status == Control.Status.PLANNED


def test_a_monitoring_visit_with_its_quality_described_is_done(agreement, official):
    control = control_for(agreement, kind=Control.Kind.MONITORING)

    controls.record_findings(
        control,
        official,
        timezone.localdate(),
        "Na zajęcia przychodzi 20 seniorów z Nowej Huty; plan jest realizowany.",
        "",
        "",
    )

    control.refresh_from_db()
    assert control.status == Control.Status.DONE
    assert control.quality.startswith("Na zajęcia")


def test_a_control_needs_its_findings(agreement, official):
    control = control_for(agreement)

    with pytest.raises(controls.ControlError) as refused:
        controls.record_findings(control, official, timezone.localdate(), "", "", "")

    assert refused.value.field == "findings"


def test_findings_cannot_be_given_before_the_visit(agreement, official):
    control = _plan(agreement, official, days=7)

    with pytest.raises(controls.ControlError) as refused:
        controls.record_findings(control, official, _in(7), "", "Brak list.", "")

    assert refused.value.field == "carried_out_on"
    day_before, planned_day = _in(6), _in(7)
    with time_machine.travel(timezone.now() + dt.timedelta(days=7)):
        with pytest.raises(controls.ControlError):  # nor dated before the planned day
            controls.record_findings(control, official, day_before, "", "Brak list.", "")
        controls.record_findings(control, official, planned_day, "", "Brak list.", "")
    control.refresh_from_db()
    assert control.status == Control.Status.DONE


def test_the_findings_are_emailed_with_the_day_to_answer_by(
    agreement, official, admin, mailoutbox, django_capture_on_commit_callbacks
):
    control = control_for(agreement)

    with django_capture_on_commit_callbacks(execute=True):
        controls.record_findings(
            control, official, timezone.localdate(), "", "Brak faktur.", "Uzupełnić faktury."
        )

    assert [m.to for m in mailoutbox] == [[admin.email]]
    assert "Uzupełnić faktury." in mailoutbox[0].body
    due = timezone.localdate() + dt.timedelta(days=14)
    assert controls.answer_due(Control.objects.get()) == due


# The answer and closing.


def test_the_admin_answers_and_the_department_is_emailed(
    agreement, official, admin, mailoutbox, django_capture_on_commit_callbacks
):
    control = control_for(agreement, status=Control.Status.DONE)

    with django_capture_on_commit_callbacks(execute=True):
        controls.answer_control(control, admin, "Listy uzupełniliśmy 3 marca.")

    control.refresh_from_db()
    assert control.status == Control.Status.ANSWERED
    assert control.answered_at is not None
    assert [m.to for m in mailoutbox] == [[official.email]]
    assert "Listy uzupełniliśmy" in mailoutbox[0].body


def test_the_control_is_closed_after_the_answer(agreement, official, admin):
    control = control_for(agreement, status=Control.Status.DONE)
    controls.answer_control(control, admin, "Zrobione.")

    controls.close_control(control, official)

    control.refresh_from_db()
    assert control.status == Control.Status.CLOSED
    with pytest.raises(controls.ControlError):
        controls.answer_control(control, admin, "Jeszcze raz.")


def test_a_control_cannot_be_answered_before_its_findings(agreement, admin):
    control = control_for(agreement)

    with pytest.raises(controls.ControlError):
        controls.answer_control(control, admin, "Odpowiedź.")


def test_a_member_who_is_not_an_admin_cannot_answer(agreement):
    member = MembershipFactory(
        organization=agreement.organization, role=Membership.Role.MEMBER
    ).user
    control = control_for(agreement, status=Control.Status.DONE)

    with pytest.raises(controls.ControlError):
        controls.answer_control(control, member, "Odpowiedź.")
    control.refresh_from_db()
    assert control.status == Control.Status.DONE


def test_a_planned_control_cannot_be_closed(agreement, official):
    control = control_for(agreement)

    with pytest.raises(controls.ControlError):
        controls.close_control(control, official)


def test_every_step_is_recorded_in_the_audit_trail(agreement, official, admin):
    control = _plan(agreement, official, days=0, kind=Control.Kind.MONITORING)
    controls.record_findings(control, official, timezone.localdate(), "Dobrze.", "", "")
    controls.answer_control(control, admin, "Dziękujemy.")
    controls.close_control(control, official)

    entries = AuditEntry.objects.filter(
        action__startswith="control.", object_id=str(control.pk)
    ).order_by("pk")
    assert [(e.action, e.actor) for e in entries] == [
        ("control.planned", official),
        ("control.findings_given", official),
        ("control.answered", admin),
        ("control.closed", official),
    ]
    assert entries[0].changes["planned_on"] == [None, timezone.localdate().isoformat()]


# The pages.


def test_plan_page_shows_the_check_page_before_the_notice_goes(client, agreement, official):
    login(client, official)
    url = reverse("agreements:plan_control", args=[agreement.pk])
    data = {"kind": "control", "planned_on": _in(7).isoformat(), "scope": SCOPE}

    check = client.post(url, data)

    assert check.status_code == 200
    assert "agreements/controls/check.html" in [t.name for t in check.templates]
    assert not Control.objects.exists()
    response = client.post(url, {**data, "confirmed": "1"})
    control = Control.objects.get()
    assert response.url == reverse("agreements:control", args=[control.pk])


def test_plan_page_shows_the_notice_refusal_next_to_the_date(client, agreement, official):
    login(client, official)
    url = reverse("agreements:plan_control", args=[agreement.pk])

    response = client.post(
        url, {"kind": "control", "planned_on": _in(6).isoformat(), "scope": SCOPE}
    )

    assert response.status_code == 200
    assert 'id="id_planned_on_error"' in response.content.decode()
    assert SCOPE in response.content.decode()  # what was typed is kept
    assert not Control.objects.exists()


def test_an_outsider_gets_404_and_a_member_403_on_the_plan_page(client, agreement, outsider):
    url = reverse("agreements:plan_control", args=[agreement.pk])
    login(client, outsider)
    assert client.get(url).status_code == 404

    member = MembershipFactory(organization=agreement.organization).user
    login(client, member)
    assert client.get(url).status_code == 403


def test_another_ngos_admin_can_neither_see_nor_answer_a_control(client, agreement):
    control = control_for(agreement, status=Control.Status.DONE)
    other = agreement_for()
    stranger = org_admin_of(other.organization)
    login(client, stranger)
    url = reverse("agreements:control", args=[control.pk])

    assert client.get(url).status_code == 404
    response = client.post(url, {"step": "answer", "answer": "Nie nasze.", "confirmed": "1"})

    assert response.status_code == 404
    control.refresh_from_db()
    assert control.status == Control.Status.DONE and control.answer == ""


def test_the_admin_answers_on_the_page_after_checking(client, agreement, admin):
    control = control_for(agreement, status=Control.Status.DONE)
    login(client, admin)
    url = reverse("agreements:control", args=[control.pk])
    page = client.get(url).content.decode()
    assert 'name="answer"' in page and "Uzupełnić listy obecności." in page

    check = client.post(url, {"step": "answer", "answer": "Uzupełnione."})
    assert "Uzupełnione." in check.content.decode()
    control.refresh_from_db()
    assert control.status == Control.Status.DONE

    client.post(url, {"step": "answer", "answer": "Uzupełnione.", "confirmed": "1"})
    control.refresh_from_db()
    assert control.status == Control.Status.ANSWERED


def test_change_on_the_check_page_returns_to_the_form_with_the_answer(client, agreement, admin):
    control = control_for(agreement, status=Control.Status.DONE)
    login(client, admin)
    url = reverse("agreements:control", args=[control.pk])

    response = client.post(url, {"step": "answer", "answer": "Pierwsza wersja.", "change": "1"})

    assert '<textarea name="answer"' in response.content.decode()
    assert "Pierwsza wersja." in response.content.decode()
    control.refresh_from_db()
    assert control.status == Control.Status.DONE


def test_a_member_sees_the_control_but_gets_no_answer_form(client, agreement):
    control = control_for(agreement, status=Control.Status.DONE)
    member = MembershipFactory(organization=agreement.organization).user
    login(client, member)
    url = reverse("agreements:control", args=[control.pk])

    assert 'name="answer"' not in client.get(url).content.decode()
    assert client.post(url, {"step": "answer", "answer": "X", "confirmed": "1"}).status_code == 403


def test_the_official_gives_monitoring_findings_on_the_page(client, agreement, official):
    control = control_for(agreement, kind=Control.Kind.MONITORING)
    login(client, official)
    url = reverse("agreements:control", args=[control.pk])
    data = {"step": "findings", "carried_out_on": timezone.localdate().isoformat()}

    missing = client.post(url, data)
    assert 'id="id_quality_error"' in missing.content.decode()

    data["quality"] = "Zajęcia prowadzone zgodnie z planem, 15 uczestników."
    client.post(url, {**data, "confirmed": "1"})
    control.refresh_from_db()
    assert control.status == Control.Status.DONE


def test_closing_asks_on_a_page_of_its_own(client, agreement, official):
    control = control_for(agreement, status=Control.Status.DONE)
    login(client, official)
    url = reverse("agreements:close_control", args=[control.pk])

    assert "core/confirm.html" in [t.name for t in client.get(url).templates]
    control.refresh_from_db()
    assert control.status == Control.Status.DONE
    client.post(url)
    control.refresh_from_db()
    assert control.status == Control.Status.CLOSED


def test_the_organizations_admin_cannot_close(client, agreement, admin):
    control = control_for(agreement, status=Control.Status.ANSWERED)
    login(client, admin)

    response = client.post(reverse("agreements:close_control", args=[control.pk]))

    assert response.status_code == 403
    control.refresh_from_db()
    assert control.status == Control.Status.ANSWERED


def test_the_agreement_section_lists_controls_and_offers_planning(rf, agreement, official):
    control = control_for(agreement, status=Control.Status.DONE)
    request = rf.get("/")
    request.user = official

    html = render_to_string(
        "agreements/controls/_section.html",
        {"agreement": agreement, "user": official},
        request=request,
    )

    assert reverse("agreements:control", args=[control.pk]) in html
    assert "findings given" in html
    assert reverse("agreements:plan_control", args=[agreement.pk]) in html
    assert reverse("agreements:rate", args=[agreement.pk]) not in html
