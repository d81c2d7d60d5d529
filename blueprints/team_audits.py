"""The audit reaches the team: the audits of a practitioner's cases, a submitted audit as the case's practitioner,
team manager and service manager read it, and the practitioner's reflection on it (services/team_audits.py)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, keeps_drafts, restored, roles_required
from blueprints.web import page_position, render, saved
from forms.team_audits import ReflectionForm
from services import moderations, team_audits
from services.dates import uk_today
from services.pagination import numbered_page

bp = Blueprint("team_audits", __name__)

TEAM_ROLES = ("practitioner", "team-manager", "service-manager")


@bp.get("/team-audits")
@roles_required("practitioner")
def index():
    """The submitted audits of the cases allocated to the signed-in practitioner, newest first."""
    page = numbered_page(team_audits.of_my_cases(current_user), page_position().number)
    return render("team_audits/index.html", page=page, title="Audits of your cases")


def load_audit(audit_id):
    audit = get_or_404(team_audits.detailed(), audit_id)
    if not team_audits.may_read(current_user, audit):
        abort(
            403,
            "Only the practitioner the case is allocated to, and the team manager and service manager of its team, "
            "can read this audit here, once it is submitted.",
        )
    return audit


@bp.get("/team-audits/<int:team_audit_id>")
@roles_required(*TEAM_ROLES)
def show(team_audit_id):
    """A submitted audit as the case's team reads it: the grades, evidence and so what, the actions and where each
    has got to, the moderation's outcome, and the practitioner's reflection."""
    audit = load_audit(team_audit_id)
    outcome = moderations.outcome_of(audit)
    actions = audit.ordered_actions() + (audit.ordered_actions("moderation") if outcome else [])
    return render(
        "team_audits/show.html",
        audit=audit,
        judgements=audit.judgements(),
        outcome=outcome,
        actions=actions,
        reflection=team_audits.reflection_of(audit),
        may_reflect=team_audits.is_practitioner_of(current_user, audit),
        follows_actions=current_user.has_role("team-manager", "service-manager"),
        today=uk_today(),
    )


@bp.route("/team-audits/<int:team_audit_id>/reflection", methods=["GET", "POST"])
@roles_required("practitioner")
@keeps_drafts(lambda user, args, form: team_audits.keep_draft(user, args["team_audit_id"], form))
def reflection(team_audit_id):
    """The practitioner records, or changes, what they take from the audit and anything they see differently."""
    audit = load_audit(team_audit_id)
    if not team_audits.is_practitioner_of(current_user, audit):
        abort(403, team_audits.NOT_YOURS)
    kept = team_audits.reflection_of(audit)
    form = ReflectionForm(record=kept, **restored(audit, team_audits.DRAFT_FIELD))
    version = form.version.data if kept else None
    back_url = url_for("team_audits.show", team_audit_id=audit.id, _anchor="reflection")
    if form.validate_on_submit() and saved(
        form, lambda: team_audits.reflect(current_user, audit, kept, version, form.values())
    ):
        flash("Reflection saved: the auditor and your team manager have been told")
        return redirect(back_url, 303)
    if request.method == "POST":
        kept = team_audits.reflection_of(audit)  # as saved now, perhaps from another tab, beside what was typed
    return render_template(
        "team_audits/reflection.html",
        form=form,
        audit=audit,
        kept=kept,
        title=f"Your reflection on the audit of case {audit.case.reference}",
        back_url=back_url,
    )
