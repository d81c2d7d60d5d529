"""The report to the senior leadership team (seed 000 Appendix A): opening one for a period and writing its
narrative; the service's action plan (Appendix B); and the month of an improvement board's summary (004 2.4.2)."""

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.validators import ValidationError

from forms.actions import SmartActionForm
from forms.audits import LongText
from forms.fields import DateInputField, MonthField, SubmitButton, TextField, VersionField
from models import ServiceReport
from services.dates import month_code, parse_month
from services.service_reports import period_problems


class PeriodForm(FlaskForm):
    first_month = MonthField("First month")
    last_month = MonthField("Last month")
    submit = SubmitButton("Open the report")

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        if period and not self.is_submitted():
            self.first_month.data, self.last_month.data = map(month_code, period)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in (self.first_month, self.last_month):
            if valid and not field.data:
                field.errors.append(f"Enter the {field.label.text.lower()}, like 2026-11")
                valid = False
        if valid:
            for name, message in period_problems(*self.months()):
                self[name].errors.append(message)
                valid = False
        return valid

    def months(self):
        return parse_month(self.first_month.data), parse_month(self.last_month.data)


class ReportForm(FlaskForm):
    """The narrative of each section of the report, saved as the QA officer writes (blueprints/long_forms.py)."""

    version = VersionField()
    introduction = LongText(ServiceReport.SECTIONS["introduction"])
    scope = LongText(ServiceReport.SECTIONS["scope"])
    methodology = LongText(ServiceReport.SECTIONS["methodology"])
    cohort = LongText(ServiceReport.SECTIONS["cohort"])
    findings = LongText(ServiceReport.SECTIONS["findings"])
    conclusions = LongText(ServiceReport.SECTIONS["conclusions"])
    save = SubmitButton("Save")

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, obj=report, **kwargs)

    def values(self):
        return {name: self[name].data or "" for name in ServiceReport.SECTIONS}


class ServiceActionForm(SmartActionForm):
    """An action of the service's plan: its title, the SMART action, and how it is going."""

    title = TextField("Title", "Enter a title for the action", max_length=150)
    taken_to_date = LongText("Action taken to date")
    completed_on = DateInputField("Date completed", "the date it was completed", optional=True)
    approved_by = TextField("Action approved by", optional=True, max_length=150)
    submit = SubmitButton("Save action")

    def __init__(self, *args, record=None, today=None, **kwargs):
        super().__init__(*args, record=record, today=today, **kwargs)
        if record is None:  # a new action is still to do
            del self.taken_to_date, self.completed_on, self.approved_by

    def validate_completed_on(self, field):
        if field.data and field.data > self.today:
            raise ValidationError("Date completed must be today or in the past")

    def values(self):
        progress = {name: self[name].data for name in ("taken_to_date", "completed_on", "approved_by") if name in self}
        return {"title": self.title.data} | super().values() | progress


class SummaryMonthForm(Form):
    """The month of the monthly summary: a choice that changes nothing, so a GET form without a token."""

    month = MonthField("Month")
    submit = SubmitButton("Download the monthly summary")
