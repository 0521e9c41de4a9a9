"""Signed agreements with their reports, and reports filled in, for the tests of reports,
reminders and the settlement.

    agreement = agreement_with_reports()           # 2027-03-01 – 2027-12-31, 9 000,00 zł
    report = agreement.reports.get()
    fill(report, member)                           # a complete report (nothing to fix)
    submit_report(report, admin_of(agreement))

The agreement is a row on a submitted offer (the offers' `complete_offer`: costs of
10 000,00 zł — "Trenerka" 9 000,00 zł for one action and "Księgowość" 1 000,00 zł of
administrative costs —, 9 000,00 zł asked, 500,00 zł own financial and 500,00 zł
personal contribution, a results table of one row "Uczestnicy", 40 osób). The tests run
at a fixed moment (`at`), after the 2027 period and before its report is due.
"""

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

from wspolpraca.city.models import Official
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.evaluations.tests.factories import official_of, org_admin_of, submitted_offer
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

from ..models import Agreement, Report
from ..reports import working_content

WARSAW = ZoneInfo("Europe/Warsaw")
_numbers = count(1)


def at(year, month, day, hour=12, minute=0):
    """A moment in Kraków's time, for time_machine."""
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


def official_for(agreement_or_department):
    """An official (with TOTP) of the agreement's or the given department: the first one,
    or a new one."""
    department = getattr(agreement_or_department, "department", agreement_or_department)
    official = Official.objects.filter(department=department).select_related("user").first()
    return official.user if official else official_of(department)


def admin_of(agreement):
    """An admin of the agreement's organization: the first one (who submitted the offer)."""
    membership = (
        Membership.objects.filter(organization=agreement.organization, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else org_admin_of(agreement.organization)


def agreement_with_reports(
    *,
    starts=date(2027, 3, 1),
    ends=date(2027, 12, 31),
    amount=Decimal("9000.00"),
    status=Agreement.Status.SIGNED,
    schedule=True,
    organization=None,
):
    """A signed agreement (a row, no PDF) with its final reports scheduled."""
    from ..reports import schedule_reports

    call = CallFactory()
    offer = submitted_offer(call, organization=organization)
    official = official_for(call.department)
    agreement = Agreement.objects.create(
        offer=offer,
        organization=offer.organization,
        department=call.department,
        number=f"UM/R/{next(_numbers):05d}",
        status=status,
        amount=amount,
        starts=starts,
        ends=ends,
        signed_on=starts - dt.timedelta(days=10),
        signed_by=official,
        created_by=official,
    )
    if schedule:
        schedule_reports(agreement, official)
    return agreement


def member_of(agreement):
    """A member (not an admin) of the agreement's organization."""
    return MembershipFactory(organization=agreement.organization, role=Membership.Role.MEMBER).user


def line_key(report, name):
    """The key of the cost line called `name` in the report."""
    lines = working_content(report)["costs"]["lines"]
    return next(line["key"] for line in lines if line["name"] == name)


def complete_values(
    report,
    *,
    incurred=None,
    from_grant=None,
    own_financial="500.00",
    own_non_financial="500.00",
    other_public="0",
    fees="0",
    declarations=True,
):
    """Answers to every question of `report` that leave nothing to fix: each cost line
    incurred as in the agreement and 90% of it from the grant, unless `incurred` or
    `from_grant` ({line name: amount}) say otherwise."""
    content = working_content(report)
    incurred = incurred or {}
    from_grant = from_grant or {}
    lines = {}
    for line in content["costs"]["lines"]:
        spent = Decimal(incurred.get(line["name"], line["contract"]))
        grant = Decimal(from_grant.get(line["name"], spent * Decimal("0.9")))
        lines[line["key"]] = {"incurred": f"{spent:.2f}", "from_grant": f"{grant:.2f}"}
    return {
        "achievements": "40 osób ukończyło warsztaty.",
        "actions": "Warsztaty odbywały się co tydzień.",
        "other_income": "",
        "fees_info": "Nie pobierano opłat.",
        "additional_info": "",
        "results": {
            row["key"]: {"achieved": "42 osoby", "comment": ""} for row in content["results"]
        },
        "lines": lines,
        "sources": {
            "own_financial": {"actual": own_financial},
            "own_non_financial": {"actual": own_non_financial},
            "other_public": {"actual": other_public},
            "fees": {"actual": fees},
        },
        "declarations": {
            "legal_status": declarations,
            "truth": declarations,
            "personal_data": declarations,
        },
    }


def fill(report, by, **answers):
    """Save a complete report (see complete_values) as `by`; returns the report."""
    from ..reports import save_draft

    return save_draft(report, by, complete_values(report, **answers))


def final_report(agreement):
    return agreement.reports.get(kind=Report.Kind.FINAL)
