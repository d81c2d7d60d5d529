"""A child's case as the case management system knows it."""

from wtforms import IntegerField
from wtforms.validators import InputRequired, Regexp, ValidationError

from forms.admin import RecordForm, unique
from forms.fields import (
    CheckboxesField,
    CheckboxField,
    ChoiceField,
    DateInputField,
    SubmitButton,
    TextField,
    is_whole_number,
)
from forms.widgets import TextInput
from models import Case, Flag, Team
from services import team_audits

EARLIEST_BIRTH_YEAR = 1990


class YearField(IntegerField):
    widget = TextInput()

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip() and not is_whole_number(valuelist[0].strip(), 4):
            self.data = None
            raise ValueError("Year of birth must be a year in numbers, like 2015")
        super().process_formdata([value.strip() for value in valuelist])


class CaseForm(RecordForm):
    reference = TextField(
        "Case reference",
        "Enter the case reference",
        max_length=30,
        description="As it is in the case management system, like MOS-104233",
        validators=[
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9/_-]*$",
                message="Case reference must only include letters, numbers, hyphens, underscores and slashes",
            ),
            unique(Case, "reference", "Another case already has this reference"),
        ],
    )
    initials = TextField(
        "Child's initials",
        "Enter the child's initials",
        max_length=4,
        description="Initials only: this tool does not keep children's names",
        validators=[Regexp(r"^[A-Za-z]{1,4}$", message="Child's initials must be 1 to 4 letters, like JS")],
    )
    birth_year = YearField("Year of birth", validators=[InputRequired("Enter the child's year of birth")])
    team = ChoiceField("Team", "Select the team that holds the case")
    worker_name = TextField("Allocated worker", "Enter the name of the allocated worker")
    worker = ChoiceField(
        "Their account as a practitioner",
        "Select their account from the list",
        optional=True,
        description="The practitioner who reads the case's submitted audits and reflects on them. An import links "
        "the account with the worker's email from the case management system.",
    )
    opened_on = DateInputField(
        "Date the case was opened", "the date the case was opened", description="For example, 27 3 2024"
    )
    is_open = CheckboxField("The case is open", default=True)
    flags = CheckboxesField("Flags", coerce=int, description="Select all that apply")
    submit = SubmitButton("Save case")

    def __init__(self, *args, record=None, today=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        self.today = today
        if record is not None and not self.is_submitted():
            self.team.data = record.team_id
            self.worker.data = record.worker_id
            self.flags.data = [link.flag_id for link in record.case_flags]
        self.team.set_choices([(team.id, f"{team.name} ({team.service_area.name})") for team in Team.ordered()])
        self.flags.set_choices([(flag.id, flag.name) for flag in Flag.ordered()])
        accounts = team_audits.practitioners()
        if record is not None and record.worker_id and record.worker_id not in dict(accounts):
            # Kept choosable when they are no longer an active practitioner, so that saving does not drop them.
            accounts.append((record.worker_id, f"{record.worker.name} (no longer an active practitioner)"))
        self.worker.set_choices(accounts, blank="None")

    def validate_birth_year(self, field):
        if field.data is not None and not EARLIEST_BIRTH_YEAR <= field.data <= self.today.year:
            raise ValidationError(f"Year of birth must be between {EARLIEST_BIRTH_YEAR} and {self.today.year}")

    def validate_opened_on(self, field):
        if field.data and field.data > self.today:
            raise ValidationError("Date the case was opened must be today or in the past")
