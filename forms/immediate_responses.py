"""The Immediate Response forms: raising one, acknowledging it, closing it (seed 001 s.3.1)."""

from wtforms import Form
from wtforms.validators import ValidationError

from forms.admin import RecordForm
from forms.audits import LongText, answered, radios
from forms.fields import ChoiceField, DateInputField, SubmitButton, TextField, code
from models import ImmediateResponse, Team, User
from services.audits import response_triggers
from services.dates import uk_today

RAISE_FIELDS = (
    "trigger",
    "trigger_other",
    "found",
    "must_happen",
    "who_acts",
    "urgency",
    "told_name",
    "told_role",
    "told_how",
    "told_on",
)
TOLD_FIELDS = ("told_name", "told_role", "told_how", "told_on")


def required(field, message):
    if not (field.data or "").strip():
        raise ValidationError(message)


class RaiseForm(RecordForm):
    trigger = radios(
        "Why is it needed?",
        ImmediateResponse.TRIGGERS,
        "Select why an Immediate Response is needed",
        reveals={"other": ("trigger_other",)},
    )
    trigger_other = TextField("What is the other reason?", optional=True, max_length=200)
    found = LongText("What was found", description="What the audit found that means the child may be unsafe")
    must_happen = LongText("What must happen now")
    who_acts = ChoiceField(
        "Who must act",
        "Select who must act from the list",
        description="The case's team manager, unless someone else must",
    )
    urgency = radios("How urgent is it?", ImmediateResponse.URGENCIES, "Select how urgent it is")
    # Under "Who has been told already" (immediate_responses/raise.html): "Their name" is not the child's.
    told_name = TextField("Their name", optional=True)
    told_role = TextField("Their role", optional=True, description="For example, Service Manager")
    told_how = radios("How they were told", ImmediateResponse.TOLD_HOW, "Select how they were told")
    told_on = DateInputField("When they were told", "the date they were told", optional=True)
    submit = SubmitButton("Raise the Immediate Response")

    def __init__(self, *args, case, raiser, audit=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.raiser = raiser
        self.today = today or uk_today()
        manager_id = case.team.manager_id
        if not self.is_submitted():
            self.who_acts.data = manager_id
            if audit is not None and not self.trigger.data:
                self.trigger.data = next(iter(response_triggers(audit)), None)
        people = User.select(User.id, User.name, User.job_role).where(User.active).order_by(User.name, User.id)
        self.who_acts.set_choices(
            (person.id, f"{person.name} ({person.job_role}{', team manager of the case' * (person.id == manager_id)})")
            for person in people
        )

    def validate_trigger(self, field):
        answered(field)

    def validate_trigger_other(self, field):
        if self.trigger.data == "other":
            required(field, "Enter the other reason an Immediate Response is needed")

    def validate_found(self, field):
        required(field, "Enter what was found")

    def validate_must_happen(self, field):
        required(field, "Enter what must happen now")

    def validate_who_acts(self, field):
        # Seed 002 s.10: whoever finds it raises it with someone else, who must act on it (the practice manager).
        if field.data == self.raiser.id:
            raise ValidationError(
                "Choose someone other than yourself: whoever raises it cannot be the one to act on it"
            )

    def validate_urgency(self, field):
        answered(field)

    def told_given(self):
        return any([self.told_name.data, self.told_role.data, self.told_how.data, any(self.told_on.raw_data or [])])

    def validate_told_name(self, field):
        if self.told_given():
            required(field, "Enter the name of the person who has been told")

    def validate_told_role(self, field):
        if self.told_given():
            required(field, "Enter the role of the person who has been told")

    def validate_told_how(self, field):
        if self.told_given() and not field.data:
            raise ValidationError(field.message)

    def validate_told_on(self, field):
        if self.told_given() and not field.data and not field.errors:
            raise ValidationError("Enter the date they were told")
        if field.data and field.data > self.today:
            raise ValidationError("When they were told must be today or in the past")

    def values(self):
        values = super().values(*RAISE_FIELDS)
        if values["trigger"] != "other":
            values["trigger_other"] = ""
        values["told_how"] = values["told_how"] or ""
        return values


class AcknowledgeForm(RecordForm):
    response = LongText("Your response", description="What you make of what was found")
    action_taking = LongText("The action you are taking", description="What you are doing now, and by when")
    submit = SubmitButton("Acknowledge")

    def validate_response(self, field):
        required(field, "Enter your response")

    def validate_action_taking(self, field):
        required(field, "Enter the action you are taking")


class CloseForm(RecordForm):
    outcome = LongText("The outcome", description="What happened, and why the child is now safe enough to close this")
    submit = SubmitButton("Close the Immediate Response")

    def validate_outcome(self, field):
        required(field, "Enter the outcome")


class ImmediateResponseFilterForm(Form):
    """A filter changes nothing, so it needs no CSRF token."""

    status = ChoiceField("Status", "Select a status from the list", coerce=code, optional=True)
    team = ChoiceField("Team", "Select a team from the list", optional=True)
    overdue = ChoiceField("Overdue", "Select from the list", coerce=code, optional=True)
    submit = SubmitButton("Filter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.set_choices(ImmediateResponse.STATUSES.items(), blank="Any status")
        self.team.set_choices(Team.names(), blank="Any team")
        self.overdue.set_choices([("yes", "Only those overdue")], blank="Overdue or not")

    def filters(self):
        """The filters to apply, leaving out any that were refused (the form shows why)."""
        self.validate()
        valid = {name: self[name].data if not self[name].errors else None for name in ("status", "team", "overdue")}
        return {"status": valid["status"], "team_id": valid["team"], "overdue": valid["overdue"] == "yes"}
