"""The open-case list as a council's case management system would export it for a benchmark's dataset, as CSV and
as an Excel workbook, and importing it through the service's pages as a QA officer does (services/case_import.py):
upload it, keep the columns guessed from its headings, see the preview and apply it.

The list is the month after the dataset's: its open cases as the dataset has them, but for a hundred closed since
and so missing from the list, and a few hundred given to another worker; the rest of its rows are new cases. Every
row is one the import accepts, so that it can be applied. The unchanged cases, the preview's longest list, fill its
last page, which would cost less than the first for its fewer rows alone."""

import csv
import datetime
import io
import random
import re
import sqlite3
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from browsing import first_line
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from services.case_import import KINDS
from services.case_rows import guess_mapping, read_row
from services.pagination import PER_PAGE

ROWS = 10_000
LEFT_OUT = 100  # open cases closed since the dataset's list, so missing from this one
CHANGED_WORKERS = 300  # about; a few more, so that the unchanged cases fill their list's last page
NEW_FLAGS = ("Neglect", "Domestic abuse", "Child exploitation")
SEED = 2026
# The columns as the export names them, each a heading the service's guess takes for its field.
HEADINGS = {
    "reference": "Case reference",
    "initials": "Initials",
    "birth": "Date of birth",
    "service_area": "Service area",
    "team": "Team",
    "worker_name": "Allocated worker",
    "worker_email": "Worker email",
    "opened_on": "Date opened",
    "status": "Status",
    "flags": "Flags",
}
DATES = ("birth", "opened_on")
# The steps of an import, each a request, from the upload to the answer to applying it.
STEPS = ("upload", "columns page", "columns chosen", "preview page", "applied")


@dataclass
class OpenCaseList:
    """The rows of an open-case list ({field: value}, dates as dates), in the order the export gives them."""

    rows: list

    def csv(self):
        """The list as a CSV file, dates as dd/mm/yyyy, as Excel saves one on UK Windows."""
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(HEADINGS.values())
        writer.writerows(cells(row) for row in self.rows)
        return text.getvalue().encode()

    def workbook(self):
        """The list as an Excel workbook of one worksheet, dates as date cells shown as dd/mm/yyyy."""
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Open cases")
        sheet.append(list(HEADINGS.values()))
        for row in self.rows:
            sheet.append([date_cell(sheet, row[name]) if name in DATES else row[name] for name in HEADINGS])
        saved = io.BytesIO()
        book.save(saved)
        return saved.getvalue()


def cells(row):
    """A row as the CSV file's text."""
    return [f"{row[name]:%d/%m/%Y}" if name in DATES else row[name] for name in HEADINGS]


def date_cell(sheet, day):
    cell = WriteOnlyCell(sheet, value=day)
    cell.number_format = "DD/MM/YYYY"
    return cell


