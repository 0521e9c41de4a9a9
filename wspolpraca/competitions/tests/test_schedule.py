"""The yearly schedule of calls: its rules, its public page, CSV and iCal, and who may
change it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conftest import login
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.city.models import Official
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.models import LegalRules, PlannedCall
from wspolpraca.competitions.services import check_planned_dates
from wspolpraca.core import feed
from wspolpraca.organizations.models import PublicBenefitArea

from .factories import CallScheduleFactory, PlannedCallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def culture():
    return PublicBenefitArea.objects.get(code="16")


@pytest.fixture
def schedule():
    return CallScheduleFactory(year=2027)


# The rules


def test_a_deadline_at_the_legal_minimum_after_the_announcement_is_accepted(schedule):
    assert check_planned_dates(schedule, date(2027, 2, 1), date(2027, 2, 22)) == {}


def test_a_deadline_a_day_short_is_refused_naming_the_earliest_date(schedule):
    errors = check_planned_dates(schedule, date(2027, 2, 1), date(2027, 2, 21))
    assert "22 lutego 2027" in errors["planned_deadline"]
    assert "21" in errors["planned_deadline"]


def test_the_minimum_follows_the_legal_rules_row(schedule):
    rules = LegalRules.current()
    rules.min_days_to_deadline = 30
    rules.save()
    errors = check_planned_dates(schedule, date(2027, 2, 1), date(2027, 2, 22))
    assert "3 marca 2027" in errors["planned_deadline"]


def test_an_announcement_in_the_year_before_is_allowed_and_counted_as_early(schedule):
    planned = PlannedCallFactory(
        schedule=schedule, planned_announcement=date(2026, 12, 1), planned_deadline=date(2027, 1, 4)
    )
    planned.full_clean()
    assert planned.announced_before_the_year


def test_an_announcement_two_years_early_is_refused(schedule):
    errors = check_planned_dates(schedule, date(2025, 12, 1), date(2027, 1, 10))
    assert "planned_announcement" in errors


def test_a_deadline_outside_the_year_is_refused(schedule):
    errors = check_planned_dates(schedule, date(2027, 12, 1), date(2028, 1, 10))
    assert "planned_deadline" in errors


def test_the_model_refuses_a_short_deadline_next_to_the_field(schedule):
    planned = PlannedCallFactory.build(
        schedule=schedule,
        department=DepartmentFactory(),
        planned_announcement=date(2027, 5, 1),
        planned_deadline=date(2027, 5, 10),
    )
    with pytest.raises(ValidationError) as error:
        planned.full_clean()
    assert set(error.value.message_dict) == {"planned_deadline"}


# The public page


def test_the_page_lists_the_years_calls_with_the_total_and_the_early_ones(client, schedule):
    PlannedCallFactory(schedule=schedule, title="Kultura latem", planned_amount=Decimal("120000"))
    PlannedCallFactory(
        schedule=schedule,
        title="Sport zimą",
        planned_amount=Decimal("30000.50"),
        planned_announcement=date(2026, 11, 20),
        planned_deadline=date(2027, 1, 8),
    )
    response = client.get(reverse("competitions:schedule", args=[2027]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kultura latem" in html and "Sport zimą" in html
    assert "150\xa0000,50\xa0zł" in html
    assert response.context["totals"]["early"] == 1


def test_filters_keep_the_calls_of_one_department_area_and_mode(client, schedule, culture):
    mine = DepartmentFactory(name="Wydział Kultury")
    PlannedCallFactory(schedule=schedule, department=mine, title="Teatr", areas=[culture])
    PlannedCallFactory(schedule=schedule, department=mine, title="Bez sfery")
    PlannedCallFactory(schedule=schedule, title="Inny wydział", areas=[culture])
    PlannedCallFactory(
        schedule=schedule,
        department=mine,
        title="Powierzenie",
        areas=[culture],
        funding_mode="entrustment",
    )
    url = reverse("competitions:schedule", args=[2027])
    response = client.get(url, {"department": mine.pk, "area": "16", "mode": "support"})
    assert [p.title for p in response.context["planned"]] == ["Teatr"]


def test_an_unpublished_schedule_is_not_shown(client):
    CallScheduleFactory(year=2028, published_at=None)
    assert client.get(reverse("competitions:schedule", args=[2028])).status_code == 404


def test_the_schedule_address_leads_to_this_years_or_the_latest(client):
    CallScheduleFactory(year=2027)
    response = client.get(reverse("competitions:schedule_latest"))
    assert response.status_code == 302
    assert response["Location"] == reverse("competitions:schedule", args=[2027])


@pytest.mark.parametrize("count", [2, 20])
def test_the_page_makes_the_same_queries_whatever_the_schedule_holds(
    client, schedule, culture, django_assert_max_num_queries, count
):
    for _n in range(count):
        PlannedCallFactory(schedule=schedule, areas=[culture])
    # when the data last changed, the schedule, the selects' options (departments, areas),
    # the totals, the calls, their areas, the years, the legal rules
    with django_assert_max_num_queries(9):
        client.get(reverse("competitions:schedule", args=[2027]))


def test_the_csv_holds_the_filtered_calls(client, schedule, culture):
    PlannedCallFactory(schedule=schedule, title="Teatr", areas=[culture])
    PlannedCallFactory(schedule=schedule, title="Sport")
    response = client.get(reverse("competitions:schedule_csv", args=[2027]), {"area": "16"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Teatr" in text and "Sport" not in text
    assert "2027-02-01" in text


def test_the_ical_feed_has_each_announcement_and_deadline(client, schedule):
    planned = PlannedCallFactory(schedule=schedule, title="Teatr")
    response = client.get(reverse("competitions:schedule_ical", args=[2027]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    days = sorted(e.decoded("dtstart") for e in events)
    assert days == [planned.planned_announcement, planned.planned_deadline]
    assert all("Teatr" in str(e["summary"]) for e in events)


def test_script_typed_in_a_title_is_shown_as_text(client, schedule):
    PlannedCallFactory(schedule=schedule, title='<script>alert("x")</script>')
    html = client.get(reverse("competitions:schedule", args=[2027])).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


# The feed


def test_planned_announcements_of_published_schedules_are_in_the_feed(schedule):
    PlannedCallFactory(schedule=schedule, title="Teatr", planned_announcement=date(2027, 2, 1))
    PlannedCallFactory(
        schedule=CallScheduleFactory(year=2028, published_at=None),
        title="Jeszcze nie",
        planned_announcement=date(2027, 2, 1),
        planned_deadline=date(2028, 3, 1),
    )
    start = timezone.make_aware(timezone.datetime(2027, 1, 1))
    items = feed.items(start, start + timedelta(days=60), kinds={"planned_call"})
    assert [i.title for i in items] == ["Zaplanowany konkurs: Teatr"]


# Who may change it (the back office)


def staff(role, department=None):
    from conftest import with_totp
    from wspolpraca.accounts.tests.factories import UserFactory

    sync_role_groups()
    user = with_totp(UserFactory(role=role))
    apply_role(user)
    if department:
        Official.objects.create(user=user, department=department)
    return User.objects.get(pk=user.pk)


def test_an_official_cannot_change_another_departments_planned_call(client, schedule):
    mine, theirs = DepartmentFactory(), DepartmentFactory()
    other = PlannedCallFactory(schedule=schedule, department=theirs, title="Cudze")
    login(client, staff(User.Role.OFFICIAL, mine))
    url = reverse("admin:competitions_plannedcall_change", args=[other.pk])
    response = client.post(url, {"title": "Przejęte", "department": mine.pk})
    assert response.status_code == 403
    assert PlannedCall.objects.get(pk=other.pk).title == "Cudze"


def test_an_official_cannot_delete_another_departments_planned_call(client, schedule):
    mine, theirs = DepartmentFactory(), DepartmentFactory()
    other = PlannedCallFactory(schedule=schedule, department=theirs)
    login(client, staff(User.Role.OFFICIAL, mine))
    url = reverse("admin:competitions_plannedcall_delete", args=[other.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert PlannedCall.objects.filter(pk=other.pk).exists()


def add_planned_call(client, schedule, department, area, **changes):
    """Post the back office's "add planned call" form (valid unless `changes` say not)."""
    data = {
        "schedule": schedule.pk,
        "department": department.pk,
        "title": "Nowy konkurs",
        "areas": [area.pk],
        "funding_mode": "support",
        "planned_announcement": "2027-02-01",
        "planned_deadline": "2027-03-01",
        "planned_amount": "1000",
        **changes,
    }
    return client.post(reverse("admin:competitions_plannedcall_add"), data, follow=True)


