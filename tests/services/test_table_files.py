"""Reading uploaded case lists: every file is built here, in memory."""

import csv
import datetime
import io
import re
import time
import zipfile

import openpyxl
import pytest

from services import table_files
from services.errors import RuleBroken
from services.table_files import Table, UnreadableFile, read_table

HEADINGS = ["Case reference", "Child's name", "Team"]
CASES = [["C100", "Smith, Jo", "North; East"], ["C101", "O'Brien\tSam", "South"]]
LAUGHS = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
)
SPREADSHEET_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def refused(data, message, file_name=""):
    """Asserts `data` is refused with `message`, as a RuleBroken for the form's file field."""
    with pytest.raises(UnreadableFile) as caught:
        read_table(data, file_name)
    assert isinstance(caught.value, RuleBroken)
    assert caught.value.problems == [("file", message)]
    return caught.value


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def workbook_bytes(rows=(), fill=None):
    """An .xlsx saved by openpyxl: `rows` appended to the first sheet, then `fill(workbook)` if given."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    if fill:
        fill(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(data, parts):
    """A copy of a zip with some entries' content replaced or added."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            copy.writestr(name, parts.get(name, original.read(name)))
        for name, content in parts.items():
            if name not in original.namelist():
                copy.writestr(name, content)
    return buffer.getvalue()


def handmade_workbook(sheet_data, shared_strings=None):
    """The smallest .xlsx Excel and calamine accept, its sheet's <sheetData> and shared strings written by hand."""
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/></Types>'
    )
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{SPREADSHEET_NAMESPACE}" xmlns:r="{relationships}">'
            '<sheets><sheet name="Cases" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relationships}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{SPREADSHEET_NAMESPACE}"><sheetData>{sheet_data}</sheetData></worksheet>'
        ),
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def open_document_spreadsheet(rows, mimetype="application/vnd.oasis.opendocument.spreadsheet"):
    """An .ods with one table of text cells, written by hand; `None` in a row is an empty cell."""
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def cell(value):
        if value is None:
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    table = "".join(f"<table:table-row>{''.join(cell(value) for value in row)}</table:table-row>" for row in rows)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Cases">{table}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{mimetype}"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# CSV


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_found_whichever_the_export_used(delimiter):
    table = read_table(csv_bytes([HEADINGS, *CASES], delimiter), "cases.csv")
    assert table == Table(headers=HEADINGS, rows=[(2, CASES[0]), (3, CASES[1])])


def test_a_single_column_csv_falls_back_to_a_comma():
    assert read_table(b"Case reference\nC100\nC101\n").rows == [(2, ["C100"]), (3, ["C101"])]


def test_csv_with_a_byte_order_mark():
    table = read_table(b"\xef\xbb\xbf" + csv_bytes([HEADINGS, CASES[0]]))
    assert table.headers == HEADINGS and table.rows == [(2, CASES[0])]


def test_csv_from_excel_on_uk_windows_is_read_as_windows_1252():
    data = csv_bytes([["Name", "Note"], ["Zoë", "it’s £5"]], encoding="cp1252")
    assert data.startswith(b"Name,Note\r\nZo\xeb,")
    assert read_table(data).rows == [(2, ["Zoë", "it’s £5"])]


def test_csv_saved_as_unicode_text_by_excel_is_read_as_utf_16():
    data = csv_bytes([HEADINGS, *CASES], "\t", "utf-16")
    assert data.startswith(b"\xff\xfe")
    assert read_table(data).rows == [(2, CASES[0]), (3, CASES[1])]


def test_csv_rows_are_numbered_by_record_with_empty_ones_left_out_but_counted():
    data = b'Case reference,Note\r\n\r\nC100,"first line\r\nsecond line"\r\n,\r\nC101,plain\r\n'
    table = read_table(data)
    assert table.rows == [(3, ["C100", "first line\r\nsecond line"]), (5, ["C101", "plain"])]


def test_the_heading_row_is_the_first_non_empty_one():
    assert read_table(b"\r\n , \r\nName,Team\r\nZoe,North\r\n") == Table(["Name", "Team"], [(4, ["Zoe", "North"])])


