"""Feedback gathered for an audit: recorded by its auditor, before or after it is submitted (families
and IROs often answer late), each change in one transaction with its event."""

from models import IroFeedback, db
from services import records
from services.audit_records import forget_draft


def iro_draft_field(feedback_id=None):
    """The name of the draft that keeps what was typed on this form (see audit_records.keep_draft)."""
    return f"iro-feedback-{feedback_id or 'new'}"


def add_iro_feedback(actor, audit, values):
    """Record the IRO or CP chair's feedback on `audit`, saying so if the audit was already submitted."""
    with db.atomic():
        forget_draft(audit, actor, iro_draft_field())
        return records.create(
            actor, IroFeedback, audit=audit, recorded_by=actor, after_submission=audit.is_submitted, **values
        )


def change_iro_feedback(actor, feedback, expected_version, values):
    """Change the IRO or CP chair's feedback; changed after the audit was submitted, it says so."""
    if feedback.audit.is_submitted:
        values = values | {"after_submission": True}
    with db.atomic():
        forget_draft(feedback.audit_id, actor, iro_draft_field(feedback.id))
        return records.update(actor, feedback, expected_version, **values)


def for_audit(audit):
    """The audit's IRO and CP chair feedback, in the order it was recorded."""
    return list(audit.iro_feedback.order_by(IroFeedback.created_at, IroFeedback.id))
