"""Charts drawn on the server as SVG (DESIGN.md "charts"): readable without JavaScript,
by screen readers and on paper.

The helpers here only compute geometry; the templates in core/templates/core/charts/
draw it. Every chart has a `<title>` and a `<desc>` (the SVG is `role="img"` and points
at both), each bar or column carries its number as text, so that no meaning rests on
colour alone, and the page shows the same numbers in a table beside the chart.

    chart = charts.bar_chart(rows, title=_("Answers"), unit="%")
    {% include "core/charts/bars.html" with chart=chart %}

    chart = charts.year_chart([(2021, 12), (2022, 18)], title=..., style="line")
    {% include "core/charts/years.html" with chart=chart %}
"""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

# Sizes in SVG user units; the SVG scales to the width of its container.
BAR_CHART_WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 240  # the labels' column, left of the bars
VALUE_ROOM = 70  # room right of the longest bar for its number
LABEL_CHARACTERS = 34  # longer labels are cut with "…" (the table beside has them whole)
YEAR_CHART_WIDTH = 640
YEAR_CHART_HEIGHT = 280
YEAR_MARGIN = {"top": 24, "right": 16, "bottom": 36, "left": 48}

_ids = count(1)


def _chart_id(prefix):
    return f"{prefix}-{next(_ids)}"


def _number(value):
    """A value as shown on the chart: whole numbers without decimals, others with one,
    with the decimal comma of the page's language left to the table beside."""
    if isinstance(value, Decimal):
        value = float(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _short(label, limit=LABEL_CHARACTERS):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the number written at the end of the bar
    y: float
    width: float
    short_label: str
    text_x: float = 0
    text_y: float = 0
    label_y: float = 0


@dataclass
class BarChart:
    title: str
    desc: str
    bars: list = field(default_factory=list)
    width: int = BAR_CHART_WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH
    id: str = ""

    @property
    def title_id(self):
        return f"{self.id}-title"

    @property
    def desc_id(self):
        return f"{self.id}-desc"


def bar_chart(rows, *, title, desc="", unit="", max_value=None):
    """A horizontal bar chart of `rows`, each (label, value) or (label, value, text).

    Bars are scaled to `max_value` (100 for percentages) or to the largest value; the
    number (`text`, or the value with `unit`) is written right of each bar.
    """
    rows = [tuple(r) for r in rows]
    values = [float(r[1]) for r in rows]
    top = float(max_value) if max_value else max(values, default=0)
    room = BAR_CHART_WIDTH - LABEL_WIDTH - VALUE_ROOM
    chart = BarChart(title=str(title), desc=str(desc), id=_chart_id("bar-chart"))
    for index, row in enumerate(rows):
        label, value = str(row[0]), values[index]
        text = str(row[2]) if len(row) > 2 else f"{_number(value)}{unit}"
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        width = round(room * value / top, 1) if top > 0 else 0.0
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                y=y,
                width=max(width, 0.0),
                short_label=_short(label),
                text_x=LABEL_WIDTH + width + 6,
                text_y=y + BAR_HEIGHT * 0.7,
                label_y=y + BAR_HEIGHT * 0.7,
            )
        )
    chart.height = BAR_GAP + len(rows) * (BAR_HEIGHT + BAR_GAP)
    if not chart.desc:
        chart.desc = "; ".join(f"{b.label}: {b.text}" for b in chart.bars)
    return chart


@dataclass
class YearPoint:
    year: int
    value: float
    text: str
    x: float  # the centre of the column or point
    y: float  # the top of the column, the point itself
    column_x: float
    column_width: float
    column_height: float


@dataclass
class YearChart:
    title: str
    desc: str
    style: str
    points: list = field(default_factory=list)
    ticks: list = field(default_factory=list)  # (y, text) of the horizontal grid
    width: int = YEAR_CHART_WIDTH
    height: int = YEAR_CHART_HEIGHT
    baseline: float = 0
    left: float = 0
    right: float = 0
    target: float | None = None  # the y of a target line, when given
    target_text: str = ""
    id: str = ""

    @property
    def polyline(self):
        return " ".join(f"{p.x},{p.y}" for p in self.points)

    @property
    def title_id(self):
        return f"{self.id}-title"

    @property
    def desc_id(self):
        return f"{self.id}-desc"


def _nice_top(value):
    """A round number at or above `value` for the top of the axis (1, 2, 2.5, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def year_chart(points, *, title, desc="", unit="", style="column", target=None, ticks=4):
    """A column (style="column") or line (style="line") chart of values over years.

    `points` are (year, value) in any order; missing years are left out, not drawn as
    zero. `target` draws a dashed horizontal line (a strategy's target value).
    """
    points = sorted((int(y), float(v)) for y, v in points)
    top = _nice_top(max([v for _y, v in points] + [float(target or 0)], default=0))
    margin = YEAR_MARGIN
    plot_width = YEAR_CHART_WIDTH - margin["left"] - margin["right"]
    plot_height = YEAR_CHART_HEIGHT - margin["top"] - margin["bottom"]
    baseline = margin["top"] + plot_height
    chart = YearChart(
        title=str(title),
        desc=str(desc),
        style=style,
        baseline=baseline,
        left=margin["left"],
        right=YEAR_CHART_WIDTH - margin["right"],
        id=_chart_id("year-chart"),
    )
    slot = plot_width / len(points) if points else plot_width
    for index, (year, value) in enumerate(points):
        height = round(plot_height * value / top, 1)
        x = round(margin["left"] + slot * index + slot / 2, 1)
        chart.points.append(
            YearPoint(
                year=year,
                value=value,
                text=f"{_number(value)}{unit}",
                x=x,
                y=round(baseline - height, 1),
                column_x=round(x - slot * 0.3, 1),
                column_width=round(slot * 0.6, 1),
                column_height=height,
            )
        )
    for step in range(ticks + 1):
        value = top * step / ticks
        chart.ticks.append((round(baseline - plot_height * step / ticks, 1), _number(value)))
    if target is not None:
        chart.target = round(baseline - plot_height * float(target) / top, 1)
        chart.target_text = f"{_number(float(target))}{unit}"
    if not chart.desc:
        chart.desc = "; ".join(f"{p.year}: {p.text}" for p in chart.points)
    return chart
