"""The organization's public page lists the grants it received (a core.sections section
that agreements adds; the organizations app never imports agreements)."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wspolpraca.agreements.models import Agreement, Report
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.core import sections
from wspolpraca.core.audit import record
from wspolpraca.organizations.tests.factories import OrganizationFactory

from .control_factories import agreement_for, report_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _page(client, organization):
    return client.get(reverse("organizations:detail", args=[organization.slug]))


# The registry.


def test_sections_render_in_order_and_skip_empty_ones(rf):
    def first(request, obj):
        return f"<p>pierwsza {obj}</p>"

    def empty(request, obj):
        return ""

    def second(request, obj):
        return "<p>druga</p>"

    for section in (first, empty, second, first):
        sections.register("test-page", section)
    try:
        rendered = sections.render("test-page", rf.get("/"), "X")
    finally:
        for section in (first, empty, second):
            sections.unregister("test-page", section)

    assert rendered == ["<p>pierwsza X</p>", "<p>druga</p>"]
    assert sections.render("test-page", rf.get("/"), "X") == []


def test_the_organizations_app_does_not_import_agreements():
    root = Path(settings.BASE_DIR) / "wspolpraca" / "organizations"
    for path in root.rglob("*.py"):
        if "tests" not in path.parts:
            assert "agreements" not in path.read_text(encoding="utf-8"), path


# The grants section.


def test_the_page_lists_the_grants_with_their_reports(client):
    organization = OrganizationFactory()
    call = CallFactory(title="Konkurs: lato w mieście")
    agreement = agreement_for(call, organization=organization, amount=Decimal("12500.00"))
    report_for(agreement, status=Report.Status.ACCEPTED, kind=Report.Kind.PARTIAL)
    report_for(agreement, status=Report.Status.SUBMITTED)
    report_for(agreement, due=timezone.localdate() - dt.timedelta(days=1))  # overdue
    report_for(agreement)  # due later: not overdue

    page = _page(client, organization).content.decode()

    assert "Grants received from the city" in page
    assert "Konkurs: lato w mieście" in page
    assert reverse("competitions:call", args=[call.pk]) in page
    assert re.search(r"12[\s,]?500[.,]00", page)
    assert str(agreement.starts.year) in page
    assert "signed" in page
    assert "1 accepted" in page and "1 submitted, under review" in page and "1 overdue" in page


def test_an_organization_without_grants_has_no_section(client):
    organization = OrganizationFactory()

    assert "Grants received from the city" not in _page(client, organization).content.decode()


def test_another_organizations_grants_are_not_listed(client):
    organization = OrganizationFactory()
    agreement_for(CallFactory(title="Konkurs cudzy"))
    agreement_for(CallFactory(title="Konkurs własny"), organization=organization)

    page = _page(client, organization).content.decode()

    assert "Konkurs własny" in page and "Konkurs cudzy" not in page


def test_a_change_of_a_report_shows_at_once_on_the_cached_page(client):
    organization = OrganizationFactory()
    agreement = agreement_for(organization=organization)
    report = report_for(agreement, status=Report.Status.SUBMITTED)
    assert "1 submitted, under review" in _page(client, organization).content.decode()

    report.status = Report.Status.ACCEPTED
    report.save()

    assert "1 accepted" in _page(client, organization).content.decode()


def test_a_settled_agreement_shows_at_once_on_the_cached_page(client):
    organization = OrganizationFactory()
    agreement = agreement_for(organization=organization)
    assert "settled" not in _page(client, organization).content.decode()

    # Even a change the ORM does not announce is seen: its audit entry is.
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.SETTLED)
    record(None, "agreement.settled", agreement, {"status": ["signed", "settled"]})

    assert "settled" in _page(client, organization).content.decode()


def test_the_page_makes_the_same_queries_for_2_and_10_grants(client):
    small, large = OrganizationFactory(), OrganizationFactory()
    for organization, n in ((small, 2), (large, 10)):
        call = CallFactory()
        for _ in range(n):
            agreement = agreement_for(call, organization=organization)
            report_for(agreement, status=Report.Status.ACCEPTED)
            report_for(agreement)
    _page(client, OrganizationFactory())  # when the data last changed, recorded once
    counts = []
    for organization in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = _page(client, organization)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert response.content.decode().count("<tr>") == 11
