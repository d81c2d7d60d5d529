"""The dashboard (PRODUCT.md workflow 7): what leaders see each month, for QA officers and senior leaders."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from blueprints.access import roles_required
from forms.dashboard import DashboardFilterForm
from services import dashboard, dashboard_charts
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
    charts = {
        "months": dashboard_charts.months_chart(figures, link.audits),
        "domains": dashboard_charts.domains_chart(figures, link.audits),
        "trend": dashboard_charts.trend_chart(figures, link.audits),
        "areas": dashboard_charts.groups_chart(figures.areas, "service_area", link.audits),
        "teams": dashboard_charts.groups_chart(figures.teams, "team", link.audits),
    }
    described = form.described(filters)
    return render_template(
        "dashboard/index.html", form=form, described=described, figures=figures, charts=charts, link=link
    )


class Links:
    """The addresses of the lists behind the dashboard's figures, with its filters, where the person may see them."""

    def __init__(self, filters):
        self.filters = filters
        self.qa_officer = current_user.has_role("qa-officer")

    def audits(self, **more):
        """The list of audits for the dashboard's filters, narrowed or changed by `more`."""
        chosen = {
            "from_month": month_code(self.filters.first_month),
            "to_month": month_code(self.filters.last_month),
            "service_area": self.filters.service_area_id,
            "team": self.filters.team_id,
            "audit_type": self.filters.audit_type,
            "template": self.filters.template_id,
        }
        return url_for("audits.index", **(chosen | more))

    def calibration(self):
        """The calibration page for the same months, service area and template."""
        chosen = {
            "from_month": month_code(self.filters.first_month),
            "to_month": month_code(self.filters.last_month),
            "service_area": self.filters.service_area_id,
            "template": self.filters.template_id,
        }
        return url_for("calibration.index", **chosen)

    def team_actions(self, state):
        """The team actions in `state` of the team chosen, for a QA officer, who sees every team's."""
        return url_for("team_actions.index", state=state, team=self.filters.team_id) if self.qa_officer else None

    def responses(self, **more):
        """The Immediate Responses of the team chosen, for a QA officer, who sees them all."""
        return url_for("immediate_responses.index", team=self.filters.team_id, **more) if self.qa_officer else None
