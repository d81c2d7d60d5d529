"""Audits: allocating one, the lists, the audit itself, and what it produces (case-note text, Word files)."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import long_forms
from blueprints.access import get_or_404, keeps_drafts, load_audit, roles_required
from blueprints.actions import ActionsOf
from blueprints.list_downloads import SPREADSHEETS, list_download
from blueprints.web import download, page_position, saved
from forms.audits import AllocationForm, AuditForm
from forms.lists import AuditFilterForm
from models import Audit, Case
from services import (
    allocation,
    audit_lists,
    audit_records,
    documents,
    earlier_actions,
    feedback,
    immediate_responses,
    learning_themes,
    moderations,
    team_audits,
)
from services.audits import domains_done, is_done, response_triggers, steps_better
from services.case_note import case_note_text
from services.dates import uk_today
from services.pagination import paginate
from services.team_actions import Rules
from services.working_days import audit_due_on

bp = Blueprint("audits", __name__)


@bp.route("/cases/<int:case_id>/allocate-audit", methods=["GET", "POST"])
@roles_required("qa-officer")
def allocate(case_id):
    """Choose an auditor and a due date for an audit of this case."""
    case = get_or_404(Case, case_id)
    today = uk_today()
    form = AllocationForm(due_on=audit_due_on(today))
    if form.validate_on_submit() and saved(
        form, lambda: allocation.allocate(current_user, case, form.auditor.data, form.due_on.data, today)
    ):
        flash(f"Audit of case {case.reference} allocated")
        return redirect(url_for("cases.show", case_id=case.id), 303)
    return render_template("audits/allocate.html", form=form, case=case)


@bp.get("/my-audits")
@roles_required("auditor")
def mine():
    """The audits allocated to the signed-in auditor, soonest due first."""
    count = audit_lists.counted_for_auditor(current_user)
    page = paginate(audit_lists.for_auditor(current_user), page_position(), count=count)
    return render_template("audits/mine.html", page=page, today=uk_today())


@bp.get("/audits")
@roles_required("qa-officer", "senior-leader")
def index():
    """Every audit, filtered as the dashboard's figures are (by status, service area, team, auditor, type, template,
    months allocated, submitted, overdue and final grade), a page at a time: for the QA team, and for senior
    leaders, who follow a figure to the audits behind it."""
    form = AuditFilterForm(request.args)
    filters = form.filters()
    page = paginate(audit_lists.search(**filters), page_position(), count=audit_lists.counted(**filters))
    today = uk_today()
    return render_template("audits/index.html", page=page, form=form, title="Audits", today=today)


@bp.get(f"/audits.<any{SPREADSHEETS}:spreadsheet>")
@roles_required("qa-officer", "senior-leader")
def export(spreadsheet):
    """Every audit the list's filters find, as a CSV file or an Excel workbook."""
    filters = AuditFilterForm(request.args).filters()
    return list_download(spreadsheet, "audits", "Audit", audit_lists.EXPORT_HEADER, audit_lists.exported(**filters))


@bp.route("/audits/<int:audit_id>", methods=["GET", "POST"])
# A moderator too: anyone may take part in a reliability exercise, and opens their part here.
@roles_required("auditor", "qa-officer", "moderator", "senior-leader")
@keeps_drafts(
    lambda user, args, form: audit_records.keep_draft(user, args["audit_id"], "form", form),
    redisplay=lambda audit_id: show_unsaved(audit_id),
)
def show(audit_id):
    """The audit: read and fill in its domains, save it (every few seconds with JavaScript), and submit it."""
    posted = request.method == "POST"
    return long_forms.show(long_form(load_audit(audit_id, change=posted, submitted_too=posted)))


def show_unsaved(audit_id):
    """The audit again with what was posted, nothing saved: the post's form token was no longer valid."""
    return long_forms.shown_again(long_form(load_audit(audit_id, change=True)))