def open_case_list(database, today, rows=ROWS, seed=SEED):
    """The open-case list of the dataset in the SQLite file `database` the month after, `rows` long, checked as
    the import reads it: the dataset's open cases as they are, but for LEFT_OUT missing from it and about
    CHANGED_WORKERS given to another worker; then new cases, with references after the dataset's, in its teams."""
    rng = random.Random(seed)  # noqa: S311 - repeatable data, not secrets
    connection = sqlite3.connect(database)
    existing = connection.execute(
        "SELECT c.reference, c.initials, c.birth_year, a.name, t.name, c.worker_name, c.worker_email, c.opened_on, "
        "(SELECT GROUP_CONCAT(f.name, '; ') FROM case_flag l JOIN flag f ON f.id = l.flag_id WHERE l.case_id = c.id) "
        'FROM "case" c JOIN team t ON t.id = c.team_id JOIN service_area a ON a.id = t.service_area_id '
        "WHERE c.is_open ORDER BY c.reference"
    ).fetchall()
    teams = connection.execute(
        "SELECT a.name, t.name FROM team t JOIN service_area a ON a.id = t.service_area_id ORDER BY t.id"
    ).fetchall()
    references = [reference for (reference,) in connection.execute('SELECT reference FROM "case"')]
    connection.close()
    kept = sorted(set(range(len(existing))) - set(rng.sample(range(len(existing)), LEFT_OUT)))
    if len(kept) > rows:
        sys.exit(f"The dataset {database} has more open cases than a list of {rows:,} rows holds")
    reallocated = set(rng.sample(kept, CHANGED_WORKERS + (len(kept) - CHANGED_WORKERS) % PER_PAGE))
    listed = []
    for index in kept:
        reference, initials, birth_year, area, team, worker, email, opened_on, flags = existing[index]
        if index in reallocated:
            worker, email = new_worker(rng, worker)
        listed.append(
            {
                "reference": reference,
                "initials": initials,
                "birth": birthday(rng, birth_year, today),
                "service_area": area,
                "team": team,
                "worker_name": worker,
                "worker_email": email,
                "opened_on": datetime.date.fromisoformat(opened_on),
                "status": "Open",
                "flags": flags or "",
            }
        )
    highest = max(int(match.group(1)) for match in map(re.compile(r"BENCH-(\d+)$").match, references) if match)
    new = range(highest + 1, highest + 1 + rows - len(kept))
    listed += [new_case(rng, f"BENCH-{number:06d}", teams, today) for number in new]
    listed.sort(key=lambda row: (row["team"], row["worker_name"], row["reference"]))  # a caseload report's order
    checked(listed, today)
    return OpenCaseList(listed)


def new_worker(rng, worker):
    """Another worker than `worker` (the dataset's are Worker 1 to Worker 400), with their email."""
    number = rng.randint(401, 460)
    return f"Worker {number}", f"worker{number}@council.example.org"


def birthday(rng, year, today):
    """A day in `year`, not after today."""
    return min(datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365)), today)


def new_case(rng, reference, teams, today):
    """A case opened in the last two years, in one of the dataset's teams, with flags for one in three."""
    area, team = rng.choice(teams)
    opened_on = today - datetime.timedelta(days=rng.randint(1, 730))
    number = rng.randint(1, 400)
    flags = rng.sample(NEW_FLAGS, rng.randint(1, 2)) if rng.random() < 1 / 3 else []
    return {
        "reference": reference,
        "initials": "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2)),
        "birth": birthday(rng, rng.randint(opened_on.year - 17, opened_on.year), today),
        "service_area": area,
        "team": team,
        "worker_name": f"Worker {number}",
        "worker_email": f"worker{number}@council.example.org",
        "opened_on": opened_on,
        "status": "Open",
        "flags": "; ".join(flags),
    }


def checked(rows, today):
    """Stop the benchmark unless the service's guess takes each heading for its field and reads every row of the
    CSV file without a problem, each reference once."""
    if guess_mapping(list(HEADINGS.values())) != HEADINGS:
        sys.exit(f"The import guesses other columns for the headings {list(HEADINGS.values())}")
    columns = {name: position for position, name in enumerate(HEADINGS)}
    seen = set()
    for number, row in enumerate(rows, start=2):
        _, problems = read_row(cells(row), columns, today)
        if problems or row["reference"] in seen:
            sys.exit(f"Row {number} of the open-case list would be refused: {problems or 'its reference again'}")
        seen.add(row["reference"])


