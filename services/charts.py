"""Charts for the reports, worked out here and drawn as SVG by templates/macros/charts.html: bars of grades,
lines of trends and a heat map of counts.

Everything a chart shows is also said in words and numbers beside it (its summary and table), so a chart only
has to make the shape of the figures easy to see. No series is told apart by colour alone: bars have a pattern
as well, lines a marker shape and a dash, and every colour has 3:1 against the white page, label text 4.5:1
against what it is written on (WCAG 2.2 1.4.1, 1.4.3, 1.4.11). Positions are in the SVG's own units, which
are px at its natural size; the SVG scales to the width it is given."""

from dataclasses import dataclass

from services.chart_scales import (
    FONT_SIZE,
    LINE_HEIGHT,
    label_step,
    nice_scale,
    number_text,
    percent,
    spread,
    text_width,
    ticks,
    wrap,
)
from services.chart_styles import BAR_STYLES, GRADE_STYLES, LINE_STYLES, BarStyle, LineStyle, marker_path


@dataclass(frozen=True)
class Series:
    """One series of a chart, as its key shows it: `index` names its pattern in the SVG."""

    index: int
    key: str
    label: str
    style: BarStyle | LineStyle


@dataclass(frozen=True)
class Text:
    """A label in the SVG: its lines, the baseline of the first, and where it is anchored (start, middle, end)."""

    lines: tuple
    x: float
    y: float
    anchor: str = "start"

    @property
    def placed(self):
        """Each line with its baseline, one below the other."""
        return tuple((line, self.y + index * LINE_HEIGHT) for index, line in enumerate(self.lines))


# Bars: the sizes of one category's part of the chart, in px at its natural size.
BARS_WIDTH = 360  # narrow, so that when the chart shrinks to a phone's width its labels shrink little
BAR_HEIGHT = 28
BAR_LABEL_GAP = 4  # between a category's label and its bar
BAR_GAP = 16  # between one bar and the next category's label
SEGMENT_PADDING = 4  # room each side of a number written on a segment


@dataclass(frozen=True)
class Segment:
    """One series' part of a bar: `count`, its `percent` of the bar's total, where it is drawn, the number
    written on it if there is room (`label`, else None), the figure in the table (`cell`, such as "12 (40%)")
    and `link` to the records behind it, if any."""

    series: int
    count: int
    percent: int
    x: float
    width: float
    label: Text | None
    cell: str
    link: str | None


@dataclass(frozen=True)
class Bar:
    """One category's bar: its `category`, the label above it (with the total, or "none"), the `y` of its
    top, its `total` and a segment for each series (those of 0 with no width)."""

    category: str
    label: Text
    y: float
    total: int
    segments: tuple
    height: int = BAR_HEIGHT


def _bar(category, counts, links, series, top):
    """A category's bar whose label starts at `top`."""
    total = sum(counts)
    label = Text(wrap(f"{category} ({total or 'none'})", BARS_WIDTH), 0, top + FONT_SIZE)
    y = top + len(label.lines) * LINE_HEIGHT + BAR_LABEL_GAP
    segments, before = [], 0
    for count, link, one in zip(counts, links, series, strict=True):
        # Each edge from the counts before it, so rounding never leaves a gap and the last edge is the end.
        x = round(before * BARS_WIDTH / total, 2) if total else 0
        before += count
        width = round(before * BARS_WIDTH / total, 2) - x if total else 0
        share = percent(count, total)
        written = f"{share}%"
        fits = count > 0 and text_width(written) + 2 * SEGMENT_PADDING <= width
        text = Text((written,), round(x + width / 2, 2), y + BAR_HEIGHT / 2 + 5.5, "middle") if fits else None
        cell = f"{count:,} ({written})" if total else "0"  # no share of nothing
        # A figure of none links too: to the list that says so, as every figure of the table does.
        segments.append(Segment(one.index, count, share, x, round(width, 2), text, cell, link))
    return Bar(category, label, y, total, tuple(segments))


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, one per category, each split by series into its shares of 100%: the bar a category's
    whole, whatever its size, so categories of different sizes compare. Each category's name is above its bar,
    where it has the chart's whole width, rather than beside it."""

    title: str
    summary: str
    category_heading: str
    series: tuple
    bars: tuple
    width: int
    height: float

    @classmethod
    def of(cls, title, summary, categories, series, counts, links=None, category_heading="Category"):
        """Bars of `counts` (a list per category, a whole number per series): `series` are (key, label) pairs,
        such as models.GRADES.items(); `links` (a list per category of a URL or None per series) link each
        figure in the table to the records behind it; `category_heading` heads the table's first column."""
        keys = [
            Series(index, key, label, GRADE_STYLES.get(key, BAR_STYLES[index % len(BAR_STYLES)]))
            for index, (key, label) in enumerate(series)
        ]
        links = links or [[None] * len(keys) for _ in categories]
        bars, top = [], 0
        for category, row, row_links in zip(categories, counts, links, strict=True):
            bar = _bar(category, row, row_links, keys, top)
            bars.append(bar)
            top = bar.y + BAR_HEIGHT + BAR_GAP
        return cls(title, summary, category_heading, tuple(keys), tuple(bars), BARS_WIDTH, max(top - BAR_GAP, 0))


