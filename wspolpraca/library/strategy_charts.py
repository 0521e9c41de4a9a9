"""An indicator's progress as a column chart drawn on the server (SVG): the yearly values
as columns with their numbers written above them, the baseline as a solid line
across the chart (named with its year and value in the legend above the plot), and each
year's target as a dashed mark with its number over that year's slot.
Nothing rests on colour: lines differ by dash and carry text; the page shows the same
numbers in a table (`indicator_rows`).

core/charts.py (shared) has a year chart with one target line over the years that have
values; an indicator needs a target per year, the baseline, and slots for the years that
have a target but no value yet, so its geometry is computed here. The template
library/strategies/_chart.html draws it.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from django.utils import formats
from django.utils.translation import gettext

WIDTH = 640
HEIGHT = 330
# The legend, above the plot: where each of its three entries starts.
LEGEND_Y = 18
LEGEND_X = (64, 200, 460)
MARGIN = {"top": 52, "right": 16, "bottom": 36, "left": 64}
TICKS = 4

_ids = count(1)


def number_text(value):
    """A number as people read it: no trailing zeros, the decimal comma of the language."""
    value = Decimal(value)
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=abs(value) >= 10000)


def nice_top(value):
    """A round number at or above `value` (1, 2, 2.5, 5 × 10ⁿ) for the end of the axis."""
    value = float(value)
    if value <= 0:
        return 1.0
    magnitude = 1.0
    while magnitude * 10 < value:
        magnitude *= 10
    while magnitude > value and magnitude > 1e-6:
        magnitude /= 10
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude + 1e-9:
            return step * magnitude
    return 10 * magnitude


@dataclass
class Column:
    year: int
    text: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass
class TargetMark:
    year: int
    text: str
    x1: float
    x2: float
    y: float
    text_x: float
    text_y: float


@dataclass
class IndicatorChart:
    title: str
    desc: str
    id: str
    width: int = WIDTH
    height: int = HEIGHT
    left: float = MARGIN["left"]
    right: float = WIDTH - MARGIN["right"]
    top: float = MARGIN["top"]
    bottom: float = HEIGHT - MARGIN["bottom"]
    zero: float = 0
    columns: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    ticks: list = field(default_factory=list)  # (y, text)
    years: list = field(default_factory=list)  # (x, text)
    baseline_y: float | None = None
    baseline_text: str = ""
    legend_y: int = LEGEND_Y
    legend_x: tuple = LEGEND_X
    legend_values: str = ""
    legend_targets: str = ""

    @property
    def title_id(self):
        return f"{self.id}-title"

    @property
    def desc_id(self):
        return f"{self.id}-desc"

    @property
    def is_empty(self):
        return not self.columns and not self.targets and self.baseline_y is None


def indicator_chart(*, title, unit, values, targets, baseline=None, direction_text=""):
    """The chart of one indicator.

    `values` and `targets` map a year to a number; `baseline` is (year, number) or None.
    The years run without gaps from the first to the last year named anywhere.
    """
    values = {int(y): Decimal(v) for y, v in values.items()}
    targets = {int(y): Decimal(v) for y, v in targets.items()}
    years_named = set(values) | set(targets) | ({int(baseline[0])} if baseline else set())
    chart = IndicatorChart(
        title=str(title),
        desc="",
        id=f"indicator-chart-{next(_ids)}",
        legend_values=gettext("value of the year"),
        legend_targets=gettext("target"),
    )
    numbers = [*values.values(), *targets.values()] + ([Decimal(baseline[1])] if baseline else [])
    if not years_named:
        chart.desc = gettext("No values yet.")
        return chart
    high = nice_top(max([0, *numbers]))
    low = -nice_top(-min(numbers)) if min(numbers) < 0 else 0.0
    plot_height = chart.bottom - chart.top

    def y_of(number):
        return round(chart.top + plot_height * (high - float(number)) / (high - low), 1)

    chart.zero = y_of(0)
    years = list(range(min(years_named), max(years_named) + 1))
    slot = (chart.right - chart.left) / len(years)
    suffix = f" {unit}" if unit else ""
    for index, year in enumerate(years):
        start = chart.left + slot * index
        centre = round(start + slot / 2, 1)
        chart.years.append((centre, str(year)))
        if year in values:
            top = y_of(values[year])
            column_top, height = min(top, chart.zero), abs(chart.zero - top)
            chart.columns.append(
                Column(
                    year=year,
                    text=number_text(values[year]),
                    x=round(start + slot * 0.2, 1),
                    y=column_top,
                    width=round(slot * 0.6, 1),
                    height=round(height, 1),
                    text_x=centre,
                    text_y=round(
                        column_top - 4 if values[year] >= 0 else column_top + height + 12, 1
                    ),
                )
            )
        if year in targets:
            y = y_of(targets[year])
            chart.targets.append(
                TargetMark(
                    year=year,
                    text=gettext("target %(value)s") % {"value": number_text(targets[year])},
                    x1=round(start + slot * 0.05, 1),
                    x2=round(start + slot * 0.95, 1),
                    y=y,
                    text_x=centre,
                    text_y=round(y - 5, 1),
                )
            )
    for step in range(TICKS + 1):
        number = low + (high - low) * step / TICKS
        chart.ticks.append((y_of(number), number_text(Decimal(str(round(number, 6))))))
    if baseline:
        chart.baseline_y = y_of(baseline[1])
        chart.baseline_text = gettext("baseline (%(year)s): %(value)s") % {
            "year": baseline[0],
            "value": number_text(baseline[1]),
        }
    chart.desc = describe(values, targets, baseline, suffix, direction_text)
    return chart


def describe(values, targets, baseline, suffix, direction_text):
    """The chart in words, for its <desc>."""
    parts = []
    if values:
        parts.append(
            gettext("Values: %(list)s.")
            % {
                "list": "; ".join(
                    f"{y}: {number_text(v)}{suffix}" for y, v in sorted(values.items())
                )
            }
        )
    else:
        parts.append(gettext("No values yet."))
    if baseline:
        parts.append(
            gettext("Baseline (%(year)s): %(value)s.")
            % {"year": baseline[0], "value": f"{number_text(baseline[1])}{suffix}"}
        )
    if targets:
        parts.append(
            gettext("Targets: %(list)s.")
            % {
                "list": "; ".join(
                    f"{y}: {number_text(v)}{suffix}" for y, v in sorted(targets.items())
                )
            }
        )
    if direction_text:
        parts.append(f"{direction_text[:1].upper()}{direction_text[1:]}.")
    return " ".join(parts)


@dataclass
class Row:
    year: int
    value: str = ""
    target: str = ""
    source: str = ""
    note: str = ""
    value_row: object = None
    target_row: object = None


def indicator_rows(values, targets):
    """The table beside the chart: one row per year that has a value or a target.
    `values` and `targets` are IndicatorValue / IndicatorTarget rows."""
    rows = {}
    for value in values:
        row = rows.setdefault(value.year, Row(year=value.year))
        row.value, row.source, row.note, row.value_row = (
            number_text(value.value),
            value.source,
            value.note,
            value,
        )
    for target in targets:
        row = rows.setdefault(target.year, Row(year=target.year))
        row.target, row.target_row = number_text(target.value), target
    return [rows[year] for year in sorted(rows)]
