"""The practitioner's reflection on an audit of their case."""

from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.audits import LongText
from forms.fields import SubmitButton


class ReflectionForm(RecordForm):
    takes_from = LongText(
        "What you take from the audit",
        description="What you will do differently, or keep doing, for this child and in your practice",
    )
    sees_differently = LongText(
        "Anything you see differently (optional)",
        description="Where you see the child's situation or the work differently from the auditor, and why",
    )
    submit = SubmitButton("Save your reflection")

    def validate_takes_from(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter what you take from the audit")

    def values(self):
        return super().values("takes_from", "sees_differently")
