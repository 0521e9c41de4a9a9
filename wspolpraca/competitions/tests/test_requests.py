"""Requests to the city (own-initiative offers, patronage, partnership, loans): the terms
of the answer, who may file, see, withdraw and answer them, the site's steps, the back
office's answer page, and the daily reminder of overdue requests."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login, with_totp
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.models import Official
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions import city_requests
from wspolpraca.competitions.city_requests import (
    RequestError,
    answer_due_for,
    decide_request,
    overdue_requests,
    remind_overdue,
    submit_request,
    withdraw_request,
)
from wspolpraca.competitions.models import CityRequest, LegalRules
from wspolpraca.core.models import AuditEntry, OutgoingEmail
from wspolpraca.organizations.models import Membership, Organization
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

WARSAW = ZoneInfo("Europe/Warsaw")
Kind = CityRequest.Kind
Status = CityRequest.Status


def at(year, month, day, hour=12, minute=0):
    """A moment in Kraków's time, for time_machine."""
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


@pytest.fixture
def department():
    return DepartmentFactory(name="Wydział Kultury")


@pytest.fixture
def other_department():
    return DepartmentFactory(name="Wydział Sportu")


def staff(role, department=None):
    sync_role_groups()
    user = with_totp(UserFactory(role=role))
    apply_role(user)
    if department is not None:
        Official.objects.create(user=user, department=department)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def department_official(department):
    return staff(User.Role.OFFICIAL, department)


@pytest.fixture
def other_official(other_department):
    return staff(User.Role.OFFICIAL, other_department)


@pytest.fixture
def other_admin(other_organization):
    return MembershipFactory(organization=other_organization, role=Membership.Role.ADMIN).user


def data(department, **changes):
    return {
        "department": department,
        "title": "Warsztaty teatralne dla seniorów",
        "description": "Cykl warsztatów w domach kultury.",
        "estimated_cost": Decimal("12500.00"),
        "starts": timezone.localdate() + timedelta(days=60),
        "ends": timezone.localdate() + timedelta(days=90),
        **changes,
    }


def make_request(organization, department, *, kind=Kind.OWN_INITIATIVE, **fields):
    values = {
        "title": "Warsztaty teatralne dla seniorów",
        "description": "Cykl warsztatów w domach kultury.",
        "estimated_cost": Decimal("12500.00") if kind == Kind.OWN_INITIATIVE else None,
        "answer_due": timezone.localdate() + timedelta(days=10),
        **fields,
    }
    return CityRequest.objects.create(
        kind=kind, organization=organization, department=department, **values
    )


# The term of the answer


def test_an_own_initiative_answer_is_due_one_calendar_month_after_filing():
    assert answer_due_for(Kind.OWN_INITIATIVE, date(2025, 3, 10)) == date(2025, 4, 10)


def test_an_offer_filed_on_31_january_is_due_on_the_last_day_of_february():
    assert answer_due_for(Kind.OWN_INITIATIVE, date(2025, 1, 31)) == date(2025, 2, 28)


def test_an_offer_filed_on_31_january_of_a_leap_year_is_due_on_29_february():
    assert answer_due_for(Kind.OWN_INITIATIVE, date(2024, 1, 31)) == date(2024, 2, 29)


def test_a_due_day_on_a_sunday_moves_to_the_monday():
    # 2 March 2025 is a Sunday.
    assert answer_due_for(Kind.OWN_INITIATIVE, date(2025, 2, 2)) == date(2025, 3, 3)


def test_other_requests_are_due_30_days_after_filing():
    for kind in (Kind.PATRONAGE, Kind.PARTNERSHIP, Kind.EQUIPMENT_LOAN):
        assert answer_due_for(kind, date(2025, 3, 3)) == date(2025, 4, 2)


def test_a_due_day_on_a_public_holiday_moves_to_the_next_working_day():
    # 11 November 2025 (Independence Day) is 30 days after 12 October.
    assert answer_due_for(Kind.PATRONAGE, date(2025, 10, 12)) == date(2025, 11, 12)


def test_the_terms_follow_the_legal_rules_row():
    rules = LegalRules.current()
    rules.own_initiative_answer_months = 2
    rules.other_request_answer_days = 14
    rules.save()
    assert answer_due_for(Kind.OWN_INITIATIVE, date(2025, 3, 10)) == date(2025, 5, 12)
    assert answer_due_for(Kind.PATRONAGE, date(2025, 3, 10)) == date(2025, 3, 24)


