"""Allocating an audit of a case to an auditor by hand, and changing an allocation: giving the audit to another
auditor, cancelling it, or a later due date the auditor asks for and a QA officer agrees or refuses (seed 002 s.8).
Each change is kept with its reason, in one transaction with the event log and the notices it sends."""

from peewee import JOIN, IntegrityError

from models import AllocationChange, Audit, AuditTemplate, Case, Event, StaleRecord, User, db
from services import dashboard_tallies, notices
from services.audits import default_period
from services.dates import long_date
from services.errors import RuleBroken
from services.immediate_responses import qa_officers
from services.records import Stale


def allocation_problems(case, auditor, due_on, today):
    """What stops this allocation, as (field, message) pairs."""
    problems = []
    if not case.is_open:
        problems.append((None, f"Case {case.reference} is closed. Only open cases can be audited."))
    elif Audit.open_for_case(case):
        problems.append((None, f"Case {case.reference} already has an audit that has not been submitted."))
    problems += auditor_problems(case, auditor)
    if due_on <= today:
        problems.append(("due_on", "The date the audit is due must be in the future"))
    return problems


def auditor_problems(case, auditor):
    """What stops `auditor` auditing `case`, as (field, message) pairs."""
    problems = []
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
            dashboard_tallies.add(Audit.id == audit.id)
    except IntegrityError as error:
        # Another QA officer allocated this case at the same moment (one open audit per case).
        raise RuleBroken(f"Case {case.reference} already has an audit that has not been submitted.") from error
    return audit


NOT_OPEN = "The audit of case {} has been {}, so its allocation can no longer be changed."


def change_audit(audit, expected_version, values):
    """Write `values` on the audit if it is still open and nobody changed it since `expected_version`."""
    try:
        audit.save_version(expected_version, values, only_if=Audit.status.not_in(Audit.CLOSED))
    except StaleRecord as error:
        current = Audit.get_by_id(audit.id)
        if not current.is_open:
            raise RuleBroken(NOT_OPEN.format(audit.case.reference, current.status_label.lower())) from error
        raise Stale(current.version) from error


def reallocate(actor, audit, expected_version, auditor_id, reason, now):
    """Give the open audit to another auditor, with the reason; what was typed into it stays with it. Both
    auditors are told."""
    auditor = User.get_by_id(auditor_id)
    old = User.get_by_id(audit.auditor_id)
    problems = auditor_problems(audit.case, auditor)
    if auditor.id == old.id:
        problems.append(("auditor", f"The audit is {old.name}'s already. Choose another auditor."))
    if problems:
        raise RuleBroken(problems=problems)
    with db.atomic():
        change_audit(audit, expected_version, {Audit.auditor: auditor})
        change = AllocationChange.create(
            audit=audit,
            kind="reallocated",
            made_by=actor,
            made_at=now,
            reason=reason,
            from_auditor=old,
            to_auditor=auditor,
        )
        Event.record(actor, "changed", audit, ["auditor"])
        Event.record(actor, "created", change, ["kind", "reason", "from_auditor", "to_auditor"])
        reference = audit.case.reference
        notices.notify(
            [auditor],
            f"Audit given to you: case {reference}",
            f"The audit of case {reference} has been given to you, due by {long_date(audit.due_on)}, "
            f"instead of {old.name}. The reason: {reason}",
            f"/audits/{audit.id}",
        )
        notices.notify(
            [old],
            f"Audit given to someone else: case {reference}",
            f"The audit of case {reference} has been given to {auditor.name}. The reason: {reason}. "
            "What you typed into it stays with the audit.",
            "/my-audits",
        )
    audit.auditor = auditor
    return change


def cancel(actor, audit, expected_version, reason, now):
    """Cancel the open audit, with the reason: it is no longer open, so its case may be audited again. Its
    auditor is told."""
    with dashboard_tallies.kept(Audit.id == audit.id):
        change_audit(audit, expected_version, {Audit.status: "cancelled"})
        change = AllocationChange.create(audit=audit, kind="cancelled", made_by=actor, made_at=now, reason=reason)
        Event.record(actor, "changed", audit, ["status"])
        Event.record(actor, "created", change, ["kind", "reason"])
        reference = audit.case.reference
        notices.notify(
            [User.get_by_id(audit.auditor_id)],
            f"Audit cancelled: case {reference}",
            f"The audit of case {reference} has been cancelled, so you need not do it. The reason: {reason}",
            "/my-audits",
        )
    audit.status = "cancelled"
    return change


