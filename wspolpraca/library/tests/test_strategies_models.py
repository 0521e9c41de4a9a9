"""A strategy's status follows its period unless set by hand; the yearly cooperation
programme's deadlines (art. 5a of the public benefit act) and its report flag."""

from datetime import date

import pytest

from wspolpraca.library.strategy_models import Strategy, StrategyReport

from .strategy_factories import StrategyFactory, StrategyReportFactory, cooperation_programme

pytestmark = pytest.mark.django_db


def _annotated(strategy, year):
    return Strategy.objects.with_status(year).get(pk=strategy.pk).current_status


@pytest.mark.parametrize(
    ("setting", "year_to", "year", "expected"),
    [
        ("period", 2026, 2026, "in_force"),
        ("period", 2025, 2026, "expired"),
        ("preparation", 2020, 2026, "preparation"),
        ("in_force", 2020, 2026, "in_force"),
        ("expired", 2030, 2026, "expired"),
    ],
)
def test_the_status_is_derived_the_same_in_python_and_in_sql(setting, year_to, year, expected):
    strategy = StrategyFactory(year_from=2019, year_to=year_to, status_setting=setting)
    assert strategy.derived_status(year) == expected
    assert _annotated(strategy, year) == expected


def test_a_strategy_expires_when_its_last_year_ends_without_being_changed(settings):
    strategy = StrategyFactory(year_from=2019, year_to=2022)
    assert strategy.derived_status(2022) == Strategy.Status.IN_FORCE
    assert strategy.derived_status(2023) == Strategy.Status.EXPIRED


def test_the_yearly_programme_is_adopted_by_30_november_and_reported_by_31_may():
    programme = cooperation_programme(2026)
    assert programme.adoption_deadline == date(2025, 11, 30)
    assert programme.report_deadline == date(2027, 5, 31)


def test_other_kinds_have_no_programme_deadlines():
    strategy = StrategyFactory()
    assert strategy.adoption_deadline is None
    assert strategy.report_flag() is None


def test_the_report_is_due_until_31_may_of_the_next_year():
    programme = cooperation_programme(2025)
    assert programme.report_flag(today=date(2026, 5, 31)) == ("due", date(2026, 5, 31))


def test_the_report_is_overdue_after_31_may_when_not_published():
    programme = cooperation_programme(2025)
    assert programme.report_flag(today=date(2026, 6, 1)) == ("overdue", date(2026, 5, 31))


def test_a_published_execution_report_shows_its_date():
    programme = cooperation_programme(2025)
    StrategyReportFactory(
        strategy=programme, kind=StrategyReport.Kind.EXECUTION, published_on=date(2026, 5, 20)
    )
    assert programme.report_flag(today=date(2026, 7, 1)) == ("published", date(2026, 5, 20))


def test_a_monitoring_report_does_not_count_as_the_execution_report():
    programme = cooperation_programme(2025)
    StrategyReportFactory(strategy=programme, kind=StrategyReport.Kind.MONITORING)
    assert programme.report_flag(today=date(2026, 7, 1))[0] == "overdue"


def test_adoption_after_30_november_is_late():
    assert cooperation_programme(2026, adopted_on=date(2025, 12, 3)).adopted_late
    assert not cooperation_programme(2027, adopted_on=date(2026, 11, 30)).adopted_late


def test_the_period_reads_as_one_year_or_a_range():
    assert cooperation_programme(2026).period == "2026"
    assert StrategyFactory(year_from=2023, year_to=2026).period == "2023–2026"