def test_a_request_filed_late_in_the_evening_counts_from_that_day_in_krakow(
    organization, org_admin, department
):
    # 23:30 in Kraków on 31 January is already 1 February nowhere that matters here,
    # but it is 22:30 UTC: the term starts from the day in Kraków.
    with time_machine.travel(at(2025, 1, 31, 23, 30), tick=False):
        request = submit_request(
            organization, by=org_admin, kind=Kind.OWN_INITIATIVE, data=data(department)
        )
    assert request.answer_due == date(2025, 2, 28)


# Overdue


def test_a_request_is_not_overdue_on_its_due_day(organization, department):
    request = make_request(organization, department, answer_due=date(2025, 2, 28))
    with time_machine.travel(at(2025, 2, 28, 23, 59), tick=False):
        assert not request.is_overdue


def test_a_request_is_overdue_from_the_day_after_its_due_day(organization, department):
    request = make_request(organization, department, answer_due=date(2025, 2, 28))
    with time_machine.travel(at(2025, 3, 1, 0, 1), tick=False):
        assert request.is_overdue
        assert list(overdue_requests()) == [request]


def test_an_answered_request_is_never_overdue(organization, department):
    make_request(organization, department, answer_due=date(2025, 2, 28), status=Status.REJECTED)
    with time_machine.travel(at(2025, 3, 10), tick=False):
        assert list(overdue_requests()) == []


# The daily reminder


def reminders():
    return OutgoingEmail.objects.filter(template=city_requests.REMINDER_TEMPLATE)


def test_an_overdue_reminder_goes_to_each_official_once_a_day(
    organization, department, department_official
):
    make_request(organization, department, answer_due=date(2025, 2, 28))
    with time_machine.travel(at(2025, 3, 3, 3), tick=False):
        assert remind_overdue() == 1
    with time_machine.travel(at(2025, 3, 3, 22), tick=False):
        assert remind_overdue() == 0
    assert [e.to for e in reminders()] == [department_official.email]
    with time_machine.travel(at(2025, 3, 4, 3), tick=False):
        assert remind_overdue() == 1
    assert reminders().count() == 2


def test_a_reminder_lists_only_the_requests_of_the_officials_department(
    organization, department, other_department, department_official, other_official
):
    make_request(organization, department, title="Nasz wniosek", answer_due=date(2025, 2, 28))
    make_request(organization, other_department, title="Cudzy", answer_due=date(2025, 2, 28))
    with time_machine.travel(at(2025, 3, 3), tick=False):
        remind_overdue()
    body = reminders().get(to=department_official.email).body
    assert "Nasz wniosek" in body
    assert "Cudzy" not in body


def test_no_reminder_is_sent_when_nothing_is_overdue(organization, department, department_official):
    make_request(organization, department, answer_due=date(2025, 3, 3))
    with time_machine.travel(at(2025, 3, 3), tick=False):
        assert remind_overdue() == 0


# Filing