def test_formula_like_csv_cells_come_back_as_the_text_they_are():
    cells = ["=1+1", "+44 113", "-5", "@SUM(A1)"]
    table = read_table(csv_bytes([["A", "B", "C", "D"], cells, [f"  {cell} " for cell in cells]]))
    assert table.rows == [(2, cells), (3, cells)]


def test_rows_are_padded_or_cut_to_the_headings_and_blank_or_repeated_headings_are_named():
    data = b"Name,,Name,Team,Name,\r\nZoe,x,Zo,North\r\nSam,,Sam S,South,S,,,\r\nAmy,,,,,,,extra\r\n"
    table = read_table(data)
    assert table.headers == ["Name", "Column 2", "Name (2)", "Team", "Name (3)", "Column 8"]
    assert table.rows == [
        (2, ["Zoe", "x", "Zo", "North", "", ""]),
        (3, ["Sam", "", "Sam S", "South", "S", ""]),
        (4, ["Amy", "", "", "", "", "extra"]),
    ]


def test_a_repeated_heading_is_not_given_a_name_already_in_the_row():
    table = read_table(b"Name,Name,Name (2),Column 2,\r\na,b,c,d,e\r\n")
    assert table.headers == ["Name", "Name (3)", "Name (2)", "Column 2", "Column 5"]


def test_a_csv_named_as_a_workbook_is_read_as_csv():
    assert read_table(csv_bytes([HEADINGS, CASES[0]]), "cases.xlsx").rows == [(2, CASES[0])]


def test_the_row_limit(monkeypatch):
    assert table_files.TOO_MANY_ROWS.format(limit=table_files.MAX_ROWS) == (
        "The file has more than 100,000 rows: a list of open cases is never so long. Check it is the right file."
    )
    monkeypatch.setattr(table_files, "MAX_ROWS", 3)
    rows = [["Name"], ["a"], [""], ["b"], ["c"]]
    assert len(read_table(csv_bytes(rows)).rows) == 3
    message = "The file has more than 3 rows: a list of open cases is never so long. Check it is the right file."
    refused(csv_bytes([*rows, ["d"]]), message)
    refused(workbook_bytes([*rows, ["d"]]), message)
    assert len(read_table(workbook_bytes(rows)).rows) == 3


# Workbooks


def test_workbook_cells_come_back_as_text():
    def fill(workbook):
        sheet = workbook.active
        sheet.append(["Case reference", "Opened", "Seen", "Visits", "Score", "Open", "Time", "Note", "Phone"])
        sheet.append(
            [
                "C100",
                datetime.date(2026, 3, 4),
                datetime.datetime(2026, 3, 4, 15, 45),
                12,
                2.5,
                True,
                datetime.time(9, 30),
                "  =1+1  ",
                "+44 113",
            ]
        )
        sheet.append(["C101", None, None, 12.0, 1 / 3, False, None, "@SUM(A1)", "-5"])
        for cell in ("H2", "I2", "H3", "I3"):
            sheet[cell].data_type = "s"

    table = read_table(workbook_bytes(fill=fill), "cases.xlsx")
    assert table.headers[0] == "Case reference" and len(table.headers) == 9
    assert table.rows == [
        (2, ["C100", "2026-03-04", "2026-03-04", "12", "2.5", "TRUE", "09:30:00", "=1+1", "+44 113"]),
        (3, ["C101", "", "", "12", "0.3333333333333333", "FALSE", "", "@SUM(A1)", "-5"]),
    ]


def test_a_workbook_named_as_csv_is_read_as_a_workbook():
    table = read_table(workbook_bytes([HEADINGS, *CASES]), "cases.csv")
    assert table == Table(headers=HEADINGS, rows=[(2, CASES[0]), (3, CASES[1])])


def test_workbook_rows_keep_their_numbers_and_leave_out_empty_columns_before_the_data():
    def fill(workbook):
        sheet = workbook.active
        sheet["C3"], sheet["D3"] = "Name", "Team"
        sheet["C4"], sheet["D4"] = "Zoe", "North"
        sheet["C6"], sheet["F6"] = "Sam", "no heading"
        sheet["J9"].number_format = "0.00"

    table = read_table(workbook_bytes(fill=fill))
    assert table.headers == ["Name", "Team", "Column 6"]
    assert table.rows == [(4, ["Zoe", "North", ""]), (6, ["Sam", "", "no heading"])]


