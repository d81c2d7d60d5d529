"""The month's audit plan (PRODUCT.md, workflow 5): the auditor pool it draws on (each auditor's number of audits
a month, the cases the rules keep them from, the months they are away), and the plan itself: a month's cases drawn,
shared among the pool, changed where the QA officer wants, and confirmed."""

import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, roles_required
from blueprints.web import form_page, page_position, saved
from forms.programme import (
    ConfirmPlanForm,
    DrawPlanForm,
    PairingForm,
    PlanMonthForm,
    PoolMemberForm,
    PoolMonthForm,
    ProgrammeMonthForm,
    SwapForm,
)
from models import Audit, AuditPlan, utcnow
from services import annual_programme, auditor_pool, notices, planning
from services.audits import months_before
from services.dates import month_code, month_name, parse_month, uk_today
from services.pagination import numbered_page, paginate

bp = Blueprint("programme", __name__)


@bp.get("/auditor-pool")
@roles_required("qa-officer")
def pool():
    """Every auditor in a month (next month, unless another is chosen), what each can take, and the month's
    sample size, a page at a time."""
    form = PoolMonthForm(request.args)
    month = chosen_month(form)
    members = auditor_pool.pool(month)
    return render_template(
        "programme/pool.html",
        form=form,
        month=month,
        page=numbered_page(members, page_position().number),
        **auditor_pool.summary(members),
    )


def chosen_month(form):
    """The month a month form asks for, or next month (the form says why, if the one asked for was refused)."""
    month = (parse_month(form.month.data) if form.validate() else None) or months_before(uk_today().replace(day=1), -1)
    form.month.data = form.month.data if form.month.errors else month_code(month)
    return month


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


@bp.get("/audit-plan")
@roles_required("qa-officer")
def plan():
    """A month's audit plan (next month, unless another is chosen): before it is drawn, the pool's sample and the
    settings of the draw; then the cases drawn, why others were left out, who audits each, and the button that
    confirms it."""
    month_form = PlanMonthForm(request.args)
    month = chosen_month(month_form)
    return plan_page(month, draw_form(month), month_form)


@bp.post("/audit-plan")
@roles_required("qa-officer")
def draw():
    """Draw the month's cases, or draw them again while the plan is a draft."""
    month = parse_month(request.form.get("month"))
    if month is None:
        return redirect(url_for("programme.plan"), 303)
    form = draw_form(month)
    drawn = form.validate_on_submit() and saved(
        form, lambda: planning.draw(current_user, month, form.settings(), form.version.data, utcnow())
    )
    if not drawn:
        return plan_page(month, form)
    flash(
        f"{notices.count(drawn.planned.count(), 'case')} drawn for {month_name(month)}. "
        "Check who audits each, then confirm."
    )
    return redirect(url_for("programme.plan", month=month_code(month)), 303)


@bp.post("/audit-plan/<int:plan_id>/confirm")
@roles_required("qa-officer")
def confirm(plan_id):
    """Create the plan's audits and tell each auditor theirs."""
    the_plan = get_or_404(AuditPlan, plan_id)
    form = ConfirmPlanForm()
    created = (
        saved(form, lambda: planning.confirm(current_user, the_plan, form.version.data, utcnow()))
        if form.validate_on_submit()
        else None
    )
    if created is None:
        return plan_page(the_plan.month, draw_form(the_plan.month), confirm_form=form)
    flash(
        f"{month_name(the_plan.month)}'s plan confirmed: {notices.count(created, 'audit')} created, "
        "and each auditor told of theirs"
    )
    return redirect(url_for("programme.plan", month=month_code(the_plan.month)), 303)


def draw_form(month):
    return DrawPlanForm(month=month_code(month), sample_size=auditor_pool.sample_size(auditor_pool.pool(month)))


