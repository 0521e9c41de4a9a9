"""Reports on public tasks (II10): when they are due, what stops a submission, the review
by the department, corrections, and the settlement of the grant."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.competitions.models import LegalRules
from wspolpraca.core.models import AuditEntry, OutgoingEmail
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

from ..models import Agreement, Report, Settlement, Tranche
from ..reports import (
    ReportError,
    accept_report,
    figures,
    record_refund,
    refund_term,
    reopen_report,
    report_problems,
    request_partial_report,
    return_report,
    save_draft,
    schedule_reports,
    settle,
    settlement_figures,
    sha256_of,
    submit_report,
    working_content,
)
from ..signals import agreement_settled, agreement_signed
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


def entries(action):
    return AuditEntry.objects.filter(action=action)


def mails(template):
    return OutgoingEmail.objects.filter(template=f"agreements/email/{template}.txt")


def submitted(agreement, **answers):
    report = final_report(agreement)
    fill(report, member_of(agreement), **answers)
    return submit_report(report, admin_of(agreement))


# When reports are due


def test_a_task_in_one_year_has_one_final_report_due_exactly_30_days_after_its_end():
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2027, 11, 30))
    report = final_report(agreement)
    assert (report.period_starts, report.period_ends) == (date(2027, 3, 1), date(2027, 11, 30))
    assert report.due == date(2027, 12, 30)  # a Thursday
    assert report.due == report.period_ends + timedelta(days=30)
    assert report.status == Status.DUE


def test_a_due_day_on_a_sunday_moves_to_the_monday():
    # 31 December 2027 + 30 days = Sunday 30 January 2028.
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2027, 12, 31))
    assert final_report(agreement).due == date(2028, 1, 31)


def test_a_due_day_on_a_public_holiday_moves_to_the_next_working_day():
    # 2 October 2027 + 30 days = Monday 1 November 2027, All Saints' Day.
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2027, 10, 2))
    assert final_report(agreement).due == date(2027, 11, 2)


def test_a_task_over_two_budget_years_has_a_final_report_for_each_year():
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2028, 6, 30))
    found = [
        (r.kind, r.period_starts, r.period_ends, r.due) for r in agreement.reports.order_by("due")
    ]
    assert found == [
        # 30 January and 30 July 2028 are Sundays: due on the Mondays after.
        ("final", date(2027, 3, 1), date(2027, 12, 31), date(2028, 1, 31)),
        ("final", date(2028, 1, 1), date(2028, 6, 30), date(2028, 7, 31)),
    ]


def test_the_due_date_follows_the_legal_rules_set_by_the_administrator():
    LegalRules.objects.filter(pk=1).update(report_due_days=45)
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2027, 12, 31))
    assert final_report(agreement).due == date(2027, 12, 31) + timedelta(days=45)


def test_scheduling_again_makes_no_second_report():
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2028, 6, 30))
    assert schedule_reports(agreement) == []
    assert agreement.reports.count() == 2


def test_signing_an_agreement_schedules_its_reports():
    agreement = agreement_with_reports(schedule=False)
    assert not agreement.reports.exists()
    agreement_signed.send(sender=Agreement, agreement=agreement, by=official_for(agreement))
    assert agreement.reports.filter(kind=Report.Kind.FINAL).count() == 1


# Partial reports


def test_a_partial_report_due_29_days_after_the_request_is_refused_with_the_earliest_day():
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2028, 12, 31))
    today = timezone.localdate()
    with pytest.raises(ReportError) as refused:
        request_partial_report(
            agreement, official_for(agreement), date(2027, 12, 31), today + timedelta(days=29)
        )
    assert "9 February 2028" in refused.value.message
    assert "due" in refused.value.errors
    assert not agreement.reports.filter(kind=Report.Kind.PARTIAL).exists()


def test_a_partial_report_due_30_days_after_the_request_is_asked_for_and_the_admins_told():
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2028, 12, 31))
    due = timezone.localdate() + timedelta(days=30)
    report = request_partial_report(agreement, official_for(agreement), date(2028, 1, 5), due)
    assert (report.kind, report.due, report.status) == (Report.Kind.PARTIAL, due, Status.DUE)
    assert report.period_starts == date(2028, 1, 1)
    assert report.requested_at == timezone.now()
    assert mails("report_requested").filter(to=admin_of(agreement).email).exists()
    assert entries("report.partial_requested").filter(object_id=str(report.pk)).exists()


def test_an_organization_admin_cannot_ask_for_a_partial_report():
    agreement = agreement_with_reports()
    with pytest.raises(ReportError):
        request_partial_report(agreement, admin_of(agreement), date(2027, 6, 30), date(2028, 3, 1))
    assert not agreement.reports.filter(kind=Report.Kind.PARTIAL).exists()


# The content


def test_the_report_lists_each_planned_result_and_each_cost_line_of_the_agreement():
    agreement = agreement_with_reports()
    content = working_content(final_report(agreement))
    assert [(r["name"], r["planned"]) for r in content["results"]] == [("Uczestnicy", "40 osób")]
    lines = {line["name"]: line["contract"] for line in content["costs"]["lines"]}
    assert lines == {"Trenerka": "9000.00", "Księgowość": "1000.00"}
    planned = {s["key"]: s["planned"] for s in content["sources"]}
    assert planned == {
        "grant": "9000.00",
        "own_financial": "500.00",
        "own_non_financial": "500.00",
        "other_public": "0.00",
        "fees": "0.00",
    }


def test_an_offer_without_a_results_table_reports_on_its_expected_results():
    agreement = agreement_with_reports()
    agreement.offer.results.all().delete()
    names = [r["name"] for r in working_content(final_report(agreement))["results"]]
    assert len(names) == 3
    assert names[0].startswith("What will come of it")


def test_each_year_of_a_multi_year_task_reports_on_that_years_costs_and_tranche():
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2028, 6, 30))
    agreement.offer.cost_lines.filter(name="Księgowość").update(year=2028)
    agreement.offer.cost_lines.filter(name="Trenerka").update(year=2027)
    Tranche.objects.create(
        agreement=agreement,
        number=1,
        year=2027,
        amount=Decimal("8100.00"),
        planned_on=date(2027, 3, 15),
    )
    Tranche.objects.create(
        agreement=agreement,
        number=2,
        year=2028,
        amount=Decimal("900.00"),
        planned_on=date(2028, 1, 31),
    )
    first, second = agreement.reports.order_by("due")
    first_content, second_content = working_content(first), working_content(second)
    assert [line["name"] for line in first_content["costs"]["lines"]] == ["Trenerka"]
    assert [line["name"] for line in second_content["costs"]["lines"]] == ["Księgowość"]
    assert first_content["sources"][0] == {"key": "grant", "planned": "8100.00", "actual": ""}
    assert second_content["sources"][0]["planned"] == "900.00"


def test_a_draft_can_be_saved_unfinished():
    agreement = agreement_with_reports()
    report = final_report(agreement)
    save_draft(report, member_of(agreement), {"achievements": "Połowa warsztatów za nami."})
    report.refresh_from_db()
    assert report.draft["achievements"] == "Połowa warsztatów za nami."
    assert report.status == Status.DUE
    assert len(report_problems(report)) > 1


def test_a_save_based_on_an_older_draft_is_refused():
    agreement = agreement_with_reports()
    report = final_report(agreement)
    save_draft(report, member_of(agreement), {"achievements": "Pierwsza wersja."})
    with pytest.raises(ReportError, match="Someone else saved"):
        save_draft(report, member_of(agreement), {"achievements": "Druga."}, revision="stale")
    report.refresh_from_db()
    assert report.draft["achievements"] == "Pierwsza wersja."


def test_shares_of_the_sources_are_computed_from_the_amounts():
    agreement = agreement_with_reports()
    report = fill(final_report(agreement), member_of(agreement))
    sources = {s["key"]: s for s in figures(working_content(report))["sources"]}
    assert sources["grant"]["actual"] == Decimal("9000.00")
    assert sources["grant"]["actual_share"] == Decimal("90.00")
    assert sources["own_financial"]["actual_share"] == Decimal("5.00")


# What stops a submission


def test_a_complete_report_has_nothing_to_fix():
    agreement = agreement_with_reports()
    report = fill(final_report(agreement), member_of(agreement))
    assert report_problems(report) == []


def test_a_missing_achieved_value_is_named_at_its_field():
    agreement = agreement_with_reports()
    report = final_report(agreement)
    values = complete_values(report)
    key = next(iter(values["results"]))
    values["results"][key]["achieved"] = ""
    report = save_draft(report, member_of(agreement), values)
    [problem] = report_problems(report)
    assert problem.field == f"result_{key}_achieved"
    assert "Uczestnicy" in problem.message


def test_a_cost_line_more_than_10_percent_above_the_agreement_is_a_problem():
    agreement = agreement_with_reports()
    report = fill(
        final_report(agreement),
        member_of(agreement),
        incurred={"Księgowość": "1100.01", "Trenerka": "8899.99"},
    )
    [problem] = report_problems(report)
    assert problem.field == f"line_{line_key(report, 'Księgowość')}_incurred"
    assert "Księgowość" in problem.message and "10%" in problem.message


def test_a_cost_line_exactly_10_percent_above_the_agreement_is_allowed():
    agreement = agreement_with_reports()
    report = fill(
        final_report(agreement),
        member_of(agreement),
        incurred={"Księgowość": "1100.00", "Trenerka": "8900.00"},
    )
    assert report_problems(report) == []


def test_the_tolerance_of_a_cost_line_is_a_setting(settings):
    settings.REPORT_COST_LINE_TOLERANCE_PERCENT = 20
    agreement = agreement_with_reports()
    report = fill(
        final_report(agreement),
        member_of(agreement),
        incurred={"Księgowość": "1150.00", "Trenerka": "8850.00"},
    )
    assert report_problems(report) == []


def test_a_grant_spent_above_the_grant_awarded_is_a_problem():
    agreement = agreement_with_reports()
    report = fill(
        final_report(agreement),
        member_of(agreement),
        from_grant={"Trenerka": "9000.00", "Księgowość": "900.00"},
        own_financial="100.00",
        own_non_financial="0",
    )
    messages = [p.message for p in report_problems(report)]
    assert messages == [
        "The grant spent, 9,900.00\xa0zł, is more than the grant awarded, 9,000.00\xa0zł."
    ]


def test_a_grant_spent_above_the_tranches_paid_is_a_problem():
    agreement = agreement_with_reports()
    Tranche.objects.create(
        agreement=agreement,
        number=1,
        year=2027,
        amount=Decimal("8000.00"),
        planned_on=date(2027, 3, 1),
        paid_on=date(2027, 3, 5),
    )
    report = fill(final_report(agreement), member_of(agreement))
    messages = [p.message for p in report_problems(report)]
    assert messages == [
        "The grant spent, 9,000.00\xa0zł, is more than the grant paid, 8,000.00\xa0zł."
    ]


def test_sources_that_do_not_add_up_to_the_costs_are_a_problem():
    agreement = agreement_with_reports()
    report = fill(final_report(agreement), member_of(agreement), own_financial="400.00")
    [problem] = report_problems(report)
    assert problem.field == "source_own_financial_actual"
    assert "must be equal" in problem.message


def test_declarations_not_ticked_are_problems():
    agreement = agreement_with_reports()
    report = fill(final_report(agreement), member_of(agreement), declarations=False)
    fields = [p.field for p in report_problems(report)]
    assert fields == [
        "declaration_legal_status",
        "declaration_truth",
        "declaration_personal_data",
    ]


def test_a_report_with_a_problem_cannot_be_submitted():
    agreement = agreement_with_reports()
    report = fill(final_report(agreement), member_of(agreement), declarations=False)
    with pytest.raises(ReportError, match="3 problems to fix"):
        submit_report(report, admin_of(agreement))
    report.refresh_from_db()
    assert report.status == Status.DUE
    assert not report.versions.exists()


# Submission


def test_submitting_freezes_the_content_with_its_sha256_and_tells_the_department():
    agreement = agreement_with_reports()
    report = submitted(agreement)
    assert report.status == Status.SUBMITTED
    assert report.submitted_at == timezone.now()
    version = report.versions.get()
    assert version.number == 1
    assert version.content_sha256 == sha256_of(version.content)
    assert version.content["achievements"] == "40 osób ukończyło warsztaty."
    assert version.content["computed"]["grant_total"] == "9000.00"
    assert version.content["days_late"] == 0
    assert mails("report_submitted").filter(to=official_for(agreement).email).exists()


def test_a_member_who_is_not_an_admin_cannot_submit():
    agreement = agreement_with_reports()
    member = member_of(agreement)
    report = fill(final_report(agreement), member)
    with pytest.raises(ReportError, match="Only an administrator"):
        submit_report(report, member)
    report.refresh_from_db()
    assert report.status == Status.DUE


def test_a_final_report_cannot_be_submitted_before_its_period_ends():
    agreement = agreement_with_reports(starts=date(2028, 1, 2), ends=date(2028, 1, 10))
    report = fill(final_report(agreement), member_of(agreement))
    with pytest.raises(ReportError, match="from 11 January 2028"):
        submit_report(report, admin_of(agreement))
    with time_machine.travel(at(2028, 1, 11, 0, 1), tick=False):
        assert submit_report(report, admin_of(agreement)).status == Status.SUBMITTED


def test_a_report_submitted_after_its_due_date_is_accepted_and_its_lateness_recorded():
    agreement = agreement_with_reports()
    report = fill(final_report(agreement), member_of(agreement))
    with time_machine.travel(at(2028, 2, 2), tick=False):
        report = submit_report(report, admin_of(agreement))
    assert report.status == Status.SUBMITTED
    # Due on Monday 31 January 2028 (30 January is a Sunday).
    assert report.versions.get().content["days_late"] == 2
    assert entries("report.submitted").get().changes["days_late"] == [None, 2]


def test_submitting_is_recorded_in_the_audit_trail():
    agreement = agreement_with_reports()
    report = submitted(agreement)
    entry = entries("report.submitted").get(object_id=str(report.pk))
    assert entry.actor == admin_of(agreement)
    assert entry.changes["status"] == ["due", "submitted"]
    assert entry.changes["report_version"] == [None, 1]


# Review


def test_accepting_a_report_records_it_and_tells_the_admins():
    agreement = agreement_with_reports()
    report = accept_report(submitted(agreement), official_for(agreement))
    assert report.status == Status.ACCEPTED
    assert report.reviewed_by == official_for(agreement)
    assert entries("report.accepted").filter(object_id=str(report.pk)).exists()
    assert mails("report_accepted").filter(to=admin_of(agreement).email).exists()


def test_an_organization_admin_cannot_accept_their_own_report():
    agreement = agreement_with_reports()
    report = submitted(agreement)
    with pytest.raises(ReportError):
        accept_report(report, admin_of(agreement))
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_an_official_who_belongs_to_the_organization_cannot_accept_its_report():
    agreement = agreement_with_reports()
    report = submitted(agreement)
    official = official_for(agreement)
    MembershipFactory(
        organization=agreement.organization, user=official, role=Membership.Role.MEMBER
    )
    with pytest.raises(ReportError):
        accept_report(report, official)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_an_official_of_another_department_cannot_accept_the_report():
    from wspolpraca.city.tests.factories import DepartmentFactory

    agreement = agreement_with_reports()
    report = submitted(agreement)
    with pytest.raises(ReportError):
        accept_report(report, official_for(DepartmentFactory()))
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_returning_a_report_needs_a_reason():
    agreement = agreement_with_reports()
    report = submitted(agreement)
    with pytest.raises(ReportError) as refused:
        return_report(report, official_for(agreement), "  ")
    assert "reason" in refused.value.errors
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_a_returned_report_tells_the_admins_the_reason_and_is_recorded():
    agreement = agreement_with_reports()
    report = return_report(submitted(agreement), official_for(agreement), "Brak list obecności.")
    assert (report.status, report.return_reason) == (Status.RETURNED, "Brak list obecności.")
    mail = mails("report_returned").get(to=admin_of(agreement).email)
    assert "Brak list obecności." in mail.body
    assert entries("report.returned").get().changes["return_reason"] == ["", "Brak list obecności."]


def test_a_returned_report_is_corrected_and_submitted_again_as_a_new_version():
    agreement = agreement_with_reports()
    report = return_report(submitted(agreement), official_for(agreement), "Popraw opis.")
    values = complete_values(report)
    values["achievements"] = "42 osoby ukończyły warsztaty."
    save_draft(report, member_of(agreement), values)
    report = submit_report(report, admin_of(agreement))
    assert report.status == Status.SUBMITTED
    versions = list(report.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["achievements"] == "40 osób ukończyło warsztaty."
    assert versions[1].content["achievements"] == "42 osoby ukończyły warsztaty."


def test_an_accepted_report_cannot_be_edited():
    agreement = agreement_with_reports()
    report = accept_report(submitted(agreement), official_for(agreement))
    with pytest.raises(ReportError, match="accepted and cannot be changed"):
        save_draft(report, member_of(agreement), {"achievements": "Zmiana po fakcie."})
    report.refresh_from_db()
    assert report.draft["achievements"] == "40 osób ukończyło warsztaty."


def test_an_accepted_report_is_corrected_only_after_a_recorded_reopening():
    agreement = agreement_with_reports()
    report = accept_report(submitted(agreement), official_for(agreement))
    report = reopen_report(report, official_for(agreement), "Błąd w kwocie księgowości.")
    assert report.status == Status.RETURNED
    entry = entries("report.reopened").get()
    assert entry.changes["status"] == ["accepted", "returned"]
    assert entry.changes["return_reason"] == ["", "Błąd w kwocie księgowości."]
    save_draft(report, member_of(agreement), complete_values(report))
    assert submit_report(report, admin_of(agreement)).versions.count() == 2


def test_reopening_needs_a_reason():
    agreement = agreement_with_reports()
    report = accept_report(submitted(agreement), official_for(agreement))
    with pytest.raises(ReportError):
        reopen_report(report, official_for(agreement), "")
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED


# Settlement


def accepted(agreement, **answers):
    return accept_report(submitted(agreement, **answers), official_for(agreement))


def test_the_settlement_returns_what_was_paid_and_not_used():
    agreement = agreement_with_reports(amount=Decimal("10000.00"))
    accepted(
        agreement,
        from_grant={"Trenerka": "8400.00", "Księgowość": "800.00"},
        own_financial="300.00",
    )
    numbers = settlement_figures(agreement)
    assert (numbers.used, numbers.paid, numbers.refund) == (
        Decimal("9200.00"),
        Decimal("10000.00"),
        Decimal("800.00"),
    )
    assert numbers.paid_assumed
    settlement = settle(agreement, official_for(agreement))
    assert settlement.grant_used == Decimal("9200.00")
    assert settlement.refund_due == Decimal("800.00")
    assert settlement.refund_due_by == date(2028, 1, 31)  # the task ended on 31 December 2027
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SETTLED


def test_the_settlement_counts_the_tranches_paid_when_any_is_recorded():
    agreement = agreement_with_reports(amount=Decimal("10000.00"))
    Tranche.objects.create(
        agreement=agreement,
        number=1,
        year=2027,
        amount=Decimal("9500.00"),
        planned_on=date(2027, 3, 1),
        paid_on=date(2027, 3, 5),
    )
    accepted(
        agreement,
        from_grant={"Trenerka": "8400.00", "Księgowość": "800.00"},
        own_financial="300.00",
    )
    numbers = settlement_figures(agreement)
    assert (numbers.paid, numbers.refund, numbers.paid_assumed) == (
        Decimal("9500.00"),
        Decimal("300.00"),
        False,
    )


def test_a_task_ending_on_31_december_returns_the_unused_grant_by_31_january():
    agreement = agreement_with_reports(amount=Decimal("10000.00"), ends=date(2027, 12, 31))
    accepted(agreement, own_financial="1000.00", own_non_financial="0")
    settlement = settle(agreement, official_for(agreement))
    assert settlement.refund_due == Decimal("1000.00")
    assert settlement.refund_due_by == date(2028, 1, 31)


def test_the_refund_term_counts_from_the_tasks_end_not_the_settlement():
    assert refund_term(date(2027, 6, 30)) == date(2027, 7, 15)
    assert refund_term(date(2027, 12, 30)) == date(2028, 1, 14)
    assert refund_term(date(2027, 12, 31)) == date(2028, 1, 31)


def test_a_refund_term_on_a_weekend_ends_on_the_next_working_day():
    # 31 January 2027 is a Sunday; 31 July 2027 + 15 days is Sunday 15 August, a holiday.
    assert refund_term(date(2026, 12, 31)) == date(2027, 2, 1)
    assert refund_term(date(2027, 7, 31)) == date(2027, 8, 16)


def test_the_refund_term_is_a_setting(settings):
    settings.REFUND_DAYS = 30
    assert refund_term(date(2027, 6, 30)) == date(2027, 7, 30)


def test_nothing_is_returned_when_the_whole_grant_was_used():
    agreement = agreement_with_reports()
    accepted(agreement)
    settlement = settle(agreement, official_for(agreement))
    assert (settlement.refund_due, settlement.refund_due_by) == (Decimal("0.00"), None)


def test_settling_sends_the_signal_records_it_and_tells_the_organization():
    agreement = agreement_with_reports()
    accepted(agreement)
    received = []

    def receiver(sender, agreement, by, **kwargs):
        received.append((agreement.pk, by))

    agreement_settled.connect(receiver)
    try:
        settle(agreement, official_for(agreement))
    finally:
        agreement_settled.disconnect(receiver)
    assert received == [(agreement.pk, official_for(agreement))]
    entry = entries("agreement.settled").get(object_id=str(agreement.pk))
    assert entry.changes["status"] == ["signed", "settled"]
    assert entry.changes["grant_used"] == [None, "9000.00"]
    assert mails("report_settlement").filter(to=admin_of(agreement).email).exists()


def test_the_grant_is_not_settled_while_a_report_is_not_accepted():
    agreement = agreement_with_reports()
    submitted(agreement)
    with pytest.raises(ReportError, match="is not accepted"):
        settle(agreement, official_for(agreement))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert not Settlement.objects.exists()


def test_an_organization_admin_cannot_settle():
    agreement = agreement_with_reports()
    accepted(agreement)
    with pytest.raises(ReportError):
        settle(agreement, admin_of(agreement))
    assert not Settlement.objects.exists()


def test_a_settled_agreements_reports_are_not_reopened():
    agreement = agreement_with_reports()
    report = accepted(agreement)
    settle(agreement, official_for(agreement))
    with pytest.raises(ReportError, match="settled"):
        reopen_report(report, official_for(agreement), "Korekta.")


def test_the_return_of_the_unused_grant_is_recorded_once():
    agreement = agreement_with_reports(amount=Decimal("10000.00"))
    accepted(agreement, own_financial="1000.00", own_non_financial="0")
    settlement = settle(agreement, official_for(agreement))
    record_refund(settlement, official_for(agreement), date(2028, 1, 10))
    settlement.refresh_from_db()
    assert settlement.refund_paid_on == date(2028, 1, 10)
    assert entries("settlement.refund_recorded").exists()
    with pytest.raises(ReportError, match="already"):
        record_refund(settlement, official_for(agreement), date(2028, 1, 10))


def test_a_person_from_outside_cannot_record_the_return():
    agreement = agreement_with_reports(amount=Decimal("10000.00"))
    accepted(agreement, own_financial="1000.00", own_non_financial="0")
    settlement = settle(agreement, official_for(agreement))
    with pytest.raises(ReportError):
        record_refund(settlement, UserFactory(), date(2028, 1, 10))
    settlement.refresh_from_db()
    assert settlement.refund_paid_on is None


# With agreements signed through their own service


def test_an_agreement_signed_through_the_service_has_its_final_report():
    from .factories import signed_agreement

    agreement = signed_agreement()
    report = final_report(agreement)
    assert (report.period_starts, report.period_ends) == (agreement.starts, agreement.ends)
    assert report.due == agreement.ends + timedelta(days=30)


def test_each_year_of_a_signed_two_year_agreement_plans_that_years_tranche():
    from wspolpraca.competitions.tests.factories import CallFactory

    from .factories import signed_agreement

    call = CallFactory(task_starts=date(2028, 3, 1), task_ends=date(2029, 6, 30))
    agreement = signed_agreement(
        call=call, starts=date(2028, 3, 2), ends=date(2029, 6, 29), cost_years=[2028, 2029]
    )
    first, second = agreement.reports.order_by("due")
    assert (first.period_ends, second.period_starts) == (date(2028, 12, 31), date(2029, 1, 1))
    tranches = {t.year: t.amount for t in agreement.tranches.all()}
    for report, year in [(first, 2028), (second, 2029)]:
        content = working_content(report)
        assert content["sources"][0]["planned"] == f"{tranches[year]:.2f}"
        years = {
            line.year
            for line in agreement.offer.cost_lines.all()
            if line.name in {row["name"] for row in content["costs"]["lines"]}
        }
        assert years == {year}


def test_a_report_not_yet_submitted_follows_new_task_dates_when_scheduled_again():
    agreement = agreement_with_reports(starts=date(2027, 3, 1), ends=date(2027, 12, 31))
    Agreement.objects.filter(pk=agreement.pk).update(ends=date(2028, 3, 31))
    made = schedule_reports(agreement)
    # 30 April 2028 is a Sunday and 1 May a holiday.
    assert [(r.period_starts, r.due) for r in made] == [(date(2028, 1, 1), date(2028, 5, 2))]
    Agreement.objects.filter(pk=agreement.pk).update(ends=date(2027, 11, 30))
    schedule_reports(agreement)
    report = agreement.reports.order_by("due").first()
    assert (report.period_ends, report.due) == (date(2027, 11, 30), date(2027, 12, 30))


def test_reports_follow_an_annex_that_moves_the_end_of_the_task(db):
    from datetime import date

    from wspolpraca.agreements.agreements import add_annex
    from wspolpraca.agreements.tests.factories import official_for, signed_agreement

    agreement = signed_agreement()
    year = agreement.ends.year
    official = official_for(agreement)
    add_annex(agreement, official, "Dłuższe zadanie", ends=date(year + 1, 3, 31))
    assert sorted(agreement.reports.values_list("period_starts__year", flat=True)) == [
        year,
        year + 1,
    ]
    agreement.refresh_from_db()
    add_annex(agreement, official, "Krótsze zadanie", ends=date(year, 12, 31))
    assert list(agreement.reports.values_list("period_starts__year", "due")) == [
        (year, date(year + 1, 1, 30))
    ]
