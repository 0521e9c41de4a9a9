"""The schedule of calls in a browser: a visitor finds it from the public-tasks plane and
filters it; an official signing in for the first time sets up two-factor sign-in, plans a
call for their department in the back office, is told the earliest allowed deadline, fixes
it and sees it saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, submit, visit
from e2e.test_staff_signin import (
    fill_and_submit,
    new_staff,
    path_of,
    session_of,
    sign_in_with_password,
    totp_code,
)


@pytest.fixture
def schedule(db):
    from django.utils import timezone

    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.competitions.models import CallSchedule, PlannedCall
    from wspolpraca.organizations.models import PublicBenefitArea

    culture = DepartmentFactory(name="Wydział Kultury")
    sport = DepartmentFactory(name="Wydział Sportu")
    year = timezone.localdate().year
    plan = CallSchedule.objects.create(year=year, published_at=timezone.now())
    theatre = PlannedCall.objects.create(
        schedule=plan,
        department=culture,
        title="Teatr w dzielnicach",
        planned_announcement=date(year, 3, 1),
        planned_deadline=date(year, 4, 1),
        planned_amount=Decimal("120000"),
    )
    theatre.areas.set([PublicBenefitArea.objects.get(code="16")])
    PlannedCall.objects.create(
        schedule=plan,
        department=sport,
        title="Sport dla dzieci",
        planned_announcement=date(year, 2, 1),
        planned_deadline=date(year, 3, 1),
        planned_amount=Decimal("300000"),
    )
    return plan, culture


@pytest.mark.both_widths
def test_a_visitor_finds_the_schedule_and_filters_it_by_department(page, schedule):
    plan, culture = schedule
    visit(page, reverse("pages:plane", args=["zadania-publiczne"]))
    page.get_by_role("link", name="Harmonogram konkursów").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(plan.year))
    expect(page.locator("#schedule-summary")).to_contain_text("2 planowane konkursy")
    check_a11y(page)
    page.get_by_label("Wydział").select_option(label=str(culture))
    page.get_by_role("button", name="Pokaż").click()
    expect(page.locator("#schedule-summary")).to_contain_text("1 planowany konkurs")
    expect(page.get_by_role("heading", name="Teatr w dzielnicach")).to_be_visible()
    expect(page.get_by_role("heading", name="Sport dla dzieci")).to_have_count(0)
    check_a11y(page)
    csv_link = page.get_by_role("link", name="Pobierz jako CSV")
    assert f"department={culture.pk}" in csv_link.get_attribute("href")


def test_an_official_plans_a_call_and_is_told_the_earliest_deadline(page, schedule):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    from wspolpraca.accounts.models import User
    from wspolpraca.city.models import Official
    from wspolpraca.competitions.models import PlannedCall

    plan, culture = schedule
    # A new staff account, given its department by a platform administrator.
    official = new_staff(User.Role.OFFICIAL)
    Official.objects.create(user=official, department=culture)

    # First sign-in: the official sets up two-factor sign-in, then opens the back office.
    sign_in_with_password(page, official.email)
    assert path_of(page) == reverse("mfa_activate_totp"), f"not sent to set up TOTP: {page.url}"
    fill_and_submit(page, {"code": totp_code(session_of(page)[SECRET_SESSION_KEY])})

    visit(page, reverse("admin:competitions_plannedcall_add"))
    form = page.locator("#plannedcall_form")
    form.locator("#id_schedule").select_option(label=str(plan))
    form.locator("#id_title").fill("Festiwal podwórek")
    form.get_by_label("Kultura", exact=True).check()
    form.locator("#id_planned_announcement").fill(f"05.05.{plan.year}")
    form.locator("#id_planned_deadline").fill(f"10.05.{plan.year}")
    form.locator("#id_planned_amount").fill("40000")
    submit(form)
    error = page.locator(".field-planned_deadline .errorlist")
    expect(error).to_contain_text(f"26 maja {plan.year}")
    expect(form.locator("#id_title")).to_have_value("Festiwal podwórek")
    form.locator("#id_planned_deadline").fill(f"26.05.{plan.year}")
    submit(form)
    saved = PlannedCall.objects.get(title="Festiwal podwórek")
    assert saved.department == culture
    check_a11y(page)