def test_an_admin_files_a_request_the_department_and_the_admins_are_told(
    organization, org_admin, department, department_official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit_request(
            organization, by=org_admin, kind=Kind.OWN_INITIATIVE, data=data(department)
        )
    assert request.status == Status.SUBMITTED
    sent = {e.to: e for e in OutgoingEmail.objects.all()}
    assert set(sent) == {department_official.email, org_admin.email}
    assert request.title in sent[department_official.email].body
    assert f"/admin/competitions/cityrequest/{request.pk}/" in sent[department_official.email].body
    assert AuditEntry.objects.filter(action="city_request.submitted").count() == 1


def test_a_request_to_a_department_without_officials_goes_to_its_address(
    organization, org_admin, department, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_request(organization, by=org_admin, kind=Kind.PATRONAGE, data=data(department))
    assert OutgoingEmail.objects.filter(to=department.email).exists()


def test_a_plain_member_cannot_file_a_request(organization, org_member, department):
    with pytest.raises(RequestError, match="Only an administrator"):
        submit_request(organization, by=org_member, kind=Kind.PATRONAGE, data=data(department))
    assert not CityRequest.objects.exists()


def test_a_plain_member_is_refused_the_new_request_page(client, org_member):
    response = login(client, org_member).get(reverse("city_requests:new"))
    assert response.status_code == 403
    assert "Only administrators can file requests" in response.content.decode()


def test_an_admin_of_a_rejected_organization_cannot_file(organization, org_admin, department):
    organization.verification = Organization.Verification.REJECTED
    organization.save()
    with pytest.raises(RequestError):
        submit_request(organization, by=org_admin, kind=Kind.PATRONAGE, data=data(department))


def test_an_own_initiative_offer_without_an_estimated_cost_is_refused(
    organization, org_admin, department
):
    with pytest.raises(RequestError) as refused:
        submit_request(
            organization,
            by=org_admin,
            kind=Kind.OWN_INITIATIVE,
            data=data(department, estimated_cost=None),
        )
    assert set(refused.value.errors) == {"estimated_cost"}


def test_an_own_initiative_offer_without_a_description_is_refused(
    organization, org_admin, department
):
    with pytest.raises(RequestError) as refused:
        submit_request(
            organization,
            by=org_admin,
            kind=Kind.OWN_INITIATIVE,
            data=data(department, description="   "),
        )
    assert set(refused.value.errors) == {"description"}


@pytest.mark.parametrize("kind", [Kind.PATRONAGE, Kind.EQUIPMENT_LOAN])
def test_patronage_and_a_loan_without_their_dates_are_refused(
    kind, organization, org_admin, department
):
    with pytest.raises(RequestError) as refused:
        submit_request(
            organization, by=org_admin, kind=kind, data=data(department, starts=None, ends=None)
        )
    assert set(refused.value.errors) == {"starts", "ends"}


def test_a_last_day_before_the_first_is_refused(organization, org_admin, department):
    with pytest.raises(RequestError) as refused:
        submit_request(
            organization,
            by=org_admin,
            kind=Kind.PATRONAGE,
            data=data(department, ends=timezone.localdate() + timedelta(days=59)),
        )
    assert set(refused.value.errors) == {"ends"}


def test_a_first_day_in_the_past_is_refused(organization, org_admin, department):
    with pytest.raises(RequestError) as refused:
        submit_request(
            organization,
            by=org_admin,
            kind=Kind.EQUIPMENT_LOAN,
            data=data(department, starts=timezone.localdate() - timedelta(days=1)),
        )
    assert set(refused.value.errors) == {"starts"}


def test_a_loan_keeps_no_estimated_cost_it_was_not_asked(organization, org_admin, department):
    request = submit_request(
        organization, by=org_admin, kind=Kind.EQUIPMENT_LOAN, data=data(department)
    )
    assert request.estimated_cost is None


# Answering


def test_an_official_of_the_department_accepts_an_offer_with_the_call_date(
    organization,
    org_admin,
    department,
    department_official,
    django_capture_on_commit_callbacks,
):
    request = make_request(organization, department)
    call_date = timezone.localdate() + timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        decide_request(
            request,
            by=department_official,
            accepted=True,
            reason="Zadanie pasuje do priorytetów programu.",
            call_planned_for=call_date,
        )
    request.refresh_from_db()
    assert (request.status, request.call_planned_for) == (Status.ACCEPTED, call_date)
    assert request.decided_by == department_official
    assert AuditEntry.objects.filter(action="city_request.accepted").count() == 1
    told = OutgoingEmail.objects.get(to=org_admin.email)
    assert "Zadanie pasuje do priorytetów programu." in told.body


def test_a_rejection_is_recorded_and_needs_no_call_date(
    organization, department, department_official
):
    request = make_request(organization, department)
    decide_request(request, by=department_official, accepted=False, reason="Brak środków.")
    request.refresh_from_db()
    assert (request.status, request.call_planned_for) == (Status.REJECTED, None)
    assert AuditEntry.objects.filter(action="city_request.rejected").count() == 1


def test_a_decision_without_a_reason_is_refused(organization, department, department_official):
    request = make_request(organization, department)
    with pytest.raises(RequestError) as refused:
        decide_request(request, by=department_official, accepted=False, reason="  ")
    assert set(refused.value.errors) == {"reason"}
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_accepting_an_own_initiative_offer_without_the_call_date_is_refused(
    organization, department, department_official
):
    request = make_request(organization, department)
    with pytest.raises(RequestError) as refused:
        decide_request(request, by=department_official, accepted=True, reason="Dobry pomysł.")
    assert set(refused.value.errors) == {"call_planned_for"}


def test_accepting_patronage_needs_no_call_date(organization, department, department_official):
    request = make_request(organization, department, kind=Kind.PATRONAGE)
    decide_request(request, by=department_official, accepted=True, reason="Chętnie.")
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED


def test_an_official_of_another_department_cannot_decide(organization, department, other_official):
    request = make_request(organization, department)
    with pytest.raises(RequestError, match="Only an official of"):
        decide_request(request, by=other_official, accepted=False, reason="Nie.")
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_an_organization_admin_cannot_decide_its_own_request(organization, org_admin, department):
    request = make_request(organization, department)
    with pytest.raises(RequestError):
        decide_request(request, by=org_admin, accepted=False, reason="Nie.")


def test_a_platform_admin_may_decide_any_request(organization, department, platform_admin):
    request = make_request(organization, department, kind=Kind.PARTNERSHIP)
    decide_request(request, by=platform_admin, accepted=False, reason="Nie teraz.")
    request.refresh_from_db()
    assert request.status == Status.REJECTED


def test_an_answered_request_cannot_be_answered_again(
    organization, department, department_official
):
    request = make_request(organization, department, status=Status.REJECTED)
    with pytest.raises(RequestError, match="already been answered"):
        decide_request(request, by=department_official, accepted=False, reason="Nie.")


# Withdrawing


def test_an_admin_withdraws_a_waiting_request_on_its_confirmation_page(
    client, organization, org_admin, department
):
    request = make_request(organization, department)
    url = reverse("city_requests:withdraw", args=[request.pk])
    login(client, org_admin)
    assert client.get(url).status_code == 200
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    client.post(url)
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    assert AuditEntry.objects.filter(action="city_request.withdrawn").count() == 1


def test_another_organizations_admin_cannot_see_the_request(
    client, organization, department, other_admin
):
    request = make_request(organization, department)
    login(client, other_admin)
    assert client.get(reverse("city_requests:detail", args=[request.pk])).status_code == 404
    list_page = client.get(reverse("city_requests:list"), {"organizacja": organization.slug})
    assert list_page.status_code == 404


def test_another_organizations_admin_cannot_withdraw_the_request(
    client, organization, department, other_admin
):
    request = make_request(organization, department)
    login(client, other_admin)
    response = client.post(reverse("city_requests:withdraw", args=[request.pk]))
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    with pytest.raises(RequestError):
        withdraw_request(request, by=other_admin)


def test_a_plain_member_sees_the_request_but_cannot_withdraw_it(
    client, organization, org_member, department
):
    request = make_request(organization, department)
    login(client, org_member)
    assert client.get(reverse("city_requests:detail", args=[request.pk])).status_code == 200
    client.post(reverse("city_requests:withdraw", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_an_answered_request_cannot_be_withdrawn(organization, org_admin, department):
    request = make_request(organization, department, status=Status.ACCEPTED)
    with pytest.raises(RequestError, match="awaits an answer"):
        withdraw_request(request, by=org_admin)


def test_a_visitor_is_sent_to_sign_in(client, organization, department):
    request = make_request(organization, department)
    response = client.get(reverse("city_requests:detail", args=[request.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# The site's steps


def start(client, kind):
    return client.post(reverse("city_requests:new"), {"kind": kind})


def answers_url(kind):
    return reverse("city_requests:answers", args=[city_requests.KINDS[kind].slug])


def form_data(department, **changes):
    return {
        "department": str(department.pk),
        "title": "Warsztaty teatralne dla seniorów",
        "description": "Cykl warsztatów w domach kultury.",
        "estimated_cost": "12 500,50",
        "starts": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "ends": (timezone.localdate() + timedelta(days=90)).isoformat(),
        **changes,
    }


def test_the_kind_page_gives_each_kinds_answer_term_from_the_legal_rules(client, org_admin):
    rules = LegalRules.current()
    rules.other_request_answer_days = 21
    rules.save()
    page = login(client, org_admin).get(reverse("city_requests:new")).content.decode()
    assert "The city answers within 1 month." in page
    assert page.count("The city answers within 21 days.") == 3


def test_an_admin_files_an_offer_through_check_your_answers_and_sees_the_due_day(
    client, organization, org_admin, department
):
    login(client, org_admin)
    with time_machine.travel(at(2025, 1, 31, 10), tick=False):
        assert start(client, Kind.OWN_INITIATIVE)["Location"] == answers_url(Kind.OWN_INITIATIVE)
        response = client.post(answers_url(Kind.OWN_INITIATIVE), form_data(department))
        assert response["Location"] == reverse("city_requests:check")
        check = client.get(reverse("city_requests:check")).content.decode()
        assert "12,500.50\xa0zł" in check
        assert not CityRequest.objects.exists()
        response = client.post(reverse("city_requests:check"))
        request = CityRequest.objects.get()
        assert response["Location"] == reverse("city_requests:submitted", args=[request.pk])
        confirmation = client.get(response["Location"]).content.decode()
    assert (request.organization, request.estimated_cost) == (organization, Decimal("12500.50"))
    assert "28 February 2025" in confirmation


def test_an_error_is_shown_next_to_its_field_and_what_was_typed_is_kept(
    client, org_admin, department
):
    login(client, org_admin)
    start(client, Kind.OWN_INITIATIVE)
    response = client.post(
        answers_url(Kind.OWN_INITIATIVE), form_data(department, estimated_cost="dużo")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_estimated_cost_error"' in page
    assert 'href="#id_estimated_cost"' in page
    assert 'value="Warsztaty teatralne dla seniorów"' in page
    assert 'value="dużo"' in page


def test_change_on_the_check_page_returns_to_the_answers_as_typed(client, org_admin, department):
    login(client, org_admin)
    start(client, Kind.PATRONAGE)
    client.post(answers_url(Kind.PATRONAGE), form_data(department, title="Festiwal"))
    check = client.get(reverse("city_requests:check")).content.decode()
    assert f'href="{answers_url(Kind.PATRONAGE)}#id_title"' in check
    again = client.get(answers_url(Kind.PATRONAGE)).content.decode()
    assert 'value="Festiwal"' in again


def test_a_plain_member_cannot_send_a_draft_to_the_check_page(
    client, organization, org_member, department
):
    # Even a session draft made up by hand files nothing for a member.
    login(client, org_member)
    session = client.session
    session["competitions.city_request_draft"] = {
        "organization": organization.pk,
        "kind": Kind.PATRONAGE,
        "data_kind": Kind.PATRONAGE,
        "data": {k: [v] for k, v in form_data(department).items()},
    }
    session.save()
    response = client.post(reverse("city_requests:check"))
    assert response.status_code == 302
    assert not CityRequest.objects.exists()


def test_a_person_in_several_organizations_chooses_whose_requests_to_see(
    client, organization, org_admin, other_organization, department
):
    MembershipFactory(organization=other_organization, user=org_admin)
    make_request(other_organization, department, title="Wniosek innej organizacji")
    login(client, org_admin)
    chooser = client.get(reverse("city_requests:list")).content.decode()
    assert f"?organizacja={other_organization.slug}" in chooser
    assert "Wniosek innej organizacji" not in chooser
    listed = client.get(reverse("city_requests:list"), {"organizacja": other_organization.slug})
    assert "Wniosek innej organizacji" in listed.content.decode()


def test_an_admin_of_several_organizations_chooses_which_one_files(
    client, organization, org_admin, other_organization, department
):
    MembershipFactory(organization=other_organization, user=org_admin, role="admin")
    login(client, org_admin)
    refused = client.post(reverse("city_requests:new"), {"kind": Kind.PATRONAGE})
    assert 'id="id_organization_error"' in refused.content.decode()
    client.post(
        reverse("city_requests:new"),
        {"kind": Kind.PATRONAGE, "organization": other_organization.slug},
    )
    client.post(answers_url(Kind.PATRONAGE), form_data(department))
    client.post(reverse("city_requests:check"))
    assert CityRequest.objects.get().organization == other_organization


def test_hostile_text_is_shown_escaped(client, organization, org_admin, department):
    hostile = '<script>alert("x")</script>'
    request = make_request(organization, department, title=hostile, description=hostile)
    login(client, org_admin)
    for url in (
        reverse("city_requests:detail", args=[request.pk]),
        reverse("city_requests:list"),
    ):
        page = client.get(url).content.decode()
        assert hostile not in page
        assert "&lt;script&gt;" in page


def test_hostile_text_is_escaped_on_the_check_page(client, org_admin, department):
    hostile = "<img src=x onerror=alert(1)>"
    login(client, org_admin)
    start(client, Kind.PARTNERSHIP)
    client.post(answers_url(Kind.PARTNERSHIP), form_data(department, description=hostile))
    page = client.get(reverse("city_requests:check")).content.decode()
    assert hostile not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_list_makes_the_same_number_of_queries_for_few_and_many(
    client, organization, org_admin, department
):
    login(client, org_admin)
    url = reverse("city_requests:list")
    make_request(organization, department)
    client.get(url)  # warm up the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        make_request(organization, DepartmentFactory(), title=f"Wniosek {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


JUNK = {
    "kind": "junk",
    "organization": "x" * 300,
    "department": "99999999999999999999999",
    "areas": ["abc", "-1", "99999999999999999999999"],
    "estimated_cost": "1e999",
    "starts": "32.13.2024",
    "ends": "\x00",
    "title": "a\r\nb",
    "decision": "junk",
    "reason": "\x00",
    "call_planned_for": "junk",
}


def test_junk_never_gives_a_server_error(
    client, organization, org_admin, department, department_official
):
    request = make_request(organization, department)
    login(client, org_admin)
    start(client, Kind.OWN_INITIATIVE)
    urls = [
        reverse("city_requests:list"),
        reverse("city_requests:new"),
        reverse("city_requests:check"),
        reverse("city_requests:answers", args=["junk"]),
        answers_url(Kind.OWN_INITIATIVE),
        reverse("city_requests:detail", args=[99999999999999999999999]),
        reverse("city_requests:withdraw", args=[99999999999999999999999]),
        reverse("city_requests:submitted", args=[request.pk]),
    ]
    for url in urls:
        assert client.get(url, {"organizacja": "x" * 300, "page": "abc"}).status_code < 500
        assert client.post(url, JUNK).status_code < 500
    login(client, department_official)
    decide = reverse("admin:competitions_cityrequest_decide", args=[request.pk])
    assert client.post(decide, JUNK).status_code < 500
    changelist = reverse("admin:competitions_cityrequest_changelist")
    assert client.get(changelist, {"overdue": "x"}).status_code < 500


# The back office


def change_url(request):
    return reverse("admin:competitions_cityrequest_change", args=[request.pk])


def decide_url(request):
    return reverse("admin:competitions_cityrequest_decide", args=[request.pk])


def test_an_official_sees_only_the_requests_to_their_department(
    client, organization, department, other_department, department_official
):
    make_request(organization, department, title="Nasz wniosek")
    make_request(organization, other_department, title="Cudzy wniosek")
    page = login(client, department_official).get(
        reverse("admin:competitions_cityrequest_changelist")
    )
    assert [r.title for r in page.context["cl"].result_list] == ["Nasz wniosek"]


def test_an_official_of_another_department_cannot_open_or_answer_it_in_the_back_office(
    client, organization, department, other_official
):
    request = make_request(organization, department)
    login(client, other_official)
    assert client.get(change_url(request)).status_code in (302, 404)
    response = client.post(
        decide_url(request), {"decision": "reject", "reason": "Nie.", "confirmed": "yes"}
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_the_answer_is_shown_for_confirmation_before_it_is_saved(
    client, organization, department, department_official
):
    request = make_request(organization, department)
    login(client, department_official)
    call_date = (timezone.localdate() + timedelta(days=40)).isoformat()
    answer = {"decision": "accept", "reason": "Dobry pomysł.", "call_planned_for": call_date}
    confirm = client.post(decide_url(request), answer)
    assert confirm.context["confirming"]
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    done = client.post(decide_url(request), {**answer, "confirmed": "yes"})
    assert done["Location"] == change_url(request)
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED


def test_an_answer_without_a_reason_is_refused_next_to_the_field_in_the_back_office(
    client, organization, department, department_official
):
    request = make_request(organization, department)
    login(client, department_official)
    response = client.post(decide_url(request), {"decision": "reject", "confirmed": "yes"})
    assert 'id="id_reason_error"' in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_staff_cannot_edit_what_the_organization_wrote(
    client, organization, department, department_official
):
    request = make_request(organization, department)
    login(client, department_official)
    client.post(change_url(request), {"title": "Zmienione", "status": "accepted"})
    request.refresh_from_db()
    assert (request.title, request.status) != ("Zmienione", Status.ACCEPTED)
    assert request.title == "Warsztaty teatralne dla seniorów"


def test_the_back_office_flags_and_filters_overdue_requests(
    client, organization, department, department_official
):
    late = make_request(organization, department, title="Spóźniony", answer_due=date(2025, 2, 28))
    make_request(organization, department, title="W terminie", answer_due=date(2025, 3, 20))
    login(client, department_official)
    with time_machine.travel(at(2025, 3, 3), tick=True):
        page = client.get(reverse("admin:competitions_cityrequest_changelist"), {"overdue": "yes"})
    assert [r.pk for r in page.context["cl"].result_list] == [late.pk]
    assert 'alt="True"' in page.content.decode()


def test_hostile_text_is_escaped_in_the_back_office(
    client, organization, department, department_official
):
    hostile = "<script>alert(1)</script>"
    request = make_request(organization, department, title=hostile, description=hostile)
    login(client, department_official)
    for url in (
        reverse("admin:competitions_cityrequest_changelist"),
        change_url(request),
        decide_url(request),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert hostile not in response.content.decode(), url
