"""The report pages (II10): who sees and does what, the form and its errors, the check
page, the department's review on confirmation pages, the PDF, the partial report, the
settlement, the section on the agreement's page, and constant queries."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.evaluations.tests.factories import org_admin_of
from wspolpraca.offers.tests.factories import CostLineFactory
from wspolpraca.organizations.tests.factories import OrganizationFactory

from ..models import Agreement, Report, ReportVersion, Settlement
from ..reports import accept_report, draft_revision, submit_report, working_content
from .report_factories import (
    admin_of,
    agreement_with_reports,
    at,
    complete_values,
    fill,
    final_report,
    line_key,
    member_of,
    official_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Report.Status


@pytest.fixture(autouse=True)
def now():
    """10 January 2028: after the 2027 period, before its report is due (30 January)."""
    with time_machine.travel(at(2028, 1, 10), tick=False):
        yield


@pytest.fixture
def agreement():
    return agreement_with_reports()


@pytest.fixture
def report(agreement):
    return final_report(agreement)


def url(name, report):
    return reverse(f"agreements:{name}", args=[report.pk])


def submitted(report):
    fill(report, member_of(report.agreement))
    return submit_report(report, admin_of(report.agreement))


def form_data(report, **changes):
    """What the edit form posts for a complete report, plus `changes`."""
    values = complete_values(report)
    data = {
        "revision": draft_revision(report),
        **{name: values[name] for name in ("achievements", "actions", "fees_info")},
    }
    for key, parts in values["results"].items():
        data[f"result_{key}_achieved"] = parts["achieved"]
    for key, parts in values["lines"].items():
        data[f"line_{key}_incurred"] = parts["incurred"]
        data[f"line_{key}_from_grant"] = parts["from_grant"]
    for key, parts in values["sources"].items():
        data[f"source_{key}_actual"] = parts["actual"]
    for key in values["declarations"]:
        data[f"declaration_{key}"] = "on"
    data.update(changes)
    return data


# Who sees the pages


def test_a_member_sees_the_report_page(client, report):
    login(client, member_of(report.agreement))
    response = client.get(url("report", report))
    assert response.status_code == 200
    assert "1 March 2027 – 31 December 2027" in response.text
    assert url("report_edit", report) in response.text


def test_the_department_sees_the_submitted_report(client, report):
    report = submitted(report)
    login(client, official_for(report.agreement))
    response = client.get(url("report", report))
    assert response.status_code == 200
    assert "40 osób ukończyło warsztaty." in response.text
    assert url("report_review", report) in response.text


def other_ngo_admin():
    return org_admin_of(OrganizationFactory())


def other_official():
    return official_for(DepartmentFactory())


@pytest.mark.parametrize("person", [other_ngo_admin, other_official, UserFactory])
@pytest.mark.parametrize(
    "page",
    [
        "report",
        "report_edit",
        "report_check",
        "report_review",
        "report_accept",
        "report_return",
        "report_reopen",
        "report_pdf",
    ],
)
def test_people_outside_the_agreement_get_404_on_the_report_pages(client, report, person, page):
    report = submitted(report)
    login(client, person())
    assert client.get(url(page, report)).status_code == 404
    assert client.post(url(page, report), {"reason": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_another_ngos_admin_cannot_save_the_report(client, report):
    login(client, other_ngo_admin())
    response = client.post(url("report_edit", report), form_data(report))
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.draft == {}


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, report):
    response = client.get(url("report", report))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_official_cannot_fill_in_the_organizations_report(client, report):
    login(client, official_for(report.agreement))
    assert client.get(url("report_edit", report)).status_code == 403
    assert client.post(url("report_edit", report), form_data(report)).status_code == 403
    report.refresh_from_db()
    assert report.draft == {}


# Filling it in


def test_a_member_saves_an_unfinished_report(client, report):
    login(client, member_of(report.agreement))
    response = client.post(
        url("report_edit", report),
        {"revision": draft_revision(report), "achievements": "Połowa za nami.", "save": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("report_edit", report)
    report.refresh_from_db()
    assert report.draft["achievements"] == "Połowa za nami."
    assert report.status == Status.DUE


def test_an_amount_that_is_not_a_number_is_shown_next_to_its_field_and_kept(client, report):
    login(client, member_of(report.agreement))
    key = line_key(report, "Trenerka")
    data = form_data(report, **{f"line_{key}_incurred": "dziewięć tysięcy"})
    response = client.post(url("report_edit", report), data)
    assert response.status_code == 200
    assert f'id="id_line_{key}_incurred_error"' in response.text
    assert 'value="dziewięć tysięcy"' in response.text
    assert f'href="#id_line_{key}_incurred"' in response.text
    report.refresh_from_db()
    assert report.draft == {}


def test_save_and_check_goes_to_the_check_page(client, report):
    login(client, member_of(report.agreement))
    response = client.post(url("report_edit", report), {**form_data(report), "check": "1"})
    assert response["Location"] == url("report_check", report)
    report.refresh_from_db()
    assert report.draft["results"][0]["achieved"] == "42 osoby"


def test_a_save_over_someone_elses_newer_save_is_refused_and_keeps_what_was_typed(client, report):
    login(client, member_of(report.agreement))
    data = form_data(report, achievements="Moja wersja.")
    fill(report, member_of(report.agreement))
    response = client.post(url("report_edit", report), data)
    assert response.status_code == 200
    assert "Someone else saved this report" in response.text
    assert "Moja wersja." in response.text
    # Read and saved again: this person's answers are kept.
    second = dict(data, revision=response.context["form"].data["revision"])
    assert client.post(url("report_edit", report), second).status_code == 302
    report.refresh_from_db()
    assert report.draft["achievements"] == "Moja wersja."


def test_the_check_page_links_each_problem_to_its_field(client, report):
    login(client, member_of(report.agreement))
    response = client.get(url("report_check", report))
    assert response.status_code == 200
    key = working_content(report)["results"][0]["key"]
    assert f"{url('report_edit', report)}#id_result_{key}_achieved" in response.text
    assert "Give the value achieved for “Uczestnicy”." in response.text
    assert "Submit the report</button>" not in response.text


def test_an_admin_submits_the_report_from_the_check_page(client, report):
    fill(report, member_of(report.agreement))
    login(client, admin_of(report.agreement))
    page = client.get(url("report_check", report))
    assert "Submit the report</button>" in page.text
    response = client.post(url("report_check", report))
    assert response["Location"] == url("report", report)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert report.versions.count() == 1


def test_a_member_who_is_not_an_admin_cannot_submit(client, report):
    member = member_of(report.agreement)
    fill(report, member)
    login(client, member)
    page = client.get(url("report_check", report))
    assert "Only an administrator of" in page.text
    assert "Submit the report</button>" not in page.text
    response = client.post(url("report_check", report))
    assert response.status_code == 200
    assert "Only an administrator of the organization can submit its report." in response.text
    report.refresh_from_db()
    assert report.status == Status.DUE


def test_a_report_with_a_problem_is_not_submitted_from_the_check_page(client, report):
    login(client, admin_of(report.agreement))
    response = client.post(url("report_check", report))
    assert response.status_code == 200
    assert "problems to fix before it can be submitted" in response.text
    report.refresh_from_db()
    assert report.status == Status.DUE


# The department's side


def test_an_ngo_admin_cannot_accept_their_own_report(client, report):
    report = submitted(report)
    login(client, admin_of(report.agreement))
    assert client.get(url("report_accept", report)).status_code == 403
    assert client.post(url("report_accept", report)).status_code == 403
    assert client.get(url("report_review", report)).status_code == 403
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_an_official_accepts_the_report_on_a_confirmation_page(client, report):
    report = submitted(report)
    login(client, official_for(report.agreement))
    page = client.get(url("report_accept", report))
    assert page.status_code == 200
    assert "Accept the report</button>" in page.text
    response = client.post(url("report_accept", report))
    assert response["Location"] == url("report", report)
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED


def test_returning_without_a_reason_shows_the_error_next_to_the_field(client, report):
    report = submitted(report)
    login(client, official_for(report.agreement))
    response = client.post(url("report_return", report), {"reason": "  "})
    assert response.status_code == 200
    assert 'id="id_reason_error"' in response.text
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_an_official_returns_the_report_with_a_reason(client, report):
    report = submitted(report)
    login(client, official_for(report.agreement))
    response = client.post(url("report_return", report), {"reason": "Brak list obecności."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (Status.RETURNED, "Brak list obecności.")


def test_an_accepted_report_cannot_be_edited_on_its_page(client, report):
    report = accept_report(submitted(report), official_for(report.agreement))
    draft = report.draft
    login(client, admin_of(report.agreement))
    page = client.get(url("report_edit", report))
    assert page.status_code == 403
    assert "accepted and cannot be changed" in page.text
    response = client.post(url("report_edit", report), form_data(report, achievements="Nowe."))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.draft == draft


def test_an_official_reopens_an_accepted_report_with_a_reason(client, report):
    report = accept_report(submitted(report), official_for(report.agreement))
    login(client, official_for(report.agreement))
    assert client.post(url("report_reopen", report), {"reason": ""}).status_code == 200
    response = client.post(url("report_reopen", report), {"reason": "Błąd w kwocie."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    login(client, member_of(report.agreement))
    assert client.get(url("report_edit", report)).status_code == 200


def test_the_pdf_is_the_submitted_version(client, report):
    report = submitted(report)
    login(client, official_for(report.agreement))
    response = client.get(url("report_pdf", report))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert report.agreement.number in text
    assert "Uczestnicy" in text
    assert report.versions.get().content_sha256 in text.replace("\n", "")


def test_there_is_no_pdf_before_the_report_is_submitted(client, report):
    login(client, member_of(report.agreement))
    assert client.get(url("report_pdf", report)).status_code == 404


# Partial reports and the settlement


def test_an_official_asks_for_a_partial_report_no_sooner_than_30_days_ahead(client):
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2028, 12, 31))
    login(client, official_for(agreement))
    page = reverse("agreements:request_partial_report", args=[agreement.pk])
    today = timezone.localdate()
    early = client.post(
        page, {"period_ends": "2027-12-31", "due": (today + timedelta(days=29)).isoformat()}
    )
    assert early.status_code == 200
    assert 'id="id_due_error"' in early.text
    assert "9 February 2028" in early.text
    assert not agreement.reports.filter(kind=Report.Kind.PARTIAL).exists()
    answers = {"period_ends": "2027-12-31", "due": (today + timedelta(days=30)).isoformat()}
    check = client.post(page, answers)
    assert check.status_code == 200
    assert "Check the request before it is sent" in check.text
    assert not agreement.reports.filter(kind=Report.Kind.PARTIAL).exists()
    response = client.post(page, {**answers, "confirmed": "1"})
    partial = agreement.reports.get(kind=Report.Kind.PARTIAL)
    assert response["Location"] == url("report", partial)


def test_change_on_the_partial_reports_check_page_returns_to_the_form_as_typed(client):
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2028, 12, 31))
    login(client, official_for(agreement))
    page = reverse("agreements:request_partial_report", args=[agreement.pk])
    due = (timezone.localdate() + timedelta(days=40)).isoformat()
    response = client.post(page, {"period_ends": "2027-12-31", "due": due, "change": "1"})
    assert response.status_code == 200
    assert 'name="period_ends"' in response.text and "2027-12-31" in response.text
    assert "Check the request before it is sent" not in response.text
    assert not agreement.reports.filter(kind=Report.Kind.PARTIAL).exists()


def test_an_ngo_admin_cannot_ask_for_a_partial_report(client, agreement):
    login(client, admin_of(agreement))
    page = reverse("agreements:request_partial_report", args=[agreement.pk])
    response = client.post(page, {"period_ends": "2027-12-31", "due": "2028-03-01"})
    assert response.status_code == 403
    assert not agreement.reports.filter(kind=Report.Kind.PARTIAL).exists()


def test_the_settlement_page_shows_the_computed_refund_then_settles(client):
    agreement = agreement_with_reports(amount=Decimal("10000.00"))
    report = final_report(agreement)
    fill(
        report,
        member_of(agreement),
        from_grant={"Trenerka": "8400.00", "Księgowość": "800.00"},
        own_financial="300.00",
    )
    report = submit_report(report, admin_of(agreement))
    accept_report(report, official_for(agreement))
    login(client, official_for(agreement))
    page = reverse("agreements:settle", args=[agreement.pk])
    shown = client.get(page)
    assert shown.status_code == 200
    assert "9,200.00\xa0zł" in shown.text
    assert "800.00\xa0zł" in shown.text
    assert "No tranche is recorded as paid" in shown.text
    posted = client.post(page)
    assert posted.status_code == 302, posted.text
    settlement = Settlement.objects.get(agreement=agreement)
    assert settlement.refund_due == Decimal("800.00")
    assert client.get(page).status_code == 200


def test_the_settlement_page_lists_what_stops_the_settlement(client, agreement):
    login(client, official_for(agreement))
    page = reverse("agreements:settle", args=[agreement.pk])
    response = client.get(page)
    assert "is not accepted" in response.text
    client.post(page)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


def test_an_ngo_admin_cannot_settle(client, agreement):
    login(client, admin_of(agreement))
    page = reverse("agreements:settle", args=[agreement.pk])
    assert client.get(page).status_code == 403
    assert client.post(page).status_code == 403


# The section on the agreement's page


def section(agreement, user):
    return render_to_string(
        "agreements/reports/_section.html", {"agreement": agreement, "user": user}
    )


def test_the_section_lists_the_reports_with_their_due_dates_and_flags():
    agreement = agreement_with_reports(starts=date(2026, 3, 1), ends=date(2027, 12, 31))
    html = section(agreement, official_for(agreement))
    # Both 30 January fall on a weekend: due on the Mondays after.
    assert "1 February 2027" in html and "31 January 2028" in html
    assert html.count("overdue") == 1
    assert reverse("agreements:request_partial_report", args=[agreement.pk]) in html


def test_the_section_shows_a_report_submitted_late():
    agreement = agreement_with_reports(starts=date(2026, 3, 1), ends=date(2026, 12, 31))
    report = final_report(agreement)
    fill(report, member_of(agreement))
    submit_report(report, admin_of(agreement))
    html = section(agreement, admin_of(agreement))
    assert "submitted late" in html
    assert reverse("agreements:settle", args=[agreement.pk]) not in html


# Constant queries


def grow(report, count):
    """`count` more cost lines in the agreement and `count` submitted versions."""
    for n in range(count):
        CostLineFactory(offer=report.agreement.offer, name=f"Koszt {n}", year=2027)
    for number in range(1, count + 1):
        ReportVersion.objects.create(
            report=report,
            number=number,
            content=working_content(report),
            content_sha256="0" * 64,
            submitted_by=admin_of(report.agreement),
        )
    Report.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)


@pytest.mark.parametrize("count", [2, 10])
def test_the_report_page_makes_the_same_queries_whatever_it_holds(
    client, report, django_assert_max_num_queries, count
):
    grow(report, count)
    login(client, official_for(report.agreement))
    with django_assert_max_num_queries(16):
        assert client.get(url("report", report)).status_code == 200


@pytest.mark.parametrize("count", [2, 10])
def test_the_edit_page_makes_the_same_queries_whatever_it_holds(
    client, report, django_assert_max_num_queries, count
):
    grow(report, count)
    Report.objects.filter(pk=report.pk).update(status=Status.DUE)
    login(client, member_of(report.agreement))
    with django_assert_max_num_queries(16):
        assert client.get(url("report_edit", report)).status_code == 200


@pytest.mark.parametrize("count", [2, 10])
def test_the_section_makes_the_same_queries_whatever_it_holds(django_assert_max_num_queries, count):
    agreement = agreement_with_reports(starts=date(2027 - count, 3, 1), ends=date(2027, 12, 31))
    official = official_for(agreement)
    with django_assert_max_num_queries(5):
        section(agreement, official)
