"""Feedback for an audit, each kind on a page of its own: the child's, a parent's or a carer's, and the IRO's or
CP chair's. The practitioner's is part of the audit form. The QA team and senior leaders list every family's
feedback, whether it was gathered and why not, and download the list."""

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, keeps_drafts, restored, roles_required
from blueprints.list_downloads import SPREADSHEETS, list_download
from blueprints.web import form_page, page_position, render_list
from forms.feedback import FamilyFeedbackForm, IroFeedbackForm
from forms.lists import FeedbackFilterForm
from models import FamilyFeedback, IroFeedback
from services import audit_lists, audit_records, feedback, feedback_lists
from services.pagination import paginate

bp = Blueprint("feedback", __name__)
OF_AUDIT = "/audits/<int:audit_id>/feedback"  # where each audit's feedback is recorded


def load_audit_for_feedback(audit_id):
    """The audit, if the signed-in person is its auditor: they record its feedback, even once it is submitted."""
    audit = get_or_404(audit_lists.detailed(), audit_id)
    if audit.auditor_id != current_user.id:
        abort(403, "Only the auditor the audit is allocated to can record its feedback.")
    return audit


def load_feedback(audit, model, feedback_id):
    """The audit's feedback of this kind (`model`) with this id, or Not found."""
    record = get_or_404(model, feedback_id)
    if record.audit_id != audit.id:
        abort(404)
    return record


def keeps_feedback_drafts(model, id_name):
    """Keep what was typed on a form for this kind of feedback when the session timed out, even once the audit is
    submitted; `id_name` is the URL's name for the record's id, on the pages that change one."""

    def keep(user, args, form):
        field = feedback.draft_field(model, args.get(id_name))
        audit_records.keep_draft(user, args["audit_id"], field, form, after_submission=True)

    return keeps_drafts(keep)


def feedback_page(audit, form, save, title):
    """The page of a feedback form, whose title says which audit: "`title` for the audit of case ABC-123"."""
    back_url = url_for("audits.show", audit_id=audit.id, _anchor="feedback")
    return form_page(
        form,
        save,
        done=lambda saved: back_url,
        saved_message="Feedback saved",
        title=f"{title} for the audit of case {audit.case.reference}",
        back_url=back_url,
    )


@bp.route(f"{OF_AUDIT}/family/new", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_feedback_drafts(FamilyFeedback, "family_feedback_id")
def new_family(audit_id):
    """Record what the child, a parent or a carer said of our work, or why it could not be gathered."""
    audit = load_audit_for_feedback(audit_id)
    form = FamilyFeedbackForm(**restored(audit, feedback.draft_field(FamilyFeedback)))
    return feedback_page(
        audit,
        form,
        lambda: feedback.add_feedback(current_user, audit, FamilyFeedback, form.values()),
        "Feedback from the child, a parent or carer",
    )


@bp.route(f"{OF_AUDIT}/family/<int:family_feedback_id>/edit", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_feedback_drafts(FamilyFeedback, "family_feedback_id")
def edit_family(audit_id, family_feedback_id):
    """Change the feedback from the child, a parent or a carer."""
    audit = load_audit_for_feedback(audit_id)
    record = load_feedback(audit, FamilyFeedback, family_feedback_id)
    form = FamilyFeedbackForm(record=record, **restored(audit, feedback.draft_field(FamilyFeedback, record.id)))
    return feedback_page(
        audit,
        form,
        lambda: feedback.change_feedback(current_user, record, form.version.data, form.values()),
        "Change feedback from the child, a parent or carer",
    )


@bp.route(f"{OF_AUDIT}/iro/new", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_feedback_drafts(IroFeedback, "iro_feedback_id")
def new_iro(audit_id):
    """Record what the child's IRO or CP chair said of the plan's progress and of the grades."""
    audit = load_audit_for_feedback(audit_id)
    form = IroFeedbackForm(**restored(audit, feedback.draft_field(IroFeedback)))
    return feedback_page(
        audit,
        form,
        lambda: feedback.add_feedback(current_user, audit, IroFeedback, form.values()),
        "Feedback from the IRO or CP chair",
    )


@bp.route(f"{OF_AUDIT}/iro/<int:iro_feedback_id>/edit", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_feedback_drafts(IroFeedback, "iro_feedback_id")
def edit_iro(audit_id, iro_feedback_id):
    """Change the IRO or CP chair's feedback."""
    audit = load_audit_for_feedback(audit_id)
    record = load_feedback(audit, IroFeedback, iro_feedback_id)
    form = IroFeedbackForm(record=record, **restored(audit, feedback.draft_field(IroFeedback, record.id)))
    return feedback_page(
        audit,
        form,
        lambda: feedback.change_feedback(current_user, record, form.version.data, form.values()),
        "Change feedback from the IRO or CP chair",
    )


@bp.get("/family-feedback")
@roles_required("qa-officer", "senior-leader")
def family_list():
    """Every family's feedback, the newest audits first: whether it was gathered, how and how helpful our work was
    found, or why not; by team and months allocated. What the family said stays on the audit each row links to."""
    form = FeedbackFilterForm(request.args)
    filters = form.filters()
    return render_list(
        "feedback/_family_list.html",
        title="Families' feedback",
        description="Feedback from children, parents and carers, or why it could not be gathered, newest audits "
        "first. What they said is on the audit, not in this list or its download.",
        form=form,
        page=paginate(feedback_lists.listing(**filters), page_position(), count=feedback_lists.counted(**filters)),
        download=("feedback.export_family", "feedback records"),
        given_by=feedback_lists.given_by,
    )


@bp.get(f"/family-feedback.<any{SPREADSHEETS}:spreadsheet>")
@roles_required("qa-officer", "senior-leader")
def export_family(spreadsheet):
    """Every family's feedback the list's filters find, as a CSV file or an Excel workbook."""
    found = feedback_lists.listing(**FeedbackFilterForm(request.args).filters()).iterator()
    rows = (feedback_lists.export_row(record) for record in found)
    return list_download(spreadsheet, "family-feedback", "FamilyFeedback", feedback_lists.EXPORT_HEADER, rows)
