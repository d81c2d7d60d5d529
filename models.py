"""The records the tool keeps, and the queries over them. Nothing about HTTP."""

import datetime
import secrets
from functools import cached_property

from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    fn,
)

db = DatabaseProxy()

# The largest whole number an integer column holds on every database the tool runs on (ids, versions).
LARGEST_INTEGER = 2**31 - 1


def utcnow():
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class StaleRecord(Exception):
    """Raised when a record changed since the form showing it was loaded."""


class Versioned(BaseModel):
    """A record edited through forms: each save bumps `version`, so a save based
    on an older version is refused instead of silently overwriting."""

    version = IntegerField(default=1)

    def save_version(self, expected_version, values):
        """Write `values` ({field: value}) if nobody else saved since `expected_version`."""
        model = type(self)
        updated = (
            model.update(values | {model.version: model.version + 1})
            .where((model.id == self.id) & (model.version == expected_version))
            .execute()
        )
        if updated != 1:
            raise StaleRecord
        self.version = expected_version + 1


ROLES = {
    "qa-officer": "QA officer",
    "auditor": "Auditor",
    "team-manager": "Team manager",
    "moderator": "Moderator",
    "senior-leader": "Senior leader",
}

JOB_ROLES = [
    "Chief Officer",
    "Head of Service",
    "Service Manager",
    "Service Delivery Manager",
    "Team Manager",
    "Practice Supervisor",
    "IRO",
    "CP Chair",
    "QA Officer",
    "Director",
]


class ServiceArea(Versioned):
    name = CharField(unique=True)

    @classmethod
    def ordered(cls):
        return cls.select().order_by(cls.name, cls.id)


class User(Versioned):
    name = CharField()
    email = CharField(unique=True)
    job_role = CharField()
    password_hash = CharField(null=True)
    active = BooleanField(default=True)
    # Changed on sign-out and when the account is disabled, so a session
    # cookie issued before then no longer matches (flask-login's alternative id).
    session_token = CharField(default=lambda: secrets.token_urlsafe(32))
    created_at = DateTimeField(default=utcnow)
    team = DeferredForeignKey("Team", null=True, backref="members")

    @property
    def is_active(self):
        return self.active

    @property
    def is_authenticated(self):
        return True

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    @classmethod
    def from_session_id(cls, session_id):
        user_id, _, token = session_id.partition(":")
        if not user_id.isdigit() or not token:
            return None
        # One query for the person and their roles: this runs on every request.
        rows = list(
            cls.select(cls, UserRole.role)
            .join(UserRole, JOIN.LEFT_OUTER)
            .where(cls.id == int(user_id))
            .order_by(UserRole.role)
            .objects()
        )
        user = rows[0] if rows else None
        if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
            return None
        user.__dict__["roles"] = [row.role for row in rows if row.role]  # what the `roles` property keeps
        return user

    def end_sessions(self):
        self.session_token = secrets.token_urlsafe(32)
        type(self).update(session_token=self.session_token).where(type(self).id == self.id).execute()

    @cached_property
    def roles(self):
        """The user's role codes (from `user_roles` when prefetched)."""
        return sorted(link.role for link in self.user_roles)

    @property
    def managed_team_ids(self):
        return [team.id for team in Team.select(Team.id).where(Team.manager == self)]

    @property
    def role_labels(self):
        return [ROLES[role] for role in self.roles]

    def set_roles(self, roles):
        """Give the user exactly these roles; True if that changed anything."""
        wanted = sorted(set(roles))
        if wanted == self.roles:
            return False
        UserRole.delete().where(UserRole.user == self).execute()
        UserRole.insert_many([{"user": self, "role": role} for role in wanted]).execute()
        self.__dict__.pop("roles", None)  # forget the cached_property's old value
        return True

    def has_role(self, *roles):
        return any(role in self.roles for role in roles)

    @classmethod
    def by_email(cls, email):
        return cls.get_or_none(cls.email == email.strip().lower())

    @classmethod
    def search(cls, text=""):
        query = cls.select(cls, Team).join(Team, on=(cls.team == Team.id), join_type=JOIN.LEFT_OUTER)
        if text:
            query = query.where(cls.name.contains(text) | cls.email.contains(text))
        return query.order_by(cls.name, cls.id)

    @classmethod
    def names(cls, role=None):
        """(id, name) of everyone, or of active holders of `role`, by name: a filter's choices."""
        query = cls.select(cls.id, cls.name)
        if role:
            query = query.join(UserRole).where((UserRole.role == role) & cls.active)
        return list(query.order_by(cls.name, cls.id).tuples())

    @classmethod
    def with_role(cls, role):
        return (
            cls.select(cls, Team)
            .join(UserRole)
            .switch(cls)
            .join(Team, on=(cls.team == Team.id), join_type=JOIN.LEFT_OUTER)
            .where((UserRole.role == role) & cls.active)
            .order_by(cls.name)
        )


