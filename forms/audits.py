"""Allocating an audit, the audit itself, and its SMART actions."""

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form, FormField, IntegerField, RadioField, TextAreaField
from wtforms.fields import FieldList
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from forms.fields import (
    CheckboxField,
    ChoiceField,
    DateInputField,
    SubmitButton,
    VersionField,
    is_whole_number,
    without_control_characters,
)
from forms.widgets import CharacterCountInput, RadioInput, TextInput
from models import GRADES, User
from services.dates import uk_today

LONG_TEXT = 20_000
DISCUSSION_MINUTES = "Enter a length between 1 and 600 minutes"
YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


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
        self.auditor.set_choices(auditor_choices())


def auditor_choices():
    """Every active auditor, named with their job role and team, so that one of the case's team stands out."""
    return [
        (user.id, f"{user.name}, {user.job_role}, {user.team.name if user.team else 'no team'}")
        for user in User.with_role("auditor")
    ]


class CharacterCount(CharacterCountInput):
    """GOV.UK's character count: the limit is counted down as the auditor types, from three quarters
    of the way there, so sixteen boxes on the audit do not each repeat a limit few will reach."""

    def map_gov_params(self, field, **kwargs):
        return super().map_gov_params(field, **kwargs) | {"maxlength": LONG_TEXT, "threshold": 75}


class LongText(TextAreaField):
    """A textarea for the audit's free text: may be left empty until the audit is submitted.
    `name_in_messages` says which one it is where the label alone does not ("Evidence for Assessment")."""

    widget = CharacterCount()

    def __init__(self, label, **kwargs):
        super().__init__(label, **kwargs)
        self.name_in_messages = label

    def pre_validate(self, form):
        if len(self.data or "") > LONG_TEXT:
            raise ValidationError(f"{self.name_in_messages} must be {LONG_TEXT:,} characters or fewer")

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        # Browsers send line breaks as CRLF; keep one kind.
        self.data = without_control_characters((self.data or "").replace("\r\n", "\n"))


class OptionalRadioField(RadioField):
    """Radios that may be left unanswered while the audit is a draft; a value from outside the list is refused.
    `reveals` ({answer: field names}) shows other fields of the form under the answer that needs them (RadioInput)."""

    widget = RadioInput()

    def __init__(self, label, choices, message, reveals=None, **kwargs):
        super().__init__(label, choices=choices, validate_choice=False, **kwargs)
        self.message = message
        self.reveals = reveals or {}

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist and valuelist[0] else None

    def pre_validate(self, form):
        if self.data is not None and self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(self.message)


def radios(label, choices, message, **kwargs):
    """Radios for a record's codes and their labels (such as IroFeedback.ROLES); `message` when none is chosen."""
    return OptionalRadioField(
        label, [SelectChoice(str(code), text) for code, text in choices.items()], message, **kwargs
    )


def answered(field):
    """Refuse radios left unanswered, with their own message."""
    if not field.data:
        raise ValidationError(field.message)


def grade_choices():
    return [SelectChoice(code, label) for code, label in GRADES.items()]


class YesNoField(OptionalRadioField):
    """A yes or no question, stored as True, False or None (not answered)."""

    def __init__(self, label, **kwargs):
        super().__init__(label, YES_NO, "Select yes or no", **kwargs)

    def process_data(self, value):
        self.data = {True: "yes", False: "no"}.get(value)

    @property
    def answer(self):
        return {"yes": True, "no": False}.get(self.data)


class MinutesField(IntegerField):
    widget = TextInput()

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if text and not is_whole_number(text):
            raise ValueError("How long the discussion took must be a number of minutes, like 60")
        if len(text) > 3:
            raise ValueError(DISCUSSION_MINUTES)
        if text:
            self.data = int(text)


class DomainForm(Form):
    """One practice domain: its grade, the evidence, and the "so what"."""

    grade = OptionalRadioField("Grade", grade_choices(), "Select a grade from the list")
    evidence = LongText("Evidence")
    so_what = LongText("So what?", description="What difference has this made to the child?")


