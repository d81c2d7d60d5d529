"""Moderation: choosing and drawing a month's sample, changing a moderator, and the moderation itself."""

import datetime

from flask import request
from flask_wtf import FlaskForm
from wtforms import Form, FormField, HiddenField
from wtforms.fields import FieldList
from wtforms.validators import ValidationError

from forms.audits import LongText, OptionalRadioField, YesNoField, grade_choices, radios, with_saved_domains
from forms.fields import ChoiceField, SubmitButton, VersionField
from models import Moderation
from services.dates import month_code, month_name, parse_month

MONTHS_SHOWN = 24
YES_NO_CODES = {True: "yes", False: "no"}
MONTH_MESSAGE = "Select a month from the list"


def recent_months(today):
    """The first days of this month and the months before it, newest first."""
    months, month = [], today.replace(day=1)
    for _ in range(MONTHS_SHOWN):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


def last_whole_month(today):
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class MonthForm(Form):
    """Which month's sample to show (a GET form: it changes nothing)."""

    month = ChoiceField("Month", MONTH_MESSAGE, coerce=str)
    submit = SubmitButton("Show this month")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.month.set_choices([(month_code(m), month_name(m)) for m in recent_months(today)])
        self.today = today

    def chosen(self):
        """The month asked for if it is one of the list, else the last whole month (the form says why, if one
        was asked for)."""
        if not self.month.raw_data or not self.validate():
            self.month.data = month_code(last_whole_month(self.today))
        return parse_month(self.month.data)


class DrawForm(FlaskForm):
    """Draw the month's sample, or draw again for its late audits: the month is the one shown. The month under
    way is drawn only when `confirmed`: its audits submitted later are left to a draw for late audits."""

    month = HiddenField(id="draw-month")
    confirmed = HiddenField(id="draw-confirmed")
    submit = SubmitButton("Draw the sample", id="draw")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_month(self, field):
        if parse_month(field.data) not in recent_months(self.today):
            raise ValidationError(MONTH_MESSAGE)

    @property
    def chosen(self):
        return parse_month(self.month.data)

    @property
    def shown_month(self):
        """The month to show again after a refused draw: the one asked for, if it is in the list."""
        months = recent_months(self.today)
        return self.chosen if self.chosen in months else last_whole_month(self.today)

    @property
    def needs_confirming(self):
        return self.chosen == self.today.replace(day=1) and self.confirmed.data != "yes"


class ReassignForm(FlaskForm):
    version = VersionField()
    moderator = ChoiceField("Moderator", "Select a moderator from the list")
    submit = SubmitButton("Change the moderator")

    def __init__(self, *args, moderation, choices, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.version.data = moderation.version
            self.moderator.data = moderation.moderator_id
        self.moderator.set_choices(choices)


class DomainModerationForm(Form):
    """The moderator's view of one domain's grade."""

    agrees = YesNoField("Do you agree with this grade?", reveals={"no": ("grade", "reason")})
    grade = OptionalRadioField("Moderated grade", grade_choices(), "Select a grade from the list")
    reason = LongText("Why do you disagree?", description="Only if you disagree")


class ModerationForm(FlaskForm):
    """The whole moderation, saved as the moderator goes."""

    version = VersionField(id="moderation-version")  # its own id: an action form on the page has one too
    domains = FieldList(FormField(DomainModerationForm))
    agrees = YesNoField("Do you agree with the overall judgement?", reveals={"no": ("grade", "overall_reason")})
    grade = OptionalRadioField("Moderated overall judgement", grade_choices(), "Select a grade from the list")
    overall_reason = LongText("Why do you disagree with the overall judgement?", description="Only if you disagree")
    actions_addressed = radios(
        "Have the actions from the audit been addressed?",
        Moderation.ACTIONS_ADDRESSED,
        "Select whether the actions from the audit have been addressed",
    )
    actions_comment = LongText("Comments on the actions")
    message = LongText("Message to the auditor", description="What they did well, and what to do differently")
    save = SubmitButton("Save")
    submit_moderation = SubmitButton("Submit moderation")

    def __init__(self, *args, moderation, rows, **kwargs):
        data = {
            "domains": [{"agrees": row.agrees, "grade": row.grade, "reason": row.reason} for row in rows],
            "agrees": moderation.agrees,
        }
        if "formdata" not in kwargs and self.is_submitted():
            kwargs["formdata"] = request.form
        if kwargs.get("formdata") is not None:
            as_posted = [answers | {"agrees": YES_NO_CODES.get(answers["agrees"])} for answers in data["domains"]]
            kwargs["formdata"] = with_saved_domains(kwargs["formdata"], as_posted)
        super().__init__(*args, obj=moderation, data=data, **kwargs)
        for entry, row in zip(self.domains, rows, strict=False):
            name = row.domain.name
            entry.form.agrees.label.text = f"Do you agree with the grade for {name}?"
            entry.form.grade.label.text = f"Moderated grade for {name}"
            entry.form.reason.name_in_messages = f"Why you disagree with the grade for {name}"
        self.rows = rows

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if len(self.domains.entries) != len(self.rows):
            self.form_errors.append("This page is out of date. Open the moderation again and make your changes again.")
            return False
        return valid

    def values(self):
        """What to save on the moderation itself."""
        return {
            "agrees": self.agrees.answer,
            "grade": self.grade.data,
            "overall_reason": self.overall_reason.data,
            "actions_addressed": self.actions_addressed.data,
            "actions_comment": self.actions_comment.data,
            "message": self.message.data,
        }

    def domain_values(self):
        return [
            {"agrees": entry.form.agrees.answer, "grade": entry.form.grade.data, "reason": entry.form.reason.data}
            for entry in self.domains
        ]
