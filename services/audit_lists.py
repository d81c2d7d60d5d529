"""Finding audits: the lists of them, a page at a time, and the one query an audit's page starts from.

Each list selects only what it shows, is ordered by columns an index holds (migration 0006) ending
with the audit's id, as services/pagination.py needs, and is counted on the audit table alone."""

import datetime

from peewee import JOIN, fn
from peewee import Case as When

from models import (
    GRADES,
    Audit,
    AuditTemplate,
    Case,
    DomainJudgement,
    DomainModeration,
    Moderation,
    ServiceArea,
    Team,
    TemplateDomain,
    User,
)
from services.audits import months_before
from services.database import day_start
from services.dates import uk_today


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


def matching(
    status=None,
    service_area_id=None,
    team_id=None,
    auditor_id=None,
    audit_type=None,
    template_id=None,
    overdue_on=None,
    submitted=None,
    first_month=None,
    last_month=None,
    grade=None,
    domain=None,
    in_order=False,
):
    """The conditions, each on the audit's own columns, for audits with this status, of a case held by a team of
    this service area or by this team, by this auditor, of this type, on this template, open and past their due
    date on `overdue_on`, submitted ("yes", "on-time" or "late"), allocated in the months from `first_month` to
    `last_month` (a date in each; either may be None), with this final grade for the overall judgement, or for the
    domain of this name."""
    conditions = []
    if overdue_on:
        # A count reads these from the index of open audits by due date (migration 0024).
        conditions.append(Audit.still_open() & (Audit.due_on < overdue_on))
    if status:
        conditions.append(Audit.status == status)
    if audit_type:
        conditions.append(Audit.audit_type == audit_type)
    if template_id:
        conditions.append(Audit.template == template_id)
    if team_id or service_area_id:
        # A page (`in_order`) reads audits newest first from the index of dates, which holds each
        # audit's case, skipping other teams' cases: found through the index of cases, all the
        # team's audits would be sorted for every page (`+ 0` keeps that index out). A count
        # uses it, needing no order.
        case = Audit.case + 0 if in_order else Audit.case
        conditions.append(case.in_(Case.select(Case.id).where(*held_by(service_area_id, team_id))))
    if auditor_id:
        conditions.append(Audit.auditor == auditor_id)
    if submitted:
        conditions.append(SUBMITTED[submitted](Audit))
    if first_month:
        conditions.append(Audit.allocated_at >= datetime.datetime.combine(first_month.replace(day=1), datetime.time()))
    if last_month:
        conditions.append(
            Audit.allocated_at
            < datetime.datetime.combine(months_before(last_month.replace(day=1), -1), datetime.time())
        )
    if grade:
        conditions.append(graded(grade, domain, in_order))
    return conditions


SUBMITTED = {
    "yes": lambda audit: audit.submitted_at.is_null(False),
    "on-time": lambda audit: audit.submitted_at.is_null(False) & (day_start(audit.submitted_at) <= audit.due_on),
    "late": lambda audit: audit.submitted_at.is_null(False) & (day_start(audit.submitted_at) > audit.due_on),
}


def held_by(service_area_id, team_id):
    """Conditions on Case that its team is this one, or one of this service area."""
    conditions = [Case.team == team_id] if team_id else []
    if service_area_id:
        conditions.append(Case.team.in_(Team.select(Team.id).where(Team.service_area == service_area_id)))
    return conditions


