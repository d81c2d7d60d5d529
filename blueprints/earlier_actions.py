"""The next audit of a case checks the last ones' actions: the auditor records whether each was achieved and what
difference it made (services/earlier_actions.py)."""

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from blueprints.access import keeps_drafts, load_audit, restored, roles_required
from blueprints.web import form_page
from forms.earlier_actions import FollowUpForm
from services import audit_records, earlier_actions
from services.dates import uk_today

bp = Blueprint("earlier_actions", __name__)


def keep_draft(user, args, form):
    audit_records.keep_draft(user, args["audit_id"], earlier_actions.draft_field(args["earlier_action_id"]), form)


@bp.route("/audits/<int:audit_id>/earlier-actions/<int:earlier_action_id>", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_drafts(keep_draft)
def follow_up(audit_id, earlier_action_id):
    """Record whether an action of an earlier audit of the case was achieved, and what difference it made."""
    audit = load_audit(audit_id, change=True, submitted_too=request.method == "POST")
    action = earlier_actions.earlier_action(audit, earlier_action_id)
    if action is None:
        abort(404)
    form = FollowUpForm(record=action.follow_up, **restored(audit, earlier_actions.draft_field(action.id)))
    back_url = url_for("audits.show", audit_id=audit.id, _anchor=earlier_actions.SECTION)
    return form_page(
        form,
        lambda: earlier_actions.record(
            current_user, audit, action, form.version.data if action.follow_up else None, form.values()
        ),
        done=lambda _: back_url,
        saved_message="Earlier action followed up",
        template="earlier_actions/follow_up.html",
        action=action,
        today=uk_today(),
        title=f"An earlier action on case {audit.case.reference}: was it achieved?",
        back_url=back_url,
    )
