"""What the dashboard counts as things stand today (services/dashboard.py): the audits open and past their due date,
the actions overdue, the Immediate Responses raised in a period and those still open. None can be kept in a tally, as
each changes with the day; each is counted from the few records still open, read first from an index of them."""

import datetime
from dataclasses import dataclass

from peewee import JOIN, fn
from peewee import Case as When

from models import Action, Audit, Case, ImmediateResponse, Team
from services import team_actions
from services.calibration import as_date
from services.database import month_start


@dataclass(frozen=True)
class Responses:
    raised: int = 0
    open: int = 0
    overdue: int = 0  # not acknowledged by their deadline
    escalated: int = 0


def end_of(filters):
    """The first moment after the period."""
    return datetime.datetime.combine((filters.last_month + datetime.timedelta(days=32)).replace(day=1), datetime.time())


def audits_chosen(filters, team=None):
    """Conditions on Audit for the filters, the team that of its case unless the record counted keeps its own
    (`team`, or 0 where the caller asks it itself). The case's is asked of each audit, so that the database starts
    from the few records counted (the open audits, say), not from every case of the team."""
    start = datetime.datetime.combine(filters.first_month, datetime.time())
    conditions = [Audit.allocated_at >= start, Audit.allocated_at < end_of(filters), Audit.exercise.is_null()]
    return conditions + of_kind(filters) + ([] if team == 0 else held_by(filters, team, Audit.case))


def of_kind(filters):
    """Conditions that an audit is of the type and on the template chosen. Nearly every audit is of one type and
    one template, so their indexes would lead the database to read them all: `+ 0` and `|| ''` keep them out."""
    conditions = []
    if filters.audit_type:
        conditions.append(Audit.audit_type.concat("") == filters.audit_type)
    if filters.template_id:
        conditions.append(Audit.template + 0 == filters.template_id)
    return conditions


def held_by(filters, team, case):
    """Conditions that the `team` column, or else the team of the `case` column's case, is the team or in the
    service area chosen."""
    teams = []
    if filters.team_id:
        teams.append(Team.id == filters.team_id)
    if filters.service_area_id:
        teams.append(Team.service_area == filters.service_area_id)
    if not teams:
        return []
    if team is not None:
        return [fn.EXISTS(Team.select(Team.id).where(Team.id == team, *teams))]
    return [fn.EXISTS(Case.select(Case.id).join(Team).where(Case.id == case, *teams))]


def overdue_by_month(filters, today):
    """{month allocated: audits open and past due today}, read from the index of open audits."""
    month = month_start(Audit.allocated_at)
    query = Audit.select(month, fn.COUNT(Audit.id)).where(
        Audit.still_open(), Audit.due_on < today, *audits_chosen(filters)
    )
    query = query.group_by(month)
    return {as_date(month): count for month, count in query.tuples()}


def overdue_actions(filters, today):
    """The actions of the audits chosen with the team manager past their deadline today, read from the index of the
    team actions list. An open action's team is the case's."""
    # The audit is asked of each overdue action, so that the database reads those first, not every audit of the
    # period; the team is the action's own, which the index of the list holds.
    teams = [Action.team == filters.team_id] if filters.team_id else []
    if filters.service_area_id:
        teams.append(Action.team.in_(Team.select(Team.id).where(Team.service_area == filters.service_area_id)))
    of_audit_chosen = fn.EXISTS(Audit.select(Audit.id).where(Audit.id == Action.audit, *audits_chosen(filters, team=0)))
    # An action is received when its audit is submitted or moderated, so on or after the day the audit was
    # allocated, and its deadline is on or after the day it was received: an overdue action's place in the list is
    # its deadline's day number (services/team_actions.py: list_order). So the actions of audits allocated in the
    # period are among those due since it began, and the audits of the years before are never read.
    since = Action.list_order >= filters.first_month.toordinal()
    overdue = Action.select(fn.COUNT(Action.id)).where(team_actions.state_condition("overdue", today), since, *teams)
    return overdue.where(of_audit_chosen).scalar()


def responses_of(filters, today):
    """The Immediate Responses raised in the period on cases chosen (from audits of the type and template chosen,
    where either is): how many, how many open, overdue today and ever escalated. Few enough to count outright."""
    response = ImmediateResponse
    start = datetime.datetime.combine(filters.first_month, datetime.time())
    conditions = [response.raised_at >= start, response.raised_at < end_of(filters)]
    conditions += held_by(filters, None, response.case) + of_kind(filters)
    still_open = response.status != "closed"
    overdue = (response.status == "raised") & (response.due_on < today)
    row = (
        response.select(
            fn.COUNT(response.id),
            fn.SUM(When(None, [(still_open, 1)], 0)),
            fn.SUM(When(None, [(overdue, 1)], 0)),
            fn.SUM(When(None, [(response.escalated_at.is_null(False), 1)], 0)),
        )
        .join(Audit, JOIN.LEFT_OUTER)
        .where(*conditions)
        .tuples()
        .get()
    )
    return Responses(*(value or 0 for value in row))
