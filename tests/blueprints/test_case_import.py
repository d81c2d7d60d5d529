"""Importing the open-case list: columns, preview, bad rows, decisions, and applying it all or nothing."""

import csv
import io

import pytest

from models import Case, CaseImport, Event, ImportMapping, ImportRow, Team
from tests.conftest import sign_in_client
from tests.services.test_table_files import billion_laughs, workbook_bytes

HEADINGS = [
    "Person ID",
    "Initials",
    "DOB",
    "Service",
    "Team",
    "Allocated SW",
    "SW email",
    "Start date",
    "Status",
    "Flags",
]


def csv_bytes(rows, headings=HEADINGS):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headings)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def row(reference, team="Team North", worker="Sam Worker", opened="01/02/2024", status="Open", born="2015", flags=""):
    return [reference, "AB", born, "Area One", team, worker, "sam@example.gov.uk", opened, status, flags]


@pytest.fixture
def qa(client, make_user):
    user = make_user(roles=("qa-officer",), name="Quinn QA")
    sign_in_client(client, user)
    return user


@pytest.fixture
def north(make_team, make_service_area):
    return make_team(name="Team North", service_area=make_service_area(name="Area One"))


def upload(client, data, name="open-cases.csv"):
    return client.post("/case-import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def choose_columns(client, case_import, **changes):
    mapping = {
        "reference": "Person ID",
        "initials": "Initials",
        "birth": "DOB",
        "service_area": "Service",
        "team": "Team",
        "worker_name": "Allocated SW",
        "worker_email": "SW email",
        "opened_on": "Start date",
        "status": "Status",
        "flags": "Flags",
    }
    data = mapping | changes | {"version": str(CaseImport.get_by_id(case_import.id).version)}
    return client.post(f"/case-import/{case_import.id}/columns", data=data)


def test_a_qa_officer_fixes_a_column_sees_bad_rows_corrects_them_and_imports(client, qa, north):
    bad = csv_bytes([row("MOS-1"), row("", worker="Ann"), row("MOS-3", opened="31/02/2024"), row("MOS-1")])
    response = upload(client, bad)
    assert response.status_code == 303
    case_import = CaseImport.get()
    page = client.get(response.location).get_data(as_text=True)
    # Guessed from the headings: the reference and the team; not the worker, whose heading is the council's own.
    assert '<option value="Person ID" selected>' in page and '<option value="Team" selected>' in page
    refused = choose_columns(client, case_import, worker_name="").get_data(as_text=True)
    assert "Choose the column that holds the allocated worker" in refused
    assert choose_columns(client, case_import).status_code == 303
    preview = client.get(f"/case-import/{case_import.id}").get_data(as_text=True)
    assert "3 rows of the file are wrong" in preview and "Apply the import" not in preview
    problems = [
        (line.row_number, line.column, line.detail) for line in ImportRow.select().where(ImportRow.kind == "bad")
    ]
    assert (3, "Person ID", "The case reference is missing") in problems
    assert (4, "Start date", "'31/02/2024' is not a date, like 27/03/2024") in problems
    assert (5, "Person ID", "Case reference MOS-1 is also on row 2") in problems
    assert not Case.select().exists()
    forced = client.post(f"/case-import/{case_import.id}/apply", data={"version": str(case_import.version + 1)})
    assert "nothing can be applied while any row is wrong" in forced.get_data(as_text=True)
    assert not Case.select().exists() and CaseImport.select().exists()

    good = csv_bytes([row("MOS-1", flags="Neglect; Domestic abuse"), row("MOS-2", worker='=HYPERLINK("x")')])
    case_import = CaseImport.get_by_id(upload(client, good).location.split("/")[-2])
    assert choose_columns(client, case_import, save_as="Mosaic open cases").status_code == 303
    assert ImportMapping.get().name == "Mosaic open cases"
    preview = client.get(f"/case-import/{case_import.id}").get_data(as_text=True)
    assert "New cases (2)" in preview
    response = client.post(f"/case-import/{case_import.id}/apply", data={"version": str(case_import.version + 1)})
    assert response.status_code == 303
    cases = {case.reference: case for case in Case.select()}
    assert set(cases) == {"MOS-1", "MOS-2"} and cases["MOS-2"].worker_name == '=HYPERLINK("x")'
    assert sorted(cases["MOS-1"].flag_names) == ["Domestic abuse", "Neglect"]
    assert not CaseImport.select().where(CaseImport.id == case_import.id).exists()  # the upload is not kept
    assert Event.get(Event.action == "applied").fields == "2 new"

    # The same file again changes nothing.
    again = CaseImport.get_by_id(upload(client, good).location.split("/")[-2])
    page = client.get(f"/case-import/{again.id}/columns?mapping={ImportMapping.get().id}").get_data(as_text=True)
    assert '<option value="Allocated SW" selected>' in page
    choose_columns(client, again)
    assert ImportRow.select().where(ImportRow.kind == "unchanged").count() == 2
    client.post(f"/case-import/{again.id}/apply", data={"version": str(again.version + 1)})
    assert [case.version for case in Case.select()] == [1, 1]


def test_changes_new_teams_and_closing_with_work_open_are_decided(client, qa, north, make_case, make_audit):
    kept = make_case(reference="MOS-1", team=north, initials="AB", birth_year=2015, worker_name="Sam Worker")
    audited = make_case(reference="MOS-9", team=north)
    make_audit(case=audited)
    gone = make_case(reference="MOS-8", team=north)
    data = csv_bytes([row("MOS-1", worker="Pat New"), row("MOS-5", team="Team South")])
    case_import = CaseImport.get_by_id(upload(client, data).location.split("/")[-2])
    choose_columns(client, case_import)
    counts = {
        kind: ImportRow.select().where(ImportRow.kind == kind).count()
        for kind in ("new", "changed", "closing", "blocked")
    }
    # To close: MOS-8, and the case make_audit makes of its own.
    assert counts == {"new": 1, "changed": 1, "closing": 2, "blocked": 1}
    page = client.get(f"/case-import/{case_import.id}?show=blocked").get_data(as_text=True)
    assert "MOS-9" in page and "An audit is open" in page
    version = str(case_import.version + 1)
    refused = client.post(f"/case-import/{case_import.id}/apply", data={"version": version, "team_0": "new:Area One"})
    assert "Select whether to close the cases that have work open" in refused.get_data(as_text=True)
    assert Case.select().count() == 4
    data = {"version": version, "team_0": "new:Area One", "close_blocked": "keep"}
    assert client.post(f"/case-import/{case_import.id}/apply", data=data).status_code == 303
    assert Case.get_by_id(kept.id).worker_name == "Pat New"
    assert Case.get(Case.reference == "MOS-5").team.name == "Team South"
    assert Team.get(Team.name == "Team South").service_area_id == north.service_area_id
    assert not Case.get_by_id(gone.id).is_open and Case.get_by_id(gone.id).closed_on
    assert Case.get_by_id(audited.id).is_open


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (
            b"%PDF-1.4\x00\x01\x02binary",
            "The file must be a CSV file or an Excel workbook (.xlsx). This file is neither.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024) + "EncryptedPackage".encode("utf-16-le"),
            "The file is protected with a password.",
        ),
        (
            billion_laughs(workbook_bytes([["C100", "Zoe", "North"]]), "xl/worksheets/sheet1.xml"),
            "The file holds XML this service does not read (a document type declaration).",
        ),
    ],
    ids=["empty", "neither", "password", "xml-bomb"],
)
def test_a_file_that_cannot_be_read_is_explained_beside_the_field(client, qa, data, message):
    body = upload(client, data).get_data(as_text=True)
    assert '<p id="file-error" class="govuk-error-message">' in body and message in body
    assert not CaseImport.select().exists()


def test_a_file_over_the_limit_gets_a_page_saying_so(app, client, qa):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(client, csv_bytes([row(f"MOS-{n}") for n in range(100)]))
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True) and not CaseImport.select().exists()


def test_an_import_left_unapplied_is_deleted_after_two_days(client, qa, north):
    from services import case_import, jobs

    upload(client, csv_bytes([row("MOS-1")]))
    uploaded = CaseImport.get()
    jobs.run_jobs(client.application.config, uploaded.uploaded_at + case_import.KEPT_FOR / 2)
    assert CaseImport.select().exists()
    jobs.run_jobs(client.application.config, uploaded.uploaded_at + case_import.KEPT_FOR * 1.5)
    assert not CaseImport.select().exists() and Event.get(Event.action == "deleted, left unapplied")
