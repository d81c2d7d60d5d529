"""Filters for the list of all audits, read from the query string."""

import datetime

from wtforms import Form
from wtforms.validators import ValidationError

from forms.fields import ChoiceField, SubmitButton, TextField, code
from models import Audit, Team, User
from services.dates import uk_today


class AuditFilterForm(Form):
    """A filter changes nothing, so it needs no CSRF token."""

    status = ChoiceField("Status", "Select a status from the list", coerce=code, optional=True)
    team = ChoiceField("Team", "Select a team from the list", optional=True)
    auditor = ChoiceField("Auditor", "Select an auditor from the list", optional=True)
    audit_type = ChoiceField("Type", "Select a type of audit from the list", coerce=code, optional=True)
    overdue = ChoiceField("Overdue", "Select from the list", coerce=code, optional=True)
    month = TextField("Month allocated", optional=True, max_length=7, description="For example, 2026-11")
    submit = SubmitButton("Filter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.set_choices(Audit.STATUSES.items(), blank="Any status")
        self.team.set_choices(Team.names(), blank="Any team")
        self.auditor.set_choices(User.names("auditor"), blank="Anyone")
        self.audit_type.set_choices(Audit.TYPES.items(), blank="Any type")
        self.overdue.set_choices([("yes", "Only those overdue")], blank="Overdue or not")

    def validate_month(self, field):
        if field.data:
            try:
                month = datetime.datetime.strptime(field.data, "%Y-%m")
            except ValueError as error:
                raise ValidationError("Enter the month as a year and month, like 2026-11") from error
            if not 2000 <= month.year <= 2100:
                raise ValidationError("Enter a month between 2000 and 2100")

    def filters(self):
        """The filters to apply, leaving out any that were refused (the form shows why)."""
        self.validate()
        month = None
        if self.month.data and not self.month.errors:
            month = datetime.datetime.strptime(self.month.data, "%Y-%m").date()
        names = ("status", "team", "auditor", "audit_type", "overdue")
        valid = {name: self[name].data if not self[name].errors else None for name in names}
        return {
            "status": valid["status"],
            "team_id": valid["team"],
            "auditor_id": valid["auditor"],
            "audit_type": valid["audit_type"],
            "overdue_on": uk_today() if valid["overdue"] == "yes" else None,
            "month": month,
        }
