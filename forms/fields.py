"""Fields that render as GOV.UK components and speak GOV.UK's error style."""

import datetime
import re

from wtforms import BooleanField, Field, HiddenField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation

from forms.widgets import CheckboxesInput, CheckboxInput, DateInput, PasswordInput, Select, SubmitInput, TextInput
from models import LARGEST_INTEGER


def without_control_characters(text):
    """Text as it can be stored and written into a Word document: other control characters
    (pasted from Word, say) become line breaks or go."""
    return CONTROL_CHARACTERS.sub(lambda match: "\n" if match.group() in "\x0b\x0c" else "", text)


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TextField(StringField):
    """A one-line text box: required unless `optional`, trimmed, with a length limit."""

    widget = TextInput()

    def __init__(self, label, required=None, max_length=100, optional=False, **kwargs):
        validators = [] if optional else [DataRequired(required)]
        validators.append(Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"))
        super().__init__(label, validators=validators + kwargs.pop("validators", []), **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = without_control_characters(self.data or "").strip()


class PasswordField(StringField):
    widget = PasswordInput()

    def _value(self):
        return ""


def is_whole_number(text, max_digits=None):
    """Digits 0-9 only (str.isdigit also accepts characters such as "²" that int() refuses),
    and no more than `max_digits` of them: a longer number overflows a date or a database column."""
    return text.isascii() and text.isdigit() and (max_digits is None or len(text) <= max_digits)


def record_id(value):
    """A record's id from a form, None for the blank choice."""
    return None if value in ("", None) else int(value)


def code(value):
    """A code from a form (such as a job role), None for the blank choice."""
    return value or None


class ChoiceField(SelectField):
    """A drop-down list whose values are record ids or codes."""

    widget = Select()

    def __init__(self, label, message, coerce=record_id, optional=False, **kwargs):
        validators = [] if optional else [InputRequired(message)]
        super().__init__(
            label,
            coerce=coerce,
            validators=validators,
            invalid_choice_message=message,
            invalid_value_message=message,
            **kwargs,
        )

    def set_choices(self, pairs, blank="Choose one"):
        """Fill the list from (value, text) pairs, after a blank first option."""
        self.choices = [SelectChoice("", blank)] + [SelectChoice(value, text) for value, text in pairs]


class CheckboxesField(SelectMultipleField):
    widget = CheckboxesInput()

    def __init__(self, label, message=None, coerce=str, **kwargs):
        validators = [InputRequired(message)] if message else []
        super().__init__(
            label,
            coerce=coerce,
            validators=validators,
            invalid_choice_message=message or "Select from the list",
            **kwargs,
        )

    def set_choices(self, pairs):
        self.choices = [SelectChoice(value, text) for value, text in pairs]


class CheckboxField(BooleanField):
    widget = CheckboxInput()


class DateInputField(Field):
    """A GOV.UK date input (day, month, year boxes) that parses to a `date`.

    Messages read "Enter {what}" and "{label} must be a real date"."""

    widget = DateInput()

    def __init__(self, label, what, optional=False, **kwargs):
        super().__init__(label, **kwargs)
        self.what = what
        self.optional = optional

    def _value(self):
        return self.data

    def process_formdata(self, valuelist):
        # A post without the three boxes is treated as three empty boxes.
        parts = [part.strip() for part in (list(valuelist) + ["", "", ""])[:3]]
        self.raw_data = parts
        self.data = None
        label = self.label.text
        if not any(parts):
            if not self.optional:
                raise ValueError(f"Enter {self.what}")
            return
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            raise ValueError(f"{label} must include a {' and a '.join(missing)}")
        day, month, year = parts
        if not (is_whole_number(day, 2) and is_whole_number(month, 2) and is_whole_number(year) and len(year) == 4):
            raise ValueError(f"{label} must be a real date")
        try:
            self.data = datetime.date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValueError(f"{label} must be a real date") from error


class VersionField(HiddenField):
    """The version of the record the form was loaded from, to refuse stale saves."""

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        # Only a page changed by hand sends anything else: no version is that large.
        if not is_whole_number(value, 10) or int(value) > LARGEST_INTEGER:
            raise ValueError("This page is out of date. Open it again from the list and make your changes again.")
        self.data = int(value)


class SubmitButton(SubmitField):
    widget = SubmitInput()


MONTH_HINT = "For example, 2026-11"


class MonthField(TextField):
    """A month typed like 2026-11, optional. Checked before the length, so that whatever was typed gets
    the one message that says how to write a month."""

    def __init__(self, label, **kwargs):
        super().__init__(label, optional=True, max_length=7, description=MONTH_HINT, **kwargs)

    def pre_validate(self, form):
        if not self.data:
            return
        what = self.label.text.lower()
        try:
            month = datetime.datetime.strptime(self.data, "%Y-%m")
        except ValueError as error:
            raise StopValidation(f"Enter the {what} as a year and month, like 2026-11") from error
        if not 2000 <= month.year <= 2100:
            raise StopValidation(f"Enter a {what} between 2000 and 2100")
