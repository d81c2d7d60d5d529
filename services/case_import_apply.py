"""Applying a previewed import of the open-case list (services/case_import.py), all or nothing: the service areas,
teams and flags the QA officer decided on, the new cases, the changes to existing ones, and the cases closed, with
the event log saying what changed."""

import datetime
import json
from collections import Counter

from peewee import IntegrityError, chunked

from models import Audit, Case, CaseFlag, Event, Flag, ImportRow, ServiceArea, StaleRecord, Team, db
from services import cases, dashboard_tallies, team_audits
from services.case_import import BATCH, counts_of, preview_lines
from services.case_rows import normal
from services.errors import RuleBroken


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
    rows = [json.loads(values) for (values,) in preview_lines(case_import, "new").select(ImportRow.values).tuples()]
    for batch in chunked(rows, BATCH):
        Case.insert_many([{"reference": v["reference"]} | case_values(v, team_ids, today) for v in batch]).execute()
        ids = dict(
            Case.select(Case.reference, Case.id).where(Case.reference.in_([v["reference"] for v in batch])).tuples()
        )
        links = [{"case": ids[v["reference"]], "flag": flag_ids[normal(flag)]} for v in batch for flag in v["flags"]]
        if links:
            CaseFlag.insert_many(links).execute()
        team_audits.link_workers(list(ids.values()))
        log_cases(actor, now, "created", [(ids[v["reference"]], "imported") for v in batch])
    return len(rows)


def log_cases(actor, now, action, cases):
    """Write the event of each case the import created or changed ((case id, what of it)), a batch at a time."""
    for batch in chunked(cases, BATCH):
        Event.insert_many(
            [
                {
                    "at": now,
                    "user": actor.id,
                    "action": action,
                    "record_type": "Case",
                    "record_id": case_id,
                    "fields": fields[:255],
                }
                for case_id, fields in batch
            ]
        ).execute()


def change_cases(actor, case_import, team_ids, flag_ids, compared, close_blocked, today, now):
    """Save what the file changes of existing cases, closing those it leaves out or says are closed (those with
    work open only if `close_blocked`; else only their other changes are saved). Returns (changed, closed)."""
    kinds = ("changed", "closing", "blocked")
    chosen = (ImportRow.case_import == case_import) & ImportRow.kind.in_(kinds)
    rows = ImportRow.select(ImportRow.kind, ImportRow.case, ImportRow.values, ImportRow.detail).where(chosen)
    changes, closed = [], 0
    # A case moved to another team takes its audits' figures with it.
    with dashboard_tallies.kept(Audit.case.in_(ImportRow.select(ImportRow.case).where(chosen))):
        for kind, case_id, values, detail in rows.order_by(ImportRow.id).tuples():
            closes = kind == "closing" or (kind == "blocked" and close_blocked)
            if values:
                update_case(case_id, json.loads(values), team_ids, flag_ids, compared, today, keep_open=not closes)
            elif closes:
                Case.update({Case.is_open: False, Case.closed_on: today, Case.version: Case.version + 1}).where(
                    Case.id == case_id
                ).execute()
            else:
                continue  # a case with work open, missing from the file, left open
            closed += closes
            changes.append((case_id, f"imported: {'closed' if closes and not values else detail.lower()}"))
    cases.follow_team([case_id for case_id, _ in changes])
    team_audits.link_workers([case_id for case_id, _ in changes])
    log_cases(actor, now, "changed", changes)
    return len(changes) - closed, closed


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