class PostedForm(HTMLParser):
    """What a browser would post from the page's form whose action is `action`: each input's value (a radio's
    only if checked), each list's chosen option (its first, if none is chosen), and the names of its radios."""

    def __init__(self, action):
        super().__init__()
        self.action = action
        self.inside = False
        self.found = False
        self.select = None
        self.fields = {}
        self.radios = set()

    def handle_starttag(self, tag, attrs):
        """Note a field's value; follow whether this is inside the form."""
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
            self.found |= self.inside
        if not self.inside:
            return
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "image"):
            if kind == "radio":
                self.radios.add(name)
            if kind not in ("radio", "checkbox") or "checked" in attrs:
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and (self.select not in self.fields or "selected" in attrs):
            self.fields[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def posted_form(text, action):
    """The fields of `text`'s form posting to `action`, and the names of its radios; None if it has no such form."""
    parser = PostedForm(action)
    parser.feed(text)
    return (parser.fields, parser.radios) if parser.found else None


def redirected(answer, response, what):
    """The path a 303 answer sends the browser to; stops the benchmark if `what` was answered otherwise."""
    if answer.status != 303:
        sys.exit(f"{what}: status {answer.status}, not 303: {page_problem(answer.text)}")
    location = urlsplit(response.headers["Location"])
    return location.path + (f"?{location.query}" if location.query else "")


def page_problem(text):
    """What the page says is wrong: the messages beside its fields, or else its heading."""
    found = re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', text, re.DOTALL)
    messages = [" ".join(re.sub(r"<[^>]+>", " ", message).split()) for message in found]
    return "; ".join(messages[:5]) or first_line(text)


def preview_counts(text):
    """The preview's figures for each kind of line ({kind: count}), from its summary."""
    counts = {}
    for kind, label in KINDS.items():
        found = re.search(rf"<dt[^>]*>{re.escape(label)}</dt>\s*<dd[^>]*>(\d+)</dd>", text)
        counts[kind] = int(found.group(1)) if found else 0
    return counts


def imported(qa, content, file_name, apply=True):
    """Import a file as the QA officer `qa` (a signed-in benchmarks.browsing.Browser) would: upload it, take the
    columns guessed, preview it and, if `apply`, apply it, leaving open any cases to close that have work open.
    Returns the import's id, the preview's counts ({kind: lines}) and each step's seconds from sending the request
    to the whole answer ({step: seconds}, "total" from the upload to the last answer); stops the benchmark if a step
    does not answer as it should or the preview finds rows to correct."""
    token = posted_form(qa.get("/case-import").text, "/case-import")[0]["csrf_token"]
    seconds = {}
    started = time.perf_counter()
    answer, response = qa.upload("/case-import", {"csrf_token": token}, "file", file_name, content)
    columns_path = redirected(answer, response, f"Uploading {file_name}")
    seconds["upload"] = answer.seconds
    page = qa.get(columns_path)
    seconds["columns page"] = page.seconds
    form = posted_form(page.text, columns_path)
    if page.status != 200 or form is None:
        sys.exit(f"The columns page of {file_name}: status {page.status}: {page_problem(page.text)}")
    fields, _ = form
    chosen = {name: fields.get(name) for name in HEADINGS}
    if chosen != HEADINGS:
        sys.exit(f"The columns page of {file_name} guessed {chosen}")
    answer, response = qa.send("POST", columns_path, fields)
    preview_path = redirected(answer, response, f"Choosing the columns of {file_name}")
    seconds["columns chosen"] = answer.seconds
    page = qa.get(preview_path)
    seconds["preview page"] = page.seconds
    import_id = int(re.search(r"/case-import/(\d+)", preview_path).group(1))
    counts = preview_counts(page.text)
    apply_path = f"/case-import/{import_id}/apply"
    form = posted_form(page.text, apply_path)
    if page.status != 200 or form is None or counts["bad"]:
        sys.exit(f"The preview of {file_name} (status {page.status}) finds {counts['bad']} problems to correct")
    if apply:
        fields, radios = form
        fields |= dict.fromkeys(radios - fields.keys(), "keep")  # leave open the cases with work open
        answer, response = qa.send("POST", apply_path, fields)
        redirected(answer, response, f"Applying {file_name}")
        seconds["applied"] = answer.seconds
    seconds["total"] = time.perf_counter() - started
    return import_id, counts, seconds


def largest_kind(counts):
    """The kind of line the preview has most of, whose list is the longest."""
    return max(counts, key=counts.get)
