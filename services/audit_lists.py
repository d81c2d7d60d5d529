"""Finding audits: the lists of them, a page at a time, and the one query an audit's page starts from.

Each list selects only what it shows, is ordered by columns an index holds (migration 0006) ending
with the audit's id, as services/pagination.py needs, and is counted on the audit table alone."""

import datetime

from peewee import JOIN, fn
from peewee import Case as When

from models import Audit, AuditTemplate, Case, Team, User


def listing(*conditions):
    """Audits meeting `conditions` (on the audit's own columns), with only what a list shows: their
    dates and status, the case, its team, and the auditor."""
    Auditor = User.alias()
    query = (
        Audit.select(
            *(Audit.id, Audit.allocated_at, Audit.due_on, Audit.status, Audit.submitted_at, Audit.exercise),
            *(Case.id, Case.reference, Case.initials),
            *(Team.id, Team.name),
            *(Auditor.id, Auditor.name),
        )
        .join(Case)
        .join(Team)
        .switch(Audit)
        .join(Auditor, on=(Audit.auditor == Auditor.id))
    )
    return query.where(*conditions) if conditions else query


def matching(status=None, team_id=None, auditor_id=None, audit_type=None, overdue_on=None, month=None, in_order=False):
    """The conditions for audits with this status, of a case of this team, by this auditor, of this type, open and
    past their due date on `overdue_on`, or allocated in this month (a date in it), each on the audit's own
    columns."""
    conditions = []
    if overdue_on:
        # A count reads these from the index of open audits by due date (migration 0024).
        conditions.append(Audit.still_open() & (Audit.due_on < overdue_on))
    if status:
        conditions.append(Audit.status == status)
    if audit_type:
        conditions.append(Audit.audit_type == audit_type)
    if team_id:
        # A page (`in_order`) reads audits newest first from the index of dates, which holds each
        # audit's case, skipping other teams' cases: found through the index of cases, all the
        # team's audits would be sorted for every page (`+ 0` keeps that index out). A count
        # uses it, needing no order.
        case = Audit.case + 0 if in_order else Audit.case
        conditions.append(case.in_(Case.select(Case.id).where(Case.team == team_id)))
    if auditor_id:
        conditions.append(Audit.auditor == auditor_id)
    if month:
        start = datetime.datetime(month.year, month.month, 1)
        end = datetime.datetime(month.year + month.month // 12, month.month % 12 + 1, 1)
        conditions.append((Audit.allocated_at >= start) & (Audit.allocated_at < end))
    return conditions


def of_the_programme(in_order=False):
    """The condition for audits of the programme, not people's parts in a reliability exercise. A page
    (`in_order`) keeps the exercise's index out (`+ 0`), to read audits in order from the index of dates."""
    return (Audit.exercise + 0 if in_order else Audit.exercise).is_null()


def search(**filters):
    """All audits of the programme, newest first, narrowed by any of the filters (see `matching`)."""
    conditions = [of_the_programme(in_order=True), *matching(**filters, in_order=True)]
    return listing(*conditions).order_by(Audit.allocated_at.desc(), Audit.id.desc())


def counted(**filters):
    """The audits `search` finds, on the audit table alone: what a count needs."""
    return Audit.select(Audit.id).where(of_the_programme(), *matching(**filters))


def for_auditor(user):
    """The auditor's audits, their parts in reliability exercises too, soonest due first."""
    return listing(Audit.auditor == user).order_by(Audit.due_on, Audit.id)


def counted_for_auditor(user):
    """The audits `for_auditor` finds, on the audit table alone."""
    return Audit.select(Audit.id).where(Audit.auditor == user)


def waiting_for(user, today):
    """The audits `user` has still to submit: how many, how many are overdue, and the soonest due of the rest
    (None if none), for their home page. One query, read from the index of open audits (migration 0018)."""
    count, overdue, next_due = (
        Audit.select(
            fn.COUNT(Audit.id),
            fn.SUM(When(None, [(Audit.due_on < today, 1)], 0)),
            fn.MIN(When(None, [(Audit.due_on >= today, Audit.due_on)], None)),
        )
        .where((Audit.auditor == user.id) & Audit.still_open())
        .tuples()
        .get()
    )
    if isinstance(next_due, str):  # SQLite gives a date read through an expression back as text
        next_due = datetime.date.fromisoformat(next_due)
    return {"to_submit": count, "overdue": overdue or 0, "next_due": next_due}


def for_case(case):
    """The case's audits of the programme, newest first."""
    return listing(Audit.case == case, of_the_programme(in_order=True)).order_by(
        Audit.allocated_at.desc(), Audit.id.desc()
    )


def detailed():
    """Audits with their case, its team, their auditor and their template: all an audit's page shows of them."""
    Auditor = User.alias()
    return (
        Audit.select(
            Audit,
            *(Case.id, Case.reference, Case.initials, Case.birth_year, Case.team, Case.worker_name),
            *(Team.id, Team.name),
            *(Auditor.id, Auditor.name, Auditor.job_role),
            *(AuditTemplate.id, AuditTemplate.name, AuditTemplate.version),
        )
        .join(Case)
        .join(Team)
        .switch(Audit)
        .join(Auditor, on=(Audit.auditor == Auditor.id))
        .switch(Audit)
        .join(AuditTemplate, JOIN.LEFT_OUTER)
    )
