"""Tagging an audit's domains with the learning themes their findings show (services/learning_themes.py)."""

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from blueprints.access import load_audit, roles_required
from blueprints.web import form_page
from forms.learning_themes import chosen, tags_form
from models import LearningTheme
from services import learning_themes
from services.errors import RuleBroken

bp = Blueprint("learning_themes", __name__)


@bp.route("/audits/<int:audit_id>/learning-themes", methods=["GET", "POST"])
@roles_required("auditor", "qa-officer", "moderator")
def tags(audit_id):
    """Tag each graded domain of the audit with the learning themes its finding shows: its auditor, its moderator or
    the QA team, before or after it is submitted."""
    audit = load_audit(audit_id)
    if not learning_themes.may_tag(current_user, audit):
        abort(403, "Only the audit's auditor, its moderator and the QA team can tag its learning themes.")
    judgements = [judgement for judgement in audit.judgements() if judgement.id is not None]
    themes = list(LearningTheme.ordered().select(LearningTheme.id, LearningTheme.name).tuples())
    now = learning_themes.tagged(audit)
    form = tags_form(judgements, themes, now, request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.seen.data = learning_themes.fingerprint(now)

    def save():
        try:
            learning_themes.save(current_user, audit, form.seen.data, chosen(form, judgements))
        except RuleBroken:
            form.seen.data = learning_themes.fingerprint(learning_themes.tagged(audit))  # saving again replaces them
            raise
        return audit

    back_url = url_for("audits.show", audit_id=audit.id, _anchor="learning-themes")
    return form_page(
        form,
        save,
        done=lambda _: back_url,
        saved_message="Learning themes saved",
        template="learning_themes/tags.html",
        title=f"Learning themes of the audit of case {audit.case.reference}",
        judgements=judgements,
        themes=themes,
        back_url=back_url,
        empty_is_an_answer=True,  # no theme ticked says a finding shows none
    )
