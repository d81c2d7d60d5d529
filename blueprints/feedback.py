"""Feedback for an audit, each kind on a page of its own: for now the IRO's or CP chair's."""

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, keeps_drafts, restored, roles_required
from blueprints.web import form_page
from forms.feedback import IroFeedbackForm
from models import IroFeedback
from services import audit_lists, audit_records, feedback

bp = Blueprint("feedback", __name__, url_prefix="/audits/<int:audit_id>/feedback")


def load_audit_for_feedback(audit_id):
    """The audit, if the signed-in person is its auditor: they record its feedback, even once it is submitted."""
    audit = get_or_404(audit_lists.detailed(), audit_id)
    if audit.auditor_id != current_user.id:
        abort(403, "Only the auditor the audit is allocated to can record its feedback.")
    return audit


def draft_field(args):
    return feedback.iro_draft_field(args.get("feedback_id"))


def keep_feedback_draft(user, args, form):
    audit_records.keep_draft(user, args["audit_id"], draft_field(args), form, after_submission=True)


def iro_page(audit, form, save, feedback_record=None):
    return form_page(
        form,
        save,
        done=lambda saved: url_for("audits.show", audit_id=audit.id, _anchor="feedback"),
        saved_message="Feedback saved",
        title="Change feedback from the IRO or CP chair" if feedback_record else "Feedback from the IRO or CP chair",
        caption=f"Audit of case {audit.case.reference}",
        back_url=url_for("audits.show", audit_id=audit.id, _anchor="feedback"),
    )


@bp.route("/iro/new", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_drafts(keep_feedback_draft)
def new_iro(audit_id):
    """Record what the child's IRO or CP chair said of the plan's progress and of the grades."""
    audit = load_audit_for_feedback(audit_id)
    form = IroFeedbackForm(**restored(audit, draft_field(request.view_args)))
    return iro_page(audit, form, lambda: feedback.add_iro_feedback(current_user, audit, form.values()))


@bp.route("/iro/<int:feedback_id>/edit", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_drafts(keep_feedback_draft)
def edit_iro(audit_id, feedback_id):
    """Change the IRO or CP chair's feedback."""
    audit = load_audit_for_feedback(audit_id)
    record = get_or_404(IroFeedback, feedback_id)
    if record.audit_id != audit.id:
        abort(404)
    form = IroFeedbackForm(record=record, **restored(audit, draft_field(request.view_args)))
    return iro_page(
        audit,
        form,
        lambda: feedback.change_iro_feedback(current_user, record, form.version.data, form.values()),
        record,
    )
