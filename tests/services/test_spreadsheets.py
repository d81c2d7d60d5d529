"""The one CSV writer (services/spreadsheets.py): Excel opens it as UTF-8, and no cell runs as a formula."""

import csv
import datetime
import io

import pytest

from services.spreadsheets import cell, csv_file


def read_back(content):
    assert content.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would misread the accents"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_a_file_has_the_header_then_the_rows_in_utf8():
    content = csv_file(["Name", "Audits"], [["Zoë Ångström", 3], ["Sam, O'Neill", 0]])
    assert read_back(content) == [["Name", "Audits"], ["Zoë Ångström", "3"], ["Sam, O'Neill", "0"]]
    assert content.endswith(b"\r\n")


@pytest.mark.parametrize(
    "typed",
    ["=1+2", "+44 7700 900000", "-2+3", "@SUM(A1:A2)", "\tTabbed", "\rReturned", '=HYPERLINK("http://x","y")'],
)
def test_text_that_a_spreadsheet_would_run_as_a_formula_stays_text(typed):
    [row] = read_back(csv_file(["Typed"], [[typed]]))[1:]
    assert row == ["'" + typed]


def test_numbers_the_service_worked_out_stay_numbers():
    [row] = read_back(csv_file(["a", "b", "c", "d"], [[-0.5, -3, 72.2, 0]]))[1:]
    assert row == ["-0.5", "-3", "72.2", "0"]


@pytest.mark.parametrize(
    "value, written",
    [
        (None, ""),
        (True, "Yes"),
        (False, "No"),
        (datetime.date(2026, 11, 14), "2026-11-14"),
        ("Plain text - with a dash", "Plain text - with a dash"),
        ("", ""),
    ],
)
def test_other_values_are_written_as_people_read_them(value, written):
    assert cell(value) == written
