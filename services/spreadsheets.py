"""The one CSV writer and the one Excel writer every export uses, so every file opens the same way in Excel and none
can run a formula."""

import csv
import datetime
import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

# Excel reads a CSV file as the computer's local code page unless it starts with a byte order mark.
BYTE_ORDER_MARK = "\ufeff"

# A cell starting with one of these is read by Excel, LibreOffice and Google Sheets as a formula, which can
# run commands or send data away (OWASP, "CSV Injection"): a name typed into the service must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A value as a CSV cell: numbers the service worked out stay numbers (a negative one too, since nobody
    typed it), dates are written as 2026-11-14, and any text that could be read as a formula gets a leading
    apostrophe, which spreadsheets show as plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_file(header, rows):
    """A whole CSV file as bytes: UTF-8 with a byte order mark, the header row, then `rows` (each a sequence)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(value) for value in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return (BYTE_ORDER_MARK + buffer.getvalue()).encode("utf-8")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An Excel sheet's name: at most 31 characters, none of these, and not starting or ending with an apostrophe.
SHEET_NAME_LENGTH = 31
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names):
    """Each of `names` made a sheet name Excel accepts, each different from the others."""
    made = []
    for name in names:
        base = NOT_IN_SHEET_NAMES.sub(" ", str(name)).strip("' ")[:SHEET_NAME_LENGTH] or "Sheet"
        candidate, number = base, 1
        while candidate.lower() in (existing.lower() for existing in made):
            number += 1
            suffix = f" ({number})"
            candidate = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        made.append(candidate)
    return made


def xlsx_file(sheets):
    """A whole Excel workbook as bytes, from `sheets` ((name, header, rows) each, rows a sequence of sequences), every
    cell as `cell` makes it for a CSV file, so that no typed text runs as a formula. Written by openpyxl in its
    write-only mode, which streams rows to a temporary file rather than keeping a sheet in memory."""
    workbook = Workbook(write_only=True)
    for name, (_, header, rows) in zip(sheet_names(sheet[0] for sheet in sheets), sheets, strict=True):
        sheet = workbook.create_sheet(name)
        sheet.append([cell(value) for value in header])
        for row in rows:
            sheet.append([excel_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


UK_DATE = "dd/mm/yyyy"


def excel_cell(sheet, value):
    """As `cell`, but a date stays a date, which a spreadsheet sorts as one and shows as 14/11/2026."""
    if not isinstance(value, datetime.date):
        return cell(value)
    dated = WriteOnlyCell(sheet, value)
    dated.number_format = UK_DATE
    return dated
