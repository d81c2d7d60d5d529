"""The measuring that the charts (services/charts.py) are drawn by: how wide a label is, where it wraps, a scale
with round numbers, which axis labels to show, and labels spread apart so they do not overlap.

Charts are drawn on the server as SVG, so nothing in the browser can measure text: widths are estimated from
Arial's letter widths (the site's font), erring wide so that a label said to fit does fit."""

import functools
import math

FONT_SIZE = 16  # every label in a chart, at its natural size: GOV.UK's smallest body text
LINE_HEIGHT = 20

# Arial's advance widths, in ems, by kind of letter (rounded up from the font's metrics): near enough to tell
# whether a label fits, and never narrower than the letters drawn.
_NARROW = set("ijlI.,:;'!| ")
_SEMI = set('frtJ()-[]/"')
_WIDE = set("mwMW%@")


@functools.lru_cache(maxsize=4096)
def text_width(text, size=FONT_SIZE):
    """How wide `text` is in Arial at `size` px, a little wide rather than narrow. A chart measures the same few
    labels (months, percentages, names) again and again: each is measured once."""
    ems = 0.0
    for letter in text:
        if letter in _NARROW:
            ems += 0.28
        elif letter in _SEMI:
            ems += 0.34
        elif letter in _WIDE:
            ems += 0.9
        elif letter.isupper():
            ems += 0.73
        else:
            ems += 0.56
    return ems * size


@functools.lru_cache(maxsize=1024)
def wrap(text, width, size=FONT_SIZE):
    """`text` as lines no wider than `width`, broken between words; a word wider than `width` has a line of
    its own (SVG text does not wrap, so a long label would otherwise run off the chart). Each label is wrapped
    once, however many pages show it."""
    lines = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def percent(count, total):
    """`count` as a whole percentage of `total`, halves rounded up (Python's round() rounds halves to even,
    which would give 12.5% as 12% but 13.5% as 14%); 0 when there is no total."""
    if not total:
        return 0
    return (200 * count + total) // (2 * total)


def number_text(value, as_percent=False):
    """A figure as a person reads it: thousands separated, a fraction to one place, "%" after a percentage."""
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.1f}"
    return f"{text}%" if as_percent else text


NICE_MULTIPLES = (1, 2, 2.5, 5)


def nice_scale(largest, whole=True):
    """(top, step): the scale from 0 that a value axis runs to, in 4 or 5 steps of 1, 2, 2.5 or 5 times a
    power of ten, as low as holds `largest`; with `whole`, only whole-number steps (counts have no halves).
    An axis with nothing above 0 still runs 0 to 4, so that its gridlines mean something."""
    largest = largest if largest > 0 else 1
    power = math.floor(math.log10(largest / 5))
    best = None
    for exponent in (power, power + 1):
        for multiple in NICE_MULTIPLES:
            step = multiple * 10**exponent
            if whole and (step < 1 or not float(step).is_integer()):
                continue
            for intervals in (4, 5):
                top = step * intervals
                # the lowest top; of two the same, fewer gridlines
                if top >= largest and (best is None or (top, intervals) < (best[0], best[2])):
                    best = (top, step, intervals)
    top, step, _ = best
    return (int(top), int(step)) if whole else (top, step)


def ticks(top, step):
    """The values a value axis is marked at, from 0 to `top`; rounded, so that 0.1 * 3 reads 0.3."""
    count = round(top / step)
    return [round(step * index, 10) for index in range(count + 1)]


# Every so many points an axis may label: steps that divide a year, so months line up with quarters or years.
LABEL_STEPS = (1, 2, 3, 4, 6, 12)


def label_step(count, spacing, widest, gap=8):
    """Label every how many of `count` points, `spacing` apart, so that labels up to `widest` wide stay `gap`
    apart: the fewest skipped."""
    for step in LABEL_STEPS:
        if step * spacing >= widest + gap or step >= count:
            return step
    return math.ceil((widest + gap) / spacing)


def spread(centres, heights, low, high):
    """The tops of labels, each as near the middle it should have (`centres`) as it can be without overlapping
    another or leaving `low`..`high`; in the order given. Labels that cannot all fit overlap at the top rather
    than leave the chart at the bottom, where the axis labels are."""
    order = sorted(range(len(centres)), key=lambda index: centres[index])
    tops = {index: centres[index] - heights[index] / 2 for index in order}
    floor = low
    for index in order:  # downwards: each below the one above
        tops[index] = max(tops[index], floor)
        floor = tops[index] + heights[index]
    ceiling = high
    for index in reversed(order):  # upwards: each above the one below, and above the bottom
        tops[index] = max(min(tops[index], ceiling - heights[index]), low)
        ceiling = tops[index]
    return [round(tops[index], 2) for index in range(len(centres))]
