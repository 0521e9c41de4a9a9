"""The statistics of calls and grants (/statystyki/): the numbers of a known data set, the
filters, the charts, the downloads, and the same queries whatever the data's size."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse
from openpyxl import load_workbook

from wspolpraca.agreements import statistics
from wspolpraca.agreements.statistics import Filters
from wspolpraca.competitions.models import Call
from wspolpraca.evaluations.models import Decision

from .grants_data import at, decide, decided_call, known_data, offer_in

pytestmark = pytest.mark.django_db
URL = reverse("agreements:statistics")


@pytest.fixture
def data():
    return known_data()


def numbers(row):
    return (
        row.calls,
        row.decided,
        row.offers,
        row.grants,
        row.requested,
        row.granted,
        row.cut,
        row.mean_days,
    )


def D(value):
    return Decimal(value)


def test_the_totals_count_only_what_the_published_results_hold(data):
    total = statistics.compute(Filters()).total
    assert numbers(total) == (4, 3, 4, 3, D("45000"), D("23000"), D("8.0"), D("30.3"))


def test_the_numbers_by_year(data):
    by_year = {row.key: numbers(row) for row in statistics.compute(Filters()).by_year}
    assert by_year == {
        2024: (2, 2, 3, 2, D("40000"), D("18000"), D("10.0"), D("25.5")),
        2025: (2, 1, 1, 1, D("5000"), D("5000"), D("0.0"), D("40.0")),
    }


def test_the_numbers_by_department(data):
    rows = {row.key: numbers(row) for row in statistics.compute(Filters()).by_department}
    assert rows == {
        data.department_a.pk: (2, 2, 3, 2, D("35000"), D("15000"), D("0.0"), D("35.5")),
        data.department_b.pk: (2, 1, 1, 1, D("10000"), D("8000"), D("20.0"), D("20.0")),
    }


def test_a_call_in_two_areas_counts_in_each(data):
    rows = {row.key: numbers(row) for row in statistics.compute(Filters()).by_area}
    assert rows == {
        data.culture.pk: (3, 2, 3, 2, D("40000"), D("18000"), D("10.0"), D("25.5")),
        data.social.pk: (2, 2, 2, 2, D("15000"), D("13000"), D("13.3"), D("30.0")),
    }


def test_the_numbers_by_funding_mode(data):
    rows = {row.key: numbers(row) for row in statistics.compute(Filters()).by_mode}
    assert rows == {
        "support": (3, 2, 3, 2, D("35000"), D("15000"), D("0.0"), D("35.5")),
        "entrustment": (1, 1, 1, 1, D("10000"), D("8000"), D("20.0"), D("20.0")),
    }


def test_a_decision_before_the_results_are_published_is_not_counted(data):
    total = statistics.compute(Filters(department=data.department_b.pk)).total
    assert total.calls == 2 and total.grants == 1 and total.granted == D("8000")


def test_no_calls_gives_empty_statistics(db):
    result = statistics.compute(Filters())
    assert result.years == [] and result.by_year == [] and result.total.calls == 0


def test_the_year_filter_narrows_every_table(data):
    result = statistics.compute(Filters(year=2025))
    assert numbers(result.total) == (2, 1, 1, 1, D("5000"), D("5000"), D("0.0"), D("40.0"))
    assert [row.key for row in result.by_year] == [2025]
    assert result.years == [2024, 2025]


def test_the_area_filter_shows_only_that_areas_row(data):
    result = statistics.compute(Filters(area=data.social.pk))
    assert [row.key for row in result.by_area] == [data.social.pk]
    assert numbers(result.total) == (2, 2, 2, 2, D("15000"), D("13000"), D("13.3"), D("30.0"))


def test_the_department_and_mode_filters_combine(data):
    result = statistics.compute(Filters(department=data.department_a.pk, mode="support"))
    assert numbers(result.total) == (2, 2, 3, 2, D("35000"), D("15000"), D("0.0"), D("35.5"))
    assert (
        statistics.compute(Filters(department=data.department_b.pk, mode="support")).total.grants
        == 0
    )


def test_the_page_shows_the_tables_with_the_numbers(client, data):
    html = client.get(URL).content.decode()
    assert 'id="table-lata"' in html and 'id="table-wydzialy"' in html
    assert 'id="table-dziedziny"' in html and 'id="table-tryby"' in html
    assert "Wydział Kultury (WK)" in html
    assert "23\xa0000,00\xa0zł" in html  # granted in all
    assert "20%" in html  # department B's cut
    assert "30,3" in html  # mean days in all


def test_the_page_filters_from_the_url(client, data):
    response = client.get(URL, {"year": "2024", "department": str(data.department_b.pk)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "8\xa0000,00\xa0zł" in html
    assert "Wydział Kultury (WK)</th>" not in html
    assert '<option value="2024" selected>' in html


def test_a_filter_value_that_is_not_valid_is_shown_and_left_out(client, data):
    response = client.get(URL, {"department": "999999", "area": "16"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_department_error"' in html
    assert response.context["stats"].filters == Filters(area=data.culture.pk)


def test_the_charts_are_accessible_svg_with_their_numbers_in_a_table(client, data):
    html = client.get(URL).content.decode()
    for chart in [
        "chart-granted-per-year",
        "chart-cut-per-department",
        "chart-days-per-department",
    ]:
        start = html.index(f'id="{chart}"')
        svg = html[start : html.index("</svg>", start)]
        assert 'role="img"' in svg
        assert f'<title id="{chart}-title">' in svg and f'<desc id="{chart}-desc">' in svg
        assert f'aria-labelledby="{chart}-title"' in svg
    granted_chart = html[html.index('id="chart-granted-per-year"') : html.index('id="table-lata"')]
    assert "2024: 18\xa0000,00\xa0zł" in granted_chart  # in the description
    assert "<rect" in granted_chart
    table = html[
        html.index('id="table-lata"') : html.index("</table>", html.index('id="table-lata"'))
    ]
    assert "18\xa0000,00\xa0zł" in table


def test_a_department_is_drawn_by_its_symbol_and_described_by_its_name(client, data):
    html = client.get(URL).content.decode()
    start = html.index('id="chart-cut-per-department"')
    chart = html[start : html.index("</svg>", start)]
    assert "Wydział Sportu (WS): 20%" in chart  # the description
    assert ">WS</text>" in chart  # the bar's label


def test_the_chart_coordinates_use_a_dot_in_polish(client, data):
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    chart = html[
        html.index('id="chart-cut-per-department"') : html.index(
            "</svg>", html.index('id="chart-cut-per-department"')
        )
    ]
    assert 'width="280.0"' in chart  # the largest cut fills the bar's room: 400 − 120


def test_the_csv_holds_the_table_with_the_filters(client, data, english):
    response = client.get(
        reverse("agreements:statistics_csv", args=["wydzialy"]), {"mode": "support"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][:2] == ["Department", "Calls announced"]
    assert rows[1:] == [
        ["Wydział Kultury (WK)", "2", "2", "3", "2", "35000.00", "15000.00", "0.0", "35.5"],
        # Department B's support call is still in evaluation: announced, nothing else.
        ["Wydział Sportu (WS)", "1", "0", "0", "0", "0.00", "0.00", "", ""],
    ]


def test_the_csv_of_years_has_a_row_a_year(client, data):
    response = client.get(reverse("agreements:statistics_csv", args=["lata"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["2024", "2025"]
    assert rows[1][5:7] == ["40000.00", "18000.00"]


def test_the_xlsx_holds_the_same_rows(client, data):
    response = client.get(reverse("agreements:statistics_xlsx", args=["tryby"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert len(rows) == 3
    assert rows[2][1:] == ["1", "1", "1", "1", "10000.00", "8000.00", "20.0", "20.0"]


def test_an_unknown_table_is_a_404(client, data):
    assert client.get(reverse("agreements:statistics_csv", args=["nic"])).status_code == 404


def test_the_page_works_without_any_call(client, db, english):
    response = client.get(URL)
    assert response.status_code == 200
    assert "No call has been announced yet." in response.content.decode()


def _calls_with_grants(count):
    """`count` decided calls, each of a new department, over five years, each with a grant."""
    for n in range(count):
        call = decided_call(at(2020 + n % 5, 4, 2 + n, 12))
        decide(offer_in(call, "10000.00"), "9000.00")


def test_the_page_makes_the_same_queries_for_2_and_10_calls(
    client, db, django_assert_max_num_queries
):
    _calls_with_grants(2)
    with django_assert_max_num_queries(10) as small:
        client.get(URL)
    _calls_with_grants(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert len(response.context["stats"].by_department) == 10


@pytest.fixture
def cache_on(settings):
    """The statistics' cache as outside tests, empty at the start."""
    settings.STATISTICS_CACHE_SECONDS = 600
    caches[statistics.CACHE].clear()
    yield
    caches[statistics.CACHE].clear()


