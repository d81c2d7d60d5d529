"""SMART actions, wherever they are set (an audit's, a moderation's, the service's action plan): adding or changing
one, and confirming one should be removed."""

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from forms.audits import LongText
from forms.fields import CheckboxField, DateInputField, SubmitButton, TextField, VersionField
from services.actions import ADVICE, is_vague
from services.dates import uk_today


class SmartActionForm(FlaskForm):
    """A SMART action: specific, owned, with a date, and a way to know it is done. The fields are rendered by
    templates/actions/_smart_fields.html."""

    version = VersionField()
    what = LongText("What needs to happen")
    owner_name = TextField("Who will do it: name", "Enter the name of the person who will do it")
    owner_role = TextField("Who will do it: role", "Enter their role, like Social Worker or Team Manager")
    due_on = DateInputField("By when", "the date it must be done by", description="For example, 27 3 2027")
    done_when = LongText("How we will know it is done")
    vague_confirmed = CheckboxField("I have checked: this action is specific enough to act on")
    SMART_FIELDS = ("what", "owner_name", "owner_role", "due_on", "done_when")

    def __init__(self, *args, record=None, today=None, **kwargs):
        super().__init__(*args, obj=record, **kwargs)
        self.record = record
        self.today = today or uk_today()
        if record is None:
            del self.version
        self.vague_warning = False

    def validate_what(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter what needs to happen")
        # Sefton guide s.3.1: challenge a vague action, but let the auditor overrule it.
        if is_vague(field.data or "") and not self.vague_confirmed.data:
            self.vague_warning = True
            raise ValidationError(ADVICE)

    def validate_due_on(self, field):
        # A date already passed may stay as it was, on an action kept after it (the service's action plan's).
        unchanged = self.record is not None and field.data == self.record.due_on
        if field.data and field.data <= self.today and not unchanged:
            raise ValidationError("By when must be a date after today")

    def validate_done_when(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter how we will know it is done")

    def values(self):
        return {name: self[name].data for name in self.SMART_FIELDS} | {
            "vague_confirmed": bool(self.vague_confirmed.data and is_vague(self.what.data))
        }


class ActionForm(SmartActionForm):
    """An audit's or a moderation's action."""

    submit = SubmitButton("Save action")


class RemoveActionForm(FlaskForm):
    submit = SubmitButton("Yes, remove this action")
