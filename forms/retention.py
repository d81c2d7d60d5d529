"""A legal hold on a case, and releasing it."""

from flask_wtf import FlaskForm

from forms.admin import RecordForm
from forms.fields import SubmitButton, TextField, VersionField


class LegalHoldForm(RecordForm):
    held_because = TextField(
        "Why the case's records must be kept",
        "Enter why the case's records must be kept",
        max_length=200,
        description="Such as court proceedings, a complaint, an inquiry, or a subject access request being answered. "
        "Nothing of the case is removed while it is on hold, however long it has been closed.",
    )
    submit = SubmitButton("Put the case on legal hold")

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None and record.held_because:
            self.submit.label.text = "Save the reason"


class ReleaseHoldForm(FlaskForm):
    version = VersionField()
    submit = SubmitButton("Release the hold", render_kw={"params": {"classes": "govuk-button--warning"}})
