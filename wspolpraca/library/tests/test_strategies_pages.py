"""The strategies' pages: the list with its filters in the URL and a constant number of
queries, a strategy's page with charts and tables, and the forms of the owner department's
officials — refused to everyone else (403, nothing changed), errors next to fields."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from wspolpraca.city.tests.factories import DepartmentFactory, PublicBenefitAreaFactory
from wspolpraca.core.models import AuditEntry
from wspolpraca.evaluations.tests.factories import official_of
from wspolpraca.library.strategy_models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    MonitoringTeamMember,
    Strategy,
    StrategyReport,
)
from wspolpraca.organizations.tests.factories import OrganizationFactory

from .strategy_factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
    MonitoringTeamMemberFactory,
    StrategyFactory,
    StrategyReportFactory,
    cooperation_programme,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = "/strategie/"


def _titles(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [s.title for s in response.context["rows"]]


@pytest.fixture
def department():
    return DepartmentFactory(name="Wydział Polityki Społecznej")


@pytest.fixture
def strategy(department):
    return StrategyFactory(department=department, title="Strategia polityki społecznej")


@pytest.fixture
def owner(department):
    return official_of(department)


@pytest.fixture
def stranger():
    return official_of(DepartmentFactory(name="Wydział Kultury"))


# --- the list --------------------------------------------------------------------------


def test_the_list_filters_by_kind_status_department_area_year_and_text(client):
    culture = DepartmentFactory()
    seniors = PublicBenefitAreaFactory(code="X1")
    StrategyFactory(title="Strategia kultury", department=culture, areas=[seniors])
    StrategyFactory(title="Program zdrowia psychicznego", kind=Strategy.Kind.PROGRAMME)
    StrategyFactory(title="Stara strategia", year_from=2010, year_to=2015)
    cooperation_programme(2026)
    assert _titles(client, kind="programme") == ["Program zdrowia psychicznego"]
    assert _titles(client, status="expired") == ["Stara strategia"]
    assert _titles(client, department=culture.pk) == ["Strategia kultury"]
    assert _titles(client, area="X1") == ["Strategia kultury"]
    assert _titles(client, year=2012) == ["Stara strategia"]
    assert _titles(client, q="kultur") == ["Strategia kultury"]
    assert _titles(client, q="zdrowie psychiczne") == ["Program zdrowia psychicznego"]


def test_the_list_is_paginated(client):
    for n in range(Strategy.PER_PAGE + 1):
        StrategyFactory(title=f"Strategia {n:02}")
    first = client.get(LIST)
    assert len(first.context["rows"]) == Strategy.PER_PAGE
    assert len(client.get(LIST, {"page": 2}).context["rows"]) == 1


def test_the_list_takes_the_same_number_of_queries_for_more_strategies(
    client, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            area = PublicBenefitAreaFactory()
            programme = cooperation_programme(2024 + len(Strategy.objects.all()), areas=[area])
            StrategyReportFactory(strategy=programme, kind=StrategyReport.Kind.EXECUTION)

    add(2)
    client.get(LIST)  # warm the caches (areas of the filter form)
    with django_assert_num_queries(6) as first:
        client.get(LIST)
    add(6)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 8


def test_the_list_flags_the_cooperation_programmes_report(client):
    cooperation_programme(2020)
    html = client.get(LIST).content.decode()
    assert "report overdue: it was due by 31 May 2021" in html


# --- the strategy's page ---------------------------------------------------------------


def test_the_page_shows_each_indicator_as_a_chart_and_a_table(client, strategy):
    indicator = IndicatorFactory(strategy=strategy, name="Liczba seniorów w klubach", unit="osoby")
    IndicatorValueFactory(indicator=indicator, year=2023, value=Decimal("120"))
    IndicatorTargetFactory(indicator=indicator, year=2030, value=Decimal("200"))
    html = client.get(strategy.get_absolute_url()).content.decode()
    assert 'role="img"' in html
    assert "<title id=" in html and "<desc id=" in html
    assert "stroke-dasharray" in html  # the target, dashed
    assert "target 200" in html
    assert "Liczba seniorów w klubach: values and targets by year (osoby)" in html
    assert '<th scope="row">2023</th>' in html


def test_the_page_shows_reports_team_and_the_programmes_deadlines(client):
    programme = cooperation_programme(2026, adopted_on=date(2025, 11, 20))
    StrategyReportFactory(strategy=programme, title="Raport z monitoringu 2026")
    MonitoringTeamMemberFactory(
        strategy=programme,
        full_name="Anna Nowak",
        organization=OrganizationFactory(name="Fundacja Seniorów"),
    )
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "Raport z monitoringu 2026" in html
    assert "Anna Nowak" in html and "Fundacja Seniorów" in html
    assert "Adoption: by 30 November 2025" in html
    assert "report due by 31 May 2027" in html


def test_a_stranger_sees_no_management_links(client, strategy, stranger):
    login(client, stranger)
    html = client.get(strategy.get_absolute_url()).content.decode()
    assert reverse("library:strategy_edit", args=[strategy.slug]) not in html


# --- creating and changing -------------------------------------------------------------


def test_an_official_creates_a_strategy_of_their_own_department(client, owner, department):
    login(client, owner)
    response = client.post(
        reverse("library:strategy_create"),
        {
            "kind": "strategy",
            "title": "Strategia kultury Krakowa",
            "year_from": 2024,
            "year_to": 2030,
            "status_setting": "period",
            "document_url": "https://bip.krakow.pl/strategia",
        },
    )
    strategy = Strategy.objects.get()
    assert response.status_code == 302
    assert strategy.department == department
    assert strategy.slug == "strategia-kultury-krakowa-2024-2030"
    assert AuditEntry.objects.filter(action="strategy.created").exists()


def test_a_resident_cannot_create_a_strategy(client, outsider):
    login(client, outsider)
    assert client.get(reverse("library:strategy_create")).status_code == 403


def test_a_yearly_programme_of_two_years_is_refused_next_to_the_last_year(client, owner):
    login(client, owner)
    response = client.post(
        reverse("library:strategy_create"),
        {
            "kind": "yearly_cooperation",
            "title": "Program współpracy",
            "year_from": 2026,
            "year_to": 2027,
            "status_setting": "period",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "one year" in form.errors["year_to"][0]
    assert 'value="Program współpracy"' in response.content.decode()  # the input is kept
    assert not Strategy.objects.exists()


def test_the_owner_changes_the_strategy_and_the_change_is_audited(client, owner, strategy):
    login(client, owner)
    response = client.post(
        reverse("library:strategy_edit", args=[strategy.slug]),
        {
            "kind": "strategy",
            "title": "Strategia polityki społecznej 2022–2030",
            "year_from": 2022,
            "year_to": 2030,
            "status_setting": "period",
            "resolution": "uchwała nr XII/345/22",
        },
    )
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert strategy.resolution == "uchwała nr XII/345/22"
    entry = AuditEntry.objects.get(action="strategy.updated")
    assert entry.changes["resolution"] == ["", "uchwała nr XII/345/22"]


def test_a_pdf_document_is_stored_and_another_type_refused(client, owner, strategy):
    login(client, owner)
    url = reverse("library:strategy_edit", args=[strategy.slug])
    data = {
        "kind": "strategy",
        "title": strategy.title,
        "year_from": 2022,
        "year_to": 2030,
        "status_setting": "period",
    }
    bad = client.post(url, {**data, "document": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert "document" in bad.context["form"].errors
    client.post(url, {**data, "document": SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")})
    strategy.refresh_from_db()
    assert strategy.document.name.endswith(".pdf")


def test_an_official_of_another_department_cannot_change_the_strategy(client, stranger, strategy):
    login(client, stranger)
    url = reverse("library:strategy_edit", args=[strategy.slug])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "kind": "strategy",
            "title": "Zmiana",
            "year_from": 2022,
            "year_to": 2030,
            "status_setting": "period",
        },
    )
    assert response.status_code == 403
    strategy.refresh_from_db()
    assert strategy.title == "Strategia polityki społecznej"


def test_deleting_a_strategy_asks_first(client, owner, strategy):
    login(client, owner)
    url = reverse("library:strategy_delete", args=[strategy.slug])
    page = client.get(url)
    assert page.status_code == 200 and "Delete the strategy" in page.content.decode()
    assert Strategy.objects.exists()
    client.post(url)
    assert not Strategy.objects.exists()


# --- monitoring ------------------------------------------------------------------------


def test_the_owner_adds_an_indicator(client, owner, strategy):
    login(client, owner)
    client.post(
        reverse("library:indicator_add", args=[strategy.slug]),
        {
            "name": "Liczba miejsc w DPS",
            "unit": "miejsca",
            "direction": "up",
            "baseline_value": "1200",
            "baseline_year": 2021,
        },
    )
    indicator = Indicator.objects.get()
    assert (indicator.baseline_value, indicator.baseline_year) == (Decimal("1200"), 2021)


def test_a_baseline_without_its_year_is_refused_next_to_the_year(client, owner, strategy):
    login(client, owner)
    response = client.post(
        reverse("library:indicator_add", args=[strategy.slug]),
        {"name": "Liczba miejsc", "unit": "miejsca", "direction": "up", "baseline_value": "1200"},
    )
    assert "baseline_year" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_the_owner_enters_and_corrects_a_yearly_value_each_change_audited(client, owner, strategy):
    indicator = IndicatorFactory(strategy=strategy)
    login(client, owner)
    url = reverse("library:indicator_value", args=[strategy.slug, indicator.pk])
    client.post(url, {"year": 2024, "value": "130", "source": "GUS"})
    client.post(url, {"year": 2024, "value": "135.5", "source": "GUS", "note": "korekta"})
    value = IndicatorValue.objects.get()
    assert (value.value, value.note, value.entered_by) == (Decimal("135.5"), "korekta", owner)
    entries = AuditEntry.objects.filter(object_id=str(indicator.pk)).order_by("pk")
    assert [e.action for e in entries] == ["indicator.value_entered", "indicator.value_changed"]
    assert entries[1].changes["value"] == ["130.00", "135.50"]


def test_an_official_of_another_department_cannot_enter_a_value(client, stranger, strategy):
    indicator = IndicatorFactory(strategy=strategy)
    IndicatorValueFactory(indicator=indicator, year=2023, value=120)
    login(client, stranger)
    url = reverse("library:indicator_value", args=[strategy.slug, indicator.pk])
    response = client.post(url, {"year": 2023, "value": "999"})
    assert response.status_code == 403
    assert IndicatorValue.objects.get().value == Decimal("120")
    assert not AuditEntry.objects.filter(action__startswith="indicator.").exists()


def test_a_platform_admin_may_enter_a_value(client, platform_admin, strategy):
    indicator = IndicatorFactory(strategy=strategy)
    login(client, platform_admin)
    url = reverse("library:indicator_value", args=[strategy.slug, indicator.pk])
    assert client.post(url, {"year": 2023, "value": "5"}).status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("5")


def test_a_value_for_a_future_year_is_refused_next_to_the_year_keeping_the_input(
    client, owner, strategy
):
    indicator = IndicatorFactory(strategy=strategy)
    login(client, owner)
    url = reverse("library:indicator_value", args=[strategy.slug, indicator.pk])
    response = client.post(url, {"year": date.today().year + 1, "value": "77"})
    assert "year" in response.context["form"].errors
    assert 'value="77"' in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_the_owner_sets_a_target_and_deletes_it_after_confirming(client, owner, strategy):
    indicator = IndicatorFactory(strategy=strategy)
    login(client, owner)
    client.post(
        reverse("library:indicator_target", args=[strategy.slug, indicator.pk]),
        {"year": 2030, "value": "250"},
    )
    assert IndicatorTarget.objects.get().value == Decimal("250")
    delete = reverse("library:indicator_target_delete", args=[strategy.slug, indicator.pk, 2030])
    assert client.get(delete).status_code == 200
    assert IndicatorTarget.objects.exists()
    client.post(delete)
    assert not IndicatorTarget.objects.exists()
    assert AuditEntry.objects.filter(action="indicator.target_removed").exists()


def test_deleting_a_value_asks_first_and_is_audited(client, owner, strategy):
    value = IndicatorValueFactory(indicator=IndicatorFactory(strategy=strategy), year=2023)
    login(client, owner)
    url = reverse("library:indicator_value_delete", args=[strategy.slug, value.indicator.pk, 2023])
    assert "Delete the value" in client.get(url).content.decode()
    client.post(url)
    assert not IndicatorValue.objects.exists()
    assert AuditEntry.objects.filter(action="indicator.value_removed").exists()


# --- reports and team ------------------------------------------------------------------


def test_the_owner_publishes_the_programmes_execution_report(client, department, owner):
    programme = cooperation_programme(2025, department=department)
    login(client, owner)
    client.post(
        reverse("library:strategy_report_add", args=[programme.slug]),
        {
            "kind": "execution",
            "title": "Sprawozdanie z realizacji programu 2025",
            "year": 2025,
            "url": "https://bip.krakow.pl/sprawozdanie-2025",
            "published_on": "2026-05-28",
        },
    )
    assert programme.report_flag() == ("published", date(2026, 5, 28))


def test_a_report_without_a_file_or_link_is_refused_next_to_the_file(client, owner, strategy):
    login(client, owner)
    response = client.post(
        reverse("library:strategy_report_add", args=[strategy.slug]),
        {"kind": "monitoring", "title": "Raport", "year": 2024},
    )
    assert "file" in response.context["form"].errors
    assert not StrategyReport.objects.exists()


def test_an_execution_report_is_offered_only_for_a_yearly_programme(client, owner, strategy):
    login(client, owner)
    response = client.get(reverse("library:strategy_report_add", args=[strategy.slug]))
    kinds = [value for value, _label in response.context["form"].fields["kind"].choices]
    assert kinds == ["monitoring", "evaluation"]


def test_the_owner_adds_an_ngo_member_by_krs_and_removes_them_after_confirming(
    client, owner, strategy
):
    organization = OrganizationFactory(krs="0000123456")
    login(client, owner)
    url = reverse("library:strategy_team", args=[strategy.slug])
    client.post(url, {"full_name": "Jan Kowalski", "krs": "123456", "role": "członek"})
    member = MonitoringTeamMember.objects.get()
    assert member.organization == organization
    remove = reverse("library:strategy_member_remove", args=[strategy.slug, member.pk])
    assert client.get(remove).status_code == 200
    client.post(remove)
    assert not MonitoringTeamMember.objects.exists()


def test_an_unknown_krs_is_refused_next_to_the_field_keeping_the_name(client, owner, strategy):
    login(client, owner)
    response = client.post(
        reverse("library:strategy_team", args=[strategy.slug]),
        {"full_name": "Jan Kowalski", "krs": "999"},
    )
    assert "krs" in response.context["form"].errors
    assert 'value="Jan Kowalski"' in response.content.decode()
    assert not MonitoringTeamMember.objects.exists()


def test_an_official_of_another_department_cannot_manage_reports_or_the_team(
    client, stranger, strategy
):
    report = StrategyReportFactory(strategy=strategy)
    member = MonitoringTeamMemberFactory(strategy=strategy)
    login(client, stranger)
    for url in [
        reverse("library:strategy_report_add", args=[strategy.slug]),
        reverse("library:strategy_report_remove", args=[strategy.slug, report.pk]),
        reverse("library:strategy_team", args=[strategy.slug]),
        reverse("library:strategy_member_remove", args=[strategy.slug, member.pk]),
        reverse("library:strategy_delete", args=[strategy.slug]),
    ]:
        assert client.post(url, {"full_name": "X"}).status_code == 403, url
    assert StrategyReport.objects.count() == 1 and MonitoringTeamMember.objects.count() == 1
    assert Strategy.objects.count() == 1


def test_the_page_links_the_public_consultations_that_shaped_it(client, strategy, department):
    from wspolpraca.consultations.tests.consultation_factories import ConsultationFactory

    shown = ConsultationFactory(department=department, title="Konsultacje strategii")
    draft = ConsultationFactory(department=department, title="Szkic", announced_at=None)
    strategy.consultations.set([shown, draft])
    html = client.get(strategy.get_absolute_url()).content.decode()
    assert "Konsultacje strategii" in html and shown.get_absolute_url() in html
    assert "Szkic" not in html


def test_the_form_offers_the_public_consultations_of_the_owner_department(
    client, owner, department, strategy
):
    from wspolpraca.consultations.tests.consultation_factories import ConsultationFactory

    own = ConsultationFactory(department=department)
    ConsultationFactory()  # another department's
    login(client, owner)
    form = client.get(reverse("library:strategy_edit", args=[strategy.slug])).context["form"]
    assert list(form.fields["consultations"].queryset) == [own]


def test_a_bad_filter_value_is_shown_with_its_error_and_the_others_still_filter(client):
    StrategyFactory(title="Program zdrowia", kind=Strategy.Kind.PROGRAMME)
    StrategyFactory(title="Strategia kultury")
    response = client.get(LIST, {"kind": "programme", "year": "abc"})
    assert [s.title for s in response.context["rows"]] == ["Program zdrowia"]
    assert "year" in response.context["form"].errors


def test_an_official_cannot_create_a_strategy_for_another_department(client, owner, department):
    other = DepartmentFactory()
    login(client, owner)
    client.post(
        reverse("library:strategy_create"),
        {
            "kind": "strategy",
            "title": "Cudza strategia",
            "year_from": 2024,
            "year_to": 2030,
            "status_setting": "period",
            "department": other.pk,
        },
    )
    assert Strategy.objects.get().department == department


def test_correcting_a_value_starts_from_the_stored_one(client, owner, strategy):
    value = IndicatorValueFactory(
        indicator=IndicatorFactory(strategy=strategy), year=2023, value=Decimal("42"), source="GUS"
    )
    login(client, owner)
    url = reverse("library:indicator_value", args=[strategy.slug, value.indicator.pk])
    form = client.get(url, {"rok": 2023}).context["form"]
    assert (form["year"].value(), form["value"].value(), form["source"].value()) == (
        2023,
        Decimal("42.00"),
        "GUS",
    )
