"""Retention: what is past its time to keep (the dry run of the periodic job's removals), and legal holds on cases."""

from flask import Blueprint, current_app, render_template, url_for
from flask_login import current_user

from blueprints.access import get_or_404, roles_required
from blueprints.web import form_page, page_position
from forms.retention import LegalHoldForm, ReleaseHoldForm
from models import Case
from services import retention
from services.dates import uk_today
from services.pagination import paginate

bp = Blueprint("retention", __name__)


@bp.get("/retention")
@roles_required("qa-officer")
def index():
    """What the periodic job will remove as past its time, and from when, for a QA officer to check first."""
    policy, today = retention.Policy.of(current_app.config), uk_today()
    return render_template(
        "retention/index.html",
        policy=policy,
        page=paginate(retention.cases_due(policy, today), page_position()),
        held=retention.cases_held().count(),
        logs=retention.logs_due(policy, today),
        log_day=policy.log_day(today),
        removal_day=lambda case: retention.removal_day(case, policy, today),
    )


@bp.get("/retention/legal-holds")
@roles_required("qa-officer")
def held():
    """The cases on legal hold, kept however long ago they closed, the longest held first."""
    return render_template("retention/held.html", page=paginate(retention.cases_held(), page_position()))


@bp.route("/cases/<int:case_id>/legal-hold", methods=["GET", "POST"])
@roles_required("qa-officer")
def hold(case_id):
    """Put a case on legal hold, saying why, or change why: nothing of it is removed while it is held."""
    case = get_or_404(Case, case_id)
    form = LegalHoldForm(record=case)
    return form_page(
        form,
        lambda: retention.hold(current_user, case, form.version.data, form.held_because.data),
        done=lambda saved: url_for("cases.show", case_id=saved.id),
        saved_message=f"Case {case.reference} is on legal hold",
        title="Legal hold",
        caption=f"Case {case.reference}",
        back_url=url_for("cases.show", case_id=case.id),
    )


@bp.route("/cases/<int:case_id>/legal-hold/release", methods=["GET", "POST"])
@roles_required("qa-officer")
def release(case_id):
    """Release a case's legal hold, after asking: once past its time, the next run gives it notice, and removes it
    when the notice runs out."""
    case = get_or_404(Case, case_id)
    form = ReleaseHoldForm(obj=case)
    return form_page(
        form,
        lambda: retention.release(current_user, case, form.version.data),
        done=lambda saved: url_for("cases.show", case_id=saved.id),
        saved_message=f"The legal hold on case {case.reference} is released",
        template="retention/release.html",
        case=case,
        notice_days=retention.Policy.of(current_app.config).notice_days,
    )