def test_an_official_adds_a_planned_call_only_for_their_department(client, schedule, culture):
    mine, theirs = DepartmentFactory(), DepartmentFactory()
    login(client, staff(User.Role.OFFICIAL, mine))
    response = add_planned_call(client, schedule, theirs, culture, title="Nie moje")
    # The form again, with the error at the department.
    assert "department" in response.context["adminform"].form.errors
    assert not PlannedCall.objects.exists()
    add_planned_call(client, schedule, mine, culture, title="Moje")
    assert PlannedCall.objects.get().department == mine


def test_the_back_office_shows_the_earliest_deadline_next_to_the_field(client, schedule, culture):
    mine = DepartmentFactory()
    login(client, staff(User.Role.OFFICIAL, mine))
    response = add_planned_call(
        client, schedule, mine, culture, title="Za krótko", planned_deadline="2027-02-10"
    )
    errors = response.context["adminform"].form.errors
    assert "22 lutego 2027" in errors["planned_deadline"][0]
    assert 'value="Za krótko"' in response.content.decode()


def test_a_staff_account_without_a_department_cannot_add_planned_calls(client, schedule):
    login(client, staff(User.Role.OFFICIAL))
    assert client.get(reverse("admin:competitions_plannedcall_add")).status_code == 403


def test_a_resident_cannot_open_the_schedule_in_the_back_office(client, schedule):
    from wspolpraca.accounts.tests.factories import UserFactory

    login(client, UserFactory())
    response = client.get(reverse("admin:competitions_plannedcall_changelist"))
    assert response.status_code == 302  # to the sign-in: the back office is staff only


def test_only_platform_admins_change_the_legal_rules(client):
    login(client, staff(User.Role.COORDINATOR, DepartmentFactory()))
    url = reverse("admin:competitions_legalrules_change", args=[1])
    response = client.post(url, {"min_days_to_deadline": 5})
    assert response.status_code == 403
    assert LegalRules.current().min_days_to_deadline == 21


def test_publishing_a_schedule_is_recorded_in_the_audit_trail(client):
    from wspolpraca.core.models import AuditEntry

    draft = CallScheduleFactory(year=2029, published_at=None)
    login(client, staff(User.Role.COORDINATOR, DepartmentFactory()))
    client.post(
        reverse("admin:competitions_callschedule_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_published
    assert AuditEntry.objects.filter(action="call_schedule.published").exists()


def test_a_deadline_on_a_holiday_is_saved_with_a_warning(client, schedule, culture):
    mine = DepartmentFactory()
    login(client, staff(User.Role.OFFICIAL, mine))
    response = add_planned_call(
        client, schedule, mine, culture, title="Po Wielkanocy", planned_deadline="2027-03-29"
    )
    assert PlannedCall.objects.filter(title="Po Wielkanocy").exists()
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert any("Poniedziałek Wielkanocny" in w for w in warnings)