def test_a_formula_gives_its_saved_value_and_is_never_worked_out():
    sheet_data = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Total</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Unsaved</t></is></c></row>'
        '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2"><f>1+1</f></c></row>'
    )
    assert read_table(handmade_workbook(sheet_data)).rows == [(2, ["2", ""])]


def test_shared_strings_are_read():
    shared_strings = (
        f'<sst xmlns="{SPREADSHEET_NAMESPACE}" count="2" uniqueCount="2"><si><t>Name</t></si><si><t>Zoë</t></si></sst>'
    )
    sheet_data = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    assert read_table(handmade_workbook(sheet_data, shared_strings)) == Table(["Name"], [(2, ["Zoë"])])


def test_only_the_first_worksheet_is_read_or_the_first_visible_one():
    def second_sheet(workbook):
        workbook.create_sheet("Other").append(["Other"])
        workbook["Other"].append(["ignored"])

    assert read_table(workbook_bytes([HEADINGS, CASES[0]], second_sheet)).headers == HEADINGS

    def hidden_first(workbook):
        second_sheet(workbook)
        workbook.active.sheet_state = "hidden"
        workbook.active = 1

    assert read_table(workbook_bytes([HEADINGS, CASES[0]], hidden_first)) == Table(["Other"], [(2, ["ignored"])])


def test_an_open_document_spreadsheet_is_read():
    data = open_document_spreadsheet([["Name", None, "Team"], [], ["Zoë", None, "=1+1"]])
    assert read_table(data, "cases.csv") == Table(["Name", "Team"], [(3, ["Zoë", "=1+1"])])


# Refusals


@pytest.mark.parametrize("data", [b"", b" \r\n\t\r\n", b"\xef\xbb\xbf", b",,\r\n , \r\n", " \r\n".encode("utf-16")])
def test_an_empty_csv_is_refused(data):
    refused(data, "The file is empty.")


def test_a_workbook_whose_first_sheet_is_empty_is_refused():
    refused(workbook_bytes(), "The file is empty.")
    refused(workbook_bytes([[None, "  "]]), "The file is empty.")
    refused(
        workbook_bytes(fill=lambda workbook: workbook.create_sheet("Second").append(HEADINGS)), "The file is empty."
    )


def test_headings_without_cases_are_refused():
    message = "The file has column headings but no rows of cases."
    refused(csv_bytes([HEADINGS, ["", " ", ""]]), message)
    refused(workbook_bytes([HEADINGS]), message)


def docx_like():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\x00\x01\x02binary",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        b"Name,Team\r\nZoe,\x00North\r\n",
        docx_like(),
        open_document_spreadsheet([["Name"], ["Zoe"]], "application/vnd.oasis.opendocument.text"),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le"),
        b"<html><body><table><tr><td>Name</td></tr><tr><td>Zoe</td></tr></table></body></html>",
        b'\xef\xbb\xbf<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
    ],
    ids=["pdf", "png", "nul in text", "docx", "odt", "word 97", "html saved as xls", "excel 2003 xml"],
)
def test_a_file_that_is_neither_csv_nor_a_workbook_is_refused(data):
    refused(data, "The file must be a CSV file or an Excel workbook (.xlsx). This file is neither.", "cases.xlsx")


