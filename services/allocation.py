"""Allocating an audit of a case to an auditor by hand."""

from models import Audit, Event, db
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
    if auditor.team_id is not None and auditor.team_id == case.team_id:
        problems.append(
            (
                "auditor",
                f"{auditor.name} works in {case.team.name}, the team that holds this case. "
                "Choose an auditor from another team, so the audit is independent.",
            )
        )
    if not auditor.active or not auditor.has_role("auditor"):
        problems.append(("auditor", f"{auditor.name} cannot take audits. Choose an active auditor."))
    if due_on <= today:
        problems.append(("due_on", "The date the audit is due must be in the future"))
    return problems


def allocate(actor, case, auditor, due_on, today):
    problems = allocation_problems(case, auditor, due_on, today)
    if problems:
        raise RuleBroken(problems=problems)
    with db.atomic():
        audit = Audit.create(case=case, auditor=auditor, allocated_by=actor, due_on=due_on)
        Event.record(actor, "created", audit, ["case", "auditor", "due_on"])
    return audit
