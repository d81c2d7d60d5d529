"""An audit's SMART actions: added, changed and removed on pages of their own, or inline with htmx."""

import datetime

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, keeps_drafts, restored, roles_required
from blueprints.audits import load_audit
from blueprints.web import htmx, saved
from forms.actions import ActionForm, RemoveActionForm
from models import Action
from services import audit_records
from services.case_note import case_note_text

bp = Blueprint("actions", __name__, url_prefix="/audits/<int:audit_id>/actions")


def load_action(audit_id, action_id, submitted_too=False):
    """The action, if it belongs to an audit the signed-in auditor may change (see load_audit)."""
    audit = load_audit(audit_id, change=True, submitted_too=submitted_too)
    action = get_or_404(Action, action_id)
    if action.audit_id != audit.id:
        abort(404)
    return action


def back_to_actions(audit, notice):
    """After a change: with htmx, the audit's whole actions section, in place; otherwise back to the audit."""
    if htmx:
        actions = audit.ordered_actions()
        section = render_template(
            "audits/_actions.html", audit=audit, actions=actions, can_change=True, notice=notice
        ) + render_template(
            "audits/_case_note_oob.html", case_note=case_note_text(audit, actions, datetime.date.today())
        )
        response = make_response(section)
        # The form was swapped in where the action was; the answer replaces the whole section instead.
        response.headers.update({"HX-Retarget": "#actions", "HX-Reswap": "outerHTML"})
        return response
    flash(notice)
    return redirect(url_for("audits.show", audit_id=audit.id, _anchor="actions"), 303)


def action_page(form, audit, action, save, notice):
    """Add and change: the form on a page of its own, or (htmx) in place on the audit page."""
    if form.validate_on_submit() and saved(form, save):
        return back_to_actions(audit, notice)
    template = "audits/_action_form.html" if htmx else "actions/form.html"
    return render_template(template, form=form, audit=audit, action=action)


def keep_action_draft(user, args, form):
    audit_records.keep_draft(user, args["audit_id"], f"action-{args.get('action_id', 'new')}", form)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_drafts(keep_action_draft)
def new(audit_id):
    """Add a SMART action to the audit."""
    # A post from a page opened before the audit was submitted is refused beside what was typed.
    audit = load_audit(audit_id, change=True, submitted_too=request.method == "POST")
    form = ActionForm(**restored(audit, "action-new"))
    return action_page(
        form, audit, None, lambda: audit_records.add_action(current_user, audit, form.values()), "Action added"
    )


@bp.route("/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_drafts(keep_action_draft)
def edit(audit_id, action_id):
    """Change one of the audit's actions."""
    action = load_action(audit_id, action_id, submitted_too=request.method == "POST")
    form = ActionForm(record=action, **restored(action.audit, f"action-{action.id}"))
    return action_page(
        form,
        action.audit,
        action,
        lambda: audit_records.change_action(current_user, action, form.version.data, form.values()),
        "Action saved",
    )


@bp.route("/<int:action_id>/remove", methods=["GET", "POST"])
@roles_required("auditor")
def remove(audit_id, action_id):
    """Remove one of the audit's actions, after asking."""
    action = load_action(audit_id, action_id)
    form = RemoveActionForm()
    if form.validate_on_submit() and saved(form, lambda: audit_records.remove_action(current_user, action)):
        return back_to_actions(action.audit, "Action removed")
    template = "audits/_remove_action.html" if htmx else "actions/remove.html"
    return render_template(template, form=form, action=action, audit=action.audit)
