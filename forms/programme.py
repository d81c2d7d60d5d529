"""The month's audit plan: the month whose auditor pool to show, and one auditor's part in the pool."""

from wtforms import Form, IntegerField
from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.fields import CheckboxesField, ChoiceField, MonthField, SubmitButton, is_whole_number
from forms.widgets import TextInput
from services.auditor_pool import MOST_A_MONTH


class PoolMonthForm(Form):
    """Which month's pool to show: it changes nothing, so it needs no CSRF token."""

    month = MonthField("Month")
    submit = SubmitButton("Show the pool")


class QuotaField(IntegerField):
    """A number of audits a month."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if text and not (is_whole_number(text, 2) and int(text) <= MOST_A_MONTH):
            raise ValueError(f"Audits a month must be a whole number from 0 to {MOST_A_MONTH}")
        if text:
            self.data = int(text)


def yes_or_no(value):
    """A kept-from-own-area setting as the form shows it: "yes", "no", or None for the usual."""
    return {True: "yes", False: "no", "yes": "yes", "no": "no"}.get(value)


class PoolMemberForm(RecordForm):
    monthly_quota = QuotaField("Audits a month")
    kept_from_own_area = ChoiceField(
        "Cases of their own service area", "Select from the list", coerce=yes_or_no, optional=True
    )
    away = CheckboxesField("Months they are away", description="They are given no audits in these months.")
    submit = SubmitButton("Save")

    def __init__(self, *args, usual_quota, usually_kept, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.usual_quota = usual_quota
        self.monthly_quota.description = f"The usual for their job role is {usual_quota}."
        usual = "kept from them" if usually_kept else "can be given them"
        self.kept_from_own_area.set_choices(
            [("yes", "Kept from them"), ("no", "Can be given them")], f"As usual for their job role: {usual}"
        )
        self.away.set_choices([(f"{month:%Y-%m}", f"{month:%B %Y}") for month in months])

    def validate_monthly_quota(self, field):
        if field.data is None and not field.errors:
            raise ValidationError(f"Enter how many audits a month they take, from 0 to {MOST_A_MONTH}")

    def settings(self):
        """What to save: the number (None when it is their job role's usual, so that it follows the job role),
        the rule (None for the usual) and the months away."""
        quota = None if self.monthly_quota.data == self.usual_quota else self.monthly_quota.data
        kept = {"yes": True, "no": False}.get(self.kept_from_own_area.data)
        return quota, kept, set(self.away.data or ())
