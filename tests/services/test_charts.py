"""The charts (services/charts.py, chart_scales.py, chart_styles.py and templates/macros/charts.html): the geometry
on plain values, then each macro rendered through the app's templates, checked as a reader would find it."""

import re
from collections import Counter
from pathlib import Path

import html5lib
import pytest

from models import GRADES
from services.chart_scales import LINE_HEIGHT, nice_scale, number_text, percent, spread, text_width, ticks, wrap
from services.chart_styles import BAR_STYLES, GRADE_STYLES, LINE_STYLES, WHITE, contrast, marker_path
from services.charts import BARS_WIDTH, SEGMENT_PADDING, Bars, HeatMap, Lines, heat_key, shade

GRADE_SERIES = list(GRADES.items())
MONTHS = [
    f"{month} {year}" for year in (2024, 2025) for month in "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
]


def grade_bars(counts, categories=None, links=None):
    categories = categories or [f"Domain {index}" for index in range(len(counts))]
    return Bars.of("Grades by domain", "Most domains were graded Good.", categories, GRADE_SERIES, counts, links)


# Bars


def test_segments_fill_the_bar_end_to_end_whatever_the_counts():
    for counts in ([1, 1, 1, 0], [7, 3, 2, 1], [0, 0, 5, 0], [1, 999, 0, 1]):
        (bar,) = grade_bars([counts]).bars
        edges = [(segment.x, segment.x + segment.width) for segment in bar.segments]
        assert edges[0][0] == 0 and edges[-1][1] == pytest.approx(BARS_WIDTH)
        assert all(end == pytest.approx(start) for (_, end), (start, _) in zip(edges, edges[1:], strict=False))
        for segment, count in zip(bar.segments, counts, strict=True):
            assert segment.width == pytest.approx(count / sum(counts) * BARS_WIDTH, abs=0.02)


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(1, 8, 13), (3, 8, 38), (1, 3, 33), (2, 3, 67), (5, 200, 3), (7, 200, 4), (0, 5, 0), (0, 0, 0), (4, 4, 100)],
)
def test_percentages_are_whole_with_halves_rounded_up(count, total, expected):
    assert percent(count, total) == expected


def test_a_bar_shows_each_count_with_its_percentage_in_the_table():
    (bar,) = grade_bars([[12, 10, 5, 3]]).bars
    assert [segment.cell for segment in bar.segments] == ["12 (40%)", "10 (33%)", "5 (17%)", "3 (10%)"]
    assert bar.total == 30 and bar.label.lines == ("Domain 0 (30)",)


def test_a_bar_of_nothing_is_empty_and_says_none():
    (bar,) = grade_bars([[0, 0, 0, 0]]).bars
    assert bar.total == 0 and bar.label.lines == ("Domain 0 (none)",)
    assert all(segment.width == 0 and segment.label is None for segment in bar.segments)
    assert [segment.cell for segment in bar.segments] == ["0"] * 4


def test_a_share_is_written_on_its_segment_only_where_it_fits():
    (bar,) = grade_bars([[60, 25, 12, 3]]).bars
    written = [segment.label.lines[0] if segment.label else None for segment in bar.segments]
    assert written == ["60%", "25%", "12%", None]  # 3% of 360px is 11px wide
    for segment in bar.segments:
        fits = text_width(f"{segment.percent}%") + 2 * SEGMENT_PADDING <= segment.width
        assert (segment.label is not None) == fits
        if segment.label:
            assert segment.label.x == pytest.approx(segment.x + segment.width / 2)
            assert segment.label.anchor == "middle"


def test_a_long_category_name_wraps_above_its_bar_and_pushes_the_next_bar_down():
    long_name = "Child's lived experience and voice, and how the plan reflects what the child has said"
    first, second = grade_bars([[1, 2, 3, 4], [4, 3, 2, 1]], [long_name, "Leadership"]).bars
    assert len(first.label.lines) == 2 and " ".join(first.label.lines) == f"{long_name} (10)"
    assert all(text_width(line) <= BARS_WIDTH for line in first.label.lines)
    assert first.y == first.label.placed[-1][1] - 16 + LINE_HEIGHT + 4
    assert second.label.y > first.y + first.height
    # The longest domain name of the audit template fits on one line.
    assert len(wrap("Child's lived experience and voice (100)", BARS_WIDTH)) == 1