def with_saved_domains(formdata, saved):
    """Posted data with every domain's saved answers filled in where the post left them out, so
    that a domain missing from a post stays as it was (WTForms would otherwise shift the others)."""
    complete = MultiDict(formdata)
    for index, answers in enumerate(saved):
        for name, value in answers.items():
            key = f"domains-{index}-{name}"
            if key not in complete and value is not None:
                complete[key] = value
    return complete


class AuditForm(FlaskForm):
    """The whole audit, saved as a draft as often as the auditor likes."""

    # Its own id: an action form on the same page has a version too.
    version = VersionField(id="audit-version")
    period_start = DateInputField("Start of the period audited", "the start of the period audited")
    period_end = DateInputField("End of the period audited", "the end of the period audited")
    about_child = LongText(
        "About the child",
        description="A few lines about the child, their history and current circumstances",
    )
    domains = FieldList(FormField(DomainForm))
    discussion_on = DateInputField(
        "Date of the discussion", "the date of the discussion", optional=True, description="For example, 14 11 2026"
    )
    discussion_minutes = MinutesField(
        "How long it took, in minutes",
        validators=[Optional(), NumberRange(min=1, max=600, message=DISCUSSION_MINUTES)],
        description="Allow at least an hour with the practitioner",
    )
    discussion_not_held = LongText(
        "If the discussion did not happen, why not",
        description="Only if it did not: say why, and what was tried",
    )
    practitioner_view = LongText("The practitioner's view of the grades")
    practitioner_differently = LongText("What they would do differently")
    immediate_concern = YesNoField("Is there an immediate safeguarding concern?")
    supervised_recently = YesNoField("Has the child's case been discussed in supervision in the last 6 months?")
    overall_grade = OptionalRadioField(
        "Overall judgement", grade_choices(), "Select the overall judgement from the list"
    )
    overall_rationale = LongText("Reasons for the overall judgement")
    grade_gap_reason = LongText(
        "Why is the overall judgement two or more grades better than the lowest domain grade?",
        description="Only needed when it is",
    )
    confirm_grade_gap = CheckboxField("I have checked the overall judgement and it is right")
    save = SubmitButton("Save")
    submit_audit = SubmitButton("Submit audit")

    def __init__(self, *args, audit, judgements, **kwargs):
        data = {
            "domains": [{"grade": j.grade, "evidence": j.evidence, "so_what": j.so_what} for j in judgements],
            "immediate_concern": audit.immediate_concern,
            "supervised_recently": audit.supervised_recently,
        }
        if "formdata" not in kwargs and self.is_submitted():
            kwargs["formdata"] = request.form
        if kwargs.get("formdata") is not None:
            kwargs["formdata"] = with_saved_domains(kwargs["formdata"], data["domains"])
        super().__init__(*args, obj=audit, data=data, **kwargs)
        for entry, judgement in zip(self.domains, judgements, strict=False):
            name = judgement.domain.name
            entry.form.grade.label.text = f"Grade for {name}"
            entry.form.evidence.name_in_messages = f"Evidence for {name}"
            entry.form.so_what.name_in_messages = f"The so what for {name}"
        self.judgements = judgements

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if len(self.domains.entries) != len(self.judgements):
            self.form_errors.append("This page is out of date. Open the audit again and make your changes again.")
            return False
        return valid

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError("The end of the period audited must be after its start")

    def validate_discussion_on(self, field):
        if field.data and field.data > uk_today():
            raise ValidationError("Date of the discussion must be today or in the past")

    def values(self):
        """What to save on the audit itself."""
        return {
            "period_start": self.period_start.data,
            "period_end": self.period_end.data,
            "about_child": self.about_child.data,
            "discussion_on": self.discussion_on.data,
            "discussion_minutes": self.discussion_minutes.data,
            "discussion_not_held": self.discussion_not_held.data,
            "practitioner_view": self.practitioner_view.data,
            "practitioner_differently": self.practitioner_differently.data,
            "immediate_concern": self.immediate_concern.answer,
            "supervised_recently": self.supervised_recently.answer,
            "overall_grade": self.overall_grade.data,
            "overall_rationale": self.overall_rationale.data,
            "grade_gap_reason": self.grade_gap_reason.data,
        }

    def domain_values(self):
        return [entry.form.data for entry in self.domains]
