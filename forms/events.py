"""Filtering the event log."""

from wtforms import Form
from wtforms.validators import ValidationError

from forms.fields import ChoiceField, SubmitButton, TextField, code, is_whole_number
from models import LARGEST_INTEGER, User
from services import event_log


class EventFilterForm(Form):
    """Read from the query string: a filter changes nothing, so it needs no CSRF token."""

    record_type = ChoiceField("Record type", "Select a record type from the list", coerce=code, optional=True)
    record_id = TextField("Record number", optional=True, max_length=12)
    user = ChoiceField("Done by", "Select a person from the list", optional=True)
    submit = SubmitButton("Filter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.record_type.set_choices([(name, name) for name in event_log.record_types()], blank="Any record type")
        self.user.set_choices(User.names(), blank="Anyone")

    def validate_record_id(self, field):
        if field.data and not is_whole_number(field.data):
            raise ValidationError("Record number must be a number, like 42")
        if field.data and (len(field.data) > 10 or int(field.data) > LARGEST_INTEGER):
            raise ValidationError(f"Record number must be {LARGEST_INTEGER:,} or less")
        if field.data and not self.record_type.data:
            raise ValidationError("Select the record type")

    def filters(self):
        """The filters to apply, leaving out any that were refused (the form shows why)."""
        self.validate()
        usable = {field.name: field.data if not field.errors else None for field in self}
        return {
            "record_type": usable["record_type"] or "",
            # A number names a record only with its kind: without a usable one it is left out.
            "record_id": int(usable["record_id"]) if usable["record_id"] and usable["record_type"] else None,
            "user_id": usable["user"],
        }
