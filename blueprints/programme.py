"""The month's audit plan (PRODUCT.md, workflow 5): for now, the auditor pool it draws on, each auditor's number
of audits a month, the cases the rules keep them from, and the months they are away."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, roles_required
from blueprints.web import form_page, page_position
from forms.programme import PoolMemberForm, PoolMonthForm
from services import auditor_pool
from services.audits import months_before
from services.dates import month_code, parse_month, uk_today
from services.pagination import numbered_page

bp = Blueprint("programme", __name__)


@bp.get("/auditor-pool")
@roles_required("qa-officer")
def pool():
    """Every auditor in a month (next month, unless another is chosen), what each can take, and the month's
    sample size, a page at a time."""
    form = PoolMonthForm(request.args)
    month = (parse_month(form.month.data) if form.validate() else None) or months_before(uk_today().replace(day=1), -1)
    form.month.data = form.month.data if form.month.errors else month_code(month)
    members = auditor_pool.pool(month)
    return render_template(
        "programme/pool.html",
        form=form,
        month=month,
        page=numbered_page(members, page_position().number),
        **auditor_pool.summary(members),
    )


@bp.route("/auditor-pool/<int:user_id>", methods=["GET", "POST"])
@roles_required("qa-officer")
def member(user_id):
    """Change an auditor's number of audits a month, the rule for their own service area, and the months they
    are away."""
    user = get_or_404(auditor_pool.members(), user_id)
    months = auditor_pool.months_ahead(uk_today())
    form = PoolMemberForm(
        record=user,
        usual_quota=auditor_pool.quota_of(user.job_role, None),
        usually_kept=auditor_pool.kept_from_own_area(user.job_role, None),
        months=months,
    )
    if request.method == "GET":
        form.monthly_quota.data = auditor_pool.quota_of(user.job_role, user.monthly_quota)
        form.away.data = auditor_pool.months_away(user, months)
    back = url_for("programme.pool", month=request.args.get("month") or None)
    return form_page(
        form,
        lambda: auditor_pool.save(current_user, user, form.version.data, *form.settings(), months),
        done=lambda saved: back,
        saved_message=f"{user.name}'s part in the auditor pool saved",
        title="Change their part in the auditor pool",
        caption=user.name,
        record=user,
        back_url=back,
    )
