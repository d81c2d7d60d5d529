"""Allocating an audit."""

from flask_wtf import FlaskForm

from forms.fields import ChoiceField, DateInputField, SubmitButton
from models import User


class AllocationForm(FlaskForm):
    auditor = ChoiceField("Auditor", "Select the auditor from the list")
    due_on = DateInputField(
        "Due date",
        "the date the audit is due",
        description="20 working days from today unless you change it, for example 27 3 2027",
    )
    submit = SubmitButton("Allocate audit")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auditor.set_choices(
            [
                (user.id, f"{user.name}, {user.job_role}, {user.team.name if user.team else 'no team'}")
                for user in User.with_role("auditor")
            ]
        )
