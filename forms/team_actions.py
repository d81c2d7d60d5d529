"""The team actions forms: a step of an action's progress, the list's filters, and the four-month review."""

from functools import cache

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.audits import LongText
from forms.fields import ChoiceField, DateInputField, SubmitButton, code, record_id
from services.action_reviews import STATES as REVIEW_STATES
from services.dates import long_date, uk_today
from services.team_actions import STATES, STEPS


class StepForm(RecordForm):
    """One step of an action (services/team_actions.py: STEPS), asking what that step asks: a date, a text, or
    nothing but the person's say-so, on the version of the action they saw. Made for its step by `step_form`."""

    def __init__(self, *args, step, action, today=None, **kwargs):
        super().__init__(*args, record=action, **kwargs)
        self.step, self.today = step, today or uk_today()

    def validate_on(self, field):
        if field.data and field.data > self.today:
            raise ValidationError("The date it was discussed must be today or in the past")
        received = self.record.received_on
        if field.data and received and field.data < received:
            raise ValidationError(
                f"The date it was discussed must be on or after {long_date(received)}, when the action was received"
            )

    def validate_text(self, field):
        if not (field.data or "").strip():
            what = self.step.text
            raise ValidationError(f"Enter {what[:1].lower()}{what[1:]}")

    def values(self):
        return {name: self[name].data for name in ("on", "text") if name in self}


@cache
def step_form(kind):
    """The form of step `kind`, its fields labelled for it (a field's label is in its messages as it is read)."""
    step = STEPS[kind]
    fields = {"submit": SubmitButton(step.button)}
    if step.date:
        fields["on"] = DateInputField(step.date, "the date it was discussed", description="For example, 27 11 2026")
    if step.text:
        fields["text"] = LongText(step.text, description=step.text_hint)
    return type(f"StepForm_{kind}", (StepForm,), fields)


class TeamActionFilterForm(Form):
    """A filter changes nothing, so it needs no CSRF token."""

    team = ChoiceField("Team", "Select a team from the list", coerce=record_id, optional=True)
    state = ChoiceField("State", "Select a state from the list", coerce=code, optional=True)
    submit = SubmitButton("Filter")

    def __init__(self, *args, teams, every_team=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.team.set_choices(teams, blank="Any team" if every_team else "Any of your teams")
        self.state.set_choices([(state, label) for state, label in STATES.items() if state], blank=STATES[""])

    def filters(self):
        """The filters to apply, leaving out any that were refused (the form shows why)."""
        self.validate()
        team, state = (self[name].data if not self[name].errors else None for name in ("team", "state"))
        return {"team_id": team, "state": state or ""}


class ActionReviewFilterForm(TeamActionFilterForm):
    """The four-month review's list: by team, due for review or reviewed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.label.text = "Review"
        self.state.set_choices(
            [(state, label) for state, label in REVIEW_STATES.items() if state], blank=REVIEW_STATES[""]
        )


class ReviewForm(RecordForm):
    comment = LongText(
        "Your comment on the review",
        description="What is outstanding, what the team manager should do next, and anything to report",
    )
    submit = SubmitButton("Record the review")

    def validate_comment(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter your comment on the review")


class SendReviewsForm(FlaskForm):
    send = SubmitButton("Send each team manager their team's part")  # beside the filters' own submit button