class UserRole(BaseModel):
    user = ForeignKeyField(User, backref="user_roles", on_delete="CASCADE")
    role = CharField()

    class Meta:
        indexes = ((("user", "role"), True),)


class Team(Versioned):
    name = CharField(unique=True)
    service_area = ForeignKeyField(ServiceArea, backref="teams")
    manager = ForeignKeyField(User, null=True, backref="managed_teams")

    @classmethod
    def ordered(cls):
        return cls.select(cls, ServiceArea).join(ServiceArea).order_by(ServiceArea.name, cls.name)

    @classmethod
    def names(cls):
        """(id, name) of every team, by service area: a filter's choices."""
        return list(cls.select(cls.id, cls.name).join(ServiceArea).order_by(ServiceArea.name, cls.name).tuples())

    @classmethod
    def search(cls, text=""):
        Manager = User.alias()
        query = (
            cls.select(cls, ServiceArea, Manager)
            .join(ServiceArea)
            .switch(cls)
            .join(Manager, on=(cls.manager == Manager.id), join_type=JOIN.LEFT_OUTER)
        )
        if text:
            query = query.where(cls.name.contains(text) | ServiceArea.name.contains(text))
        return query.order_by(ServiceArea.name, cls.name, cls.id)


class Flag(Versioned):
    name = CharField(unique=True)

    @classmethod
    def ordered(cls):
        return cls.select().order_by(cls.name, cls.id)


class Case(Versioned):
    reference = CharField(unique=True)
    initials = CharField()
    birth_year = IntegerField()
    team = ForeignKeyField(Team, backref="cases")
    worker_name = CharField()
    is_open = BooleanField(default=True)
    opened_on = DateField()

    @property
    def flag_names(self):
        return sorted(link.flag.name for link in self.case_flags.join(Flag))

    def set_flags(self, flag_ids):
        """Give the case exactly these flags; True if that changed anything."""
        wanted = set(flag_ids)
        if wanted == {link.flag_id for link in self.case_flags}:
            return False
        CaseFlag.delete().where(CaseFlag.case == self).execute()
        CaseFlag.insert_many([{"case": self, "flag": flag_id} for flag_id in sorted(wanted)]).execute()
        return True

    @classmethod
    def search(cls, text="", status=""):
        query = cls.select(cls, Team, ServiceArea).join(Team).join(ServiceArea)
        if text:
            query = query.where(
                cls.reference.contains(text)
                | cls.initials.contains(text)
                | cls.worker_name.contains(text)
                | Team.name.contains(text)
            )
        if status in ("open", "closed"):
            query = query.where(cls.is_open == (status == "open"))
        return query.order_by(cls.reference, cls.id)


class CaseFlag(BaseModel):
    case = ForeignKeyField(Case, backref="case_flags", on_delete="CASCADE")
    flag = ForeignKeyField(Flag, backref="case_flags")

    class Meta:
        indexes = ((("case", "flag"), True),)


# The Ofsted scale, best first (Sefton guide s.1; Camden programme s.5).
GRADES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires-improvement": "Requires Improvement to be Good",
    "inadequate": "Inadequate",
}


class AuditTemplate(BaseModel):
    """A set of practice domains. Never edited once used: a change is a new version."""

    name = CharField()
    version = IntegerField()
    source = CharField()
    is_current = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def current(cls):
        return cls.get(cls.is_current)

    @classmethod
    def ordered(cls):
        return cls.select().order_by(cls.name, cls.version)

    @property
    def ordered_domains(self):
        return list(self.domains.order_by(TemplateDomain.position))


class TemplateDomain(BaseModel):
    template = ForeignKeyField(AuditTemplate, backref="domains")
    position = IntegerField()
    name = CharField()
    guidance = TextField()


