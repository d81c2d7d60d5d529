"""Importing the open-case list exported from the case management system (Mosaic, Liquidlogic, CareFirst), as CSV
or Excel (services/table_files.py reads it): a QA officer uploads it, says which column holds what (guessed from
the headings, or a mapping saved by name last month; services/case_rows.py reads each row), sees a preview of what
would change, and applies it, all or nothing (services/case_import_apply.py; PRODUCT.md, workflow 5; seed 000 s.4.2;
seed 002 s.7).

The preview is worked out once, when the columns are chosen, and kept as rows (ImportRow) that its pages list a
page at a time: which cases are new, changed (and how), unchanged, missing from the file and so to be closed, or
to be closed with work still open on them (an audit, an Immediate Response or actions: seed 002 s.10, no case is
closed with an audit open), which the QA officer decides on; and every bad row with its row number, column and
what is wrong. Nothing is applied while any row is bad. The upload is kept only until it is applied or abandoned."""

import datetime
import json
from collections import Counter

from peewee import chunked, fn

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
from services.case_rows import FIELDS, guess_mapping, normal, read_row
from services.errors import RuleBroken

BATCH = 500  # rows to a statement, well within every database's limit of parameters
KINDS = {
    "bad": "Rows to correct",
    "new": "New cases",
    "changed": "Changed",
    "closing": "To be closed",
    "blocked": "To be closed, with work open",
    "unchanged": "Unchanged",
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


def waiting():
    """The imports uploaded and not yet applied nor abandoned, the latest first."""
    return list(CaseImport.select().order_by(CaseImport.uploaded_at.desc(), CaseImport.id.desc()).limit(10))


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


# The preview.


def preview(actor, case_import, mapping, expected_version, today, now, save_as=""):
    """Work out what applying the import would change, with the columns `mapping` chose ({field: heading}), and
    keep it as the import's rows, the columns saved by name too if `save_as` names them; RuleBroken (by field) if
    a column needed is not chosen."""
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
        for batch in chunked([line | {"case_import": case_import.id} for line in lines], BATCH):
            ImportRow.insert_many(batch).execute()
        Event.record(actor, "changed", case_import, ["mapping", "previewed"])
        if save_as:
            save_mapping(actor, save_as, mapping)
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
    for batch in chunked(case_ids, BATCH):
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


def preview_lines(case_import, kind):
    """The preview's lines of one kind, in the file's order (a list, a page at a time)."""
    return (
        ImportRow.select()
        .where((ImportRow.case_import == case_import) & (ImportRow.kind == kind))
        .order_by(ImportRow.id)
    )


def counted_lines(case_import, kind):
    return ImportRow.select(ImportRow.id).where((ImportRow.case_import == case_import) & (ImportRow.kind == kind))


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


def save_mapping(actor, name, mapping):
    """Save the columns chosen under `name`, replacing a mapping of that name, in the caller's transaction."""
    saved = ImportMapping.get_or_none(fn.LOWER(ImportMapping.name) == name.lower())
    if saved:
        saved.columns, saved.saved_by, saved.saved_at = json.dumps(mapping), actor, utcnow()
        saved.save()
        Event.record(actor, "changed", saved, ["columns"])
    else:
        saved = ImportMapping.create(name=name, columns=json.dumps(mapping), saved_by=actor)
        Event.record(actor, "created", saved, ["name", "columns"])
    return saved