def test_every_figure_keeps_its_link_a_figure_of_none_too():
    links = [[f"/audits?grade={key}" for key in GRADES]]
    (bar,) = grade_bars([[2, 0, 1, 0]], links=links).bars
    assert [segment.link for segment in bar.segments] == links[0]


def test_counts_must_match_the_categories_and_series():
    with pytest.raises(ValueError):
        grade_bars([[1, 2, 3]])
    with pytest.raises(ValueError):
        Bars.of("T", "S", ["One", "Two"], GRADE_SERIES, [[1, 2, 3, 4]])


def test_each_grade_has_its_own_colour_and_pattern_whichever_grades_a_chart_shows():
    styles = [GRADE_STYLES[key] for key in GRADES]
    assert len({style.colour for style in styles}) == len({style.pattern for style in styles}) == len(GRADES)
    only_two = Bars.of("T", "S", ["A"], [("good", "Good"), ("inadequate", "Inadequate")], [[1, 1]])
    assert [series.style for series in only_two.series] == [GRADE_STYLES["good"], GRADE_STYLES["inadequate"]]


def test_every_colour_has_enough_contrast():
    for style in BAR_STYLES:
        assert contrast(style.colour, WHITE) >= 3, style  # a bar against the page
        assert contrast(style.text, style.colour) >= 4.5 and contrast(style.text, style.mark) >= 4.5, style
    for style in LINE_STYLES:
        assert contrast(style.colour, WHITE) >= 4.5, style  # the line, and its label written in its colour
    assert len({(style.dash, style.marker) for style in LINE_STYLES}) == len(LINE_STYLES)


def test_heat_map_shades_have_readable_numbers():
    css = Path(__file__).parents[2].joinpath("static/css/app.css").read_text()
    found = re.findall(r"\.app-heat--(\d) \{\s*background-color: (#\w{6});\s*color: (#\w{6});", css)
    assert [int(step) for step, _, _ in found] == [0, 1, 2, 3, 4]
    for _, background, text in found:
        assert contrast(background, text) >= 4.5


# Lines


def test_nothing_is_drawn_where_there_is_no_value():
    chart = Lines.of("T", "S", MONTHS[:6], [("Audits", [3, None, 5, 6, None, None])], "Audits")
    (line,) = chart.lines
    assert len(line.points) == 3  # not a point at 0 for each missing value
    assert line.runs == (
        f"{line.points[0].x:g},{line.points[0].y:g}",
        " ".join(f"{p.x:g},{p.y:g}" for p in line.points[1:]),
    )
    assert [cells for _, cells in chart.rows] == [
        ("3",),
        ("No figure",),
        ("5",),
        ("6",),
        ("No figure",),
        ("No figure",),
    ]
    # Labelled by its last value, not where the months end.
    assert line.label.placed[0][1] == pytest.approx(line.points[-1].y - 10 + 15)


@pytest.mark.parametrize(
    ("largest", "whole", "expected"),
    [(0, True, (4, 1)), (1, True, (4, 1)), (7, True, (8, 2)), (10, True, (10, 2)), (37, True, (40, 10)),
     (100, True, (100, 25)), (101, True, (125, 25)), (1234, True, (1250, 250)), (0.8, False, (0.8, 0.2))],
)  # fmt: skip
def test_the_value_axis_runs_to_a_round_number_in_four_or_five_steps(largest, whole, expected):
    top, step = nice_scale(largest, whole)
    assert (top, step) == pytest.approx(expected)
    assert top >= largest and 4 <= round(top / step) <= 5


def test_axis_values_read_as_written():
    assert ticks(0.8, 0.2) == [0, 0.2, 0.4, 0.6, 0.8]
    assert [number_text(value) for value in ticks(1500, 500)] == ["0", "500", "1,000", "1,500"]
    assert number_text(33.333, as_percent=True) == "33.3%"


def test_a_percentage_axis_runs_from_0_to_100_percent():
    chart = Lines.of("T", "S", MONTHS[:3], [("Good or better", [40, 55.5, 61])], "Audits", percent=True)
    assert [tick.label.lines[0] for tick in chart.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]
    left, top, right, bottom = chart.plot
    assert [tick.at for tick in chart.y_ticks] == [bottom, bottom - 50, bottom - 100, bottom - 150, top]
    assert chart.rows[1] == ("Feb 2024", ("55.5%",))


