"""Moderation (seed 001 s.5): a QA officer draws each month's sample and may change a moderator; each moderator
moderates the audits given to them, one page a moderation, saved as they go like the audit; the QA team and senior
leaders list every moderation, and download the list."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import long_forms
from blueprints.access import get_or_404, keeps_drafts, roles_required
from blueprints.actions import ActionsOf
from blueprints.list_downloads import SPREADSHEETS, list_download
from blueprints.web import form_page, page_position, render_list, saved
from forms.lists import ModerationFilterForm
from forms.moderations import DrawForm, ModerationForm, MonthForm, ReassignForm
from models import Moderation, User, utcnow
from services import audit_records, moderation_draw, moderation_lists, moderations, notices
from services.dates import month_code, month_name, uk_today
from services.pagination import paginate
from services.team_actions import Rules

bp = Blueprint("moderations", __name__)
DRAFT = moderations.DRAFT_FIELD


@bp.get("/moderation-sample")
@roles_required("qa-officer")
def sample():
    """A month's audits and its moderation sample by grade, why each audit was chosen, who moderates it and
    how far they have got; and the button that draws the month, or draws again for audits submitted into it
    since. It opens on the last whole month: a month is drawn once it is over."""
    today = uk_today()
    month_form = MonthForm(request.args, today=today)
    return sample_page(month_form.chosen(), DrawForm(today=today), month_form)


@bp.post("/moderation-sample")
@roles_required("qa-officer")
def draw():
    """Draw the month shown; the month under way only once the QA officer has said yes, as a draw is final."""
    form = DrawForm(today=uk_today())
    if not form.validate_on_submit():
        return sample_page(form.shown_month, form)
    month = form.chosen
    if form.needs_confirming:
        return render_template("moderations/confirm_draw.html", form=form, month=month)
    config = current_app.config
    drawn = saved(
        form,
        lambda: moderation_draw.draw(
            current_user, month, config["MODERATION_PERCENTAGE"], utcnow(), due_months=config["MODERATION_DUE_MONTHS"]
        ),
    )
    if not drawn:
        return sample_page(month, form)
    late = " again for late audits" if drawn.round > 1 else ""
    flash(f"{month_name(month)} drawn{late}: {notices.count(drawn.moderations.count(), 'audit')} to moderate")
    return redirect(url_for("moderations.sample", month=month_code(month)), 303)


def sample_page(month, draw_form, month_form=None):
    """The sample page for `month`, with the draw form as it is (its errors, after a refused draw)."""
    month_form = month_form or MonthForm(today=draw_form.today)
    month_form.month.data = draw_form.month.data = month_code(month)
    summary = moderation_draw.summary(month, current_app.config["MODERATION_PERCENTAGE"])
    page = paginate(moderation_draw.sampled(month), page_position(), count=moderation_draw.counted_sample(month))
    return render_template(
        "moderations/sample.html",
        month_form=month_form,
        draw_form=draw_form,
        summary=summary,
        page=page,
        today=draw_form.today,
        under_way=month == draw_form.today.replace(day=1),
    )


@bp.route("/moderations/<int:moderation_id>/moderator", methods=["GET", "POST"])
@roles_required("qa-officer")
def reassign(moderation_id):
    """Give a moderation that has not been started to another moderator."""
    moderation = get_or_404(moderations.detailed(), moderation_id)
    if moderation.status != "assigned":
        abort(403, moderations.STARTED if moderation.status == "in-progress" else moderations.SUBMITTED_MODERATOR)
    form = ReassignForm(moderation=moderation, choices=moderations.moderator_choices(moderation))
    month = month_code(moderation.draw.month)
    return form_page(
        form,
        lambda: moderations.reassign(current_user, moderation, User.get_by_id(form.moderator.data), form.version.data),
        lambda _: url_for("moderations.sample", month=month),
        "Moderator changed",
        title=f"Change the moderator of the audit of case {moderation.audit.case.reference}",
        caption=f"Moderation sample for {month_name(moderation.draw.month)}",
        back_url=url_for("moderations.sample", month=month),
    )


@bp.get("/all-moderations")
@roles_required("qa-officer", "senior-leader")
def everyone():
    """Every moderation, the newest draws first, by the months drawn, status, moderator and whether the overall grade
    changed; each links to its audit, which shows the outcome once submitted."""
    form = ModerationFilterForm(request.args)
    filters = form.filters()
    return render_list(
        "moderations/_everyone.html",
        title="All moderations",
        form=form,
        page=paginate(moderation_lists.listing(**filters), page_position(), count=moderation_lists.counted(**filters)),
        today=uk_today(),
        download=("moderations.export", "moderations"),
    )


@bp.get(f"/all-moderations.<any{SPREADSHEETS}:spreadsheet>")
@roles_required("qa-officer", "senior-leader")
def export(spreadsheet):
    """Every moderation the list's filters find, as a CSV file or an Excel workbook."""
    found = moderation_lists.listing(**ModerationFilterForm(request.args).filters()).iterator()
    rows = (moderation_lists.export_row(moderation) for moderation in found)
    return list_download(spreadsheet, "moderations", "Moderation", moderation_lists.EXPORT_HEADER, rows)


