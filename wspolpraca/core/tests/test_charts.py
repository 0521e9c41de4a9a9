"""The server-drawn SVG charts: geometry, and what the templates draw for people who
cannot see the chart (title, description, numbers as text)."""

from django.template.loader import render_to_string

from wspolpraca.core import charts


def test_bar_widths_are_proportional_to_the_largest_value():
    chart = charts.bar_chart([("A", 10), ("B", 5), ("C", 0)], title="Votes")
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == charts.BAR_CHART_WIDTH - charts.LABEL_WIDTH - charts.VALUE_ROOM
    assert widths[1] == widths[0] / 2
    assert widths[2] == 0


def test_bar_widths_follow_the_given_maximum_for_percentages():
    chart = charts.bar_chart([("A", 50)], title="Share", unit="%", max_value=100)
    room = charts.BAR_CHART_WIDTH - charts.LABEL_WIDTH - charts.VALUE_ROOM
    assert chart.bars[0].width == room / 2
    assert chart.bars[0].text == "50%"


def test_bar_chart_of_only_zeros_draws_no_bar_and_no_division_error():
    chart = charts.bar_chart([("A", 0), ("B", 0)], title="Nothing yet")
    assert [bar.width for bar in chart.bars] == [0, 0]


def test_bar_chart_height_grows_with_the_rows():
    one = charts.bar_chart([("A", 1)], title="t")
    three = charts.bar_chart([("A", 1), ("B", 2), ("C", 3)], title="t")
    assert three.height - one.height == 2 * (charts.BAR_HEIGHT + charts.BAR_GAP)


def test_bar_chart_cuts_long_labels_and_keeps_the_whole_one():
    label = "Bardzo długa etykieta odpowiedzi, która nie mieści się w kolumnie"
    bar = charts.bar_chart([(label, 3)], title="t").bars[0]
    assert bar.short_label.endswith("…") and len(bar.short_label) == charts.LABEL_CHARACTERS
    assert bar.label == label


def test_bar_chart_description_lists_every_number_when_none_given():
    chart = charts.bar_chart([("Tak", 3, "3 (75%)"), ("Nie", 1, "1 (25%)")], title="t")
    assert chart.desc == "Tak: 3 (75%); Nie: 1 (25%)"


def test_bar_chart_svg_is_an_image_named_by_its_title_and_description():
    chart = charts.bar_chart([("Tak", 3), ("Nie", 1)], title="Czy wiesz?")
    svg = render_to_string("core/charts/bars.html", {"chart": chart})
    assert 'role="img"' in svg
    assert f'aria-labelledby="{chart.title_id} {chart.desc_id}"' in svg
    assert f'<title id="{chart.title_id}">Czy wiesz?</title>' in svg
    assert ">Tak<" in svg and ">3<" in svg  # labels and numbers as text


def test_two_charts_on_a_page_get_different_ids():
    first = charts.bar_chart([("A", 1)], title="t")
    second = charts.bar_chart([("A", 1)], title="t")
    assert first.id != second.id


def test_year_chart_sorts_years_and_scales_to_a_round_top():
    chart = charts.year_chart([(2023, 30), (2021, 10), (2022, 20)], title="Liczba")
    assert [p.year for p in chart.points] == [2021, 2022, 2023]
    assert chart.ticks[-1][1] == "50"  # 30 rounds up to 50
    heights = [p.column_height for p in chart.points]
    assert heights[1] == 2 * heights[0]
    assert chart.points[2].y == round(chart.baseline - heights[2], 1)


def test_year_chart_places_a_target_line():
    chart = charts.year_chart([(2021, 40)], title="t", target=100, unit="%")
    assert chart.ticks[-1][1] == "100"
    assert chart.target == chart.ticks[-1][0]
    assert chart.target_text == "100%"


def test_year_line_chart_draws_a_polyline_through_its_points():
    chart = charts.year_chart([(2021, 1), (2022, 2)], title="t", style="line")
    svg = render_to_string("core/charts/years.html", {"chart": chart})
    assert "<polyline" in svg and chart.polyline in svg
    assert ">2021<" in svg and ">2022<" in svg


def test_year_column_chart_writes_each_value_and_has_title_and_desc():
    chart = charts.year_chart([(2021, 1.5), (2022, 2)], title="Tytuł", desc="Opis")
    svg = render_to_string("core/charts/years.html", {"chart": chart})
    assert svg.count("<rect") == 2
    assert ">1.5<" in svg and ">2<" in svg
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg


def test_empty_year_chart_renders():
    chart = charts.year_chart([], title="t")
    assert chart.points == []
    assert "<svg" in render_to_string("core/charts/years.html", {"chart": chart})
