"""Adding and changing a case by hand: its details and flags, its allocated worker's account, and its open actions
following it to a new team."""

from models import Audit, Case, User
from services import action_reviews, dashboard_tallies, records, team_actions
from services.dates import uk_today


def with_worker_email(values):
    """The case's values, with the worker email of the account chosen for its allocated worker: an import then
    finds the same account."""
    worker = values.get("worker")
    if worker:
        return values | {"worker_email": User.get_by_id(getattr(worker, "id", worker)).email}
    return values


def with_closed_on(values, was_open=True):
    """The case's values, with the day it closed when it is closed now (retention counts from it), none when
    it is open again."""
    if values.get("is_open", True):
        return values | {"closed_on": None}
    return values | {"closed_on": uk_today()} if was_open else values


def add(actor, values, flag_ids):
    """Add a case with these flags, in one transaction with its event. Returns the case."""
    return records.create(actor, Case, links=flag_links(flag_ids), **with_closed_on(with_worker_email(values)))


def change(actor, case, expected_version, values, flag_ids):
    """Save the case's `values` and exactly these flags, in one transaction with its event; a case moved to another
    team takes its open actions to that team's manager. Returns the case, or raises Stale."""
    team_before = case.team_id
    with dashboard_tallies.kept(Audit.case == case.id):
        values = with_closed_on(with_worker_email(values), was_open=case.is_open)
        records.update(actor, case, expected_version, links=flag_links(flag_ids), **values)
        if case.team_id != team_before:
            follow_team([case.id])
    return case


def follow_team(case_ids):
    """Take these cases' open actions, and their audits' reviews not yet made, to each case's team now."""
    team_actions.follow_cases(case_ids)
    action_reviews.follow_cases(case_ids)


def flag_links(flag_ids):
    """Save the case's flags in the same transaction as the case."""
    return lambda case: ["flags"] if case.set_flags(flag_ids) else []
