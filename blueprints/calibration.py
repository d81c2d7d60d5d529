"""Calibration (seed 002 s.9; seed 004 2.6.1): how often moderators agree with auditors' grades, and where they
differ, for the people who watch the quality of audit: QA officers, moderators and senior leaders."""

from flask import Blueprint, render_template, request

from blueprints import web
from blueprints.access import roles_required
from forms.calibration import CalibrationFilterForm
from services import calibration, calibration_charts, calibration_sheets
from services.dates import month_code, uk_today
from services.spreadsheets import csv_file

bp = Blueprint("calibration", __name__)

READERS = ("qa-officer", "moderator", "senior-leader")


def chosen_filters():
    """The filter form from the query string, and the filters it applies (a refused one at its default)."""
    form = CalibrationFilterForm(request.args, today=uk_today())
    return form, form.filters()


def query_args(filters):
    """The query string that gives the same figures: each table's CSV link keeps what the page shows."""
    args = {"from_month": month_code(filters.first_month), "to_month": month_code(filters.last_month)}
    args |= {"service_area": filters.service_area_id, "template": filters.template_id}
    return {name: value for name, value in args.items() if value is not None}


def filtered(template, figures):
    """`template` with the filter form from the query string and `figures(filters)` for the filters it applies."""
    form, filters = chosen_filters()
    described, args = form.described(filters), query_args(filters)
    return render_template(template, form=form, described=described, args=args, **figures(filters))


@bp.get("/calibration")
@roles_required(*READERS)
def index():
    """Agreement by domain, grades before and after moderation, weighted kappa, and the figures by auditor,
    team and month, for a period, service area and template."""
    return filtered("calibration/index.html", figures_and_charts)


def figures_and_charts(filters):
    figures = calibration.figures(filters)
    charts = {
        "agreement": calibration_charts.agreement_chart(figures["months"]),
        "changes": calibration_charts.changes_map(figures["changes"]),
    }
    return figures | {"charts": charts}


@bp.get(f"/calibration/<any({', '.join(map(repr, calibration.GROUPS))}):group>")
@roles_required(*READERS)
def everyone(group):
    """Every auditor's or team's figures, a page at a time, for the same filters: the calibration page names
    only those it marks."""
    number = web.page_position().number
    return filtered(
        "calibration/everyone.html",
        lambda filters: {"kind": group, "page": calibration.group_page(filters, group, number)},
    )


@bp.get(f"/calibration/<any({', '.join(map(repr, calibration_sheets.TABLES))}):table>.csv")
@roles_required(*READERS)
def download(table):
    """One of the page's tables as a CSV file, for the same filters."""
    _, filters = chosen_filters()
    name, header, rows = calibration_sheets.spreadsheet(table, filters)
    return web.download(csv_file(header, rows), name, "text/csv")