# Lines: the chart's size and margins, in px at its natural size.
LINES_WIDTH = 440
PLOT_HEIGHT = 200
PLOT_INSET = 8  # between the plot's sides and its first and last points, so their markers show whole
LABEL_COLUMN = 130  # the widest a line's label may be, to the right of the plot, before it wraps
LABEL_MARKER = 16  # room for the line's marker before its label


@dataclass(frozen=True)
class Point:
    """A value on a line: where it is drawn, its marker, and the value in words."""

    x: float
    y: float
    marker: str
    text: str


@dataclass(frozen=True)
class Line:
    """One series of a trend: its `runs` (the points of each stretch with values, between gaps, as an SVG
    polyline's points), all its `points`, its label by its last point and the marker drawn by that label (None
    for a line with no values)."""

    series: Series
    runs: tuple
    points: tuple
    label: Text | None
    label_marker: str | None

    @property
    def markers(self):
        """Every point's marker as one SVG path: one element to draw however many points there are."""
        return " ".join(point.marker for point in self.points)


@dataclass(frozen=True)
class Tick:
    """A mark on an axis: the value's place along it (`at`), and its label (none where left out for room)."""

    at: float
    label: Text | None


def _x_axis(x_labels, left, right, bottom):
    """Where each point in time is across the plot, and the ticks that label them, thinned so they do not run
    into each other."""
    count = len(x_labels)
    spacing = (right - left - 2 * PLOT_INSET) / max(count - 1, 1)
    xs = [round(left + PLOT_INSET + index * spacing, 2) for index in range(count)]
    if count == 1:
        xs = [round((left + right) / 2, 2)]
    # A label of two words, such as "Jan 2025", goes on two lines: half as wide, so more of them show.
    wrapped = [tuple(label.rsplit(" ", 1)) for label in x_labels]
    every = label_step(count, spacing, max((text_width(line) for lines in wrapped for line in lines), default=0))
    x_ticks = []
    for index, (x, lines) in enumerate(zip(xs, wrapped, strict=True)):
        half = max(text_width(line) for line in lines) / 2
        middle = min(max(x, half), LINES_WIDTH - half)  # the first and last labels stay on the chart
        label = Text(lines, round(middle, 2), bottom + 24, "middle") if index % every == 0 else None
        x_ticks.append(Tick(x, label))
    return xs, tuple(x_ticks)


def _runs(points):
    """The polylines of a line: one for each run of points with values, broken where a value is missing."""
    runs, run = [], []
    for point in [*points, None]:
        if point is not None:
            run.append(f"{point.x:g},{point.y:g}")
        elif run:
            runs.append(" ".join(run))
            run = []
    return tuple(runs)


def _value_axis(values, percent):
    """The top of the value axis and the values it is marked at: 0 to 100% for percentages, else round
    numbers (whole ones for counts) up to the largest value or just above it."""
    if percent and max(values, default=0) <= 100:
        return 100, ticks(100, 25)
    top, step = nice_scale(max(values, default=0), whole=all(isinstance(value, int) for value in values))
    return top, ticks(top, step)


def _line(key, points, label_lines, label_top, right):
    """A line of its points (None where there is no value), with its label to the right of the plot at
    `label_top`: None for a line with no values, which has nothing to label."""
    drawn = tuple(point for point in points if point is not None)
    if label_top is None:
        return Line(key, (), drawn, None, None)
    label = Text(label_lines, right + 8 + LABEL_MARKER, label_top + 15)
    return Line(key, _runs(points), drawn, label, marker_path(key.style.marker, right + 14, label_top + 10))


