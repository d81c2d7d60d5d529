"""The one CSV writer every export uses, so every file opens the same way in Excel and none can run a formula."""

import csv
import datetime
import io
from decimal import Decimal

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
