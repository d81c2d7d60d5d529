"""The next audit of a case checks the last ones' actions (seed 002 s.10: "consider whether there are any relevant
and or unfulfilled remedial actions from previous case record audits"): its page shows every action the case's earlier
audits sent to the team, with where it has got to, and the auditor records for each whether it was achieved and what
difference it made to the child, before the audit can be submitted. It is in the audit record."""

from peewee import JOIN

from models import Action, ActionFollowUp, Audit, db
from services import drafts, records
from services.audits import Problem

SECTION = "earlier-actions"
CLOSED = "This audit has been submitted or cancelled, so it can no longer be changed."
TO_RECORD = "Record whether each action from an earlier audit of the case was achieved, and what difference it made"


def of(audit):
    """The actions of the case's earlier audits (submitted before this one, not this one's), oldest first, each with
    its audit and this audit's follow-up as `follow_up` (None until recorded): one query. A case has a handful of
    audits, so they are put in order here rather than by sorting a table."""
    Earlier = Audit.alias()
    on_this_audit = (ActionFollowUp.action == Action.id) & (ActionFollowUp.audit == audit.id)
    before = Earlier.submitted_at < audit.submitted_at if audit.submitted_at else Earlier.submitted_at.is_null(False)
    actions = (
        Action.select(Action, Earlier.id, Earlier.submitted_at, ActionFollowUp)
        .join(Earlier, on=(Action.audit == Earlier.id))
        .switch(Action)
        .join(ActionFollowUp, JOIN.LEFT_OUTER, on=on_this_audit, attr="follow_up")
        .where(
            (Earlier.case == audit.case_id)
            & (Earlier.id != audit.id)
            & before
            & Earlier.exercise.is_null()
            & Action.received_on.is_null(False)
        )
    )
    found = sorted(actions, key=lambda action: (action.audit.submitted_at, action.created_at, action.id))
    for action in found:
        if getattr(action, "follow_up", None) is not None and action.follow_up.id is None:
            action.follow_up = None
    return found


def problems(audit):
    """What stops the audit being submitted: an earlier action not yet followed up."""
    if audit.exercise_id:
        return []
    if any(action.follow_up is None for action in of(audit)):
        return [Problem(SECTION, TO_RECORD)]
    return []


def draft_field(action_id):
    return f"earlier-action-{action_id}"


def earlier_action(audit, action_id):
    """The earlier action of the audit's case with this id, with its follow-up, or None."""
    return next((action for action in of(audit) if action.id == action_id), None)


def record(actor, audit, action, expected_version, values):
    """Save the auditor's follow-up of an earlier action (new, or changed on `expected_version`), while the audit is
    open, in one transaction with its event."""
    with db.atomic():
        records.refuse_unless_open(audit, Audit.status.not_in(Audit.CLOSED), CLOSED)
        drafts.forget(actor, draft_field(action.id), audit)
        if action.follow_up is None:
            return records.create(actor, ActionFollowUp, audit=audit, action=action, recorded_by=actor, **values)
        return records.update(actor, action.follow_up, expected_version, **values)
