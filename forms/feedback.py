"""Feedback gathered for an audit, each kind on its own form: the child's, a parent's or a carer's, and the
IRO's or CP chair's."""

from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.audits import LongText, OptionalRadioField, YesNoField, answered, radios
from forms.fields import DateInputField, SubmitButton, TextField
from models import FamilyFeedback, IroFeedback
from services.dates import uk_today

IRO_FIELDS = ("name", "role", "given_on", "plan_progress", "grades_view")
# Several people may be "another parent or carer" or "another family member": who they are to the child says which.
NAMED_BY_RELATIONSHIP = ("other-parent", "family-member")
ANSWERS = (*FamilyFeedback.QUESTIONS, "child_views")
GATHERED_FIELDS = ("how", "given_on", *FamilyFeedback.QUESTIONS, "helpfulness", "child_views")
NOT_GATHERED_FIELDS = ("not_gathered_reason", "attempts", "last_attempt_on")


class RatingField(OptionalRadioField):
    """Radios for a number on a scale (FamilyFeedback.HELPFULNESS), saved as the number."""

    def __init__(self, label, scale, message, **kwargs):
        choices = [SelectChoice(str(number), FamilyFeedback.rating(number)) for number in scale]
        super().__init__(label, choices, message, **kwargs)

    def process_data(self, value):
        self.data = None if value is None else str(value)

    @property
    def number(self):
        return int(self.data) if self.data else None


class FeedbackForm(RecordForm):
    """Feedback given on a day, which cannot be later than today."""

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or uk_today()

    def refuse_future(self, field):
        if field.data and field.data > self.today:
            raise ValidationError(f"{field.label.text} must be today or in the past")


class IroFeedbackForm(FeedbackForm):
    """Seed 001 s.3.3: the IRO or CP chair's view of the plan's progress and of the grades."""

    name = TextField("Their name", "Enter the name of the IRO or CP chair")
    role = radios("Their role", IroFeedback.ROLES, "Select whether they are the child's IRO or CP chair")
    given_on = DateInputField(
        "When they gave it", "the date they gave their feedback", description="For example, 14 11 2026"
    )
    plan_progress = LongText("Their view of the plan's progress")
    grades_view = LongText("Their view of the grades")
    submit = SubmitButton("Save feedback")

    def validate_role(self, field):
        answered(field)

    def validate_given_on(self, field):
        self.refuse_future(field)

    def validate_plan_progress(self, field):
        if not (field.data or "").strip() and not (self.grades_view.data or "").strip():
            raise ValidationError("Enter their view of the plan's progress, or of the grades")

    def values(self):
        return super().values(*IRO_FIELDS)


class FamilyFeedbackForm(FeedbackForm):
    """Seed 001 s.3.3: what the child, a parent or a carer said of our work, on the guide's questions; or, where
    it could not be gathered, why not and what was tried ("outline why in the sections provided").

    The answers to "Could their feedback be gathered?" lead to different questions: only those of the answer
    given are checked and saved, the others' emptied, so a record never holds both."""

    given_by = radios("Who gave it?", FamilyFeedback.GIVEN_BY, "Select who gave the feedback")
    relationship = TextField(
        "Who they are to the child",
        optional=True,
        description="If another parent, carer or family member: who they are to the child, "
        "for example Grandmother or Stepfather",
    )
    gathered = YesNoField(
        "Could their feedback be gathered?", reveals={"yes": GATHERED_FIELDS, "no": NOT_GATHERED_FIELDS}
    )
    how = radios(
        "How did they give it?",
        FamilyFeedback.HOW,
        "Select how they gave their feedback",
    )
    given_on = DateInputField(
        "When they gave it", "the date they gave their feedback", optional=True, description="For example, 14 11 2026"
    )
    what_changed = LongText(FamilyFeedback.QUESTIONS["what_changed"])
    listened_to = LongText(FamilyFeedback.QUESTIONS["listened_to"])
    explained = LongText(FamilyFeedback.QUESTIONS["explained"])
    do_better = LongText(FamilyFeedback.QUESTIONS["do_better"])
    helpfulness = RatingField(
        "How helpful has our work been?", FamilyFeedback.HELPFULNESS, "Select how helpful they have found our work"
    )
    child_views = LongText("The child's views, in their own words", description="Their words, as they said them")
    not_gathered_reason = radios(
        "Why could it not be gathered?",
        FamilyFeedback.NOT_GATHERED,
        "Select why their feedback could not be gathered",
    )
    attempts = LongText("What was tried", description="Who tried, how and when: calls, letters, visits")
    last_attempt_on = DateInputField(
        "Date of the last attempt",
        "the date of the last attempt",
        optional=True,
        description="If you know it, for example 14 11 2026",
    )
    submit = SubmitButton("Save feedback")

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        for name, question in FamilyFeedback.QUESTIONS.items():
            self[name].name_in_messages = f"The answer to ‘{question}’"
        # One column holds the day it was given or, if it could not be, of the last attempt: shown in its own box.
        if record is not None and not record.gathered and self.given_on.raw_data is None:
            self.last_attempt_on.data, self.given_on.data = record.given_on, None

    def validate(self, extra_validators=None):
        super().validate(extra_validators)
        for name in self.not_chosen():
            self[name].errors = []
        return not self.errors

    def not_chosen(self):
        """The fields of the answer to "Could their feedback be gathered?" not given (both, until one is)."""
        return {True: NOT_GATHERED_FIELDS, False: GATHERED_FIELDS}.get(
            self.gathered.answer, GATHERED_FIELDS + NOT_GATHERED_FIELDS
        )

    def validate_given_by(self, field):
        answered(field)

    def validate_relationship(self, field):
        if self.given_by.data in NAMED_BY_RELATIONSHIP and not field.data:
            raise ValidationError("Enter who they are to the child, for example Grandmother")

    def validate_gathered(self, field):
        if field.answer is None:
            raise ValidationError("Select yes if their feedback could be gathered")

    def validate_how(self, field):
        answered(field)

    def validate_given_on(self, field):
        if not field.data and not field.errors:
            raise ValidationError("Enter the date they gave their feedback")
        self.refuse_future(field)

    def validate_what_changed(self, field):
        if not any((self[name].data or "").strip() for name in ANSWERS):
            raise ValidationError("Enter their answer to at least one question, or the child's views")

    def validate_helpfulness(self, field):
        answered(field)

    def validate_not_gathered_reason(self, field):
        answered(field)

    def validate_attempts(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter what was tried")

    def validate_last_attempt_on(self, field):
        self.refuse_future(field)

    def values(self):
        gathered = self.gathered.answer
        given_by = self.given_by.data
        return {
            "given_by": given_by,
            "relationship": self.relationship.data if given_by in NAMED_BY_RELATIONSHIP else "",
            "gathered": gathered,
            "how": self.how.data if gathered else "",
            "given_on": self.given_on.data if gathered else self.last_attempt_on.data,
            **{name: self[name].data if gathered else "" for name in ANSWERS},
            "helpfulness": self.helpfulness.number if gathered else None,
            "not_gathered_reason": "" if gathered else self.not_gathered_reason.data,
            "attempts": "" if gathered else self.attempts.data,
        }
