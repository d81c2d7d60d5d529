"""Moderation (seed 001 s.5): a QA officer draws each month's sample and may change a moderator; each moderator
moderates the audits given to them, one page a moderation, saved as they go like the audit."""

import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from blueprints.access import get_or_404, keeps_drafts, roles_required
from blueprints.actions import ActionsOf
from blueprints.web import form_page, htmx, labelled, page_position, render, saved, show_problems
from forms.moderations import DrawForm, ModerationForm, MonthForm, ReassignForm, month_code
from models import Moderation, User, utcnow
from services import audit_records, moderation_draw, moderations
from services.dates import uk_today
from services.errors import RuleBroken
from services.moderation_draw import month_name
from services.pagination import paginate
from services.records import Stale

bp = Blueprint("moderations", __name__)


@bp.route("/moderation-sample", methods=["GET", "POST"])
@roles_required("qa-officer")
def sample():
    """A month's audits and its moderation sample by grade, why each audit was chosen and who moderates it;
    and the button that draws the month, or draws again for audits submitted into it since."""
    today = uk_today()
    percentage = current_app.config["MODERATION_PERCENTAGE"]
    draw_form = DrawForm(today=today)
    if draw_form.validate_on_submit():
        month = draw_form.chosen
        drawn = saved(
            draw_form,
            lambda: moderation_draw.draw(current_user, month, percentage, utcnow()),
        )
        if drawn:
            late = " again for late audits" if drawn.round > 1 else ""
            flash(f"{month_name(month)} drawn{late}: {drawn.moderations.count()} audits to moderate")
            return redirect(url_for("moderations.sample", month=month_code(month)), 303)
    month_form = MonthForm(request.args, today=today)
    month = draw_form.chosen if draw_form.is_submitted() and draw_form.chosen else month_form.chosen()
    month_form.month.data = month_code(month)
    draw_form.month.data = month_code(month)
    summary = moderation_draw.summary(month, percentage)
    page = paginate(moderation_draw.sampled(month), page_position())
    return render_template(
        "moderations/sample.html", month_form=month_form, draw_form=draw_form, summary=summary, page=page
    )


@bp.route("/moderations/<int:moderation_id>/moderator", methods=["GET", "POST"])
@roles_required("qa-officer")
def reassign(moderation_id):
    """Give a moderation that has not been started to another moderator."""
    moderation = get_or_404(moderations.detailed(), moderation_id)
    form = ReassignForm(moderation=moderation, choices=moderations.moderator_choices(moderation))
    month = month_code(moderation.draw.month)
    return form_page(
        form,
        lambda: moderations.reassign(current_user, moderation, User.get_by_id(form.moderator.data), form.version.data),
        lambda _: url_for("moderations.sample", month=month),
        "Moderator changed",
        title="Change the moderator",
        caption=f"Moderation of the audit of case {moderation.audit.case.reference}",
        back_url=url_for("moderations.sample", month=month),
    )


@bp.get("/moderations")
@roles_required("moderator")
def mine():
    """The moderations given to the signed-in moderator, those still to do first."""
    count = moderations.counted_for(current_user).count()
    page = paginate(moderations.for_moderator(current_user), page_position(), count=count)
    return render_template("moderations/mine.html", page=page)


def load_moderation(moderation_id):
    """The moderation, if the signed-in person is its moderator."""
    moderation = get_or_404(moderations.detailed(), moderation_id)
    if not moderations.is_moderator(current_user, moderation):
        abort(403, "Only the moderator it is assigned to can open this moderation.")
    return moderation


@bp.route("/moderations/<int:moderation_id>", methods=["GET", "POST"])
@roles_required("moderator")
@keeps_drafts(
    lambda user, args, form: moderations.keep_draft(user, args["moderation_id"], moderations.DRAFT_FIELD, form),
    redisplay=lambda moderation_id: show_unsaved(moderation_id),
)
def show(moderation_id):
    """The audit beside the moderator's answers: saved every few seconds with JavaScript, and submitted."""
    posted = request.method == "POST"
    moderation = load_moderation(moderation_id)
    rows = moderations.domains(moderation)
    draft = None
    if not posted and not moderation.is_submitted:
        draft = audit_records.pending_draft(moderation.audit, current_user, moderations.DRAFT_FIELD)
    form = ModerationForm(moderation=moderation, rows=rows, **({"formdata": MultiDict(draft)} if draft else {}))
    if posted and moderation.is_submitted:
        context = {"conflict": labelled(form, differences(form, moderation)), "submitted_meanwhile": True}
        form = ModerationForm(moderation=moderation, rows=rows, formdata=None)
        return render(
            "moderations/show.html",
            "moderations/_saved.html" if htmx else None,
            form=form,
            **context,
            **page_parts(moderation, rows),
        )
    refused, conflict = save_or_submit(form, moderation, rows) if posted else (False, [])
    if posted and not refused:
        if htmx:
            return render("moderations/_saved.html", form=form, **page_parts(moderation, rows))
        flash("Moderation submitted" if moderation.is_submitted else "Moderation saved")
        return redirect(url_for("moderations.show", moderation_id=moderation.id), 303)
    partial = "moderations/_saved.html" if posted else None
    return render(
        "moderations/show.html",
        partial,
        form=form,
        conflict=conflict,
        restored=bool(draft),
        **page_parts(moderation, rows),
    )


def show_unsaved(moderation_id):
    """The moderation again with what was posted, nothing saved: the post's form token was no longer valid."""
    moderation = load_moderation(moderation_id)
    rows = moderations.domains(moderation)
    form = ModerationForm(moderation=moderation, rows=rows, formdata=request.form)
    form.form_errors.append(
        "Your changes have not been saved yet, because this page was opened before you last signed in. "
        "Check what is below, then select Save."
    )
    return render("moderations/show.html", None, form=form, conflict=[], restored=False, **page_parts(moderation, rows))


def differences(form, moderation):
    saved_now = Moderation.get_by_id(moderation.id)
    return moderations.differences(saved_now, moderations.domains(saved_now), form.values(), form.domain_values())


def save_or_submit(form, moderation, rows):
    """Save the form, and submit the moderation if that was asked: (refused, conflict), as for an audit."""
    if not form.validate():
        moderations.keep_draft(current_user, moderation.id, moderations.DRAFT_FIELD, request.form)
        return True, []
    try:
        moderations.save(current_user, moderation, form.version.data, form.values(), form.domain_values())
        form.version.data = moderation.version
        if form.submit_moderation.data:
            moderations.submit(current_user, moderation, datetime.date.today())
    except Stale as error:
        show_problems(form, error)
        return True, labelled(form, differences(form, moderation))
    except RuleBroken as error:
        show_problems(form, error)
        return True, []
    return False, []


def page_parts(moderation, rows):
    """What the moderation page shows besides the form."""
    audit = moderation.audit
    owner = ActionsOf(audit, moderation)
    return {
        "moderation": moderation,
        "audit": audit,
        "rows": rows,
        "audit_actions": audit.ordered_actions(),
        "actions": owner.actions(),
        "actions_of": owner,
        "action_drafts": sorted(
            field for field in audit_records.kept_drafts(audit, current_user) if field.startswith("action-")
        ),
        "can_change": not moderation.is_submitted,
    }