@pytest.mark.parametrize("months", [3, 12, 18, 24])
def test_month_labels_are_thinned_so_none_run_into_each_other(months):
    chart = Lines.of("T", "S", MONTHS[:months], [("Audits", list(range(months)))], "Audits")
    shown = [tick for tick in chart.x_ticks if tick.label]
    assert shown[0] is chart.x_ticks[0] and len(shown) >= 2
    for before, after in zip(shown, shown[1:], strict=False):
        half_widths = sum(max(text_width(line) for line in tick.label.lines) / 2 for tick in (before, after))
        assert after.label.x - before.label.x >= half_widths
    assert all(tick.label.lines == ("Jan", "2024") or tick.label.lines[1] in ("2024", "2025") for tick in shown)
    every = chart.x_ticks.index(shown[1])
    assert every in (1, 2, 3, 4, 6)
    if months == 3:
        assert every == 1


def test_labels_of_lines_ending_together_are_moved_apart():
    series = [("Outstanding", [5, 5]), ("Good", [5, 5]), ("Requires Improvement to be Good", [5, 5])]
    chart = Lines.of("T", "S", MONTHS[:2], series, "Audits")
    labels = sorted((line.label for line in chart.lines), key=lambda label: label.y)
    for above, below in zip(labels, labels[1:], strict=False):
        assert below.y - above.y >= len(above.lines) * LINE_HEIGHT
    assert all(label.x > chart.plot[2] for label in labels)
    assert all(label.x + max(text_width(line) for line in label.lines) <= chart.width for label in labels)


def test_spread_keeps_labels_where_they_belong_when_they_do_not_collide():
    assert spread([50, 150], [20, 20], 0, 200) == [40, 140]
    assert spread([100, 100], [20, 20], 0, 200) == [90, 110]
    assert spread([195, 195], [20, 20], 0, 200) == [160, 180]  # kept off the bottom


def test_a_line_with_no_values_is_in_the_table_but_not_drawn():
    chart = Lines.of("T", "S", MONTHS[:2], [("Audits", [1, 2]), ("Moderated", [None, None])], "Audits")
    empty = chart.lines[1]
    assert empty.runs == () and empty.points == () and empty.label is None
    assert [cells[1] for _, cells in chart.rows] == ["No figure", "No figure"]


def test_each_line_has_its_own_marker_shape():
    shapes = {marker_path(style.marker, 10, 10) for style in LINE_STYLES}
    assert len(shapes) == len(LINE_STYLES)
    with pytest.raises(ValueError):
        marker_path("star", 10, 10)


# Heat maps


@pytest.mark.parametrize(
    ("count", "largest", "expected"),
    [(0, 8, 0), (1, 8, 1), (2, 8, 1), (3, 8, 2), (4, 8, 2), (6, 8, 3), (7, 8, 4), (8, 8, 4), (0, 0, 0), (1, 1, 4)],
)
def test_a_count_is_shaded_by_its_quarter_of_the_largest(count, largest, expected):
    assert shade(count, largest) == expected


def test_a_grid_of_nothing_is_unshaded():
    chart = HeatMap.of("T", "S", ["A", "B"], ["A", "B"], [[0, 0], [0, 0]], "Auditor's grade", "Moderated grade")
    assert {cell.shade for _, cells in chart.rows for cell in cells} == {0}
    assert [(step.shade, step.text) for step in chart.key] == [(0, "0")]


def test_the_key_says_which_counts_each_shade_stands_for():
    assert [(step.shade, step.text) for step in heat_key(7)] == [
        (0, "0"),
        (1, "1"),
        (2, "2 to 3"),
        (3, "4 to 5"),
        (4, "6 to 7"),
    ]
    assert [(step.shade, step.text) for step in heat_key(2)] == [
        (0, "0"),
        (2, "1"),
        (4, "2"),
    ]  # no count is shade 1 or 3
    assert heat_key(4000)[-1].text == "3,001 to 4,000"
    for largest in (1, 2, 3, 7, 12, 100):
        for count in range(1, largest + 1):
            (step,) = [step for step in heat_key(largest) if step.shade == shade(count, largest)]
            low, _, high = step.text.partition(" to ")
            assert int(low) <= count <= int(high or low)


