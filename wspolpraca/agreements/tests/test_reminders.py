"""Reminders of reports (II10): before the due date, then while the report is late, never
the same one twice, only for reports still to be submitted or corrected."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from wspolpraca.core import jobs
from wspolpraca.core.models import OutgoingEmail

from .. import reports
from ..models import Agreement, Report
from ..reports import send_report_reminders
from .report_factories import admin_of, agreement_with_reports, final_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TEMPLATE = "agreements/email/report_reminder.txt"
DUE = date(2028, 1, 31)  # the report on 2027-03-01 – 2027-12-31 (30 January is a Sunday)


@pytest.fixture
def report():
    report = final_report(agreement_with_reports())
    assert report.due == DUE
    return report


def reminders():
    return OutgoingEmail.objects.filter(template=TEMPLATE)


def run(day):
    return send_report_reminders(today=day)


def sent_codes(report):
    report.refresh_from_db()
    return report.reminders_sent


def test_no_reminder_15_days_before_the_due_date(report):
    assert run(DUE - timedelta(days=15)) == 0
    assert not reminders().exists()


def test_a_reminder_goes_to_the_admins_exactly_14_days_before_the_due_date(report):
    assert run(DUE - timedelta(days=14)) == 1
    mail = reminders().get()
    assert mail.to == admin_of(report.agreement).email
    # In the admin's language (Polish by default), the period's dates too.
    assert "upływa za 14 dni" in mail.body
    assert "1 marca 2027" in mail.body
    assert sent_codes(report) == ["before-14"]


def test_a_reminder_goes_exactly_3_days_before_the_due_date(report):
    run(DUE - timedelta(days=14))
    assert run(DUE - timedelta(days=4)) == 0
    assert run(DUE - timedelta(days=3)) == 1
    assert sent_codes(report) == ["before-14", "before-3"]


def test_no_overdue_reminder_on_the_due_date(report):
    run(DUE - timedelta(days=14))
    run(DUE - timedelta(days=3))
    assert run(DUE) == 0
    assert reminders().count() == 2


def test_an_overdue_reminder_goes_on_the_first_day_after_the_due_date(report):
    run(DUE - timedelta(days=3))
    assert run(DUE + timedelta(days=1)) == 1
    assert sent_codes(report)[-1] == "after-1"
    late = reminders().order_by("-pk").first()
    assert "jest opóźnione o 1 dzień" in late.body
    assert "Minął termin" in late.subject


def test_overdue_reminders_repeat_every_7_days_while_the_report_is_late(report):
    run(DUE - timedelta(days=3))
    sent_on = [offset for offset in range(1, 23) if run(DUE + timedelta(days=offset))]
    assert sent_on == [1, 8, 15, 22]
    assert sent_codes(report) == ["before-3", "after-1", "after-8", "after-15", "after-22"]


def test_the_overdue_interval_is_a_setting(settings, report):
    settings.REPORT_OVERDUE_REMINDER_EVERY_DAYS = 3
    run(DUE - timedelta(days=3))
    sent_on = [offset for offset in range(1, 8) if run(DUE + timedelta(days=offset))]
    assert sent_on == [1, 4, 7]


def test_the_days_before_are_a_setting(settings, report):
    settings.REPORT_REMINDER_DAYS_BEFORE = (7,)
    assert run(DUE - timedelta(days=14)) == 0
    assert run(DUE - timedelta(days=7)) == 1
    assert sent_codes(report) == ["before-7"]


def test_no_reminder_goes_twice_when_the_job_runs_again_the_same_day(report):
    assert run(DUE - timedelta(days=14)) == 1
    assert run(DUE - timedelta(days=14)) == 0
    assert reminders().count() == 1


def test_a_day_the_job_did_not_run_is_made_up_once(report):
    assert run(DUE - timedelta(days=10)) == 1
    assert run(DUE - timedelta(days=9)) == 0
    assert sent_codes(report) == ["before-14"]


def test_no_reminder_for_an_accepted_report(report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED)
    assert run(DUE - timedelta(days=14)) == 0
    assert run(DUE + timedelta(days=1)) == 0
    assert not reminders().exists()


def test_no_reminder_for_a_submitted_report(report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    assert run(DUE + timedelta(days=1)) == 0


def test_a_report_returned_for_correction_is_reminded(report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RETURNED)
    assert run(DUE + timedelta(days=1)) == 1
    assert "Wydział zwrócił je do poprawy." in reminders().get().body


def test_no_reminder_for_an_agreement_no_longer_in_force(report):
    Agreement.objects.filter(pk=report.agreement_id).update(status=Agreement.Status.TERMINATED)
    assert run(DUE + timedelta(days=1)) == 0


def test_the_reminders_run_as_a_daily_job(report):
    assert reports.send_report_reminders_task in jobs._daily
    with time_machine.travel(datetime(2028, 1, 17, 6, tzinfo=ZoneInfo("Europe/Warsaw"))):
        result = reports.send_report_reminders_task.enqueue()
    assert result.return_value == {"sent": 1}
    assert sent_codes(report) == ["before-14"]
