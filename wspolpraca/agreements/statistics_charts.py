"""Bar charts of the statistics, drawn on the server as SVG (template
`agreements/statistics/_bar_chart.html`): readable without JavaScript, printable, and
described for screen readers (`role="img"`, `<title>`, `<desc>` with every number). The
same numbers are in the table beside each chart.

Here only the geometry: one horizontal bar per row, its label above it and its value
after it. Coordinates are strings with a dot, whatever the page's language (a Polish
template would write 12,5).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WIDTH = 400
ROW_HEIGHT = 44
BAR_HEIGHT = 16
LABEL_BASELINE = 14
# Room at the right of the longest bar for its value ("1 234 567,89 zł").
VALUE_ROOM = 120
LABEL_CHARACTERS = 52


@dataclass
class Bar:
    label: str
    text: str
    label_y: str
    y: str
    width: str
    value_x: str
    value_y: str


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    width: int = WIDTH
    height: int = 0
    bar_height: int = BAR_HEIGHT
    bars: list = field(default_factory=list)


def _short(label):
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def bar_chart(chart_id, title, items):
    """A chart of `items`: (label, value or None, value as shown[, label drawn]). The label
    drawn (a department's symbol) may be shorter than the one described (its name). A row
    without a value gets no bar and "—"; the description lists every row as the table
    does."""
    items = [(*item[:3], item[3] if len(item) > 3 and item[3] else item[0]) for item in items]
    largest = max((value for _label, value, _text, _drawn in items if value), default=0)
    chart = BarChart(id=chart_id, title=title, description="")
    for index, (_label, value, text, drawn) in enumerate(items):
        top = index * ROW_HEIGHT
        length = float(value) / float(largest) * (WIDTH - VALUE_ROOM) if value and largest else 0
        bar_top = top + LABEL_BASELINE + 6
        chart.bars.append(
            Bar(
                label=_short(drawn),
                text=text if value is not None else "—",
                label_y=f"{top + LABEL_BASELINE}",
                y=f"{bar_top}",
                width=f"{length:.1f}",
                value_x=f"{length + 6:.1f}",
                value_y=f"{bar_top + BAR_HEIGHT - 3}",
            )
        )
    chart.height = max(len(items), 1) * ROW_HEIGHT
    listed = "; ".join(
        f"{label}: {text if value is not None else '—'}" for label, value, text, _drawn in items
    )
    chart.description = (
        _("Bar chart. %(values)s. The numbers are also in the table below the chart.")
        % {"values": listed}
        if items
        else _("Bar chart with no data.")
    )
    return chart