def test_the_statistics_are_cached_until_a_decision_is_saved(cache_on, data):
    assert statistics.grant_statistics(Filters()).total.granted == D("23000")
    # Changed behind the signals' back: the cached numbers stay…
    Decision.objects.filter(pk=data.decisions["o3"].pk).update(amount=D("9000.00"))
    assert statistics.grant_statistics(Filters()).total.granted == D("23000")
    # …until a decision is saved, which touches the grants' freshness.
    decision = data.decisions["o4"]
    decision.amount = D("3000.00")
    decision.save()
    assert statistics.grant_statistics(Filters()).total.granted == D("22000")


def test_publishing_results_renews_the_cached_statistics(cache_on, data):
    assert statistics.grant_statistics(Filters()).total.decided == 3
    call = data.calls["c4"]
    call.status, call.decided_at = Call.Status.DECIDED, at(2025, 4, 2, 12)
    call.save()
    assert statistics.grant_statistics(Filters()).total.decided == 4


def test_one_cache_entry_serves_every_filter(cache_on, data, django_assert_num_queries):
    statistics.grant_statistics(Filters())
    with django_assert_num_queries(1):  # when the data last changed
        cached = statistics.grant_statistics(Filters(year=2024, area=data.culture.pk))
    assert cached == statistics.compute(Filters(year=2024, area=data.culture.pk))


def test_the_page_built_for_a_filter_is_rebuilt_when_a_decision_changes(client, cache_on, data):
    assert "23\xa0000,00\xa0zł" in client.get(URL).content.decode()
    decision = data.decisions["o4"]
    decision.amount = D("3000.00")
    decision.save()
    assert "21\xa0000,00\xa0zł" in client.get(URL).content.decode()


def test_a_page_built_before_serves_the_next_request_with_four_queries(
    client, cache_on, data, django_assert_num_queries
):
    client.get(URL, {"year": "2024"})
    # when the data last changed (the page cache's), departments, areas, and again (the
    # statistics'): nothing is added up again
    with django_assert_num_queries(4):
        response = client.get(URL, {"year": "2024"})
    assert response.context["stats"].total.granted == D("18000")
