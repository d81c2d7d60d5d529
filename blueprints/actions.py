"""SMART actions, wherever they are set: on an audit by its auditor, and on a moderation by its moderator (further
actions). Added, changed and removed on pages of their own, or inline with htmx; one set of views and
templates for both."""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, keeps_drafts, load_audit, restored, roles_required
from blueprints.web import htmx, part_of_page, saved
from forms.actions import ActionForm, RemoveActionForm
from models import Action, Audit, Moderation
from services import audit_records, moderations
from services.case_note import case_note_text
from services.dates import uk_today

bp = Blueprint("actions", __name__)


@dataclass
class ActionsOf:
    """Where a set of actions belongs: an audit's own, or its moderation's further actions."""

    audit: Audit
    moderation: Moderation | None = None

    @property
    def source(self):
        return "moderation" if self.moderation else "audit"

    def url(self, kind, action=None):
        """The page adding ("new"), changing ("edit") or removing ("remove") one of these actions (an
        Action, or its id)."""
        if self.moderation:
            endpoint, ids = f"actions.{kind}_for_moderation", {"moderation_id": self.moderation.id}
            action_id = "further_action_id"
        else:
            endpoint, ids, action_id = f"actions.{kind}", {"audit_id": self.audit.id}, "action_id"
        return url_for(endpoint, **ids, **({action_id: getattr(action, "id", action)} if action else {}))

    @property
    def page(self):
        """Where the actions are shown, at their section."""
        if self.moderation:
            return url_for("moderations.show", moderation_id=self.moderation.id, _anchor="actions")
        return url_for("audits.show", audit_id=self.audit.id, _anchor="actions")

    @property
    def record(self):
        """Which record the actions are of, as a page's title and heading name it."""
        kind = "the moderation of the audit" if self.moderation else "the audit"
        return f"{kind} of case {self.audit.case.reference}"

    def heading(self, kind):
        """The heading of the page adding ("new"), changing ("edit") or removing ("remove") an action."""
        noun = "further action" if self.moderation else "action"
        one = "a further action" if self.moderation else "an action"
        return {
            "new": f"Add {one} to {self.record}",
            "edit": f"Change {one} of {self.record}",
            "remove": f"Remove this {noun} from {self.record}?",
        }[kind]

    @property
    def back_text(self):
        return "Back to the moderation" if self.moderation else "Back to the audit"

    @property
    def none_yet(self):
        """What is said where there are no actions: while they may still be added, what they are for."""
        if self.moderation:
            if self.moderation.is_submitted:
                return "The moderation set no further actions."
            return "No further actions. Add one if the audit's actions do not cover what must happen."
        if self.audit.is_submitted:
            return "The audit set no actions."
        return "No actions yet. An audit graded Requires Improvement to be Good or Inadequate needs at least one."

    def actions(self):
        return self.audit.ordered_actions(self.source)


def audit_actions(audit_id, submitted_too=False):
    """The audit's own actions, if the signed-in auditor may change them (see load_audit)."""
    return ActionsOf(load_audit(audit_id, change=True, submitted_too=submitted_too))


def moderation_actions(moderation_id, submitted_too=False):
    """The moderation's further actions, if the signed-in person is its moderator and (unless
    `submitted_too`: the caller refuses the change, keeping what was typed) it is not submitted."""
    moderation = get_or_404(moderations.detailed(), moderation_id)
    if not moderations.is_moderator(current_user, moderation):
        abort(403, "Only the moderator it is assigned to can open this moderation.")
    if moderation.is_submitted and not submitted_too:
        abort(403, moderations.SUBMITTED)
    return ActionsOf(moderation.audit, moderation)


def load_action(owner, action_id):
    action = get_or_404(Action, action_id)
    if action.audit_id != owner.audit.id or action.source != owner.source:
        abort(404)
    action.audit = owner.audit  # already loaded, with its case
    return action


