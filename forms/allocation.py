"""Changing an audit's allocation: giving it to another auditor, cancelling it, asking for a later due date, and a
QA officer's decision on that."""

from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.audits import answered, auditor_choices, radios
from forms.fields import ChoiceField, DateInputField, SubmitButton, TextField

REASON_LENGTH = 500


def reason(label="Reason", **kwargs):
    return TextField(label, f"Enter the {label.lower()}", max_length=REASON_LENGTH, **kwargs)


class ReallocateForm(RecordForm):
    auditor = ChoiceField("Give it to", "Select an auditor from the list")
    reason = reason(description="The auditors are told it, for example, on long-term leave")
    submit = SubmitButton("Give the audit to them")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auditor.set_choices(auditor_choices())


class CancelForm(RecordForm):
    reason = reason(description="The auditor is told it, for example, the case was transferred to another council")
    submit = SubmitButton("Cancel the audit")


class DefermentForm(RecordForm):
    due_after = DateInputField("New due date", "the date you ask for", description="For example, 27 3 2027")
    reason = reason(description="The QA officers are told it")
    submit = SubmitButton("Ask for a later due date")


class DecisionForm(RecordForm):
    decision = radios(
        "Your decision", {"agree": "Agree to the new due date", "refuse": "Refuse"}, "Select agree or refuse"
    )
    decision_reason = reason("Reason for refusing", optional=True, description="Only needed if you refuse")
    submit = SubmitButton("Save the decision")

    def validate_decision(self, field):
        answered(field)

    def validate_decision_reason(self, field):
        if self.decision.data == "refuse" and not field.data:
            raise ValidationError("Enter the reason for refusing")

    @property
    def agreed(self):
        return self.decision.data == "agree"