# Rendering


@pytest.fixture
def render(app):
    """Render macros of templates/macros/charts.html as the app would, and parse the result as a page would be."""

    def render_(source, **context):
        with app.test_request_context():
            macros = '{% from "macros/charts.html" import bar_chart, line_chart, heat_map %}'
            text = app.jinja_env.from_string(macros + source).render(**context)
        page = f"<!DOCTYPE html><html lang='en'><head><title>Charts</title></head><body>{text}</body></html>"
        document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
        return text, document

    return render_


def tag(element):
    return element.tag.rpartition("}")[2]


def elements(document, name):
    return [element for element in document.iter() if isinstance(element.tag, str) and tag(element) == name]


def words(element):
    return " ".join("".join(element.itertext()).split())


def table_cells(document):
    return [[words(cell) for cell in row if tag(cell) in ("td", "th")] for row in elements(document, "tr")]


def svg_texts(svg):
    """Each label in an SVG, its lines (each a <tspan>) joined by a space."""
    texts = [text for text in svg.iter() if isinstance(text.tag, str) and tag(text) == "text"]
    return [" ".join(words(line) for line in text) or words(text) for text in texts]


def test_two_charts_on_a_page_have_ids_of_their_own(render):
    bars = grade_bars([[3, 2, 1, 0], [0, 0, 0, 0]])
    lines = Lines.of("Audits by month", "More each month.", MONTHS[:3], [("Audits", [1, 2, 3])], "Audits")
    heat = HeatMap.of("Grade changes", "Most kept.", ["Good"], ["Good"], [[4]], "Auditor's grade", "Moderated grade")
    source = (
        '{{ bar_chart(bars, "domains") }}{{ bar_chart(bars, "teams") }}'
        '{{ line_chart(lines, "trend") }}{{ heat_map(heat, "changes") }}'
    )
    text, document = render(source, bars=bars, lines=lines, heat=heat)
    ids = Counter(element.get("id") for element in document.iter() if element.get("id"))
    assert ids and max(ids.values()) == 1, ids
    assert all(name.startswith(("domains-", "teams-", "trend-", "changes-")) for name in ids)
    for svg in elements(document, "svg"):
        if svg.get("role") == "img":
            assert all(name in ids for name in svg.get("aria-labelledby").split())
    # Every fill names a pattern of its own chart.
    for chart in ("domains", "teams"):
        fills = set(re.findall(rf'fill="url\(#({chart}-pattern-\d)\)"', text))
        assert fills == {f"{chart}-pattern-{index}" for index in range(4)} and fills <= set(ids)
    assert not re.search(r"<style|<script|\sstyle=", text)


def test_a_bar_chart_shows_its_title_summary_key_and_the_same_numbers_in_a_table(render):
    bars = grade_bars([[12, 10, 5, 3], [0, 0, 0, 0]], ["Child's lived experience and voice", "Leadership"])
    _, document = render('{{ bar_chart(bars, "domains", heading_level=2) }}', bars=bars)
    (heading,) = elements(document, "h2")
    assert words(heading) == "Grades by domain" and heading.get("id") == "domains-title"
    assert words(document.find(".//p[@id='domains-summary']")) == "Most domains were graded Good."
    assert [words(item) for item in elements(document, "li")] == list(GRADES.values())
    (svg,) = [svg for svg in elements(document, "svg") if svg.get("role") == "img"]
    assert svg.get("aria-labelledby") == "domains-title domains-summary" and svg.get("width") == "100%"
    assert svg_texts(svg) == ["Child's lived experience and voice (30)", "40%", "33%", "17%", "Leadership (none)"]
    # Each count has its segment, filled with its grade's pattern; the empty bar is an outline.
    segments = [rect for rect in elements(svg, "rect") if (rect.get("fill") or "").startswith("url(")]
    assert [rect.get("fill") for rect in segments][-4:] == [f"url(#domains-pattern-{index})" for index in range(4)]
    assert any(rect.get("fill") == "#ffffff" and rect.get("stroke") == "#484949" for rect in elements(svg, "rect"))
    assert table_cells(document) == [
        ["Category", *GRADES.values(), "Total"],
        ["Child's lived experience and voice", "12 (40%)", "10 (33%)", "5 (17%)", "3 (10%)", "30"],
        ["Leadership", "0", "0", "0", "0", "0"],
    ]
    (region,) = [div for div in elements(document, "div") if div.get("role") == "region"]
    assert "app-table-scroll" in region.get("class")