def plan_page(month, form, month_form=None, confirm_form=None):
    """The plan page for `month`, with the forms as they are (their errors, after a refusal)."""
    month_form = month_form or PlanMonthForm(month=month_code(month))
    the_plan = planning.of_month(month)
    members = auditor_pool.pool(month)
    programme_month = annual_programme.of_month(month)
    if not form.is_submitted():
        window = current_app.config["AUDIT_PLAN_WINDOW_MONTHS"]
        form.show(the_plan, auditor_pool.sample_size(members), window, programme_month)
    context = {"pool": auditor_pool.summary(members), "programme_month": programme_month}
    if the_plan:
        context["summary"] = planning.summary(the_plan)
        context["page"] = paginate(
            planning.planned_cases(the_plan), page_position(), count=planning.counted_cases(the_plan)
        )
        context["confirm_form"] = confirm_form or ConfirmPlanForm(version=the_plan.version)
        context["due_on"] = planning.due_on(month, uk_today())
    return render_template(
        "programme/plan.html",
        # The form whose errors the page's title speaks of.
        form=confirm_form if confirm_form and confirm_form.errors else form,
        month=month,
        month_form=month_form,
        draw_form=form,
        plan=the_plan,
        passed=month < planning.first_month(uk_today()),
        audit_types=Audit.TYPES,
        not_created=planning.NOT_CREATED,
        **context,
    )


@bp.route("/audit-plan/cases/<int:planned_id>/auditor", methods=["GET", "POST"])
@roles_required("qa-officer")
def pairing(planned_id):
    """Give one of a draft plan's cases to another auditor, if the rules allow it."""
    planned = get_or_404(planning.planned_cases(), planned_id)
    the_plan = planned.plan
    form = PairingForm(
        members=auditor_pool.pool(the_plan.month), loads=planning.loads(the_plan), version=the_plan.version
    )
    if request.method == "GET":
        form.auditor.data = planned.auditor_id
    return plan_change_page(
        form,
        planned,
        lambda: planning.change_auditor(current_user, the_plan, planned, form.auditor.data, form.version.data),
        "Change who audits the case",
    )


@bp.route("/audit-plan/cases/<int:planned_id>/swap", methods=["GET", "POST"])
@roles_required("qa-officer")
def swap(planned_id):
    """Exchange the auditors of two of a draft plan's cases, if the rules allow each its new auditor."""
    planned = get_or_404(planning.planned_cases(), planned_id)
    the_plan = planned.plan
    others = [other for other in planning.planned_cases(the_plan) if other.auditor_id and other.id != planned.id]
    form = SwapForm(others=others, version=the_plan.version)

    def save():
        other = next((other for other in others if other.id == form.other.data), None)
        return planning.swap(current_user, the_plan, planned, other, form.version.data)

    return plan_change_page(form, planned, save, "Swap auditors with another case")


def plan_change_page(form, planned, save, title):
    """A page that changes one of a plan's cases, back to the plan when saved."""
    back = url_for("programme.plan", month=month_code(planned.plan.month))
    auditor = planned.auditor.name if planned.auditor_id else "nobody yet"
    return form_page(
        form,
        save,
        done=lambda _: back,
        saved_message=f"Case {planned.case.reference} changed in the plan",
        title=title,
        caption=f"Case {planned.case.reference}, {planned.case.team.name}: audited by {auditor}",
        back_url=back,
    )


@bp.get("/annual-programme")
@roles_required("qa-officer")
def year():
    """The annual audit programme, April to March, a month a row: the type of audit, its theme, the number
    proposed and other activity, and each month's plan."""
    today = uk_today()
    chosen = request.args.get("year", type=int)
    first = chosen if chosen and 2000 <= chosen <= 2100 else annual_programme.year_of(today)
    plans = planning.of_months(annual_programme.months_of(first))
    return render_template(
        "programme/year.html",
        year=first,
        rows=annual_programme.rows(first),
        plans=plans,
        audit_types=Audit.TYPES,
        this_month=today.replace(day=1),
    )


@bp.route("/annual-programme/<int:year_start>/<int:month_number>", methods=["GET", "POST"])
@roles_required("qa-officer")
def programme_month(year_start, month_number):
    """Plan a month of the annual programme: the type of audit, its theme, the number proposed, other activity."""
    if not (2000 <= year_start <= 2100 and 1 <= month_number <= 12):
        abort(404)
    month = datetime.date(year_start + (month_number < annual_programme.FIRST_MONTH), month_number, 1)
    row = annual_programme.of_month(month)
    form = ProgrammeMonthForm(record=row)
    back = url_for("programme.year", year=year_start)
    return form_page(
        form,
        lambda: annual_programme.save(
            current_user, month, row, form.version.data if row else None, form.values(*PROGRAMME_FIELDS)
        ),
        done=lambda _: back,
        saved_message=f"{month_name(month)} planned in the annual programme",
        title=f"Plan {month_name(month)}",
        caption="Annual audit programme",
        back_url=back,
    )


PROGRAMME_FIELDS = ("audit_type", "theme", "flag", "proposed", "other_activity", "focus")
