"""Changing a case by hand: its details and flags, and its open actions following it to a new team."""

from models import db
from services import records, team_actions


def change(actor, case, expected_version, values, flag_ids):
    """Save the case's `values` and exactly these flags, in one transaction with its event; a case moved to another
    team takes its open actions to that team's manager. Returns the case, or raises Stale."""
    team_before = case.team_id
    with db.atomic():
        records.update(actor, case, expected_version, links=flag_links(flag_ids), **values)
        if case.team_id != team_before:
            team_actions.follow_cases([case.id])
    return case


def flag_links(flag_ids):
    """Save the case's flags in the same transaction as the case."""
    return lambda case: ["flags"] if case.set_flags(flag_ids) else []