@dataclass(frozen=True)
class Lines:
    """Lines of values over time, from 0 up: a gap in a line where there is no value, a label by each line's
    last value, and the value axis marked at round numbers, its name above it."""

    title: str
    summary: str
    x_heading: str
    y_title: Text
    lines: tuple
    rows: tuple  # the table: (x label, (each line's value then, in words))
    y_ticks: tuple
    x_ticks: tuple
    plot: tuple  # left, top, right, bottom
    width: int
    height: int
    links: tuple = ()  # the table's: for each row, each line's link or None

    @classmethod
    def of(cls, title, summary, x_labels, series, y_label, percent=False, x_heading="Month", links=None):
        """Lines of `series`, (label, values) pairs with a value per x label or None where there is none;
        `y_label` names the values (shown above the axis), `percent` says they are percentages (the axis runs
        0 to 100%), and `x_heading` heads the table's first column. `links`, if given, has for each series a
        link for each x label (or None): the table's value links to the records behind it."""
        top, y_values = _value_axis([value for _, row in series for value in row if value is not None], percent)
        y_title = Text(wrap(y_label, LINES_WIDTH), 0, FONT_SIZE)
        plot_top = len(y_title.lines) * LINE_HEIGHT + 16
        bottom = plot_top + PLOT_HEIGHT
        left = max(text_width(number_text(value, percent)) for value in y_values) + 8
        keys = [
            Series(index, label, label, LINE_STYLES[index % len(LINE_STYLES)])
            for index, (label, _) in enumerate(series)
        ]
        wrapped = [wrap(key.label, LABEL_COLUMN - LABEL_MARKER) for key in keys]
        widest = max((text_width(line) for lines in wrapped for line in lines), default=0)
        right = LINES_WIDTH - 8 - LABEL_MARKER - widest
        xs, x_ticks = _x_axis(x_labels, left, right, bottom)

        def y_of(value):
            return round(bottom - value / top * PLOT_HEIGHT, 2)

        def point(style, x, value):
            y = y_of(value)
            return Point(x, y, marker_path(style.marker, x, y), number_text(value, percent))

        points = [
            [None if value is None else point(key.style, x, value) for x, value in zip(xs, row, strict=True)]
            for key, (_, row) in zip(keys, series, strict=True)
        ]
        # Labels by the lines' last values, moved apart where lines end close together.
        ends = [(index, [p for p in line if p][-1].y) for index, line in enumerate(points) if any(line)]
        heights = [len(wrapped[index]) * LINE_HEIGHT for index, _ in ends]
        tops = spread([y for _, y in ends], heights, plot_top - LINE_HEIGHT, bottom + LINE_HEIGHT / 2)
        label_tops = dict(zip([index for index, _ in ends], tops, strict=True))
        lines = tuple(
            _line(key, line, wrapped[index], label_tops.get(index), right)
            for index, (key, line) in enumerate(zip(keys, points, strict=True))
        )
        rows = tuple(
            (label, tuple(line[index].text if line[index] else "No figure" for line in points))
            for index, label in enumerate(x_labels)
        )
        y_ticks = tuple(
            Tick(y_of(value), Text((number_text(value, percent),), round(left - 8, 2), y_of(value) + 5.5, "end"))
            for value in y_values
        )
        plot = (round(left, 2), plot_top, round(right, 2), bottom)
        by_row = tuple(zip(*links, strict=True)) if links else ((None,) * len(series),) * len(x_labels)
        return cls(
            title, summary, x_heading, y_title, lines, rows, y_ticks, x_ticks, plot, LINES_WIDTH, bottom + 52, by_row
        )


HEAT_SHADES = 4  # shades above none: app-heat--1 (lightest) to app-heat--4 (darkest) in static/css/app.css


@dataclass(frozen=True)
class KeyStep:
    """One shade of a heat map's key: the counts it stands for, in words."""

    shade: int
    text: str


@dataclass(frozen=True)
class HeatCell:
    """A count in a heat map, and its shade: 0 (none) to 4 (darkest)."""

    count: int
    shade: int

    @property
    def text(self):
        """The count as a person reads it."""
        return f"{self.count:,}"


@dataclass(frozen=True)
class HeatMap:
    """A table of counts whose cells are shaded by how large each is beside the largest: none unshaded, then
    4 shades of blue. The table is the chart: the numbers are in it, so the shading only helps them be seen."""

    title: str
    summary: str
    row_heading: str
    column_heading: str
    column_labels: tuple
    rows: tuple  # (label, (HeatCell, ...)) per row
    key: tuple

    @classmethod
    def of(cls, title, summary, row_labels, column_labels, counts, row_heading, column_heading):
        """A heat map of `counts` (a list per row label, a count per column label); `row_heading` names what is
        down the side and `column_heading` what is across the top."""
        largest = max((count for row in counts for count in row), default=0)
        rows = tuple(
            (label, tuple(HeatCell(count, shade(count, largest)) for count in row))
            for label, row in zip(row_labels, counts, strict=True)
        )
        return cls(title, summary, row_heading, column_heading, tuple(column_labels), rows, heat_key(largest))


def shade(count, largest):
    """A count's shade, 0 for none, else 1 to 4 by which quarter of the largest count it is in, so that only
    the largest, and those near it, are darkest."""
    if not count or not largest:
        return 0
    return -(-count * HEAT_SHADES // largest)


def heat_key(largest):
    """What each shade stands for, when the largest count is `largest`: shades no whole count has are left out."""
    steps = [KeyStep(0, "0")]
    for step in range(1, HEAT_SHADES + 1):
        low = (step - 1) * largest // HEAT_SHADES + 1
        high = step * largest // HEAT_SHADES
        if low <= high:
            steps.append(KeyStep(step, f"{low:,}" if low == high else f"{low:,} to {high:,}"))
    return tuple(steps)
