"""Following up an action of an earlier audit of the case: was it achieved, and what difference did it make."""

from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.audits import LongText, answered, radios
from forms.fields import SubmitButton
from models import ActionFollowUp


class FollowUpForm(RecordForm):
    achieved = radios("Was it achieved?", ActionFollowUp.ACHIEVED, "Select whether the action was achieved")
    difference = LongText(
        "What difference it made to the child",
        description="What the record now shows, and what changed for the child because of it, or because it was not "
        "done",
    )
    submit = SubmitButton("Save")

    def validate_achieved(self, field):
        answered(field)

    def validate_difference(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter what difference it made to the child")

    def values(self):
        return super().values("achieved", "difference")
