"""Importing the open-case list exported from the case management system (Mosaic, Liquidlogic, CareFirst), as CSV
or Excel (services/table_files.py reads it): a QA officer uploads it, says which column holds what (guessed from
the headings, or a mapping saved by name last month), sees a preview of what would change, and applies it, all or
nothing (PRODUCT.md, workflow 5; seed 000 s.4.2; seed 002 s.7).

The preview is worked out once, when the columns are chosen, and kept as rows (ImportRow) that its pages list a
page at a time: which cases are new, changed (and how), unchanged, missing from the file and so to be closed, or
to be closed with work still open on them (an audit, an Immediate Response or actions: seed 002 s.10, no case is
closed with an audit open), which the QA officer decides on; and every bad row with its row number, column and
what is wrong. Nothing is applied while any row is bad. The upload is kept only until it is applied or abandoned."""

import datetime
import json
import re
from collections import Counter
from dataclasses import dataclass

from peewee import IntegrityError, fn

from models import (
    Action,
    Audit,
    Case,
    CaseFlag,
    CaseImport,
    Event,
    Flag,
    ImmediateResponse,
    ImportMapping,
    ImportRow,
    ServiceArea,
    StaleRecord,
    Team,
    db,
    utcnow,
)
from services.errors import RuleBroken

EARLIEST_BIRTH_YEAR = 1990
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_-]*$")
INITIALS = re.compile(r"^[A-Za-z]{1,4}$")
BATCH = 500  # rows to a statement, well within every database's limit of parameters
STATUSES = {"open": True, "active": True, "live": True, "closed": False, "inactive": False, "ended": False}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%y")
KINDS = {
    "bad": "Rows to correct",
    "new": "New cases",
    "changed": "Changed",
    "closing": "To be closed",
    "blocked": "To be closed, with work open",
    "unchanged": "Unchanged",
}


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
# What a change to each of a case's values is called in the preview.
CHANGES = {
    "initials": "initials",
    "birth_year": "year of birth",
    "team": "team",
    "worker_name": "allocated worker",
    "worker_email": "worker's email",
    "opened_on": "date opened",
    "is_open": "open or closed",
    "flags": "flags",
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


def saved_mappings():
    return list(ImportMapping.select().order_by(ImportMapping.name))


def mapping_for(case_import, saved_id=None):
    """The columns to offer for an import: those already chosen, or a saved mapping's (its headings that are in
    this file), or the guess."""
    headers = json.loads(case_import.headers)
    chosen = json.loads(case_import.mapping)
    if chosen and saved_id is None:
        return chosen
    saved = ImportMapping.get_or_none(ImportMapping.id == saved_id) if saved_id else None
    if saved:
        return {field: heading for field, heading in json.loads(saved.columns).items() if heading in headers}
    return guess_mapping(headers)


# Uploading.


def upload(actor, table, file_name, now):
    """Keep the uploaded table (services/table_files.Table) for its columns to be chosen."""
    with db.atomic():
        case_import = CaseImport.create(
            uploaded_by=actor,
            uploaded_at=now,
            file_name=file_name[:200],
            headers=json.dumps(table.headers),
            rows=json.dumps(table.rows),
        )
        Event.record(actor, "uploaded", case_import, ["file_name", "rows"])
    return case_import


# Reading each row.


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


# The preview.


def preview(actor, case_import, mapping, expected_version, today, now):
    """Work out what applying the import would change, with the columns `mapping` chose ({field: heading}), and
    keep it as the import's rows; RuleBroken (by field) if a column needed is not chosen."""
    headers = json.loads(case_import.headers)
    problems = [
        (name, f"Choose the column that holds the {field.label.lower()}")
        for name, field in FIELDS.items()
        if field.required and not mapping.get(name)
    ]
    twice = [heading for heading, count in Counter(h for h in mapping.values() if h).items() if count > 1]
    problems += [
        (name, f"The column {heading!r} is chosen for more than one thing")
        for name, heading in mapping.items()
        if heading in twice
    ]
    if problems:
        raise RuleBroken(problems=problems)
    columns = {name: headers.index(heading) for name, heading in mapping.items() if heading}
    read, lines = [], []
    first_row = {}
    for number, cells in json.loads(case_import.rows):
        values, wrong = read_row(cells, columns, today)
        reference = values["reference"]
        if reference and reference in first_row:
            wrong.append(("reference", f"Case reference {reference} is also on row {first_row[reference]}"))
        elif reference:
            first_row[reference] = number
        for name, message in wrong:
            lines.append(
                {
                    "kind": "bad",
                    "row_number": number,
                    "reference": reference,
                    "column": mapping[name],
                    "detail": message,
                }
            )
        if not wrong:
            read.append((number, values))
    # A case on a row to correct is in the file: it is not to be closed for missing from it.
    counts, compared = compare(read, mapping, today, also_in_file=set(first_row))
    lines += compared
    counts["bad"] = sum(1 for line in lines if line["kind"] == "bad")
    counts["bad_rows"] = len({line["row_number"] for line in lines if line["kind"] == "bad"})
    counts["rows"] = len(json.loads(case_import.rows))
    with db.atomic():
        try:
            case_import.save_version(
                expected_version,
                {
                    CaseImport.mapping: json.dumps(mapping),
                    CaseImport.counts: json.dumps(counts),
                    CaseImport.previewed_at: now,
                },
            )
        except StaleRecord as error:
            raise RuleBroken("Someone else chose this import's columns meanwhile. Check them and try again.") from error
        ImportRow.delete().where(ImportRow.case_import == case_import).execute()
        rows = [line | {"case_import": case_import.id} for line in lines]
        for start in range(0, len(rows), BATCH):
            ImportRow.insert_many(rows[start : start + BATCH]).execute()
        Event.record(actor, "changed", case_import, ["mapping", "previewed"])
    return counts


def compare(read, mapping, today, also_in_file=()):
    """What each good row would change of the case with its reference, and which open cases the file leaves out
    (besides those of `also_in_file`): (counts and new names, the preview's lines)."""
    existing = {
        row[1]: row
        for row in Case.select(
            Case.id,
            Case.reference,
            Case.initials,
            Case.birth_year,
            Team.name,
            Case.worker_name,
            Case.worker_email,
            Case.opened_on,
            Case.is_open,
        )
        .join(Team)
        .tuples()
    }
    flags = {}
    for case_id, name in CaseFlag.select(CaseFlag.case, Flag.name).join(Flag).tuples():
        flags.setdefault(case_id, []).append(name)
    teams = {normal(name): name for (name,) in Team.select(Team.name).tuples()}
    areas = {normal(name): name for (name,) in ServiceArea.select(ServiceArea.name).tuples()}
    known_flags = {normal(name) for (name,) in Flag.select(Flag.name).tuples()}
    compared = {"email": "worker_email" in mapping, "status": "status" in mapping, "flags": "flags" in mapping}
    counts = Counter()
    new_teams, new_areas, new_flags = {}, set(), set()
    lines, closing = [], []
    for number, values in read:
        team_key = normal(values["team"])
        if team_key not in teams:
            new_teams.setdefault(values["team"], values["service_area"])
            if values["service_area"] and normal(values["service_area"]) not in areas:
                new_areas.add(values["service_area"])
        new_flags |= {flag for flag in values["flags"] if normal(flag) not in known_flags}
        case = existing.pop(values["reference"], None)
        line = {"row_number": number, "reference": values["reference"], "values": json.dumps(values)}
        if case is None:
            lines.append(line | {"kind": "new", "detail": "Open" if values["is_open"] else "Closed"})
            counts["new"] += 1
            continue
        case_id, _, initials, birth_year, team, worker, email, opened_on, is_open = case
        now_is = {
            "initials": initials,
            "birth_year": birth_year,
            "team": normal(team),
            "worker_name": worker,
            "worker_email": email if compared["email"] else values["worker_email"],
            "opened_on": opened_on.isoformat() if opened_on else None,
            "is_open": bool(is_open) if compared["status"] else values["is_open"],
            "flags": sorted(normal(f) for f in flags.get(case_id, [])),
        }
        will_be = values | {"team": team_key, "flags": sorted(normal(f) for f in values["flags"])}
        if not compared["flags"]:
            will_be["flags"] = now_is["flags"]
        if not compared["email"]:
            will_be["worker_email"] = now_is["worker_email"]
        changed = [label for name, label in CHANGES.items() if now_is[name] != will_be[name]]
        kind = "changed" if changed else "unchanged"
        if changed and is_open and not values["is_open"]:
            closing.append((case_id, number, line, [name for name in changed if name != CHANGES["is_open"]]))
            continue
        lines.append(line | {"kind": kind, "case": case_id, "detail": ", ".join(changed).capitalize()})
        counts[kind] += 1
    # Open cases the file leaves out are closed, as cases the file says are closed.
    for case_id, reference, *_, is_open in existing.values():
        if is_open and reference not in also_in_file:
            closing.append((case_id, None, {"row_number": None, "reference": reference, "values": ""}, []))
    busy = with_work_open([case_id for case_id, *_ in closing])
    for case_id, number, line, also in closing:
        kind = "blocked" if case_id in busy else "closing"
        detail = "Not in the file" if number is None else "Closed in the file"
        detail += f"; also {', '.join(also)}" if also else ""
        detail += f". {busy[case_id]}" if case_id in busy else ""
        lines.append(line | {"kind": kind, "case": case_id, "detail": detail})
        counts[kind] += 1
    figures = dict(counts) | {
        "new_teams": dict(sorted(new_teams.items())),
        "new_areas": sorted(new_areas),
        "new_flags": sorted(new_flags),
        "compared": compared,
    }
    return figures, lines


def with_work_open(case_ids):
    """Which of the cases have an audit not submitted, an Immediate Response not closed or actions not done
    ({case id: what is open})."""
    found = {}
    for start in range(0, len(case_ids), BATCH):
        batch = case_ids[start : start + BATCH]
        audits = Audit.select(Audit.case).where(Audit.case.in_(batch) & Audit.still_open() & Audit.exercise.is_null())
        responses = ImmediateResponse.select(ImmediateResponse.case).where(
            ImmediateResponse.case.in_(batch) & (ImmediateResponse.status != "closed")
        )
        actions = (
            Action.select(Audit.case).join(Audit).where(Audit.case.in_(batch) & (Action.status == "open")).distinct()
        )
        for query, what in (
            (audits, "An audit is open"),
            (responses, "An Immediate Response is open"),
            (actions, "Actions are not done"),
        ):
            for (case_id,) in query.tuples():
                found[case_id] = f"{found[case_id]}; {what.lower()}" if case_id in found else what
    return found


def counts_of(case_import):
    empty = {"new_teams": {}, "new_areas": [], "new_flags": [], "rows": 0, "bad_rows": 0}
    return dict.fromkeys(KINDS, 0) | empty | json.loads(case_import.counts)


def lines(case_import, kind):
    """The preview's lines of one kind, in the file's order (a list, a page at a time)."""
    return (
        ImportRow.select()
        .where((ImportRow.case_import == case_import) & (ImportRow.kind == kind))
        .order_by(ImportRow.id)
    )


def counted_lines(case_import, kind):
    return ImportRow.select(ImportRow.id).where((ImportRow.case_import == case_import) & (ImportRow.kind == kind))


# Applying.


def apply(actor, case_import, expected_version, teams_as, areas_as, close_blocked, today, now):
    """Apply the previewed import, all or nothing: new service areas and teams as decided (`areas_as`: {name:
    an existing area's id, or None for a new one}; `teams_as`: {name: an existing team's id, or the name of the
    service area to add it to}), new flags, new cases, changes, and cases closed (those with work open only if
    `close_blocked`); the event log says what changed, and the import and its upload are deleted. Returns the
    counts applied."""
    counts = counts_of(case_import)
    if counts["bad"]:
        raise RuleBroken(
            "Correct the rows listed, then upload the file again: nothing can be applied while any row is wrong."
        )
    summary = Counter()
    try:
        with db.atomic():
            try:
                case_import.save_version(expected_version, {})
            except StaleRecord as error:
                raise RuleBroken(
                    "This import has changed or been applied since you opened it. Check it again."
                ) from error
            team_ids = names_to_teams(actor, counts, teams_as, areas_as)
            flag_ids = flags_by_name(actor, counts["new_flags"])
            summary["new"] = add_cases(actor, case_import, team_ids, flag_ids, today, now)
            summary["changed"], summary["closed"] = change_cases(
                actor, case_import, team_ids, flag_ids, counts["compared"], close_blocked, today, now
            )
            said = [f"{count} {what}" for what, count in summary.items() if count]
            Event.record(actor, "applied", case_import, said or ["nothing to change"])
            case_import.delete_instance()  # its rows go with it
    except IntegrityError as error:
        raise RuleBroken(
            "The cases changed while this import was being applied (another import, perhaps). Choose its columns "
            "again to see the preview as the cases are now."
        ) from error
    return summary


KEPT_FOR = datetime.timedelta(days=2)  # an import neither applied nor abandoned is deleted after this


def delete_forgotten(now):
    """Delete, with their uploads, the imports left neither applied nor abandoned for KEPT_FOR: the file of
    children's cases is not kept for want of a click. Returns how many."""
    forgotten = list(CaseImport.select().where(CaseImport.uploaded_at < now - KEPT_FOR))
    for case_import in forgotten:
        with db.atomic():
            Event.record(None, "deleted, left unapplied", case_import, ["file_name"])
            case_import.delete_instance()
    return len(forgotten)


def abandon(actor, case_import):
    with db.atomic():
        Event.record(actor, "abandoned", case_import, ["file_name"])
        case_import.delete_instance()


def names_to_teams(actor, counts, teams_as, areas_as):
    """Every team name the file uses, as compared, to a team's id: existing ones, and those decided on (new
    service areas and teams created, with their events)."""
    areas = {normal(name): area_id for area_id, name in ServiceArea.select(ServiceArea.id, ServiceArea.name).tuples()}
    for name in counts["new_areas"]:
        chosen = areas_as.get(name)
        if chosen is None:
            area = ServiceArea.create(name=name[:200])
            Event.record(actor, "created", area, ["name"])
            chosen = area.id
        areas[normal(name)] = chosen
    teams = {normal(name): team_id for team_id, name in Team.select(Team.id, Team.name).tuples()}
    for name in counts["new_teams"]:
        chosen = teams_as.get(name)
        if isinstance(chosen, str):
            if normal(chosen) not in areas:
                raise RuleBroken(f"Choose what to do with the team {name!r}")
            team = Team.create(name=name[:200], service_area=areas[normal(chosen)])
            Event.record(actor, "created", team, ["name", "service_area"])
            chosen = team.id
        if chosen is None:
            raise RuleBroken(f"Choose what to do with the team {name!r}")
        teams[normal(name)] = chosen
    return teams


def flags_by_name(actor, new_flags):
    flags = {normal(name): flag_id for flag_id, name in Flag.select(Flag.id, Flag.name).tuples()}
    for name in new_flags:
        if normal(name) not in flags:
            flag = Flag.create(name=name[:100])
            Event.record(actor, "created", flag, ["name"])
            flags[normal(name)] = flag.id
    return flags


def case_values(values, team_ids, today):
    return {
        "initials": values["initials"],
        "birth_year": values["birth_year"],
        "team": team_ids[normal(values["team"])],
        "worker_name": values["worker_name"],
        "worker_email": values["worker_email"],
        "opened_on": datetime.date.fromisoformat(values["opened_on"]),
        "is_open": values["is_open"],
        "closed_on": None if values["is_open"] else today,
    }


def add_cases(actor, case_import, team_ids, flag_ids, today, now):
    rows = [json.loads(values) for (values,) in lines(case_import, "new").select(ImportRow.values).tuples()]
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        Case.insert_many([{"reference": v["reference"]} | case_values(v, team_ids, today) for v in batch]).execute()
        ids = dict(
            Case.select(Case.reference, Case.id).where(Case.reference.in_([v["reference"] for v in batch])).tuples()
        )
        links = [{"case": ids[v["reference"]], "flag": flag_ids[normal(flag)]} for v in batch for flag in v["flags"]]
        if links:
            CaseFlag.insert_many(links).execute()
        events = [
            {
                "at": now,
                "user": actor.id,
                "action": "created",
                "record_type": "Case",
                "record_id": ids[v["reference"]],
                "fields": "imported",
            }
            for v in batch
        ]
        Event.insert_many(events).execute()
    return len(rows)


def change_cases(actor, case_import, team_ids, flag_ids, compared, close_blocked, today, now):
    """Save what the file changes of existing cases, closing those it leaves out or says are closed (those with
    work open only if `close_blocked`; else only their other changes are saved). Returns (changed, closed)."""
    kinds = ("changed", "closing", "blocked")
    rows = ImportRow.select(ImportRow.kind, ImportRow.case, ImportRow.values, ImportRow.detail).where(
        (ImportRow.case_import == case_import) & ImportRow.kind.in_(kinds)
    )
    events, closed = [], []
    for kind, case_id, values, detail in rows.order_by(ImportRow.id).tuples():
        closes = kind == "closing" or (kind == "blocked" and close_blocked)
        if values:
            update_case(case_id, json.loads(values), team_ids, flag_ids, compared, today, keep_open=not closes)
        elif closes:
            Case.update({Case.is_open: False, Case.closed_on: today, Case.version: Case.version + 1}).where(
                Case.id == case_id
            ).execute()
        elif kind == "blocked":
            continue
        closed += [case_id] if closes else []
        what = "closed" if closes and not values else detail.lower()
        events.append(
            {
                "at": now,
                "user": actor.id,
                "action": "changed",
                "record_type": "Case",
                "record_id": case_id,
                "fields": f"imported: {what}"[:255],
            }
        )
    for start in range(0, len(events), BATCH):
        Event.insert_many(events[start : start + BATCH]).execute()
    return len(events) - len(closed), len(closed)


def update_case(case_id, values, team_ids, flag_ids, compared, today, keep_open=False):
    """Save a row of the file on its case; `keep_open` leaves it open whatever the file says."""
    new = case_values(values, team_ids, today)
    if not compared["email"]:
        del new["worker_email"]
    if not compared["status"] or keep_open:
        del new["is_open"], new["closed_on"]
    Case.update(new | {"version": Case.version + 1}).where(Case.id == case_id).execute()
    if compared["flags"]:
        CaseFlag.delete().where(CaseFlag.case == case_id).execute()
        links = [{"case": case_id, "flag": flag_ids[normal(flag)]} for flag in values["flags"]]
        if links:
            CaseFlag.insert_many(links).execute()


def save_mapping(actor, name, mapping):
    """Save the columns chosen under `name`, replacing a mapping of that name."""
    with db.atomic():
        saved = ImportMapping.get_or_none(fn.LOWER(ImportMapping.name) == name.lower())
        if saved:
            saved.columns, saved.saved_by, saved.saved_at = json.dumps(mapping), actor, utcnow()
            saved.save()
            Event.record(actor, "changed", saved, ["columns"])
        else:
            saved = ImportMapping.create(name=name, columns=json.dumps(mapping), saved_by=actor)
            Event.record(actor, "created", saved, ["name", "columns"])
    return saved