@bp.get("/moderations")
@roles_required("moderator")
def mine():
    """The moderations given to the signed-in moderator still to do, soonest due first, and how many are done."""
    count = moderations.counted_for(current_user).count()
    page = paginate(moderations.for_moderator(current_user), page_position(), count=count)
    done = moderations.counted_for(current_user, done=True).count()
    return render_template("moderations/mine.html", page=page, done=done, today=uk_today())


@bp.get("/moderations/done")
@roles_required("moderator")
def done():
    """The moderations the signed-in moderator has submitted, latest first."""
    count = moderations.counted_for(current_user, done=True).count()
    page = paginate(moderations.for_moderator(current_user, done=True), page_position(), count=count)
    return render_template("moderations/done.html", page=page)


def load_moderation(moderation_id):
    """The moderation, if the signed-in person is its moderator."""
    moderation = get_or_404(moderations.detailed(), moderation_id)
    if not moderations.is_moderator(current_user, moderation):
        abort(403, "Only the moderator it is assigned to can open this moderation.")
    return moderation


@bp.route("/moderations/<int:moderation_id>", methods=["GET", "POST"])
@roles_required("moderator")
@keeps_drafts(
    lambda user, args, form: moderations.keep_draft(user, args["moderation_id"], DRAFT, form),
    redisplay=lambda moderation_id: show_unsaved(moderation_id),
)
def show(moderation_id):
    """The audit beside the moderator's answers: saved every few seconds with JavaScript, and submitted."""
    return long_forms.show(long_form(load_moderation(moderation_id)))


def show_unsaved(moderation_id):
    """The moderation again with what was posted, nothing saved: the post's form token was no longer valid."""
    return long_forms.shown_again(long_form(load_moderation(moderation_id)))


def long_form(moderation):
    """The moderation as a long form saved as its moderator goes (blueprints/long_forms.py)."""
    rows = moderations.domains(moderation)
    audit = moderation.audit

    def save(form):
        moderations.save(current_user, moderation, form.version.data, form.values(), form.domain_values())
        form.version.data = moderation.version
        if form.submit_moderation.data:
            moderations.submit(current_user, moderation, uk_today(), Rules.of(current_app.config))

    def differences(form):
        saved = Moderation.get_by_id(moderation.id)
        return moderations.differences(saved, moderations.domains(saved), form.values(), form.domain_values())

    def pending_draft():
        return None if moderation.is_submitted else audit_records.pending_draft(audit, current_user, DRAFT)

    return long_forms.LongForm(
        record=moderation,
        page="moderations/show.html",
        saved="moderations/_saved.html",
        url=url_for("moderations.show", moderation_id=moderation.id),
        name="Moderation",
        build=lambda **kwargs: ModerationForm(moderation=moderation, rows=rows, **kwargs),
        save=save,
        keep_draft=lambda posted: moderations.keep_draft(current_user, moderation.id, DRAFT, posted),
        pending_draft=pending_draft,
        differences=differences,
        parts=lambda: page_parts(moderation, rows),
    )


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
