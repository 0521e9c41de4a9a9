"""The life of a signed agreement (issue 8), at 1366 and at 390 px, with axe on every page
visited. It starts where test_evaluation_walk.py leaves the signing: the foundation's
offer was granted in a decided call of the official's department, the agreement is signed
and its task runs this year.

Each person works in a browser of their own, from a fresh account: the official signs in
for the first time and sets up two-factor sign-in through the real pages; the
foundation's administrator signs in with a password and opens what the e-mails link to.

1. The official opens the agreement and asks for a partial report, through the check
   page; the administrator fills it in and submits it.
2. The official plans a control: a date with too short a notice is refused next to its
   field, the typed values kept; a valid date goes through the check page, and the
   foundation's administrator is e-mailed the notice.
3. The control's day passes. The official gives the findings, the recommendations and
   what the control saw of the task's quality; the administrator reads them on the
   control's page and answers; the official closes the control.
4. The task ends. The administrator submits the final report, 7 650 zł of the 9 000 zł
   grant spent (the existing walk's `fill_the_report`); the official accepts both reports,
   settles the grant with 1 350 zł to return and records the return.
5. The administrator rates the cooperation with the department.
6. The administrator's to-do list is empty; the foundation's public page lists the grant
   (the call, the year, the amount).
7. The official reads the department's ratings (one rating, fewer than
   FEEDBACK_MIN_RATINGS: no number is shown) and enters an evaluation meeting with its
   notes.

Each outcome is asserted on the page and in the database, and the audit trail holds the
control's steps, the reports' acceptance and the settlement (a rating is never in it).

Wording: as in test_evaluation_walk.py, pages are found by the links' addresses (URL
names), forms by their fields' names, and text on the pages is data or a msgid put
through the Polish catalogue (`shown()`).
"""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from e2e.helpers import log_in, visit
from e2e.test_evaluation_walk import (
    GRANTED,
    _fresh_cache,  # noqa: F401 (autouse: TOTP codes are remembered in the cache)
    fill_the_report,
    first_sign_in_with_totp,
    follow,
    money_text,
    my_account,
    press,
    shown,
    window,  # noqa: F401 (a fixture: another person's browser)
)
from e2e.test_staff_signin import new_staff, path_of

CALL_TITLE = "Aktywni seniorzy w dzielnicach"
OFFER_TITLE = "Warsztaty dla seniorów z Podgórza"
GRANT = Decimal("9000.00")
# The costs are 10 000 zł (the factories' "Trenerka" 9 000 zł and "Księgowość" 1 000 zł);
# `fill_the_report` pays 7 650 zł (its GRANTED) of them from the grant, 500 zł from the
# personal contribution, and the rest from the foundation's own money.
SPENT = GRANTED
OWN_FINANCIAL = str(Decimal("10000") - SPENT - Decimal("500"))
REFUND = GRANT - SPENT
SCOPE = "Listy obecności, umowa z trenerką i rachunki za pierwsze półrocze."
QUALITY = "Na zajęciach 18 osób; seniorzy prowadzą część ćwiczeń sami, plan jest zachowany."
FINDINGS = "Brak list obecności z dwóch warsztatów w październiku."
RECOMMENDATIONS = "Uzupełnić listy obecności i przechowywać je przy dokumentacji."
ANSWER = "Listy z października odnalezione i dołączone do dokumentacji."
COMMENT = "Szybsze odpowiedzi na pytania o rozliczenie."
MEETING_NOTES = "Wnioski: krótszy formularz sprawozdania, nabór ogłaszać w styczniu."


def shown_plural(singular, plural, number, **values):
    """A plural string as the pages show it (see `shown`)."""
    with translation.override("pl"):
        return translation.ngettext(singular, plural, number) % values


def label(choice):
    """A status as the pages name it: its label through the Polish catalogue."""
    with translation.override("pl"):
        return str(choice.label)


def report_status_is(page, status):
    """The report's page shows `status` in its facts, and the database holds it."""
    expect(page.locator("main dl.facts")).to_contain_text(capfirst(label(status)))