def back_to_actions(owner, notice):
    """After a change: with htmx, the whole actions section, in place; otherwise back to the page."""
    if htmx:
        actions = owner.actions()
        section = render_template(
            "audits/_actions.html", actions_of=owner, actions=actions, can_change=True, notice=notice
        )
        if not owner.moderation:
            today = uk_today()
            section += render_template(
                "audits/_case_note_oob.html", case_note=case_note_text(owner.audit, actions, today)
            )
        response = make_response(section)
        # The form was swapped in where the action was; the answer replaces the whole section instead.
        response.headers.update({"HX-Retarget": "#actions", "HX-Reswap": "outerHTML"})
        return response
    flash(notice)
    return redirect(owner.page, 303)


def action_page(owner, form, action, save, notice):
    """Add and change: the form on a page of its own, or (htmx) in place on the page of the actions."""
    if form.validate_on_submit() and saved(form, save):
        return back_to_actions(owner, notice)
    template = part_of_page("audits/_action_form.html") if htmx else "actions/form.html"
    return render_template(template, form=form, actions_of=owner, action=action)


def new_action(owner):
    form = ActionForm(**restored(owner.audit, "action-new"))
    return action_page(
        owner,
        form,
        None,
        lambda: audit_records.add_action(current_user, owner.audit, form.values(), owner.source),
        "Action added",
    )


def edit_action(owner, action_id):
    action = load_action(owner, action_id)
    form = ActionForm(record=action, **restored(owner.audit, f"action-{action.id}"))
    return action_page(
        owner,
        form,
        action,
        lambda: audit_records.change_action(current_user, action, form.version.data, form.values()),
        "Action saved",
    )


def remove_action(owner, action_id):
    """Remove one of the actions, after asking."""
    action = load_action(owner, action_id)
    form = RemoveActionForm()
    if form.validate_on_submit() and saved(form, lambda: audit_records.remove_action(current_user, action)):
        return back_to_actions(owner, "Action removed")
    template = part_of_page("audits/_remove_action.html") if htmx else "actions/remove.html"
    return render_template(template, form=form, action=action, actions_of=owner)


def action_draft_field(args):
    return f"action-{args.get('action_id') or args.get('further_action_id') or 'new'}"


# An audit's own actions, set by its auditor.

keeps_audit_drafts = keeps_drafts(
    lambda user, args, form: audit_records.keep_draft(user, args["audit_id"], action_draft_field(args), form)
)


@bp.route("/audits/<int:audit_id>/actions/new", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_audit_drafts
def new(audit_id):
    """Add a SMART action to the audit."""
    # A post from a page opened before the audit was submitted is refused beside what was typed.
    return new_action(audit_actions(audit_id, submitted_too=request.method == "POST"))


@bp.route("/audits/<int:audit_id>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_audit_drafts
def edit(audit_id, action_id):
    """Change one of the audit's actions."""
    return edit_action(audit_actions(audit_id, submitted_too=request.method == "POST"), action_id)


@bp.route("/audits/<int:audit_id>/actions/<int:action_id>/remove", methods=["GET", "POST"])
@roles_required("auditor")
def remove(audit_id, action_id):
    """Remove one of the audit's actions, after asking."""
    return remove_action(audit_actions(audit_id), action_id)


# A moderation's further actions, set by its moderator.

keeps_moderation_drafts = keeps_drafts(
    lambda user, args, form: moderations.keep_draft(user, args["moderation_id"], action_draft_field(args), form)
)


@bp.route("/moderations/<int:moderation_id>/further-actions/new", methods=["GET", "POST"])
@roles_required("moderator")
@keeps_moderation_drafts
def new_for_moderation(moderation_id):
    """Add a further SMART action to the moderation."""
    return new_action(moderation_actions(moderation_id, submitted_too=request.method == "POST"))


@bp.route("/moderations/<int:moderation_id>/further-actions/<int:further_action_id>/edit", methods=["GET", "POST"])
@roles_required("moderator")
@keeps_moderation_drafts
def edit_for_moderation(moderation_id, further_action_id):
    """Change one of the moderation's further actions."""
    return edit_action(moderation_actions(moderation_id, submitted_too=request.method == "POST"), further_action_id)


@bp.route("/moderations/<int:moderation_id>/further-actions/<int:further_action_id>/remove", methods=["GET", "POST"])
@roles_required("moderator")
def remove_for_moderation(moderation_id, further_action_id):
    """Remove one of the moderation's further actions, after asking."""
    return remove_action(moderation_actions(moderation_id), further_action_id)