def graded(grade, domain=None, in_order=False):
    """The condition that an audit's final grade for the overall judgement, or for the `domain` of that name in its
    template, is `grade`: its moderator's, once moderated (a moderation submitted keeps the final grade
    of each, the auditor's where the moderator agreed), else its auditor's. Each is asked of the audit, through the
    index of its moderation or its judgements. A page (`in_order`) keeps the index of statuses out (`|| ''`), to read
    audits in order from the index of dates."""
    status = Audit.status.concat("") if in_order else Audit.status
    if not domain:
        moderated = Moderation.select(Moderation.id).where((Moderation.audit == Audit.id) & (Moderation.grade == grade))
        return ((status == "submitted") & (Audit.overall_grade == grade)) | (
            (status == "moderated") & fn.EXISTS(moderated)
        )
    # Where the moderator left a domain without a row of its own, the auditor's grade stands.
    moderation = (Moderation.audit == DomainJudgement.audit) & (Moderation.status == "submitted")
    its_row = (DomainModeration.moderation == Moderation.id) & (DomainModeration.domain == DomainJudgement.domain)
    judged = (
        DomainJudgement.select(DomainJudgement.id)
        .join(TemplateDomain)
        .switch(DomainJudgement)
        .join(Moderation, JOIN.LEFT_OUTER, on=moderation)
        .join(DomainModeration, JOIN.LEFT_OUTER, on=its_row)
        .where(
            (DomainJudgement.audit == Audit.id)
            & (TemplateDomain.name == domain)
            & (fn.COALESCE(DomainModeration.grade, DomainJudgement.grade) == grade)
        )
    )
    return status.in_(Audit.DONE) & fn.EXISTS(judged)


def of_the_programme(in_order=False):
    """The condition for audits of the programme, not people's parts in a reliability exercise. A page
    (`in_order`) keeps the exercise's index out (`+ 0`), to read audits in order from the index of dates."""
    return (Audit.exercise + 0 if in_order else Audit.exercise).is_null()


def search(**filters):
    """All audits of the programme, newest first, narrowed by any of the filters (see `matching`)."""
    conditions = [of_the_programme(in_order=True), *matching(**filters, in_order=True)]
    return listing(*conditions).order_by(Audit.allocated_at.desc(), Audit.id.desc())


EXPORT_HEADER = [
    "Case reference",
    "Child's initials",
    "Team",
    "Service area",
    "Auditor",
    "Type",
    "Template",
    "Allocated",
    "Due",
    "Status",
    "Submitted",
    "Submitted on time",
    "Overall judgement",
    "Moderated",
]


def exported(**filters):
    """Every audit `search` finds, as the rows of a spreadsheet (EXPORT_HEADER), one query read as it goes. The
    overall judgement is the final one: the moderator's, once moderated."""
    Auditor = User.alias()
    moderated = (Moderation.audit == Audit.id) & (Moderation.status == "submitted")
    query = (
        Audit.select(
            *(Case.reference, Case.initials, Team.name, ServiceArea.name, Auditor.name, Audit.audit_type),
            *(AuditTemplate.name, AuditTemplate.version, Audit.allocated_at, Audit.due_on, Audit.status),
            *(Audit.submitted_at, Audit.overall_grade, Moderation.grade),
        )
        .join(Case)
        .join(Team)
        .join(ServiceArea)
        .switch(Audit)
        .join(Auditor, on=(Audit.auditor == Auditor.id))
        .switch(Audit)
        .join(AuditTemplate, JOIN.LEFT_OUTER)
        .switch(Audit)
        .join(Moderation, JOIN.LEFT_OUTER, on=moderated)
        .where(of_the_programme(in_order=True), *matching(**filters, in_order=True))
        .order_by(Audit.allocated_at.desc(), Audit.id.desc())
    )
    for row in query.tuples().iterator():
        reference, initials, team, area, auditor, kind, template, version, allocated, due, status, *rest = row
        submitted, overall, moderated_grade = rest
        yield [
            *(reference, initials, team, area, auditor, Audit.TYPES.get(kind, kind)),
            f"{template}, version {version}" if template else "",
            *(uk_today(allocated), due, Audit.STATUSES[status]),
            uk_today(submitted) if submitted else None,
            (uk_today(submitted) <= due) if submitted else None,
            GRADES.get(moderated_grade or overall, ""),
            moderated_grade is not None,
        ]


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
