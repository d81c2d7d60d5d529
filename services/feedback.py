"""Feedback gathered for an audit: recorded by its auditor, before or after it is submitted (families
and IROs often answer late), each change in one transaction with its event."""

from models import IroFeedback
from services import records


def add_iro_feedback(actor, audit, values):
    """Record the IRO or CP chair's feedback on `audit`, saying so if the audit was already submitted."""
    return records.create(
        actor, IroFeedback, audit=audit, recorded_by=actor, after_submission=audit.is_submitted, **values
    )


def change_iro_feedback(actor, feedback, expected_version, values):
    return records.update(actor, feedback, expected_version, **values)


def for_audit(audit):
    """The audit's IRO and CP chair feedback, in the order it was recorded."""
    return list(audit.iro_feedback.order_by(IroFeedback.created_at, IroFeedback.id))
