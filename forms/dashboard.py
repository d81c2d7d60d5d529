"""The dashboard's filters, read from the query string: the calibration page's (a period of months, a service area,
a template), with a team and a type of audit."""

from wtforms.validators import ValidationError

from forms.calibration import CalibrationFilterForm
from forms.fields import ChoiceField, code
from models import Audit, Team
from services import dashboard
from services.dates import parse_month

# The months a page shows at most: two years of each month's figures side by side is as far as a page stays
# readable (and quick); the list of audits, and its download, go back as far as the records do.
MOST_MONTHS = 24


class DashboardFilterForm(CalibrationFilterForm):
    """The months are those the audits were allocated in, this month by default: its audits are the work in hand."""

    team = ChoiceField("Team", "Select a team from the list", optional=True)
    audit_type = ChoiceField("Type of audit", "Select a type of audit from the list", coerce=code, optional=True)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, today=today, **kwargs)
        self.last_month = today.replace(day=1)
        self.team.set_choices(Team.names(), "All teams")
        self.audit_type.set_choices(Audit.TYPES.items(), "All types")

    def validate_to_month(self, field):
        super().validate_to_month(field)
        first, last = parse_month(self.from_month.data), parse_month(field.data)
        if first and last and (last.year - first.year) * 12 + last.month - first.month >= MOST_MONTHS:
            raise ValidationError(f"Choose a period of {MOST_MONTHS} months or fewer: download the audits for longer")

    def filters(self):
        chosen = super().filters()
        return dashboard.Filters(
            chosen.first_month,
            chosen.last_month,
            chosen.service_area_id,
            None if self.team.errors else self.team.data,
            None if self.audit_type.errors else self.audit_type.data,
            chosen.template_id,
        )

    def chosen_fields(self, filters):
        return [
            (self.service_area, filters.service_area_id),
            (self.team, filters.team_id),
            (self.audit_type, filters.audit_type),
            (self.template, filters.template_id),
        ]
