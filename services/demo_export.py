"""The demo council's open-case list as its case management system would export it next month, to try the import
with (demo/open-cases.csv and demo/open-cases.xlsx, written from the demo data by `flask --app app
write-demo-export`). Against the demo's cases it holds ten new cases, seven with a new allocated worker, six
open cases left out (to be closed, one with an audit open), and three rows to correct: one without a reference,
one with a date that does not exist, and one case twice. Its worker column is headed as the council's own system
heads it ("Allocated SW"), which the import cannot guess, so that column is chosen by hand.

The demo's cases are the same whichever day it is loaded, but not whose they are: the demo practitioner takes
over the caseload of the worker of the newest audit on the demo team manager's team, which moves with the day.
So the files are written from the demo as loaded on one day, SHIPPED_FOR, in a database of their own; on another
day the import also finds the practitioner's cases, or their worker's, given to someone else."""

import csv
import datetime
import io
import pathlib
import tempfile

from peewee import JOIN

from models import Case, CaseFlag, Flag, ServiceArea, Team, db
from services import demo, spreadsheets
from services.database import migrate, open_database
from services.demo import DOMAIN

SHIPPED_FOR = datetime.date(2026, 12, 3)

HEADINGS = [
    "Person ID",
    "Initials",
    "Date of birth",
    "Service",
    "Team",
    "Allocated SW",
    "SW email",
    "Date opened",
    "Status",
    "Flags",
]
NEW_CASES = 10
LEFT_OUT = slice(9, None, 50)  # of the open cases in order: the 10th, the 60th...
NEW_WORKER = slice(19, None, 30)


def rows():
    """The export's rows, as text, in the order a system lists them (by reference, the new cases last)."""
    flags = {}
    for case_id, name in CaseFlag.select(CaseFlag.case, Flag.name).join(Flag).order_by(Flag.name).tuples():
        flags.setdefault(case_id, []).append(name)
    cases = list(
        Case.select(Case, Team, ServiceArea)
        .join(Team)
        .join(ServiceArea, JOIN.INNER)
        .where(Case.is_open)
        .order_by(Case.reference)
    )
    workers = sorted({case.worker_name for case in cases})
    left_out = {case.id for case in cases[LEFT_OUT]}
    moved = {case.id for case in cases[NEW_WORKER]}
    lines = []
    for case in cases:
        if case.id in left_out:
            continue
        worker = case.worker_name
        if case.id in moved:
            worker = workers[(workers.index(worker) + 1) % len(workers)]
        lines.append(line(case.reference, case, worker, flags.get(case.id, [])))
    for number in range(NEW_CASES):
        case = cases[number * 7]
        lines.append(line(f"DEMO-{301 + number:04d}", case, case.worker_name, []))
    # Rows to correct: no reference, a date that does not exist, and a case twice.
    lines.insert(5, [""] + lines[5][1:])
    lines[12][7] = "31/02/2026"
    lines.insert(30, lines[29])
    return lines


def line(reference, case, worker, flags):
    email = f"{worker.lower().replace(' ', '.')}@{DOMAIN}"
    return [
        reference,
        case.initials,
        f"15/06/{case.birth_year}",
        case.team.service_area.name,
        case.team.name,
        worker,
        email,
        f"{case.opened_on:%d/%m/%Y}",
        "Open",
        "; ".join(flags),
    ]


def as_csv():
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows(rows())
    return text.getvalue().encode("utf-8")


def as_xlsx():
    """The same rows as an Excel workbook, each cell text as a system's export writes it."""
    return spreadsheets.xlsx_file([("Open cases", HEADINGS, rows())])


def shipped_files():
    """(CSV, Excel) of the demo as loaded on SHIPPED_FOR, loaded into a database of their own for the while."""
    kept = db.obj
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{pathlib.Path(folder) / 'demo.db'}")
        migrate(database)
        db.initialize(database)
        try:
            with db.connection_context():
                demo.load(today=SHIPPED_FOR)
                return as_csv(), as_xlsx()
        finally:
            database.close_all()
            db.initialize(kept)
