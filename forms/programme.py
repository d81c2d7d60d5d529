"""The month's audit plan: the month whose auditor pool or plan to show, one auditor's part in the pool, drawing a
month's cases and changing who audits one."""

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, IntegerField
from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.audits import answered, radios
from forms.fields import (
    CheckboxesField,
    ChoiceField,
    MonthField,
    SubmitButton,
    TextField,
    VersionField,
    is_whole_number,
)
from forms.widgets import TextInput
from models import Audit, Flag, LearningTheme
from services.auditor_pool import MOST_A_MONTH
from services.dates import parse_month
from services.planning import LARGEST_SAMPLE, LONGEST_WINDOW, Settings


class PoolMonthForm(Form):
    """Which month's pool to show: it changes nothing, so it needs no CSRF token."""

    month = MonthField("Month")
    submit = SubmitButton("Show the pool")


class PlanMonthForm(Form):
    """Which month's plan to show: it changes nothing, so it needs no CSRF token."""

    month = MonthField("Month")
    submit = SubmitButton("Show the plan")


class NumberField(IntegerField):
    """A whole number from `least` to `most`, None when left empty (the form says whether it may be)."""

    widget = TextInput()

    def __init__(self, label, least, most, **kwargs):
        super().__init__(label, **kwargs)
        self.least, self.most = least, most

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if text and not (is_whole_number(text, len(str(self.most))) and self.least <= int(text) <= self.most):
            raise ValueError(f"{self.label.text} must be a whole number from {self.least} to {self.most}")
        if text:
            self.data = int(text)


def yes_or_no(value):
    """A kept-from-own-area setting as the form shows it: "yes", "no", or None for the usual."""
    return {True: "yes", False: "no", "yes": "yes", "no": "no"}.get(value)


class PoolMemberForm(RecordForm):
    monthly_quota = NumberField("Audits a month", 0, MOST_A_MONTH)
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


SPREADS = {
    "proportional": "In proportion to each service area's open cases",
    "equal": "The same from each service area",
}


class DrawPlanForm(FlaskForm):
    """The settings of a month's draw: how many cases, how they are spread over the service areas, how recently
    audited cases are left out, the theme and the audits' type. `version` is the plan's (0 before one is drawn)."""

    month = HiddenField(id="plan-month")
    version = VersionField()
    size = NumberField("Cases to audit", 1, LARGEST_SAMPLE)
    spread = radios("How the cases are spread", SPREADS, "Select how the cases are spread over the service areas")
    window_months = NumberField(
        "Leave out cases audited or allocated in the last", 1, LONGEST_WINDOW, description="Months"
    )
    flag = ChoiceField("Theme", "Select a theme from the list", optional=True)
    audit_type = ChoiceField("Type of audit", "Select a type of audit from the list", coerce=str)
    submit = SubmitButton("Draw the cases", id="draw")

    def __init__(self, *args, sample_size, **kwargs):
        super().__init__(*args, **kwargs)
        self.size.description = f"The auditors available can take {sample_size}."
        self.flag.set_choices(Flag.ordered().select(Flag.id, Flag.name).tuples(), blank="Any open case")
        self.flag.description = "Only cases with this flag are drawn."
        self.audit_type.set_choices(Audit.TYPES.items())

    def validate_size(self, field):
        if field.data is None and not field.errors:
            raise ValidationError(f"Enter how many cases to audit, from 1 to {LARGEST_SAMPLE}")

    def validate_spread(self, field):
        answered(field)

    def validate_window_months(self, field):
        if field.data is None and not field.errors:
            raise ValidationError(f"Enter how many months, from 1 to {LONGEST_WINDOW}")

    @property
    def chosen_month(self):
        return parse_month(self.month.data)

    def settings(self):
        return Settings(
            self.size.data, self.spread.data == "equal", self.window_months.data, self.flag.data, self.audit_type.data
        )

    def show(self, plan, sample_size, window_months, programme_month=None):
        """Fill the form with `plan`'s settings; or, for a month not drawn yet, what the annual programme plans
        for it and the usual settings."""
        if plan is None:
            self.version.data, self.spread.data, self.window_months.data = 0, "proportional", window_months
            self.size.data, self.audit_type.data = sample_size, "monthly"
            if programme_month:
                self.size.data = programme_month.proposed or sample_size
                self.audit_type.data, self.flag.data = programme_month.audit_type, programme_month.flag_id
            return
        self.version.data, self.size.data, self.window_months.data = plan.version, plan.size, plan.window_months
        self.spread.data = "equal" if plan.equal else "proportional"
        self.flag.data, self.audit_type.data = plan.flag_id, plan.audit_type


class ProgrammeMonthForm(RecordForm):
    audit_type = ChoiceField("Type of audit", "Select a type of audit from the list", coerce=str)
    theme = TextField("Theme", optional=True, max_length=200, description="Optional, for example, front door decisions")
    flag = ChoiceField(
        "Cases drawn", "Select from the list", optional=True, description="Only cases with this flag are drawn"
    )
    proposed = NumberField("Number of audits proposed", 1, LARGEST_SAMPLE, description="Optional")
    other_activity = TextField(
        "Other activity",
        optional=True,
        max_length=300,
        description="Optional, for example, feedback forms from families",
    )
    focus = ChoiceField(
        "Learning focus",
        "Select a learning theme from the list",
        optional=True,
        description="Optional: the theme of practice the month's learning is about, for the dashboard to follow",
    )
    submit = SubmitButton("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit_type.set_choices(Audit.TYPES.items())
        self.flag.set_choices(Flag.ordered().select(Flag.id, Flag.name).tuples(), blank="Any open case")
        themes = LearningTheme.ordered().select(LearningTheme.id, LearningTheme.name).tuples()
        self.focus.set_choices(themes, blank="None")
        if self.record is not None and not self.is_submitted():
            self.flag.data = self.record.flag_id
            self.focus.data = self.record.focus_id


class ConfirmPlanForm(FlaskForm):
    version = VersionField(id="confirm-version")
    submit = SubmitButton("Confirm and create the audits", id="confirm")


class PairingForm(FlaskForm):
    """Give a plan's case to another auditor."""

    version = VersionField()
    auditor = ChoiceField("Auditor", "Select an auditor from the list")
    submit = SubmitButton("Save")

    def __init__(self, *args, members, loads, **kwargs):
        super().__init__(*args, **kwargs)
        self.auditor.set_choices(
            (m.user_id, f"{m.name} ({loads.get(m.user_id, 0)} of {m.quota})") for m in members if m.available
        )
        self.auditor.description = "Each auditor's cases in this plan, of their number for the month, are in brackets."


class SwapForm(FlaskForm):
    """Exchange the auditors of two of a plan's cases."""

    version = VersionField()
    other = ChoiceField("Swap auditors with case", "Select a case from the list")
    submit = SubmitButton("Swap")

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.other.set_choices((p.id, f"{p.case.reference}: {p.auditor.name}") for p in others)
