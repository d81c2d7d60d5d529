"""Feedback gathered for an audit, each kind on its own form: for now the IRO's or CP chair's."""

import datetime

from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.audits import LongText, OptionalRadioField
from forms.fields import DateInputField, SubmitButton, TextField
from models import IroFeedback

IRO_FIELDS = ("name", "role", "given_on", "plan_progress", "grades_view")


class IroFeedbackForm(RecordForm):
    """Seed 001 s.3.3: the IRO or CP chair's view of the plan's progress and of the grades."""

    name = TextField("Their name", "Enter the name of the IRO or CP chair")
    role = OptionalRadioField(
        "Their role",
        [SelectChoice(code, label) for code, label in IroFeedback.ROLES.items()],
        "Select whether they are the child's IRO or CP chair",
    )
    given_on = DateInputField(
        "When they gave it", "the date they gave their feedback", description="For example, 14 11 2026"
    )
    plan_progress = LongText("Their view of the plan's progress")
    grades_view = LongText("Their view of the grades")
    submit = SubmitButton("Save feedback")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or datetime.date.today()

    def validate_role(self, field):
        if not field.data:
            raise ValidationError(field.message)

    def validate_given_on(self, field):
        if field.data and field.data > self.today:
            raise ValidationError("When they gave it must be today or in the past")

    def validate_plan_progress(self, field):
        if not (field.data or "").strip() and not (self.grades_view.data or "").strip():
            raise ValidationError("Enter their view of the plan's progress, or of the grades")

    def values(self):
        return super().values(*IRO_FIELDS)