def changes_of(audit):
    """The audit's allocation changes, oldest first, with who made and decided them (one query)."""
    Made, From, To, Decided = User.alias(), User.alias(), User.alias(), User.alias()
    return list(
        AllocationChange.select(AllocationChange, Made, From, To, Decided)
        .join(Made, on=(AllocationChange.made_by == Made.id), attr="made_by")
        .switch(AllocationChange)
        .join(From, JOIN.LEFT_OUTER, on=(AllocationChange.from_auditor == From.id), attr="from_auditor")
        .switch(AllocationChange)
        .join(To, JOIN.LEFT_OUTER, on=(AllocationChange.to_auditor == To.id), attr="to_auditor")
        .switch(AllocationChange)
        .join(Decided, JOIN.LEFT_OUTER, on=(AllocationChange.decided_by == Decided.id), attr="decided_by")
        .where(AllocationChange.audit == audit)
        .order_by(AllocationChange.made_at, AllocationChange.id)
    )


def deferments_asked():
    """Every later due date asked for and waiting for a decision, oldest first, with its audit's case and
    auditor."""
    Asker = User.alias()
    return (
        AllocationChange.select(AllocationChange, Audit.id, Case.id, Case.reference, Asker.id, Asker.name)
        .join(Audit)
        .join(Case)
        .switch(AllocationChange)
        .join(Asker, on=(AllocationChange.made_by == Asker.id), attr="made_by")
        .where(AllocationChange.status == "asked")
        .order_by(AllocationChange.id)
    )


def counted_deferments_asked():
    return AllocationChange.select(AllocationChange.id).where(AllocationChange.status == "asked")


def pending_deferment(audit):
    """The audit's request for a later due date waiting for a decision, if any."""
    return AllocationChange.get_or_none((AllocationChange.audit == audit) & (AllocationChange.status == "asked"))


def ask_deferment(actor, audit, wanted, reason, now):
    """The auditor asks for the audit to be due later, with the reason; the QA officers are told."""
    problems = []
    if wanted <= audit.due_on:
        problems.append(("due_after", f"The new due date must be after {long_date(audit.due_on)}, when it is due now"))
    if pending_deferment(audit):
        problems.append((None, "You have asked for a later due date already. Wait for the decision on that first."))
    if problems:
        raise RuleBroken(problems=problems)
    with db.atomic():
        if not Audit.select().where((Audit.id == audit.id) & Audit.status.not_in(Audit.CLOSED)).exists():
            raise RuleBroken(NOT_OPEN.format(audit.case.reference, "submitted or cancelled"))
        change = AllocationChange.create(
            audit=audit,
            kind="deferment",
            made_by=actor,
            made_at=now,
            reason=reason,
            due_before=audit.due_on,
            due_after=wanted,
            status="asked",
        )
        Event.record(actor, "created", change, ["kind", "reason", "due_before", "due_after", "status"])
        reference = audit.case.reference
        notices.notify(
            qa_officers(),
            f"Later due date asked for: case {reference}",
            f"{actor.name} asks for the audit of case {reference} to be due by {long_date(wanted)} instead of "
            f"{long_date(audit.due_on)}. The reason: {reason}",
            f"/deferments/{change.id}",
        )
    return change


def decide_deferment(actor, change, expected_version, agreed, reason, now):
    """A QA officer agrees to a later due date (the audit is then due by it) or refuses it with a reason; the
    auditor is told either way."""
    audit = change.audit
    with db.atomic():
        try:
            change.save_version(
                expected_version,
                {
                    AllocationChange.status: "agreed" if agreed else "refused",
                    AllocationChange.decided_by: actor,
                    AllocationChange.decided_at: now,
                    AllocationChange.decision_reason: reason,
                },
                only_if=AllocationChange.status == "asked",
            )
        except StaleRecord as error:
            raise RuleBroken("Someone else has decided on this request already: nothing was changed.") from error
        Event.record(actor, "changed", change, ["status", "decided_by", "decision_reason"])
        reference = audit.case.reference
        if agreed:
            change_audit(audit, audit.version, {Audit.due_on: change.due_after})
            Event.record(actor, "changed", audit, ["due_on"])
            subject = f"Later due date agreed: case {reference}"
            body = f"The audit of case {reference} is now due by {long_date(change.due_after)}, as you asked."
        else:
            subject = f"Later due date refused: case {reference}"
            body = f"The audit of case {reference} is still due by {long_date(audit.due_on)}. The reason: {reason}"
        notices.notify([User.get_by_id(audit.auditor_id)], subject, body, f"/audits/{audit.id}")
    return change
