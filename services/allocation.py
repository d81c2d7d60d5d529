"""Allocating an audit of a case to an auditor by hand."""

from peewee import IntegrityError

from models import Audit, AuditTemplate, Event, User, db
from services.audits import default_period
from services.errors import RuleBroken


def allocation_problems(case, auditor, due_on, today):
    """What stops this allocation, as (field, message) pairs."""
    problems = []
    if not case.is_open:
        problems.append((None, f"Case {case.reference} is closed. Only open cases can be audited."))
    elif Audit.open_for_case(case):
        problems.append((None, f"Case {case.reference} already has an audit that has not been submitted."))
    # Camden programme s.4 (seed 003) and Bradford 2.3.1 (seed 004): auditors
    # never audit cases held by their own team, to keep audits independent.
    if case.team_id in (auditor.team_id, *auditor.managed_team_ids):
        relation = "works in" if auditor.team_id == case.team_id else "manages"
        problems.append(
            (
                "auditor",
                f"{auditor.name} {relation} {case.team.name}, the team that holds this case. "
                "Choose an auditor from another team, so the audit is independent.",
            )
        )
    if not auditor.active or not auditor.has_role("auditor"):
        problems.append(("auditor", f"{auditor.name} cannot take audits. Choose an active auditor."))
    if due_on <= today:
        problems.append(("due_on", "The date the audit is due must be in the future"))
    return problems


def allocate(actor, case, auditor_id, due_on, today):
    """Allocate an audit of `case`, or RuleBroken with every reason it cannot be."""
    auditor = User.get_by_id(auditor_id)
    try:
        with db.atomic():
            problems = allocation_problems(case, auditor, due_on, today)
            if problems:
                raise RuleBroken(problems=problems)
            start, end = default_period(today)
            audit = Audit.create(
                case=case,
                auditor=auditor,
                allocated_by=actor,
                due_on=due_on,
                template=AuditTemplate.current(),
                period_start=start,
                period_end=end,
            )
            Event.record(actor, "created", audit, ["case", "auditor", "due_on", "template", "period"])
    except IntegrityError as error:
        # Another QA officer allocated this case at the same moment (one open audit per case).
        raise RuleBroken(f"Case {case.reference} already has an audit that has not been submitted.") from error
    return audit
