"""The "to do" page: what the city asked of a person's organizations, soonest first, in a
constant number of queries, and nothing of other organizations."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.agreements.models import Agreement, BudgetUpdate, Control, Report
from wspolpraca.agreements.obligations import obligations_for
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .control_factories import (
    admin_for,
    agreement_for,
    control_for,
    correction_for,
    report_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _days(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def agreement():
    return agreement_for()


def test_lists_a_due_report_an_open_correction_and_a_control_to_answer_soonest_first(agreement):
    admin = admin_for(agreement)
    report = report_for(agreement, due=_days(20))
    # Findings given 10 days ago: the answer is asked for within 14 days, in 4 days.
    control = control_for(agreement, status=Control.Status.DONE, planned_on=_days(-10))
    # Another offer of the same organization waits for a formal correction in 2 days.
    offer = agreement_for(CallFactory(), organization=agreement.organization).offer
    correction = correction_for(offer, due=timezone.now() + dt.timedelta(days=2))

    found = obligations_for(admin)

    assert [(o.kind, o.url) for o in found] == [
        ("correction", reverse("evaluations:correction", args=[correction.pk])),
        ("control_answer", reverse("agreements:control", args=[control.pk])),
        ("report", reverse("agreements:report", args=[report.pk])),
    ]
    assert found[1].due == _days(4)
    assert all(o.may_act and o.organization == agreement.organization for o in found)


def test_nothing_from_another_organization(agreement):
    other = agreement_for()
    report_for(other)
    control_for(other, status=Control.Status.DONE)
    correction_for(other.offer)
    report = report_for(agreement)

    found = obligations_for(admin_for(agreement))

    assert [o.url for o in found] == [reverse("agreements:report", args=[report.pk])]


def test_lists_control_notices_budgets_returned_reports_and_ratings(agreement):
    admin = admin_for(agreement)
    organization = agreement.organization
    control_for(agreement, planned_on=_days(8))
    control_for(agreement, planned_on=_days(-1))  # the visit passed: nothing to prepare
    returned = report_for(agreement, status=Report.Status.RETURNED, due=_days(-2))
    report_for(agreement, status=Report.Status.ACCEPTED)
    budget = agreement_for(organization=organization, status=Agreement.Status.BUDGET_UPDATE)
    settled = agreement_for(organization=organization, status=Agreement.Status.SETTLED)

    found = {o.kind: o for o in obligations_for(admin)}

    assert set(found) == {"control_notice", "report", "budget", "rating"}
    assert found["report"].url == reverse("agreements:report", args=[returned.pk])
    assert found["report"].overdue
    assert found["budget"].url == reverse("agreements:budget_update", args=[budget.pk])
    assert found["rating"].url == reverse("agreements:rate", args=[settled.pk])
    assert found["control_notice"].due == _days(8)


def test_a_returned_budget_under_review_status_is_listed(agreement):
    budget = agreement_for(
        organization=agreement.organization, status=Agreement.Status.BUDGET_REVIEW
    )
    BudgetUpdate.objects.create(
        agreement=budget,
        submitted_by=admin_for(agreement),
        status=BudgetUpdate.Status.RETURNED,
        return_reason="Za wysokie koszty.",
    )

    [found] = obligations_for(admin_for(agreement))

    assert found.kind == "budget" and "returned" in found.title


def test_a_member_sees_them_as_an_admins_to_do(client, agreement):
    member = MembershipFactory(
        organization=agreement.organization, role=Membership.Role.MEMBER
    ).user
    report_for(agreement)
    login(client, member)

    page = client.get(reverse("agreements:obligations")).content.decode()

    assert agreement.number in page
    assert "An administrator of the organization does this" in page


def test_the_page_lists_them_with_links(client, agreement):
    report = report_for(agreement, due=_days(5))
    login(client, admin_for(agreement))

    page = client.get(reverse("agreements:obligations")).content.decode()

    assert reverse("agreements:report", args=[report.pk]) in page
    assert agreement.organization.name in page


def test_someone_without_an_organization_is_told_so(client, outsider):
    login(client, outsider)

    page = client.get(reverse("agreements:obligations")).content.decode()

    assert "You do not belong to any organization yet." in page


def test_the_page_needs_signing_in(client):
    response = client.get(reverse("agreements:obligations"))

    assert response.status_code == 302 and "login" in response.url


def _fill(organization, n):
    """`n` of each kind of obligation for `organization`."""
    call = CallFactory()
    for _ in range(n):
        agreement = agreement_for(call, organization=organization)
        report_for(agreement)
        control_for(agreement, status=Control.Status.DONE)
        control_for(agreement, planned_on=_days(9))
        correction_for(agreement.offer)
        agreement_for(call, organization=organization, status=Agreement.Status.BUDGET_UPDATE)
        agreement_for(call, organization=organization, status=Agreement.Status.SETTLED)


def test_the_page_makes_the_same_queries_for_2_and_10_of_each(client):
    small, large = OrganizationFactory(), OrganizationFactory()
    _fill(small, 2)
    _fill(large, 10)
    counts = []
    for organization in (small, large):
        admin = MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user
        login(client, admin)
        client.get(reverse("agreements:obligations"))  # the session settles
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("agreements:obligations"))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert counts[1] <= 12


def test_the_account_page_links_to_it_for_members_only(client, agreement, outsider):
    login(client, outsider)
    assert (
        reverse("agreements:obligations")
        not in client.get(reverse("accounts:profile")).content.decode()
    )

    login(client, admin_for(agreement))
    assert (
        reverse("agreements:obligations")
        in client.get(reverse("accounts:profile")).content.decode()
    )
