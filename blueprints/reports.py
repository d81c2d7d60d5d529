"""Reports for leaders (PRODUCT.md workflow 7): the report to the senior leadership team on a period, its narrative
written here as a long form (seed 000 s.5.6, Appendix A); the service's action plan (Appendix B); and the monthly
summary for an improvement board (004 2.4.2). Each downloads as a Word document, its tables filled from the
dashboard's figures as they are."""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from blueprints import long_forms
from blueprints.access import get_or_404, keeps_drafts, roles_required
from blueprints.list_downloads import SPREADSHEETS, list_download
from blueprints.web import download, form_page, page_position
from forms.reports import PeriodForm, ReportForm, ServiceActionForm, SummaryMonthForm
from models import Event, ServiceAction, ServiceReport, db, utcnow
from services import report_documents, service_reports
from services.dates import month_code, month_name, parse_month, uk_today
from services.pagination import numbered_page

bp = Blueprint("reports", __name__)
bp.add_app_template_filter(service_reports.period_name, "period_name")

READERS = ("qa-officer", "senior-leader")


@bp.get("/reports")
@roles_required(*READERS)
def index():
    """The reports to the senior leadership team, latest first; the monthly summary; the action plan."""
    month_form = SummaryMonthForm(request.args)
    month_form.month.data = month_form.month.data or month_code(last_month())
    return render_template("reports/index.html", reports=service_reports.listing(), month_form=month_form)


@bp.route("/reports/new", methods=["GET", "POST"])
@roles_required("qa-officer")
def new():
    """Open a report on a period: the last six whole months unless told."""
    form = PeriodForm(period=service_reports.latest_period(uk_today()))
    percentage = current_app.config["MODERATION_PERCENTAGE"]
    return form_page(
        form,
        lambda: service_reports.open_report(current_user, *form.months(), percentage),
        lambda report: url_for("reports.show", report_id=report.id),
        "Report opened: write each section, and the service fills in the tables when you download it",
        title="Open a report to the senior leadership team",
        back_url=url_for("reports.index"),
    )


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@roles_required("qa-officer")
@keeps_drafts(
    lambda user, args, form: service_reports.keep_draft(user, args["report_id"], form),
    redisplay=lambda report_id: long_forms.shown_again(long_form(get_or_404(ServiceReport, report_id))),
)
def show(report_id):
    """The report's narrative, section by section, saved every few seconds with JavaScript or with Save."""
    return long_forms.show(long_form(get_or_404(ServiceReport, report_id)))


def long_form(report):
    """The report as a long form saved as its writer goes (blueprints/long_forms.py)."""

    def save(form):
        service_reports.save(current_user, report, form.version.data, form.values())
        form.version.data = report.version

    return long_forms.LongForm(
        record=report,
        page="reports/show.html",
        saved="reports/_saved.html",
        url=url_for("reports.show", report_id=report.id),
        name="Report",
        build=lambda **kwargs: ReportForm(report=report, **kwargs),
        save=save,
        keep_draft=lambda posted: service_reports.keep_draft(current_user, report.id, posted),
        pending_draft=lambda: service_reports.pending_draft(current_user, report),
        differences=lambda form: service_reports.differences(report, form.values()),
        # The figures only the whole page shows, not worked out for each save as the writer types.
        parts=lambda: {"report": report, "period_figures": lambda: service_reports.figures(report, uk_today())},
    )


@bp.get("/reports/<int:report_id>.docx")
@roles_required(*READERS)
def document(report_id):
    """The report as a Word document: the narrative as written, the tables as the figures are now."""
    report = get_or_404(ServiceReport, report_id)
    content = report_documents.report_document(report, current_app.config["COUNCIL_NAME"], current_user.name, utcnow())
    recorded("ServiceReport", {"period": service_reports.period_name(report)})
    name = f"audit-report-{month_code(report.first_month)}-to-{month_code(report.last_month)}.docx"
    return download(content, name, report_documents.DOCX)


def recorded(record_type, filters):
    with db.atomic():
        Event.record_download(current_user, record_type, "Word", filters)


@bp.get("/reports/monthly-summary.docx")
@roles_required(*READERS)
def monthly_summary():
    """The month's figures beside the five months before, for an improvement board, as a Word document; or the
    reports page again, saying what is wrong with the month asked for."""
    form = SummaryMonthForm(request.args)
    if not form.validate():
        return render_template("reports/index.html", reports=service_reports.listing(), month_form=form), 400
    month = parse_month(form.month.data) if form.month.data else last_month()
    content = report_documents.monthly_summary(month, current_app.config["COUNCIL_NAME"], current_user.name, utcnow())
    recorded("MonthlySummary", {"month": month_name(month)})
    return download(content, f"monthly-summary-{month_code(month)}.docx", report_documents.DOCX)


def last_month():
    """The last whole month: the monthly summary's unless told."""
    return service_reports.latest_period(uk_today(), 1)[1]


# The action plan.


@bp.get("/action-plan")
@roles_required(*READERS)
def action_plan():
    """The service's action plan: those still to complete first, soonest due first."""
    page = numbered_page(list(ServiceAction.ordered()), page_position().number)
    return render_template("reports/action_plan.html", page=page, today=uk_today())


@bp.route("/action-plan/new", methods=["GET", "POST"])
@roles_required("qa-officer")
def new_action():
    """Add a SMART action to the service's action plan."""
    form = ServiceActionForm(today=uk_today())
    return form_page(
        form,
        lambda: service_reports.add_action(current_user, form.values()),
        lambda _: url_for("reports.action_plan"),
        "Action added to the action plan",
        template="reports/action_form.html",
        title="Add an action to the action plan",
        action=None,
    )


@bp.route("/action-plan/<int:service_action_id>/edit", methods=["GET", "POST"])
@roles_required("qa-officer")
def edit_action(service_action_id):
    """Change an action of the plan, and record how it is going: what has been done, when it was completed, and
    who approved it."""
    action = get_or_404(ServiceAction, service_action_id)
    form = ServiceActionForm(record=action, today=uk_today())
    return form_page(
        form,
        lambda: service_reports.change_action(current_user, action, form.version.data, form.values()),
        lambda _: url_for("reports.action_plan"),
        "Action saved",
        template="reports/action_form.html",
        title=f"Change the action: {action.title}",
        action=action,
    )


@bp.get("/action-plan.docx")
@roles_required(*READERS)
def action_plan_document():
    """The action plan as a Word document, in the columns of the framework's Appendix B."""
    content = report_documents.action_plan_document(
        ServiceAction.ordered(), current_app.config["COUNCIL_NAME"], current_user.name, utcnow()
    )
    recorded("ServiceAction", {})
    return download(content, f"action-plan-{uk_today():%Y-%m-%d}.docx", report_documents.DOCX)


@bp.get(f"/action-plan.<any{SPREADSHEETS}:spreadsheet>")
@roles_required(*READERS)
def action_plan_file(spreadsheet):
    """The action plan's rows as CSV or Excel."""
    rows = (service_reports.export_row(action) for action in ServiceAction.ordered())
    return list_download(spreadsheet, "action-plan", "ServiceAction", service_reports.EXPORT_HEADER, rows)
