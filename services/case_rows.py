"""Reading a row of the open-case list exported from a case management system: which column holds each thing the
service keeps of a case (guessed from the headings), and each row's values as a case holds them, with what is wrong
with them, column by column, in words the QA officer can correct the file by (services/case_import.py)."""

import datetime
import re
from dataclasses import dataclass

EARLIEST_BIRTH_YEAR = 1990
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_-]*$")
INITIALS = re.compile(r"^[A-Za-z]{1,4}$")
STATUSES = {"open": True, "active": True, "live": True, "closed": False, "inactive": False, "ended": False}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%y")


@dataclass(frozen=True)
class Field:
    label: str
    required: bool
    headings: tuple  # headings that mean it, as case management systems name them


FIELDS = {
    "reference": Field(
        "Case reference", True, ("case reference", "reference", "case ref", "case id", "person id", "id")
    ),
    "initials": Field("Child's initials", True, ("initials", "child initials", "child's initials")),
    "birth": Field("Year or date of birth", True, ("date of birth", "dob", "birth date", "year of birth", "born")),
    "service_area": Field("Service area", False, ("service area", "service", "area", "directorate")),
    "team": Field("Team", True, ("team", "team name", "allocated team")),
    "worker_name": Field(
        "Allocated worker", True, ("allocated worker", "worker", "social worker", "key worker", "allocated to")
    ),
    "worker_email": Field("Allocated worker's email", False, ("worker email", "allocated worker email", "email")),
    "opened_on": Field("Date opened", True, ("date opened", "opened", "open date", "start date", "episode start")),
    "status": Field("Open or closed", False, ("status", "open or closed", "open/closed", "case status")),
    "flags": Field("Flags", False, ("flags", "themes", "factors", "categories")),
}


def normal(text):
    """A heading or a name as compared: lower case, with spaces and punctuation as single spaces."""
    return " ".join(re.sub(r"[^a-z0-9']+", " ", text.lower()).split())


def guess_mapping(headers):
    """The heading that most likely holds each field ({field: heading}), from the headings' words: one that is a
    name for it, else one that starts with one; each heading used once."""
    by_name = {normal(heading): heading for heading in headers}
    mapping, used = {}, set()
    for exact in (True, False):
        for name, field in FIELDS.items():
            if name in mapping:
                continue
            for wanted in field.headings:
                found = (
                    by_name.get(wanted)
                    if exact
                    else next((heading for key, heading in by_name.items() if key.startswith(wanted + " ")), None)
                )
                if found and found not in used:
                    mapping[name] = found
                    used.add(found)
                    break
    return mapping


def parse_date(text):
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def read_row(cells, columns, today):
    """A row's values as a case holds them, and what is wrong with it as (field, message) pairs. `columns` are
    the positions of the fields mapped ({field: index})."""

    def cell(name):
        return cells[columns[name]].strip() if name in columns else ""

    values, problems = {}, []
    reference = cell("reference")
    if not reference:
        problems.append(("reference", "The case reference is missing"))
    elif len(reference) > 30 or not REFERENCE.match(reference):
        problems.append(("reference", "A case reference is letters, numbers, hyphens, underscores and slashes"))
    values["reference"] = reference
    initials = cell("initials")
    if not INITIALS.match(initials):
        problems.append(
            (
                "initials",
                "The child's initials must be 1 to 4 letters, like JS"
                if initials
                else "The child's initials are missing",
            )
        )
    values["initials"] = initials.upper()
    birth = cell("birth")
    year = (
        int(birth)
        if birth.isascii() and birth.isdigit() and len(birth) == 4
        else getattr(parse_date(birth), "year", None)
    )
    if year is None:
        problems.append(
            ("birth", f"{birth!r} is not a year or date of birth" if birth else "The year of birth is missing")
        )
    elif not EARLIEST_BIRTH_YEAR <= year <= today.year:
        problems.append(("birth", f"The year of birth must be between {EARLIEST_BIRTH_YEAR} and {today.year}"))
    values["birth_year"] = year
    values["service_area"] = cell("service_area")
    values["team"] = cell("team")
    if not values["team"]:
        problems.append(("team", "The team is missing"))
    values["worker_name"] = cell("worker_name")[:200]
    if not values["worker_name"]:
        problems.append(("worker_name", "The allocated worker is missing"))
    email = cell("worker_email")
    if email and ("@" not in email or " " in email or len(email) > 200):
        problems.append(("worker_email", f"{email!r} is not an email address"))
    values["worker_email"] = email
    opened = cell("opened_on")
    opened_on = parse_date(opened)
    if opened_on is None:
        problems.append(
            ("opened_on", f"{opened!r} is not a date, like 27/03/2024" if opened else "The date opened is missing")
        )
    elif opened_on > today:
        problems.append(("opened_on", "The date opened is in the future"))
    values["opened_on"] = opened_on.isoformat() if opened_on else None
    status = normal(cell("status"))
    if status and status not in STATUSES:
        problems.append(("status", f"{cell('status')!r} is not open or closed"))
    values["is_open"] = STATUSES.get(status, True)
    values["flags"] = sorted({flag.strip() for flag in re.split(r"[;|,]", cell("flags")) if flag.strip()})
    return values, problems