def test_the_figures_of_a_bar_chart_link_to_their_records(render):
    links = [["/audits?grade=outstanding&domain=1", None, None, None]]
    _, document = render('{{ bar_chart(bars, "domains") }}', bars=grade_bars([[2, 1, 0, 0]], links=links))
    (link,) = elements(document, "a")
    assert link.get("href") == "/audits?grade=outstanding&domain=1"
    assert words(link) == "2 (67%): Outstanding, Domain 0"


def test_a_line_chart_shows_its_lines_and_the_same_values_in_a_table(render):
    series = [("Audits", [4, None, 6]), ("Moderated", [1, 2, 2])]
    lines = Lines.of("Audits by month", "More each month.", MONTHS[:3], series, "Audits", x_heading="Month")
    _, document = render('{{ line_chart(lines, "trend") }}', lines=lines)
    (heading,) = elements(document, "h3")
    assert words(heading) == "Audits by month"
    (svg,) = elements(document, "svg")
    polylines = elements(svg, "polyline")
    assert len(polylines) == 3  # the first line is broken where it has no value
    assert {line.get("stroke-dasharray") for line in polylines} == {LINE_STYLES[0].dash, LINE_STYLES[1].dash}
    assert len(elements(svg, "path")) == 2 + 2  # the markers of each line's values as one path, and one by each label
    texts = svg_texts(svg)
    assert texts[0] == "Audits" and "Audits" in texts[1:] and "Moderated" in texts and "Jan 2024" in texts
    assert table_cells(document) == [
        ["Month", "Audits", "Moderated"],
        ["Jan 2024", "4", "1"],
        ["Feb 2024", "No figure", "2"],
        ["Mar 2024", "6", "2"],
    ]


def test_a_heat_map_is_a_table_of_shaded_numbers_with_a_key(render):
    counts = [[10, 2, 0, 0], [1, 20, 3, 0], [0, 4, 8, 1], [0, 0, 1, 2]]
    heat = HeatMap.of(
        "Grades before and after moderation", "Most grades were kept.", list(GRADES.values()),
        list(GRADES.values()), counts, "Auditor's grade", "Moderated grade",
    )  # fmt: skip
    _, document = render('{{ heat_map(heat, "changes") }}', heat=heat)
    rows = table_cells(document)
    assert rows[0] == ["", "Moderated grade"] and rows[1] == ["Auditor's grade", *GRADES.values()]
    assert rows[2:] == [[label, *map(str, row)] for label, row in zip(GRADES.values(), counts, strict=True)]
    shaded = [cell.get("class").split()[-1] for cell in elements(document, "td") if "app-heat" in cell.get("class")]
    assert shaded[:4] == ["app-heat--2", "app-heat--1", "app-heat--0", "app-heat--0"] and "app-heat--4" in shaded
    assert [words(item) for item in elements(document, "li")] == ["0", "1 to 5", "6 to 10", "11 to 15", "16 to 20"]
    assert document.find(".//table").get("aria-describedby") == "changes-summary"


def test_labels_are_escaped(render):
    evil = "<script>alert(1)</script>"
    bars = Bars.of(evil, evil, [evil], [("x", evil)], [[1]], links=[["/a?b=<c>"]], category_heading=evil)
    lines = Lines.of(evil, evil, [evil], [(evil, [1])], evil, x_heading=evil)
    heat = HeatMap.of(evil, evil, [evil], [evil], [[1]], evil, evil)
    text, document = render(
        '{{ bar_chart(bars, "a") }}{{ line_chart(lines, "b") }}{{ heat_map(heat, "c") }}',
        bars=bars,
        lines=lines,
        heat=heat,
    )
    assert "<script" not in text and "&lt;script&gt;" in text and "/a?b=&lt;c&gt;" in text
    assert not elements(document, "script")
