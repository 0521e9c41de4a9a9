"""The geometry of an indicator's chart: the scale, the columns, the baseline and the
dashed targets, the years without gaps, and the chart in words."""

from decimal import Decimal

import pytest
from django.utils import translation

from wspolpraca.library.strategy_charts import (
    indicator_chart,
    indicator_rows,
    nice_top,
    number_text,
)

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("value", "top"),
    [(0, 1), (0.4, 0.5), (1, 1), (7, 10), (12, 20), (130, 200), (240, 250), (4100, 5000)],
)
def test_the_axis_ends_at_a_round_number(value, top):
    assert nice_top(value) == pytest.approx(top)


def test_numbers_lose_trailing_zeros_and_take_the_languages_decimal_sign():
    assert number_text(Decimal("120.00")) == "120"
    with translation.override("pl"):
        assert number_text(Decimal("12.50")) == "12,5"


def _chart(**kwargs):
    defaults = {"title": "Liczba miejsc", "unit": "osoby", "values": {}, "targets": {}}
    return indicator_chart(**{**defaults, **kwargs})


def test_the_years_run_without_gaps_from_the_baseline_to_the_last_target():
    chart = _chart(values={2022: 10, 2023: 20}, targets={2026: 40}, baseline=(2020, 5))
    assert [text for _x, text in chart.years] == [
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
        "2026",
    ]
    assert [c.year for c in chart.columns] == [2022, 2023]
    assert [t.year for t in chart.targets] == [2026]


def test_a_columns_height_is_its_share_of_the_axis():
    chart = _chart(values={2022: 25, 2023: 50})  # the axis runs 0–50
    plot = chart.bottom - chart.top
    assert chart.columns[1].height == pytest.approx(plot)
    assert chart.columns[0].height == pytest.approx(plot / 2, abs=0.1)
    assert chart.columns[0].y + chart.columns[0].height == pytest.approx(chart.zero)


def test_targets_and_the_baseline_are_drawn_on_the_same_scale():
    chart = _chart(values={2022: 50}, targets={2023: 100}, baseline=(2021, 50))
    assert chart.targets[0].y == pytest.approx(chart.top)  # 100 is the top of the axis
    assert chart.baseline_y == pytest.approx(chart.columns[0].y)
    assert chart.targets[0].text == "target 100"
    assert chart.baseline_text == "baseline (2021): 50"


def test_negative_values_extend_the_axis_below_zero():
    chart = _chart(values={2022: -10, 2023: 20})
    assert chart.zero < chart.bottom
    assert chart.columns[0].y == pytest.approx(chart.zero)


def test_the_chart_says_its_numbers_in_words():
    chart = _chart(
        values={2022: Decimal("10"), 2023: Decimal("12.5")},
        targets={2025: 20},
        baseline=(2021, 8),
        direction_text="more is better",
    )
    assert chart.desc == (
        "Values: 2022: 10 osoby; 2023: 12.5 osoby. Baseline (2021): 8 osoby. "
        "Targets: 2025: 20 osoby. More is better."
    )


def test_a_chart_without_numbers_is_empty():
    chart = _chart()
    assert chart.is_empty
    assert chart.desc == "No values yet."


def test_the_table_has_a_row_per_year_with_a_value_or_a_target():
    class Row:
        def __init__(self, year, value, source="", note=""):
            self.year, self.value, self.source, self.note = year, Decimal(value), source, note

    rows = indicator_rows([Row(2023, "10", "GUS")], [Row(2023, "12"), Row(2025, "20")])
    assert [(r.year, r.value, r.target, r.source) for r in rows] == [
        (2023, "10", "12", "GUS"),
        (2025, "", "20", ""),
    ]
