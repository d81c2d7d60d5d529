"""Feedback gathered for an audit, from the child, parents and carers, and from the IRO or CP chair: recorded
by its auditor, before or after it is submitted (families and IROs often answer late), each change in one
transaction with its event."""

from typing import NamedTuple

from models import Audit, FamilyFeedback, IroFeedback
from services import dashboard_tallies, records
from services.audit_records import forget_draft

# The start of the name of each kind's drafts (see audit_records.keep_draft).
DRAFT_NAMES = {FamilyFeedback: "family-feedback", IroFeedback: "iro-feedback"}


class AuditFeedback(NamedTuple):
    """An audit's feedback by kind, each in the order it was recorded."""

    family: list
    iro: list


def draft_field(model, feedback_id=None):
    """The name of the draft that keeps what was typed on the form for this kind (`model`) of feedback:
    "family-feedback-new" while adding, "iro-feedback-7" while changing that one."""
    return f"{DRAFT_NAMES[model]}-{feedback_id or 'new'}"


def add_feedback(actor, audit, model, values):
    """Record feedback of this kind (`model`) on `audit`, saying so if the audit was already submitted."""
    with dashboard_tallies.kept(Audit.id == audit.id):
        forget_draft(audit, actor, draft_field(model))
        return records.create(
            actor, model, audit=audit, recorded_by=actor, after_submission=audit.is_submitted, **values
        )


def change_feedback(actor, feedback, expected_version, values):
    """Change feedback; changed after the audit was submitted, it says so."""
    if feedback.audit.is_submitted:
        values = values | {"after_submission": True}
    with dashboard_tallies.kept(Audit.id == feedback.audit_id):
        forget_draft(feedback.audit_id, actor, draft_field(type(feedback), feedback.id))
        return records.update(actor, feedback, expected_version, **values)


def for_audit(audit):
    """All the feedback recorded on its own forms for the audit (the practitioner's is on the audit itself)."""
    return AuditFeedback(
        family=list(audit.family_feedback.order_by(FamilyFeedback.created_at, FamilyFeedback.id)),
        iro=list(audit.iro_feedback.order_by(IroFeedback.created_at, IroFeedback.id)),
    )
