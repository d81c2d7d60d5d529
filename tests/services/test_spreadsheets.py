"""The one CSV writer and the one Excel writer (services/spreadsheets.py): Excel opens them as they are meant, and no
cell runs as a formula."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from services.spreadsheets import CHUNK_ROWS, cell, csv_chunks, csv_file, sheet_names, xlsx_file


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


FORMULAS = ["=1+2", "+44 7700 900000", "-2+3", "@SUM(A1:A2)", "\tTabbed", "\rReturned", '=HYPERLINK("http://x","y")']


def test_a_workbook_keeps_formula_like_text_as_text_and_dates_as_uk_dates():
    content = xlsx_file(
        [("Typed", ["Typed", "On", "Count"], [[typed, datetime.date(2026, 11, 14), -3] for typed in FORMULAS])]
    )
    sheet = load_workbook(io.BytesIO(content))["Typed"]
    rows = list(sheet.iter_rows(min_row=2))
    # Read as Excel reads it: a control character is written escaped (_x000D_), which openpyxl leaves as it is.
    texts = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("Typed").to_python()[1:]
    assert [row[0] for row in texts] == ["'" + typed for typed in FORMULAS]
    assert all(row[0].data_type == "s" for row in rows), "no cell is a formula"
    assert rows[0][1].value == datetime.datetime(2026, 11, 14) and rows[0][1].number_format == "dd/mm/yyyy"
    assert rows[0][2].value == -3


def test_each_sheet_name_is_one_excel_accepts_and_no_two_are_the_same():
    names = sheet_names(
        ["Disabled Children's Team", "Front Door [North]/South: *Team?", "A" * 40, "a" * 40, "'Quoted'"]
    )
    assert names[0] == "Disabled Children's Team"
    assert names[1] == "Front Door  North  South   Team"
    assert names[2] == "A" * 31 and names[3] == "a" * 27 + " (2)"
    assert names[4] == "Quoted"
    assert all(len(name) <= 31 for name in names)


def test_a_csv_file_goes_out_a_few_hundred_rows_at_a_time_reading_its_rows_as_it_goes():
    read = []

    def rows():
        for number in range(2 * CHUNK_ROWS + 7):
            read.append(number)
            yield [number]

    chunks = csv_chunks(["Number"], rows())
    first = next(chunks)
    assert first.startswith(b"\xef\xbb\xbfNumber\r\n0\r\n1\r\n") and len(read) == CHUNK_ROWS
    whole = first + b"".join(chunks)
    assert len(read) == 2 * CHUNK_ROWS + 7
    assert read_back(whole) == [["Number"], *([str(number)] for number in read)]
    assert b"".join(csv_chunks(["Number"], [])) == b"\xef\xbb\xbfNumber\r\n", "no rows: the header alone"