def control_status_is(page, control, status):
    control.refresh_from_db()
    assert control.status == status
    expect(page.locator("main .summary-list .badge")).to_have_text(label(status))


def day_text(value):
    """A date as the pages write it ("7 grudnia 2026")."""
    with translation.override("pl"):
        return formats.date_format(value, "j E Y")


def mailed_link(mailoutbox, person, url):
    """The one e-mail to `person` with the address `url`; the path a click on it opens."""
    told = [m for m in mailoutbox if person.email in m.to and url in m.body]
    assert len(told) == 1, [(m.to, m.subject) for m in mailoutbox]
    return url


def audit_actions(obj):
    from wspolpraca.core.models import AuditEntry

    return list(AuditEntry.objects.for_object(obj).order_by("pk").values_list("action", flat=True))


# The start: a signed agreement whose task runs this year.


@pytest.fixture
def world(db):
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.agreements.models import Agreement
    from wspolpraca.agreements.reports import schedule_reports
    from wspolpraca.agreements.tests.factories import signed_agreement
    from wspolpraca.city.models import Official
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.competitions.models import Call
    from wspolpraca.competitions.tests.factories import CallFactory
    from wspolpraca.organizations.models import Membership, Organization
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    department = DepartmentFactory(name="Wydział Polityki Społecznej", short_name="WPS")
    official = new_staff(User.Role.OFFICIAL)
    official.full_name = "Maria Urzędnicza"
    official.save(update_fields=["full_name"])
    Official.objects.create(user=official, department=department)
    call = CallFactory(department=department, title=CALL_TITLE)
    foundation = OrganizationFactory(
        name="Fundacja Pod Wawelem",
        kind=Organization.Kind.FOUNDATION,
        verification=Organization.Verification.VERIFIED,
    )
    admin = UserFactory(full_name="Anna Nowak")
    Membership.objects.create(organization=foundation, user=admin, role=Membership.Role.ADMIN)
    agreement = signed_agreement(
        requested=GRANT, call=call, organization=foundation, official=official, title=OFFER_TITLE
    )
    Call.objects.filter(pk=call.pk).update(status=Call.Status.DECIDED, decided_at=timezone.now())
    # The task runs this year (the year of yesterday, so that it can end yesterday in
    # step 4); it was signed before it began. Its final report follows the dates, as
    # after an annex.
    year = (timezone.localdate() - dt.timedelta(days=1)).year
    starts = dt.date(year, 1, 1)
    Agreement.objects.filter(pk=agreement.pk).update(
        starts=starts, ends=dt.date(year, 12, 31), signed_on=starts - dt.timedelta(days=14)
    )
    schedule_reports(agreement)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    return SimpleNamespace(
        department=department,
        official=official,
        call=call,
        foundation=foundation,
        admin=admin,
        agreement=agreement,
        year=year,
        password=PASSWORD,
    )


def detail_url(world):
    return reverse("agreements:detail", args=[world.agreement.pk])


# 1. The partial report.


def the_official_asks_for_a_partial_report(page, world):
    from wspolpraca.agreements.models import Report

    agreement = world.agreement
    first_sign_in_with_totp(page, world.official)
    follow(page, reverse("agreements:list"))
    follow(page, detail_url(world))
    main = page.locator("main")
    expect(main).to_contain_text(agreement.number)
    expect(main).to_contain_text(money_text(GRANT))

    follow(page, reverse("agreements:request_partial_report", args=[agreement.pk]))
    today = timezone.localdate()
    period_ends = max(agreement.starts, today - dt.timedelta(days=30))
    form = page.locator("main form:has(input[name=period_ends])")
    # The earliest due date the law allows is filled in.
    earliest = today + dt.timedelta(days=30)
    expect(form.locator("input[name=due]")).to_have_value(earliest.isoformat())
    form.locator("input[name=period_ends]").fill(period_ends.isoformat())
    press(page, shown("Ask for the report"))
    # Check the request before it is sent: nothing is asked for yet.
    expect(page.locator("main h1")).to_have_text(shown("Check the request before it is sent"))
    assert not Report.objects.filter(agreement=agreement, kind=Report.Kind.PARTIAL).exists()
    press(page, shown("Ask for the report"))
    partial = Report.objects.get(agreement=agreement, kind=Report.Kind.PARTIAL)
    assert path_of(page) == reverse("agreements:report", args=[partial.pk]), page.url
    assert (partial.status, partial.period_ends, partial.due) == (
        Report.Status.DUE,
        period_ends,
        earliest,
    )
    expect(page.locator("main")).to_contain_text(day_text(period_ends))
    report_status_is(page, Report.Status.DUE)
    return partial


