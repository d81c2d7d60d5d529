"""Audits: allocating one by hand, and each auditor's own list."""

import datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from blueprints.access import get_or_404, roles_required
from blueprints.web import page_number, saved
from forms.audits import AllocationForm
from models import Audit, Case
from services import allocation
from services.pagination import paginate
from services.working_days import audit_due_on

bp = Blueprint("audits", __name__)


@bp.route("/cases/<int:case_id>/allocate-audit", methods=["GET", "POST"])
@roles_required("qa-officer")
def allocate(case_id):
    """Choose an auditor and a due date for an audit of this case."""
    case = get_or_404(Case, case_id)
    today = datetime.date.today()
    form = AllocationForm(due_on=audit_due_on(today))
    if form.validate_on_submit() and saved(
        form,
        lambda: allocation.allocate(current_user, case, form.auditor.data, form.due_on.data, today),
    ):
        flash(f"Audit of case {case.reference} allocated")
        return redirect(url_for("cases.show", case_id=case.id), 303)
    return render_template("audits/allocate.html", form=form, case=case)


@bp.get("/my-audits")
@roles_required("auditor")
def mine():
    """The audits allocated to the signed-in auditor, soonest due first."""
    page = paginate(Audit.for_auditor(current_user), page_number())
    return render_template("audits/mine.html", page=page, today=datetime.date.today())