def test_a_cut_short_or_damaged_workbook_is_refused():
    message = "The file could not be read: it may be damaged or cut short. Export it again and upload it."
    data = workbook_bytes([HEADINGS, *CASES])
    refused(data[: len(data) // 2], message)
    refused(data[:10], message)
    start = data.index(b"xl/worksheets/sheet1.xml") + 100
    refused(data[:start] + bytes(64) + data[start + 64 :], message)
    refused(handmade_workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', "<sst><si><t>never closed"), message)
    refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le"), message)


def test_a_password_protected_workbook_is_refused():
    message = "The file is protected with a password. Save it without a password, or as CSV, and upload it again."
    for stream in ("EncryptionInfo", "EncryptedPackage"):
        refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024) + stream.encode("utf-16-le"), message, "cases.xlsx")


def test_a_zip_bomb_is_refused_before_calamine_opens_it(monkeypatch):
    monkeypatch.setattr(table_files, "MAX_UNPACKED_BYTES", 1024 * 1024)
    data = workbook_bytes([HEADINGS, *CASES])
    assert len(read_table(data).rows) == 2
    monkeypatch.setattr(table_files, "_workbook_records", lambda data: pytest.fail("calamine was given the file"))
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            copy.writestr(name, original.read(name))
        with copy.open("xl/media/zeros.bin", "w") as zeros:
            for _ in range(3):
                zeros.write(bytes(1024 * 1024))
    assert len(bomb.getvalue()) < 20_000
    refused(bomb.getvalue(), "The file is too large once unpacked to be a list of cases.")


def test_a_zip_of_too_many_entries_is_refused(monkeypatch):
    data = workbook_bytes([HEADINGS, *CASES])
    monkeypatch.setattr(table_files, "MAX_ZIP_ENTRIES", 20)
    assert len(read_table(data).rows) == 2
    crowded = rewritten(data, {f"xl/media/empty{number}.bin": b"" for number in range(20)})
    refused(crowded, "The file is too large once unpacked to be a list of cases.")


def billion_laughs(data, part, encoding="utf-8", declaration="<!DOCTYPE"):
    """A copy of an openpyxl workbook whose `part` declares nested entities (in `encoding`) and in which any
    cell "Zoe" becomes &lol9;, which would expand to a thousand million "lol"s."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part).decode().replace("<t>Zoe</t>", "<t>&lol9;</t>")
    root = re.match(r"<([\w:]+)", xml).group(1)
    return rewritten(data, {part: f"{declaration} {root} [{LAUGHS}]>{xml}".encode(encoding)})


@pytest.mark.parametrize(
    ("part", "encoding", "declaration"),
    [
        ("xl/worksheets/sheet1.xml", "utf-8", "<!DOCTYPE"),
        ("xl/worksheets/sheet1.xml", "utf-8", "<!doctype"),
        ("xl/worksheets/sheet1.xml", "utf-16", "<!DOCTYPE"),
        ("docProps/app.xml", "utf-16-be", "<!DOCTYPE"),
    ],
)
def test_an_xml_bomb_is_refused_quickly(part, encoding, declaration):
    bomb = billion_laughs(workbook_bytes([["Name"], ["Zoe"]]), part, encoding, declaration)
    started = time.perf_counter()
    refused(
        bomb,
        "The file holds XML this service does not read (a document type declaration). "
        "Export it again from the case management system.",
    )
    assert time.perf_counter() - started < 0.2


def test_calamine_itself_refuses_an_entity_it_was_not_given_rather_than_expanding_it():
    bomb = billion_laughs(workbook_bytes([["Name"], ["Zoe"]]), "xl/worksheets/sheet1.xml")
    started = time.perf_counter()
    with pytest.raises(UnreadableFile) as caught:
        table_files._workbook_records(bomb)
    assert caught.value.problems == [("file", table_files.DAMAGED)]
    assert time.perf_counter() - started < 0.5


def test_a_workbook_claiming_a_huge_grid_or_string_table_is_refused_and_the_service_carries_on():
    """Calamine 0.37 makes a grid from the first cell used to the last, and reserves room for as many shared
    strings as the workbook says it has: a few kilobytes ask for hundreds of gigabytes, and the failed
    allocation would abort the process reading them."""
    message = "The file is too large once unpacked to be a list of cases."
    corners = workbook_bytes([["Name"]], lambda workbook: workbook.active.cell(1048576, 16384, "Zoe"))
    assert len(corners) < 10_000
    refused(corners, message)
    sheet_data = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    strings = "<si><t>Name</t></si><si><t>Zoe</t></si>"
    refused(
        handmade_workbook(sheet_data, f'<sst xmlns="{SPREADSHEET_NAMESPACE}" uniqueCount="4000000000">{strings}</sst>'),
        message,
    )
    assert read_table(workbook_bytes([HEADINGS, CASES[0]])).rows == [(2, CASES[0])]


def test_a_worksheet_over_the_cell_limit_is_refused(monkeypatch):
    monkeypatch.setattr(table_files, "MAX_CELLS", 100)
    data = workbook_bytes([["Name"], ["Zoe"]], lambda workbook: workbook.active.cell(20, 10, "far"))
    refused(data, "The file is too large once unpacked to be a list of cases.")
    assert len(read_table(workbook_bytes([["Name"], ["Zoe"]])).rows) == 1
