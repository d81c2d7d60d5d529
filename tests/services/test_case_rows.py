"""The rules an import reads each row of the open-case list by, and the columns it guesses (services/case_rows.py)."""

import datetime

import pytest

from services.case_rows import FIELDS, guess_mapping, read_row

TODAY = datetime.date(2026, 12, 3)
COLUMNS = {name: index for index, name in enumerate(FIELDS)}
GOOD = [
    "MOS-1",
    "AB",
    "04/03/2015",
    "Area One",
    "Team North",
    "Sam Worker",
    "sam@example.gov.uk",
    "01/02/2024",
    "Open",
    "Neglect; Domestic abuse",
]


def with_cell(field, text):
    cells = list(GOOD)
    cells[COLUMNS[field]] = text
    return cells


def test_a_good_row_reads_as_a_case():
    values, problems = read_row(GOOD, COLUMNS, TODAY)
    assert problems == []
    assert values | {"flags": values["flags"]} == {
        "reference": "MOS-1",
        "initials": "AB",
        "birth_year": 2015,
        "service_area": "Area One",
        "team": "Team North",
        "worker_name": "Sam Worker",
        "worker_email": "sam@example.gov.uk",
        "opened_on": "2024-02-01",
        "is_open": True,
        "flags": ["Domestic abuse", "Neglect"],
    }


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("reference", "", "The case reference is missing"),
        ("reference", "MOS 1!", "A case reference is letters, numbers, hyphens, underscores and slashes"),
        ("initials", "", "The child's initials are missing"),
        ("initials", "Jo Smith", "The child's initials must be 1 to 4 letters, like JS"),
        ("birth", "", "The year of birth is missing"),
        ("birth", "soon", "'soon' is not a year or date of birth"),
        ("birth", "1980", "The year of birth must be between 1990 and 2026"),
        ("team", "", "The team is missing"),
        ("worker_name", "", "The allocated worker is missing"),
        ("worker_email", "sam at example", "'sam at example' is not an email address"),
        ("opened_on", "", "The date opened is missing"),
        ("opened_on", "31/02/2024", "'31/02/2024' is not a date, like 27/03/2024"),
        ("opened_on", "01/01/2027", "The date opened is in the future"),
        ("status", "Pending", "'Pending' is not open or closed"),
    ],
)
def test_each_kind_of_bad_cell_says_what_is_wrong_in_its_column(field, text, message):
    _, problems = read_row(with_cell(field, text), COLUMNS, TODAY)
    assert problems == [(field, message)]


@pytest.mark.parametrize("text", ["2015", "04/03/2015", "2015-03-04", "4 March 2015", "04-03-2015"])
def test_a_year_or_date_of_birth_in_any_usual_form_gives_the_year(text):
    assert read_row(with_cell("birth", text), COLUMNS, TODAY)[0]["birth_year"] == 2015


def test_closed_is_read_and_formula_like_text_is_kept_as_it_is():
    values, problems = read_row(with_cell("status", "Closed"), COLUMNS, TODAY)
    assert not problems and values["is_open"] is False
    values, problems = read_row(with_cell("worker_name", "=cmd|' /C calc'!A0"), COLUMNS, TODAY)
    assert not problems and values["worker_name"] == "=cmd|' /C calc'!A0"


def test_the_columns_are_guessed_from_usual_headings_each_used_once():
    headings = [
        "Person ID",
        "Child Initials",
        "DOB",
        "Team Name",
        "Social Worker",
        "Date Opened",
        "Case Status",
        "Misc",
    ]
    assert guess_mapping(headings) == {
        "reference": "Person ID",
        "initials": "Child Initials",
        "birth": "DOB",
        "team": "Team Name",
        "worker_name": "Social Worker",
        "opened_on": "Date Opened",
        "status": "Case Status",
    }