def long_form(audit):
    """The audit as a long form saved as its auditor goes (blueprints/long_forms.py)."""
    # What the auditor typed that could not be saved, read once for the form and the page's banners.
    kept = audit_records.kept_drafts(audit, current_user) if request.method == "GET" else None

    def save(form):
        audit_records.save_audit(current_user, audit, form.version.data, form.values(), form.domain_values())
        form.version.data = audit.version
        if form.submit_audit.data:
            audit_records.submit_audit(
                current_user, audit, uk_today(), form.confirm_grade_gap.data, Rules.of(current_app.config)
            )

    def differences(form):
        saved = Audit.get_by_id(audit.id)
        return audit_records.differences(saved, saved.judgements(), form.values(), form.domain_values())

    return long_forms.LongForm(
        record=audit,
        page="audits/show.html",
        saved="audits/_saved.html",
        url=url_for("audits.show", audit_id=audit.id),
        name="Audit",
        build=lambda **kwargs: AuditForm(audit=audit, judgements=audit.judgements(), **kwargs),
        save=save,
        keep_draft=lambda posted: audit_records.keep_draft(current_user, audit.id, "form", posted),
        pending_draft=lambda: audit_records.pending_draft(audit, current_user, kept=kept),
        differences=differences,
        parts=lambda: page_parts(audit, kept),
    )


def page_parts(audit, kept=None):
    """What the audit page shows besides the form: progress, warnings, actions and the case-note text
    (and the actions whose changes were kept as drafts: from `kept`, when they have been read)."""
    judgements = audit.judgements()
    actions = audit.ordered_actions()
    today = uk_today()
    outcome = moderations.outcome_of(audit)
    return {
        "back": back_link(audit),
        "moderation": outcome.moderation if outcome else None,
        "outcome": outcome,
        "moderation_rows": outcome.rows if outcome else [],
        "further_actions": audit.ordered_actions("moderation") if outcome else [],
        "audit": audit,
        "judgements": judgements,
        "actions": actions,
        "actions_of": ActionsOf(audit),
        "progress": [(judgement, is_done(judgement)) for judgement in judgements],
        "done": domains_done(judgements),
        "grade_gap": steps_better(audit.overall_grade, [j.grade for j in judgements]),
        "case_note": case_note_text(audit, actions, today),
        # Only the auditor's: a moderator's drafts of further actions are offered on the moderation's page.
        "action_drafts": audit_records.action_drafts(audit, current_user, kept)
        if audit.auditor_id == current_user.id
        else [],
        "audit_feedback": feedback.for_audit(audit),
        "response_triggers": response_triggers(audit),
        "responses_raised": immediate_responses.raised_for(audit),
        "allocation_changes": allocation.changes_of(audit),
        "reflection": team_audits.reflection_of(audit) if audit.is_submitted else None,
        "earlier_actions": [] if audit.exercise_id else earlier_actions.of(audit),
        "themes": [] if audit.exercise_id else learning_themes.named(audit),
        "may_tag": learning_themes.may_tag(current_user, audit),
        "today": today,
    }


def back_link(audit):
    """Where the page's back link goes, and its words: to the list the signed-in person came from."""
    if audit.exercise_id:
        return url_for("reliability.show", exercise_id=audit.exercise_id), "Back to the reliability exercise"
    if audit.auditor_id == current_user.id:
        return url_for("audits.mine"), "Back to audits"
    if current_user.has_role("qa-officer"):
        return url_for("audits.index"), "Back to audits"
    return url_for("moderations.mine"), "Back to my moderations"


@bp.get("/audits/<int:audit_id>/case-note.txt")
@roles_required("auditor", "qa-officer", "moderator", "senior-leader")
def case_note(audit_id):
    """The case-note text as a plain text file."""
    audit = load_audit(audit_id)
    text = case_note_text(audit, audit.ordered_actions(), uk_today())
    return download(text.encode("utf-8"), f"case-note-{audit.case.reference}.txt", "text/plain; charset=utf-8")


@bp.get("/audits/<int:audit_id>/<any('record', 'action-plan', 'case-note'):kind>.docx")
@roles_required("auditor", "qa-officer", "moderator", "senior-leader")
def document(audit_id, kind):
    """The audit record, its action plan, or the case-note text, as a Word document."""
    audit = load_audit(audit_id)
    content = documents.for_audit(kind, audit, current_app.config["COUNCIL_NAME"], uk_today())
    return download(content, documents.file_name(kind, audit), documents.DOCX)
