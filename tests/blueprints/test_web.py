"""The shared page helpers: UK dates and times, typed text."""

import datetime

from blueprints.web import typed, uk_date
from services.dates import long_datetime as uk_datetime


def test_dates_are_written_the_uk_way():
    assert uk_date(datetime.date(2026, 11, 4)) == "4 November 2026"
    assert uk_date(None) == ""


def test_times_are_shown_in_uk_time_from_utc():
    assert uk_datetime(datetime.datetime(2026, 7, 1, 13, 32)) == "1 July 2026 at 14:32"  # BST
    assert uk_datetime(datetime.datetime(2026, 12, 1, 13, 32)) == "1 December 2026 at 13:32"  # GMT


def test_typed_text_for_a_component_is_escaped_and_keeps_its_line_breaks_without_padding():
    shown = typed("<b>Seen</b>\nalone")
    assert shown == '<span class="app-preserve">&lt;b&gt;Seen&lt;/b&gt;\nalone</span>'
