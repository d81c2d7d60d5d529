"""Reliability exercises: setting one up on a case, and recording what the discussion afterwards agreed."""

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.audits import LongText
from forms.fields import CheckboxesField, DateInputField, SubmitButton, is_whole_number
from services.dates import uk_today
from services.reliability import CHOOSE_FROM_LIST, DUE_IN_FUTURE, FEWEST, TOO_FEW


def person_id(value):
    """A person's id from a checkbox; anything else (text, a number too long to be an id) is 0, which nobody has,
    so that it is refused as not in the list."""
    return int(value) if is_whole_number(str(value), 10) else 0


class SetUpForm(FlaskForm):
    participants = CheckboxesField(
        "Who is taking part?",
        TOO_FEW,
        coerce=person_id,
        validate_choice=False,  # the service says which of them cannot take part, and why
        description="Select everyone who will audit the case: at least two. Auditors, QA officers and moderators "
        "can take part.",
    )
    due_on = DateInputField(
        "Due date",
        "the date the exercise is due",
        description="20 working days from today unless you change it, for example 27 3 2027",
    )
    submit = SubmitButton("Set up the exercise")

    def __init__(self, *args, people, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or uk_today()
        self.participants.set_choices(
            [
                (person.id, f"{person.name}, {person.job_role}, {person.team.name if person.team else 'no team'}")
                for person in people
            ]
        )

    def validate_participants(self, field):
        if any(person == 0 for person in field.data):
            raise ValidationError(CHOOSE_FROM_LIST)
        if len(set(field.data)) < FEWEST:
            raise ValidationError(TOO_FEW)

    def validate_due_on(self, field):
        if field.data and field.data <= self.today:
            raise ValidationError(DUE_IN_FUTURE)


class AgreedForm(RecordForm):
    """Seed 002 s.9: "Variations between officers are discussed, so as to arrive at a common understanding"."""

    agreed = LongText(
        "What the discussion agreed",
        description="Where the grades differed, what was agreed about each, and what everyone will do the same "
        "way from now on",
    )
    submit = SubmitButton("Save what was agreed")

    def validate_agreed(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter what the discussion agreed")
