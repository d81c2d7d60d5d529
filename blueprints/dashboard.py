"""The dashboard (PRODUCT.md workflow 7): what leaders see each month, for QA officers and senior leaders."""

import functools
from urllib.parse import quote_plus

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from blueprints import calibration
from blueprints.access import roles_required
from forms.dashboard import DashboardFilterForm
from services import dashboard, dashboard_charts, learning_themes
from services.dates import month_code, uk_today

bp = Blueprint("dashboard", __name__)

READERS = ("qa-officer", "senior-leader")


@bp.get("/dashboard")
@roles_required(*READERS)
def index():
    """Audits, grades, moderation, actions, Immediate Responses and families' feedback for a period, service area,
    team, type of audit and template, each figure linked to the records behind it."""
    today = uk_today()
    form = DashboardFilterForm(request.args, today=today)
    filters = form.filters()
    figures = dashboard.figures(filters, today)
    link = Links(filters)
    return render_template(
        "dashboard/index.html",
        form=form,
        described=form.described(filters),
        figures=figures,
        charts=dashboard_charts.charts(figures, link.audits),
        link=link,
        themes=learning_themes.figures(filters, figures.teams),
        window=learning_themes.WINDOW,
    )


def encoded(args):
    """{name: "name=value"} for each arg that is not None, the value written as a query string writes it."""
    return {name: pair(name, value) for name, value in args.items() if value is not None}


@functools.lru_cache(maxsize=1024)
def pair(name, value):
    """The query string's `name=value`: a page writes the same few hundreds of times, each worked out once."""
    return f"{name}={quote_plus(str(value))}"


class Links:
    """The addresses of the lists behind the dashboard's figures, with its filters, where the person may see them."""

    def __init__(self, filters):
        self.filters = filters
        self.qa_officer = current_user.has_role("qa-officer")
        self.audits_path = url_for("audits.index")
        chosen = {
            "from_month": month_code(filters.first_month),
            "to_month": month_code(filters.last_month),
            "service_area": filters.service_area_id,
            "team": filters.team_id,
            "audit_type": filters.audit_type,
            "template": filters.template_id,
        }
        self.chosen = encoded(chosen)

    def audits(self, **more):
        """The list of audits for the dashboard's filters, narrowed or changed by `more`. A page has hundreds of
        these: the path is looked up once, and the filters' part of the query string written out once."""
        return f"{self.audits_path}?{'&'.join((self.chosen | encoded(more)).values())}"

    def calibration(self):
        """The calibration page for the same months, service area and template."""
        return url_for("calibration.index", **calibration.query_args(self.filters))

    def team_actions(self, state):
        """The team actions in `state` of the team chosen, for a QA officer, who sees every team's."""
        return url_for("team_actions.index", state=state, team=self.filters.team_id) if self.qa_officer else None

    def responses(self, **more):
        """The Immediate Responses of the team chosen, for a QA officer, who sees them all."""
        return url_for("immediate_responses.index", team=self.filters.team_id, **more) if self.qa_officer else None