class Audit(Versioned):
    STATUSES = {"allocated": "Allocated", "in-progress": "In progress", "submitted": "Submitted"}

    case = ForeignKeyField(Case, backref="audits")
    auditor = ForeignKeyField(User, backref="audits")
    allocated_by = ForeignKeyField(User)
    allocated_at = DateTimeField(default=utcnow)
    due_on = DateField(index=True)
    status = CharField(default="allocated")
    template = ForeignKeyField(AuditTemplate, null=True)
    period_start = DateField(null=True)
    period_end = DateField(null=True)
    about_child = TextField(default="")
    discussion_on = DateField(null=True)
    discussion_minutes = IntegerField(null=True)
    discussion_not_held = TextField(default="")  # why, when it did not happen
    practitioner_view = TextField(default="")
    practitioner_differently = TextField(default="")
    immediate_concern = BooleanField(null=True)
    supervised_recently = BooleanField(null=True)
    overall_grade = CharField(null=True)
    overall_rationale = TextField(default="")
    grade_gap_reason = TextField(default="")
    submitted_at = DateTimeField(null=True)

    @property
    def status_label(self):
        return self.STATUSES[self.status]

    @property
    def is_submitted(self):
        return self.status == "submitted"

    def is_overdue(self, today):
        return not self.is_submitted and self.due_on < today

    @property
    def submitted_on_time(self):
        return self.submitted_at is not None and self.submitted_at.date() <= self.due_on

    def judgements(self):
        """Each domain of the audit's template with its judgement, in order: one query, the first
        time they are asked for. A save changes these same objects, so they stay as saved."""
        if "_judgements" not in self.__dict__:
            self.__dict__["_judgements"] = self._load_judgements()
        return self.__dict__["_judgements"]

    def _load_judgements(self):
        """The template's domains, each with this audit's judgement if one is saved (one query)."""
        on_this_audit = (DomainJudgement.domain == TemplateDomain.id) & (DomainJudgement.audit == self.id)
        domains = (
            TemplateDomain.select(TemplateDomain, DomainJudgement)
            .join(DomainJudgement, JOIN.LEFT_OUTER, on=on_this_audit, attr="saved")
            .where(TemplateDomain.template == self.template_id)
            .order_by(TemplateDomain.position)
        )
        judgements = []
        for domain in domains:
            saved = getattr(domain, "saved", None)
            judgement = saved if saved is not None and saved.id is not None else DomainJudgement(audit=self)
            judgement.domain = domain  # already loaded: no query per domain
            judgements.append(judgement)
        return judgements

    def ordered_actions(self):
        return list(self.actions.order_by(Action.created_at, Action.id))

    @classmethod
    def open_for_case(cls, case):
        return cls.get_or_none((cls.case == case) & (cls.status != "submitted"))


class DomainJudgement(BaseModel):
    audit = ForeignKeyField(Audit, backref="domain_judgements", on_delete="CASCADE")
    domain = ForeignKeyField(TemplateDomain)
    grade = CharField(null=True)
    evidence = TextField(default="")
    so_what = TextField(default="")

    class Meta:
        indexes = ((("audit", "domain"), True),)


class Action(Versioned):
    """A SMART action: what must happen, who owns it, by when, how we will know it is done."""

    audit = ForeignKeyField(Audit, backref="actions", on_delete="CASCADE")
    source = CharField(default="audit")
    what = TextField()
    owner_name = CharField()
    owner_role = CharField()
    due_on = DateField()
    done_when = TextField()
    vague_confirmed = BooleanField(default=False)
    status = CharField(default="open")
    created_at = DateTimeField(default=utcnow)


class IroFeedback(Versioned):
    """What the child's IRO or CP chair said of the plan's progress and of the grades, on its own
    form linked to the audit; it may be added after the audit is submitted (seed 001 s.3.3; 003 s.5)."""

    ROLES = {"iro": "Independent Reviewing Officer (IRO)", "cp-chair": "Child Protection (CP) chair"}

    audit = ForeignKeyField(Audit, backref="iro_feedback", on_delete="CASCADE")
    recorded_by = ForeignKeyField(User)
    name = CharField()
    role = CharField()
    given_on = DateField()
    plan_progress = TextField(default="")
    grades_view = TextField(default="")
    after_submission = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("audit", "created_at", "id"), False),)

    @property
    def role_label(self):
        return self.ROLES.get(self.role, self.role)


class Draft(BaseModel):
    """Text that arrived after its author's session had timed out, kept until they are back."""

    audit = ForeignKeyField(Audit, backref="drafts", on_delete="CASCADE")
    user = ForeignKeyField(User)
    field = CharField()
    text = TextField()
    saved_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("audit", "user", "field"), True),)


class Event(BaseModel):
    """Append-only log of who did what to which record. Never the record's text."""

    at = DateTimeField(default=utcnow, index=True)
    user = ForeignKeyField(User, null=True, backref="events")
    action = CharField()
    record_type = CharField()
    record_id = IntegerField(null=True)
    fields = CharField(default="")

    def save(self, *args, **kwargs):
        if self.id is not None:
            raise PermissionError("The event log is append-only")
        return super().save(*args, **kwargs)

    def delete_instance(self, *args, **kwargs):
        raise PermissionError("The event log is append-only")

    @classmethod
    def record(cls, user, action, record, fields=()):
        """Write one event about `record` (a model instance) by `user`."""
        return cls.create(
            user=user,
            action=action,
            record_type=type(record).__name__,
            record_id=record.id,
            fields=", ".join(sorted(fields)),
        )


class EventTally(BaseModel):
    """How many events the log holds about each kind of record, kept by the database itself
    (migration 0007's trigger) as each event is written."""

    record_type = CharField(primary_key=True)
    count = IntegerField()


class FailedSignIn(BaseModel):
    """Failed sign-in attempts by email address, known or not, for throttling."""

    email = CharField(index=True)
    at = DateTimeField(default=utcnow)

    @classmethod
    def count_since(cls, email, since):
        return cls.select(fn.COUNT(cls.id)).where((cls.email == email) & (cls.at >= since)).scalar()
