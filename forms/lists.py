"""Filters for the list of all audits, read from the query string."""

from wtforms import Form
from wtforms.validators import ValidationError

from forms.fields import ChoiceField, MonthField, SubmitButton, code
from models import GRADES, Audit, AuditTemplate, ServiceArea, Team, TemplateDomain, User
from services.dates import parse_month, uk_today

SUBMITTED = {"yes": "Submitted", "on-time": "Submitted on time", "late": "Submitted late"}


class AuditFilterForm(Form):
    """A filter changes nothing, so it needs no CSRF token. The dashboard links to the audits behind each of its
    figures with these filters."""

    status = ChoiceField("Status", "Select a status from the list", coerce=code, optional=True)
    service_area = ChoiceField("Service area", "Select a service area from the list", optional=True)
    team = ChoiceField("Team", "Select a team from the list", optional=True)
    auditor = ChoiceField("Auditor", "Select an auditor from the list", optional=True)
    audit_type = ChoiceField("Type", "Select a type of audit from the list", coerce=code, optional=True)
    template = ChoiceField("Audit template", "Select an audit template from the list", optional=True)
    overdue = ChoiceField("Overdue", "Select from the list", coerce=code, optional=True)
    submitted = ChoiceField("Submitted", "Select from the list", coerce=code, optional=True)
    grade = ChoiceField(
        "Final grade",
        "Select a grade from the list",
        coerce=code,
        optional=True,
        description="The moderator's grade, where the audit was moderated",
    )
    domain = ChoiceField(
        "Grade of", "Select the overall judgement or a domain from the list", coerce=str, optional=True
    )
    from_month = MonthField("Allocated from month")
    to_month = MonthField("Allocated to month")
    submit = SubmitButton("Filter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.set_choices(Audit.STATUSES.items(), blank="Any status")
        self.service_area.set_choices(ServiceArea.names(), blank="Any service area")
        self.team.set_choices(Team.names(), blank="Any team")
        self.auditor.set_choices(User.names("auditor"), blank="Anyone")
        self.audit_type.set_choices(Audit.TYPES.items(), blank="Any type")
        self.template.set_choices(AuditTemplate.names(), blank="Any template")
        self.overdue.set_choices([("yes", "Only those overdue")], blank="Overdue or not")
        self.submitted.set_choices(SUBMITTED.items(), blank="Submitted or not")
        self.grade.set_choices(GRADES.items(), blank="Any grade")
        self.domain.set_choices([(name, name) for name in TemplateDomain.names()], blank="The overall judgement")

    def validate_to_month(self, field):
        first, last = parse_month(self.from_month.data), parse_month(field.data)
        if first and last and last < first:
            raise ValidationError("To month must be the same as or after the from month")

    def filters(self):
        """The filters to apply, leaving out any that were refused (the form shows why)."""
        self.validate()
        names = ("status", "service_area", "team", "auditor", "audit_type", "template", "overdue", "submitted")
        valid = {name: self[name].data if not self[name].errors else None for name in (*names, "grade", "domain")}
        months = (None, None)
        if not (self.from_month.errors or self.to_month.errors):
            months = (parse_month(self.from_month.data), parse_month(self.to_month.data))
        return {
            "status": valid["status"],
            "service_area_id": valid["service_area"],
            "team_id": valid["team"],
            "auditor_id": valid["auditor"],
            "audit_type": valid["audit_type"],
            "template_id": valid["template"],
            "overdue_on": uk_today() if valid["overdue"] == "yes" else None,
            "submitted": valid["submitted"],
            "first_month": months[0],
            "last_month": months[1],
            "grade": valid["grade"],
            "domain": valid["domain"] or None,
        }
