"""Reference data kept by QA officers: service areas, teams, flags and users."""

from flask import current_app
from flask_wtf import FlaskForm
from peewee import fn
from wtforms.validators import Email, InputRequired, Optional, ValidationError

from forms.auth import new_password_validators
from forms.fields import (
    CheckboxesField,
    CheckboxField,
    ChoiceField,
    PasswordField,
    SubmitButton,
    TextField,
    VersionField,
    code,
)
from models import JOB_ROLES, ROLES, AuditTemplate, Flag, LearningTheme, ServiceArea, Team, User


def unique(model, field, message):
    """Refuse a value another record of `model` already has (case-insensitive)."""

    def check(form, form_field):
        column = getattr(model, field)
        query = model.select().where(fn.LOWER(column) == (form_field.data or "").lower())
        if form.record is not None:
            query = query.where(model.id != form.record.id)
        if form_field.data and query.exists():
            raise ValidationError(message)

    return check


class RecordForm(FlaskForm):
    """A form that creates a record, or edits `record` with a check on its version."""

    version = VersionField()

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, obj=record, **kwargs)
        self.record = record
        if record is None:
            del self.version

    def values(self, *names):
        """The named fields' data, ready to save."""
        return {name: self[name].data for name in names}


class ServiceAreaForm(RecordForm):
    name = TextField(
        "Service area name",
        "Enter the service area name",
        validators=[unique(ServiceArea, "name", "A service area with this name already exists")],
    )
    head_of_service = ChoiceField(
        "Head of Service",
        "Select the Head of Service from the list",
        optional=True,
        description="Told when an Immediate Response on one of the area's cases is not acknowledged in time. "
        "With nobody here, the QA officers are told.",
    )
    submit = SubmitButton("Save service area")

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None and not self.is_submitted():
            self.head_of_service.data = record.head_of_service_id
        people = [
            (user.id, f"{user.name} ({user.job_role})")
            for user in User.select().where(User.active).order_by(User.name, User.id)
        ]
        if record is not None and record.head_of_service_id and record.head_of_service_id not in dict(people):
            # Kept choosable when they can no longer sign in, so saving the area does not drop them unasked.
            people.append((record.head_of_service_id, f"{record.head_of_service.name} (can no longer sign in)"))
        self.head_of_service.set_choices(people, blank="Nobody yet")


class FlagForm(RecordForm):
    name = TextField(
        "Flag name",
        "Enter the flag name",
        max_length=60,
        description="A theme cases can be grouped by, such as neglect or domestic abuse",
        validators=[unique(Flag, "name", "A flag with this name already exists")],
    )
    submit = SubmitButton("Save flag")


class LearningThemeForm(RecordForm):
    name = TextField(
        "Theme",
        "Enter the theme",
        max_length=80,
        description="A theme of practice to learn about, such as chronologies or the child's lived experience",
        validators=[unique(LearningTheme, "name", "A theme with this name already exists")],
    )
    description = TextField("What it covers", optional=True, max_length=300, description="Optional")
    submit = SubmitButton("Save theme")


class TeamForm(RecordForm):
    name = TextField(
        "Team name", "Enter the team name", validators=[unique(Team, "name", "A team with this name already exists")]
    )
    service_area = ChoiceField("Service area", "Select the service area the team belongs to")
    manager = ChoiceField("Team manager", "Select the team manager from the list", optional=True)
    service_manager = ChoiceField(
        "Service manager",
        "Select the service manager from the list",
        optional=True,
        description="Authorises the team's actions once signed off, and its Management Decisions. With nobody here, "
        "the QA officers are told when one waits.",
    )
    submit = SubmitButton("Save team")

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None and not self.is_submitted():
            self.service_area.data = record.service_area_id
            self.manager.data = record.manager_id
            self.service_manager.data = record.service_manager_id
        self.service_area.set_choices([(area.id, area.name) for area in ServiceArea.ordered()])
        self.manager.set_choices(self.holders("team-manager", "manager"), blank="No manager yet")
        self.service_manager.set_choices(self.holders("service-manager", "service_manager"), blank="None yet")

    def holders(self, role, field):
        """The active holders of `role`, to choose from for the team's `field`."""
        people = [(user.id, f"{user.name} ({user.job_role})") for user in User.with_role(role)]
        current = getattr(self.record, field, None) if self.record is not None else None
        if current is not None and current.id not in dict(people):
            # Keep the current one choosable when they can no longer sign in or lost the role,
            # so that saving the team does not drop them without anyone choosing to.
            people.append((current.id, f"{current.name} (no longer an active {ROLES[role].lower()})"))
        return people


class UserForm(RecordForm):
    name = TextField("Full name", "Enter the person's full name")
    email = TextField(
        "Email address",
        "Enter the person's email address",
        max_length=254,
        validators=[
            Email("Enter an email address in the correct format, like name@example.gov.uk"),
            unique(User, "email", "Another account already uses this email address"),
        ],
    )
    job_role = ChoiceField("Job role", "Select the person's job role", coerce=code)
    team = ChoiceField("Team", "Select the person's team from the list", optional=True)
    roles = CheckboxesField("Roles in this tool", "Select at least one role")
    active = CheckboxField("This account can sign in", default=True)
    password = PasswordField(
        "Password",
        validators=[Optional(), *new_password_validators("Password")],
        # Never let the browser fill in the QA officer's own password here.
        render_kw={"params": {"autocomplete": "new-password"}},
    )
    unlink_council_account = CheckboxField(
        "Unlink their council account",
        description="Only if their council account was replaced: the next time they sign in with their council "
        "account, it is linked to the account with its email address.",
    )
    submit = SubmitButton("Save user")

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None and not self.is_submitted():
            self.team.data = record.team_id
            self.roles.data = record.roles
        self.job_role.set_choices([(role, role) for role in JOB_ROLES])
        self.team.set_choices([(team.id, team.name) for team in Team.ordered()], blank="No team")
        self.roles.set_choices(ROLES.items())
        if record is None or not record.sso_subject:
            del self.unlink_council_account
        if not current_app.config["PASSWORD_SIGN_IN"]:
            del self.password
        elif record is None:
            self.password.validators = [
                InputRequired("Enter a password for the person"),
                *new_password_validators("Password"),
            ]
            self.password.description = "At least 12 characters. Give it to the person in a safe way."
        else:
            self.password.label.text = "New password (optional)"
            self.password.description = (
                "Leave this empty to keep the current password. Setting one signs the person out."
            )

    def new_password(self):
        return self.password.data if "password" in self else None

    def council_account(self):
        """The change to the account's link to a council account: unlinked if asked."""
        unlink = "unlink_council_account" in self and self.unlink_council_account.data
        return {"sso_issuer": None, "sso_subject": None} if unlink else {}


class TemplateChoiceForm(FlaskForm):
    """Which audit template new audits use. Audits already allocated keep theirs."""

    template = ChoiceField("Template for new audits", "Select the template new audits will use")
    submit = SubmitButton("Use this template for new audits")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.template.set_choices([(t.id, f"{t.name}, version {t.version}") for t in AuditTemplate.ordered()])
