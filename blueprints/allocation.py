"""Changing an audit's allocation (seed 002 s.8): a QA officer gives it to another auditor or cancels it, each with
a reason; its auditor asks for a later due date, and a QA officer agrees or refuses."""

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user

from blueprints.access import get_or_404, load_audit, roles_required
from blueprints.web import form_page, page_position
from forms.allocation import CancelForm, DecisionForm, DefermentForm, ReallocateForm
from models import AllocationChange, Audit, utcnow
from services import allocation
from services.pagination import paginate

bp = Blueprint("allocation", __name__)


def open_audit(audit_id):
    """The audit whose allocation is to change, if the signed-in person may see it and it is still open."""
    audit = load_audit(audit_id)
    if audit.exercise_id or not audit.is_open:
        abort(403, f"This audit has been {audit.status_label.lower()}, so its allocation can no longer be changed.")
    return audit


def audit_form_page(audit, form, save, saved_message, title):
    """A page that changes the audit's allocation, back to the audit when saved."""
    back = url_for("audits.show", audit_id=audit.id)
    return form_page(
        form,
        save,
        done=lambda _: back,
        saved_message=saved_message,
        title=title,
        caption=f"Audit of case {audit.case.reference}, by {audit.auditor.name}",
        back_url=back,
    )


@bp.route("/audits/<int:audit_id>/give-to-another", methods=["GET", "POST"])
@roles_required("qa-officer")
def reallocate(audit_id):
    """Give the audit to another auditor, with the reason; what was typed into it stays with it."""
    audit = open_audit(audit_id)
    form = ReallocateForm(record=audit)
    form.auditor.data = form.auditor.data if form.is_submitted() else None
    return audit_form_page(
        audit,
        form,
        lambda: allocation.reallocate(
            current_user, audit, form.version.data, form.auditor.data, form.reason.data, utcnow()
        ),
        f"Audit of case {audit.case.reference} given to another auditor",
        "Give the audit to another auditor",
    )


@bp.route("/audits/<int:audit_id>/cancel", methods=["GET", "POST"])
@roles_required("qa-officer")
def cancel(audit_id):
    """Cancel the audit, with the reason: its case may then be drawn again."""
    audit = open_audit(audit_id)
    form = CancelForm(record=audit)
    return audit_form_page(
        audit,
        form,
        lambda: allocation.cancel(current_user, audit, form.version.data, form.reason.data, utcnow()),
        f"Audit of case {audit.case.reference} cancelled",
        "Cancel the audit",
    )


@bp.route("/audits/<int:audit_id>/later-due-date", methods=["GET", "POST"])
@roles_required("auditor")
def ask(audit_id):
    """The auditor asks for their audit to be due later, with the reason."""
    audit = open_audit(audit_id)
    if audit.auditor_id != current_user.id:
        abort(403, "Only the auditor it is allocated to can ask for a later due date.")
    form = DefermentForm()
    return audit_form_page(
        audit,
        form,
        lambda: allocation.ask_deferment(current_user, audit, form.due_after.data, form.reason.data, utcnow()),
        "Later due date asked for: the QA officers have been told",
        "Ask for a later due date",
    )


@bp.get("/deferments")
@roles_required("qa-officer")
def deferments():
    """The later due dates auditors have asked for, waiting for a decision, oldest first."""
    page = paginate(allocation.deferments_asked(), page_position(), count=allocation.counted_deferments_asked())
    return render_template("allocation/deferments.html", page=page)


@bp.route("/deferments/<int:change_id>", methods=["GET", "POST"])
@roles_required("qa-officer")
def decide(change_id):
    """Agree to a later due date an auditor asked for, or refuse it with a reason."""
    change = get_or_404(AllocationChange.select().where(AllocationChange.kind == "deferment"), change_id)
    audit = get_or_404(Audit, change.audit_id)
    if change.status != "asked":
        return render_template("allocation/decided.html", change=change, audit=audit)
    form = DecisionForm(record=change)
    back = url_for("audits.show", audit_id=audit.id)
    return form_page(
        form,
        lambda: allocation.decide_deferment(
            current_user, change, form.version.data, form.agreed, form.decision_reason.data, utcnow()
        ),
        done=lambda _: back,
        saved_message=f"Decision saved: {change.made_by.name} has been told",
        template="allocation/decide.html",
        title="Decide on a later due date",
        caption=f"Audit of case {audit.case.reference}, by {audit.auditor.name}",
        back_url=back,
        change=change,
        audit=audit,
    )
