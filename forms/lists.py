"""Filters for the lists of every audit, moderation, family's feedback and notice sent, read from the query string.
A filter changes nothing, so it needs no CSRF token; one refused is left out, the form saying why."""

import datetime

from wtforms import Form
from wtforms.validators import StopValidation, ValidationError

from forms.fields import ChoiceField, MonthField, SubmitButton, TextField, code
from models import (
    GRADES,
    Audit,
    AuditTemplate,
    FamilyFeedback,
    Moderation,
    Notice,
    ServiceArea,
    Team,
    TemplateDomain,
    User,
)
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
        "Grade of", "Select the overall judgement or a domain from the list", coerce=code, optional=True
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
        check_month_order(self, field)

    def filters(self):
        """The filters to apply, leaving out any that were refused (the form shows why)."""
        self.validate()
        names = ("status", "service_area", "team", "auditor", "audit_type", "template", "overdue", "submitted")
        valid = usable(self, *names, "grade", "domain")
        months = months_chosen(self)
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


def check_month_order(form, field):
    """A form's to month (`field`) is its from month or later."""
    first, last = parse_month(form.from_month.data), parse_month(field.data)
    if first and last and last < first:
        raise ValidationError("To month must be the same as or after the from month")


def months_chosen(form):
    """The first days of a form's from and to months, or None for either not given; both None if either was refused."""
    if form.from_month.errors or form.to_month.errors:
        return None, None
    return parse_month(form.from_month.data), parse_month(form.to_month.data)


def usable(form, *names):
    """{name: its value} of the form's fields `names` (validated), None for one refused."""
    return {name: form[name].data if not form[name].errors else None for name in names}


class ModerationFilterForm(Form):
    status = ChoiceField("Status", "Select a status from the list", coerce=code, optional=True)
    moderator = ChoiceField("Moderator", "Select a moderator from the list", optional=True)
    grade_changed = ChoiceField("Overall grade", "Select from the list", coerce=code, optional=True)
    from_month = MonthField("Drawn from month")
    to_month = MonthField("Drawn to month")
    submit = SubmitButton("Filter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.set_choices(Moderation.STATUSES.items(), blank="Any status")
        self.moderator.set_choices(User.names("moderator"), blank="Anyone")
        changed = [("yes", "Changed by the moderator"), ("no", "Left as the auditor gave it")]
        self.grade_changed.set_choices(changed, blank="Changed or not")

    def validate_to_month(self, field):
        check_month_order(self, field)

    def filters(self):
        """The filters to apply, leaving out any that were refused (the form shows why)."""
        self.validate()
        valid = usable(self, "status", "moderator", "grade_changed")
        first, last = months_chosen(self)
        return {
            "status": valid["status"],
            "moderator_id": valid["moderator"],
            "grade_changed": valid["grade_changed"],
            "first_month": first,
            "last_month": last,
        }


class FeedbackFilterForm(Form):
    gathered = ChoiceField("Gathered", "Select from the list", coerce=code, optional=True)
    reason = ChoiceField("Why it could not be gathered", "Select a reason from the list", coerce=code, optional=True)
    team = ChoiceField("Team", "Select a team from the list", optional=True)
    from_month = MonthField("Audit allocated from month")
    to_month = MonthField("Audit allocated to month")
    submit = SubmitButton("Filter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gathered.set_choices([("yes", "Gathered"), ("no", "Could not be gathered")], blank="Gathered or not")
        self.reason.set_choices(FamilyFeedback.NOT_GATHERED.items(), blank="Any reason")
        self.team.set_choices(Team.names(), blank="Any team")

    def validate_to_month(self, field):
        check_month_order(self, field)

    def filters(self):
        """The filters to apply, leaving out any that were refused (the form shows why)."""
        self.validate()
        valid = usable(self, "gathered", "reason", "team")
        first, last = months_chosen(self)
        return {
            "gathered": valid["gathered"],
            "reason": valid["reason"],
            "team_id": valid["team"],
            "first_month": first,
            "last_month": last,
        }


DAY_HINT = "For example, 14/11/2026"


class DayField(TextField):
    """A day typed like 14/11/2026, optional: one box, not GOV.UK's three, so that the filter's address holds it as
    one value, as a list's page links and downloads keep it."""

    def __init__(self, label, **kwargs):
        super().__init__(label, optional=True, max_length=10, description=DAY_HINT, **kwargs)

    def pre_validate(self, form):
        if not self.data:
            return
        what = self.label.text.lower()
        try:
            day = datetime.datetime.strptime(self.data, "%d/%m/%Y").date()
        except ValueError as error:
            raise StopValidation(f"Enter the {what} as a real date, like 14/11/2026") from error
        if not 2000 <= day.year <= 2100:
            raise StopValidation(f"Enter a {what} between 2000 and 2100")

    @property
    def day(self):
        """The day typed, or None (nor one refused)."""
        return datetime.datetime.strptime(self.data, "%d/%m/%Y").date() if self.data and not self.errors else None


class NoticeFilterForm(Form):
    email_status = ChoiceField("Email", "Select from the list", coerce=code, optional=True)
    recipient = TextField("Recipient's name or email address", optional=True)
    from_date = DayField("Written from")
    to_date = DayField("Written to")
    submit = SubmitButton("Filter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.email_status.set_choices(Notice.EMAIL_STATUSES.items(), blank="Any")

    def validate_to_date(self, field):
        first, last = self.from_date.day, field.day
        if first and last and last < first:
            raise ValidationError("Written to must be the same as or after written from")

    def filters(self):
        """The filters to apply, leaving out any that were refused (the form shows why)."""
        self.validate()
        return {
            "email_status": usable(self, "email_status")["email_status"],
            "recipient": self.recipient.data if not self.recipient.errors else "",
            "first_day": self.from_date.day,
            "last_day": self.to_date.day,
        }
