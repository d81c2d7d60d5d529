"""How the charts' series look (services/charts.py): each a colour from GOV.UK Frontend 6's palette and a
second way to tell it apart, a pattern for bars and a marker shape and dash for lines, so that no series is
told apart by colour alone (WCAG 2.2 1.4.1).

Every colour here has 3:1 against the white page (1.4.11) and every label written on or in one has 4.5:1
(1.4.3); tests/services/test_charts.py checks each with `contrast`."""

from dataclasses import dataclass

from models import GRADES

WHITE = "#ffffff"


@dataclass(frozen=True)
class BarStyle:
    """How one series of bars is filled: `colour` with `mark`s on it in a `pattern` (the macro draws each
    pattern), and the `text` colour that reads on both."""

    colour: str
    mark: str
    pattern: str
    text: str = WHITE


# From GOV.UK Frontend 6's palette: each primary colour or its shade-25, with marks of its shade-50.
BAR_STYLES = (
    BarStyle("#0f7a52", "#0f7a52", "solid"),  # green
    BarStyle("#1d70b8", "#0f385c", "stripes"),  # blue
    BarStyle("#b7592a", "#7a3c1c", "dots"),  # orange shade-25: orange itself has under 3:1 on white
    BarStyle("#ca3535", "#651b1b", "crosshatch"),  # red
    BarStyle("#54319f", "#2a1950", "horizontal"),  # purple
    BarStyle("#158187", "#0b4144", "vertical"),  # teal
)
# Each grade looks the same on every chart, whichever of them a chart shows.
GRADE_STYLES = dict(zip(GRADES, BAR_STYLES, strict=False))


@dataclass(frozen=True)
class LineStyle:
    """How one line is drawn: its colour (also its label's), dash pattern and marker shape."""

    colour: str
    dash: str
    marker: str


LINE_STYLES = (
    LineStyle("#1d70b8", "none", "circle"),  # blue
    LineStyle("#b7592a", "10 5", "square"),  # orange shade-25
    LineStyle("#0f7a52", "3 4", "triangle"),  # green
    LineStyle("#54319f", "12 4 3 4", "diamond"),  # purple
    LineStyle("#0b0c0c", "6 3", "triangle-down"),  # black
)


MARKER_SIZE = 5  # half the width of a marker


def marker_path(shape, x, y, size=MARKER_SIZE):
    """The SVG path of a point's marker centred on (x, y): a circle, square, triangle, diamond or a triangle
    pointing down, so that each line is told apart by its markers as well as its colour."""
    if shape == "circle":
        return f"M{x - size:g} {y:g}a{size} {size} 0 1 0 {2 * size} 0a{size} {size} 0 1 0 {-2 * size} 0z"
    if shape == "square":
        return f"M{x - size:g} {y - size:g}h{2 * size}v{2 * size}h{-2 * size}z"
    if shape == "triangle":
        return f"M{x:g} {y - size - 1:g}l{size + 1} {2 * size}h{-2 * size - 2}z"
    if shape == "diamond":
        return f"M{x:g} {y - size - 1:g}l{size + 1} {size + 1}l{-size - 1} {size + 1}l{-size - 1} {-size - 1}z"
    if shape == "triangle-down":
        return f"M{x:g} {y + size + 1:g}l{size + 1} {-2 * size}h{-2 * size - 2}z"
    raise ValueError(f"no marker shape {shape!r}")


def _luminance(colour):
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    """The WCAG contrast ratio of two "#rrggbb" colours, from 1 to 21: text needs 4.5, bars and lines 3."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