def the_foundation_sends_a_report(page, world, report, mailoutbox=None):
    """The administrator fills the report in and submits it, from its page (opened from
    the e-mail when there is one)."""
    from wspolpraca.agreements.models import Report

    report_url = reverse("agreements:report", args=[report.pk])
    if mailoutbox is not None:
        visit(page, mailed_link(mailoutbox, world.admin, report_url))
    else:
        follow(page, report_url)
    follow(page, reverse("agreements:report_edit", args=[report.pk]))
    fill_the_report(page, report, own_financial=OWN_FINANCIAL)
    expect(page.locator("main .error-summary")).to_have_count(0)
    press(page, shown("Submit the report"))
    assert path_of(page) == report_url, page.url
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    report_status_is(page, Report.Status.SUBMITTED)


# 2. The control is planned.


def the_official_plans_a_control(page, world, mailoutbox):
    from wspolpraca.agreements.models import Control

    agreement = world.agreement
    follow(page, detail_url(world))
    follow(page, reverse("agreements:plan_control", args=[agreement.pk]))
    today = timezone.localdate()
    earliest = today + dt.timedelta(days=settings.CONTROL_NOTICE_DAYS)
    too_soon = earliest - dt.timedelta(days=1)
    form = page.locator("main form:has(input[name=planned_on])")
    form.locator("input[name=kind][value=control]").check()
    form.locator("input[name=planned_on]").fill(too_soon.isoformat())
    form.locator("textarea[name=scope]").fill(SCOPE)
    press(page, shown("Continue"))

    # Refused next to the date, with the earliest day; what was typed is kept.
    assert not Control.objects.filter(agreement=agreement).exists()
    expect(page).to_have_title(re.compile("^" + re.escape(shown("Error:"))))
    error = page.locator("#id_planned_on_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(day_text(earliest))
    expect(page.locator(".error-summary a[href='#id_planned_on']")).to_have_count(1)
    form = page.locator("main form:has(input[name=planned_on])")
    expect(form.locator("input[name=kind][value=control]")).to_be_checked()
    expect(form.locator("input[name=planned_on]")).to_have_value(too_soon.isoformat())
    expect(form.locator("textarea[name=scope]")).to_have_value(SCOPE)

    form.locator("input[name=planned_on]").fill(earliest.isoformat())
    press(page, shown("Continue"))
    # Check the notice before it is sent.
    main = page.locator("main")
    expect(main).to_contain_text(day_text(earliest))
    expect(main).to_contain_text(SCOPE)
    assert not Control.objects.filter(agreement=agreement).exists()
    press(page, shown("Plan it and notify the organization"))
    control = Control.objects.get(agreement=agreement)
    control_url = reverse("agreements:control", args=[control.pk])
    assert path_of(page) == control_url, page.url
    assert (control.kind, control.planned_on, control.scope) == (
        Control.Kind.CONTROL,
        earliest,
        SCOPE,
    )
    control_status_is(page, control, Control.Status.PLANNED)
    # The foundation's administrator is told at once, with the control's address.
    mailed_link(mailoutbox, world.admin, control_url)
    return control


# 3. The control: findings, answer, closing.


def the_control_day_passes(control):
    """Time passes: the notice ran its days and the control was carried out yesterday
    (findings can be given only from the planned day)."""
    from wspolpraca.agreements.models import Control

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Control.objects.filter(pk=control.pk).update(
        planned_on=yesterday,
        notice_sent_at=timezone.now() - dt.timedelta(days=settings.CONTROL_NOTICE_DAYS + 1),
    )
    control.refresh_from_db()


def the_official_gives_the_findings(page, world, control):
    from wspolpraca.agreements.models import Control

    control_url = reverse("agreements:control", args=[control.pk])
    visit(page, control_url)
    form = page.locator("main form:has(input[name=carried_out_on])")
    form.locator("input[name=carried_out_on]").fill(control.planned_on.isoformat())
    form.locator("textarea[name=quality]").fill(QUALITY)
    form.locator("textarea[name=findings]").fill(FINDINGS)
    form.locator("textarea[name=recommendations]").fill(RECOMMENDATIONS)
    press(page, shown("Continue"))
    expect(page.locator("main")).to_contain_text(FINDINGS)
    press(page, shown("Send the findings"))
    assert path_of(page) == control_url, page.url
    control_status_is(page, control, Control.Status.DONE)
    assert (control.carried_out_on, control.quality, control.findings) == (
        control.planned_on,
        QUALITY,
        FINDINGS,
    )
    assert control.recommendations == RECOMMENDATIONS


def the_foundation_answers_the_findings(page, world, control, mailoutbox):
    from wspolpraca.agreements.models import Control

    control_url = reverse("agreements:control", args=[control.pk])
    findings_mails = [m for m in mailoutbox if FINDINGS in m.body]
    assert [m.to for m in findings_mails] == [[world.admin.email]], findings_mails
    visit(page, control_url)
    main = page.locator("main")
    for text in (QUALITY, FINDINGS, RECOMMENDATIONS):
        expect(main).to_contain_text(text)
    page.locator("main form textarea[name=answer]").fill(ANSWER)
    press(page, shown("Continue"))
    expect(page.locator("main")).to_contain_text(ANSWER)
    press(page, shown("Send the answer"))
    assert path_of(page) == control_url, page.url
    expect(page.locator("main")).to_contain_text(ANSWER)
    control_status_is(page, control, Control.Status.ANSWERED)
    assert control.answer == ANSWER


def the_official_closes_the_control(page, world, control):
    from wspolpraca.agreements.models import Control

    control_url = reverse("agreements:control", args=[control.pk])
    visit(page, control_url)
    expect(page.locator("main")).to_contain_text(ANSWER)
    follow(page, reverse("agreements:close_control", args=[control.pk]))
    press(page, shown("Close the control"))
    assert path_of(page) == control_url, page.url
    control_status_is(page, control, Control.Status.CLOSED)
    # Nothing more can be given or answered.
    expect(page.locator("main form")).to_have_count(0)
    assert audit_actions(control) == [
        "control.planned",
        "control.findings_given",
        "control.answered",
        "control.closed",
    ]


# 4. The final report, the acceptance and the settlement.


def the_task_ends(agreement):
    """Time passes: the task ended yesterday. Unlike the existing walk's `the_task_ends`,
    which moves every report's period, the final report follows the new end through the
    service (as after an annex), and the partial report keeps its period."""
    from wspolpraca.agreements.models import Agreement, Report
    from wspolpraca.agreements.reports import schedule_reports

    Agreement.objects.filter(pk=agreement.pk).update(
        ends=timezone.localdate() - dt.timedelta(days=1)
    )
    schedule_reports(agreement)
    agreement.refresh_from_db()
    return Report.objects.get(agreement=agreement, kind=Report.Kind.FINAL)


def accept(page, world, report):
    """From the agreement's page: the report, its review, the acceptance; back again."""
    from wspolpraca.agreements.models import Report

    report_url = reverse("agreements:report", args=[report.pk])
    follow(page, report_url)
    follow(page, reverse("agreements:report_review", args=[report.pk]))
    follow(page, reverse("agreements:report_accept", args=[report.pk]))
    press(page, shown("Accept the report"))
    assert path_of(page) == report_url, page.url
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED
    report_status_is(page, Report.Status.ACCEPTED)
    follow(page, detail_url(world))


def the_official_accepts_and_settles(page, world, reports):
    from wspolpraca.agreements.models import Agreement, Settlement
    from wspolpraca.agreements.reports import refund_term

    agreement = world.agreement
    settle_url = reverse("agreements:settle", args=[agreement.pk])
    visit(page, detail_url(world))
    for report in reports:
        accept(page, world, report)

    follow(page, settle_url)
    main = page.locator("main")
    expect(main).to_contain_text(money_text(SPENT))
    expect(main).to_contain_text(money_text(REFUND))
    press(page, shown("Settle the grant"))
    assert path_of(page) == settle_url, page.url
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SETTLED
    settlement = Settlement.objects.get(agreement=agreement)
    today = timezone.localdate()
    assert (settlement.grant_used, settlement.refund_due, settlement.refund_paid_on) == (
        SPENT,
        REFUND,
        None,
    )
    # Counted from the task's end (yesterday), not from the settlement.
    assert settlement.refund_due_by == refund_term(agreement.ends)
    expect(page.locator("main")).to_contain_text(shown("not yet recorded"))

    # The money came back today.
    form = page.locator("main form:has(input[name=paid_on])")
    form.locator("input[name=paid_on]").fill(today.isoformat())
    press(page, shown("Record the return"))
    assert path_of(page) == settle_url, page.url
    settlement.refresh_from_db()
    assert settlement.refund_paid_on == today
    expect(page.locator("main")).to_contain_text(day_text(today))
    expect(page.locator("main form")).to_have_count(0)

    for report in reports:
        assert "report.accepted" in audit_actions(report), audit_actions(report)
    assert "agreement.settled" in audit_actions(agreement), audit_actions(agreement)
    assert audit_actions(settlement) == ["settlement.refund_recorded"]


# 5. The rating.


def the_foundation_rates_the_cooperation(page, world, mailoutbox):
    from wspolpraca.agreements.models import Agreement, CooperationRating

    rate_url = reverse("agreements:rate", args=[world.agreement.pk])
    visit(page, mailed_link(mailoutbox, world.admin, rate_url))
    form = page.locator("main form:has(input[name=availability])")
    for question, points in [("availability", 5), ("clarity", 4), ("timeliness", 3)]:
        form.locator(f"input[name={question}][value='{points}']").check()
    form.locator("input[name=flexibility][value='4']").check()
    form.locator("textarea[name=comment]").fill(COMMENT)
    press(page, shown("Send the rating"))
    assert path_of(page) == detail_url(world), page.url
    rating = CooperationRating.objects.get(agreement=world.agreement)
    assert (rating.availability, rating.clarity, rating.timeliness, rating.flexibility) == (
        5,
        4,
        3,
        4,
    )
    assert (rating.department, rating.year, rating.comment) == (
        world.department,
        world.year,
        COMMENT,
    )
    expect(page.locator(f'main a[href="{rate_url}"]')).to_have_count(0)
    expect(page.locator("main .agreement-status")).to_have_text(
        capfirst(label(Agreement.Status.SETTLED))
    )
    # Anonymous: no audit entry names who rated how.
    assert audit_actions(rating) == []


# 6. The organization's record.


def the_foundation_sees_its_record(page, world):
    from wspolpraca.agreements.models import Agreement

    my_account(page)
    follow(page, reverse("agreements:obligations"))
    main = page.locator("main")
    expect(main).to_contain_text(
        shown("Nothing is waiting: the city has not asked your organizations for anything now.")
    )
    expect(main.locator(".cards h2 a")).to_have_count(0)

    page.go_back()
    follow(page, world.foundation.get_absolute_url())
    grants = page.locator("main section:has(#grants-heading)")
    row = grants.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(
        row.locator(f'a[href="{reverse("competitions:call", args=[world.call.pk])}"]')
    ).to_have_text(CALL_TITLE)
    expect(row.locator("td").nth(1)).to_have_text(str(world.year))
    expect(row).to_contain_text(money_text(GRANT))
    expect(row.locator("td").nth(3)).to_have_text(label(Agreement.Status.SETTLED))
    expect(row).to_contain_text(shown_plural("%(n)s accepted", "%(n)s accepted", 2, n=2))
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.SETTLED


# 7. The department's ratings and the evaluation meeting.


def the_official_reads_the_ratings_and_enters_a_meeting(page, world):
    from wspolpraca.agreements.models import EvaluationMeeting
    from wspolpraca.organizations.models import PublicBenefitArea

    minimum = settings.FEEDBACK_MIN_RATINGS
    assert minimum > 1, "one rating must stay below the minimum"
    visit(page, reverse("agreements:department_ratings"))
    main = page.locator("main")
    row = main.locator("table tbody tr").filter(has_text=world.department.name)
    expect(row).to_have_count(1)
    # Below the minimum: one cell that says so, no average and no count.
    cells = row.locator("td")
    expect(cells).to_have_count(1)
    expect(cells).to_have_text(
        shown_plural(
            "fewer than %(minimum)s rating",
            "fewer than %(minimum)s ratings",
            minimum,
            minimum=minimum,
        )
    )
    assert not re.search(r"\d", row.locator("th").inner_text())
    # The comments are pooled once there are enough: this one is not shown yet.
    expect(main).not_to_contain_text(COMMENT)

    meetings_url = reverse("agreements:evaluation_meetings")
    follow(page, meetings_url)
    follow(page, reverse("agreements:add_evaluation_meeting"))
    area = PublicBenefitArea.objects.current().order_by("position", "code").first()
    held_at = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0)
    held_at -= dt.timedelta(days=3)
    form = page.locator("main form:has(input[name=place])")
    form.locator("select[name=area]").select_option(str(area.pk))
    form.locator("input[name=year]").fill(str(world.year))
    form.locator("input[name=held_at]").fill(held_at.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=place]").fill("Urząd Miasta, sala 101")
    form.locator("textarea[name=notes]").fill(MEETING_NOTES)
    press(page, shown("List the meeting"))
    assert path_of(page) == meetings_url, page.url
    meeting = EvaluationMeeting.objects.get()
    assert (meeting.department, meeting.area, meeting.year, meeting.notes) == (
        world.department,
        area,
        world.year,
        MEETING_NOTES,
    )
    assert meeting.held_at == held_at
    listed = page.locator(f"#spotkanie-{meeting.pk}")
    expect(listed).to_contain_text(area.short_label)
    expect(listed).to_contain_text(MEETING_NOTES)
    assert audit_actions(meeting) == ["evaluation_meeting.added"]


@pytest.mark.both_widths
def test_a_signed_agreement_is_controlled_reported_settled_and_rated(
    page,
    window,  # noqa: F811 (the fixture imported above)
    world,
    mailoutbox,
):
    partial = the_official_asks_for_a_partial_report(page, world)
    admin_page = window()
    log_in(admin_page, world.admin.email, world.password)
    the_foundation_sends_a_report(admin_page, world, partial, mailoutbox)

    control = the_official_plans_a_control(page, world, mailoutbox)
    the_control_day_passes(control)
    the_official_gives_the_findings(page, world, control)
    the_foundation_answers_the_findings(admin_page, world, control, mailoutbox)
    the_official_closes_the_control(page, world, control)

    final = the_task_ends(world.agreement)
    visit(admin_page, detail_url(world))
    the_foundation_sends_a_report(admin_page, world, final)
    the_official_accepts_and_settles(page, world, [partial, final])

    the_foundation_rates_the_cooperation(admin_page, world, mailoutbox)
    the_foundation_sees_its_record(admin_page, world)
    the_official_reads_the_ratings_and_enters_a_meeting(page, world)
