"""The records the tool keeps, and the queries over them. Nothing about HTTP."""

import datetime
import secrets
from functools import cached_property

from peewee import (
    JOIN,
    SQL,
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

    def save_version(self, expected_version, values, only_if=None):
        """Write `values` ({field: value}) if nobody else saved since `expected_version` (and, given
        `only_if`, a condition on the record's row such as its status, holds); else StaleRecord."""
        model = type(self)
        condition = (model.id == self.id) & (model.version == expected_version)
        if only_if is not None:
            condition &= only_if
        updated = model.update(values | {model.version: model.version + 1}).where(condition).execute()
        if updated != 1:
            raise StaleRecord
        self.version = expected_version + 1


ROLES = {
    "qa-officer": "QA officer",
    "auditor": "Auditor",
    "team-manager": "Team manager",
    "moderator": "Moderator",
    "senior-leader": "Senior leader",
    # Authorises actions signed off, and Management Decisions, of the teams they are the service manager of.
    "service-manager": "Service manager",
    # The social worker a case is allocated to (Case.worker): reads its submitted audits and reflects on them.
    "practitioner": "Practitioner",
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
    # Who is told when an Immediate Response on one of its cases is not acknowledged in time.
    head_of_service = DeferredForeignKey("User", null=True, backref="+")

    @classmethod
    def names(cls):
        """(id, name) of every service area, by name: a filter's choices."""
        return list(cls.select(cls.id, cls.name).order_by(cls.name, cls.id).tuples())

    @classmethod
    def ordered(cls):
        """By name, each with its Head of Service (one query)."""
        head = User.alias()
        return (
            cls.select(cls, head)
            .join(head, JOIN.LEFT_OUTER, on=(cls.head_of_service == head.id))
            .order_by(cls.name, cls.id)
        )


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
    # The month's audit plan (services/auditor_pool.py): empty for the usual of their job role.
    monthly_quota = IntegerField(null=True)
    kept_from_own_area = BooleanField(null=True)
    # The council's sign-in service and its id for this person (services/sso.py), set at their first sign-in there:
    # they sign in as this account from then on, whatever their email becomes.
    sso_issuer = CharField(null=True)
    sso_subject = CharField(null=True)

    class Meta:
        indexes = ((("sso_issuer", "sso_subject"), True),)

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


class AuditorAway(BaseModel):
    """A month an auditor is away (leave, secondment): they are given no audits in it."""

    user = ForeignKeyField(User, backref="+", on_delete="CASCADE", index=False)
    month = DateField()  # its first day

    class Meta:
        indexes = ((("user", "month"), True), (("month",), False))


class Team(Versioned):
    name = CharField(unique=True)
    service_area = ForeignKeyField(ServiceArea, backref="teams")
    manager = ForeignKeyField(User, null=True, backref="managed_teams")
    # Who authorises the team's actions and Management Decisions (seed 002 s.10-11; services/team_actions.py).
    service_manager = ForeignKeyField(User, null=True, backref="+", index=False)

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


class LearningTheme(Versioned):
    """A theme of practice the QA team keeps (seed 004 2.7.2, Bradford's areas of practice improvement: "case
    recording", "chronologies", "contingency planning"). Auditors and moderators tag a domain's finding with it
    (ThemeTag), and a month of the programme can take it as its learning focus (ProgrammeMonth.focus)."""

    name = CharField(unique=True)
    description = TextField(default="")

    @classmethod
    def ordered(cls):
        return cls.select().order_by(cls.name, cls.id)


class Case(Versioned):
    reference = CharField(unique=True)
    initials = CharField()
    birth_year = IntegerField()
    team = ForeignKeyField(Team, backref="cases")
    worker_name = CharField()
    worker_email = CharField(default="")
    # The allocated worker's account, where one with the practitioner role has their email (services/team_audits.py).
    worker = ForeignKeyField(User, null=True, backref="+", index=False)
    is_open = BooleanField(default=True)
    opened_on = DateField()
    closed_on = DateField(null=True)  # when an import, or a QA officer, found it closed
    # A legal hold (services/retention.py): while it has a reason, nothing of the case is removed, however old.
    held_because = TextField(default="")
    held_by = ForeignKeyField(User, null=True, backref="+", index=False)
    held_at = DateTimeField(null=True)
    # The day from which the periodic job may remove it, set when a run first finds it past its time, its notice
    # period later (services/retention.py); empty while it is not past its time.
    removal_on = DateField(null=True)

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

    # A row of the list's download (services/spreadsheets.py) for each case.
    EXPORT_HEADER = [
        "Case reference",
        "Child's initials",
        "Year of birth",
        "Team",
        "Service area",
        "Allocated worker",
        "Status",
        "Opened",
        "Closed",
    ]

    def export_row(self):
        return [
            *(self.reference, self.initials, self.birth_year, self.team.name, self.team.service_area.name),
            *(self.worker_name, "Open" if self.is_open else "Closed", self.opened_on, self.closed_on),
        ]

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

    @classmethod
    def names(cls):
        """(id, name and version) of every template: a filter's choices."""
        return [(template.id, f"{template.name}, version {template.version}") for template in cls.ordered()]

    @property
    def ordered_domains(self):
        return list(self.domains.order_by(TemplateDomain.position))


class TemplateDomain(BaseModel):
    template = ForeignKeyField(AuditTemplate, backref="domains")
    position = IntegerField()
    name = CharField()
    guidance = TextField()

    @classmethod
    def names(cls):
        """The name of every domain of any template, each once, in the order of the templates: a filter's choices. A
        domain of the same name in two templates (two versions of one, say) is one domain to the reports."""
        first = fn.MIN(cls.position)
        return [name for name, _ in cls.select(cls.name, first).group_by(cls.name).order_by(first, cls.name).tuples()]


class ReliabilityExercise(Versioned):
    """Several people audit the same case record on the same template, to test whether they grade alike
    (seed 002 s.9). Each takes part through an audit of their own (`Audit.exercise`)."""

    case = ForeignKeyField(Case, backref="reliability_exercises")
    template = ForeignKeyField(AuditTemplate)
    set_by = ForeignKeyField(User, backref="+")
    created_at = DateTimeField(default=utcnow)
    due_on = DateField()
    agreed = TextField(default="")  # what the discussion afterwards agreed

    class Meta:
        indexes = ((("created_at", "id"), False),)


class Audit(Versioned):
    STATUSES = {
        "allocated": "Allocated",
        "in-progress": "In progress",
        "submitted": "Submitted",
        "moderated": "Moderated",
        "cancelled": "Cancelled",
    }
    # Once in one of these, the audit is done: nothing more is saved into it (its feedback may still come).
    DONE = ("submitted", "moderated")
    # Nor into one cancelled, which is no longer open though it was never submitted.
    CLOSED = (*DONE, "cancelled")
    # What kind of audit it is (seed 003 s.5, the year's programme), to filter the lists by.
    TYPES = {
        "monthly": "Monthly",
        "themed": "Themed or deep dive",
        "front-door": "Front door",
        "practice-week": "Practice week",
        "multi-agency": "Multi-agency",
        "fostering": "Fostering",
    }

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
    # Set when the audit is one person's part in a reliability exercise, not an audit of the programme.
    exercise = ForeignKeyField(ReliabilityExercise, null=True, backref="audits")
    audit_type = CharField(default="monthly")

    @property
    def status_label(self):
        return self.STATUSES[self.status]

    @property
    def is_submitted(self):
        return self.status in self.DONE

    @property
    def is_open(self):
        return self.status not in self.CLOSED

    @classmethod
    def still_open(cls):
        """The condition on an audit's row that it is open: neither submitted nor cancelled. Its terms are those
        of the partial indexes of open audits (migration 0023), so that the database can use them."""
        return cls.submitted_at.is_null() & (cls.status != "cancelled")

    def is_overdue(self, today):
        return self.is_open and self.due_on < today

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

    def ordered_actions(self, source="audit"):
        """The actions the audit set (`source` "audit"), or the further actions its moderation set
        ("moderation"), in the order they were added."""
        return list(self.actions.where(Action.source == source).order_by(Action.created_at, Action.id))

    @classmethod
    def open_for_case(cls, case):
        return cls.get_or_none((cls.case == case) & cls.still_open() & cls.exercise.is_null())


class DomainJudgement(BaseModel):
    audit = ForeignKeyField(Audit, backref="domain_judgements", on_delete="CASCADE")
    domain = ForeignKeyField(TemplateDomain)
    grade = CharField(null=True)
    evidence = TextField(default="")
    so_what = TextField(default="")

    class Meta:
        indexes = ((("audit", "domain"), True),)


class SmartAction(Versioned):
    """What every action holds wherever it is set, an audit's or the service's action plan's: SMART, what must
    happen, who owns it, by when, and how we will know it is done (forms/actions.py SmartActionForm)."""

    what = TextField()
    owner_name = CharField()
    owner_role = CharField()
    due_on = DateField()
    done_when = TextField()
    vague_confirmed = BooleanField(default=False)


class Action(SmartAction):
    """An audit's SMART action. Once its audit (or the moderation that set it) is submitted, it is sent to the team
    manager of the case's team, who works it through to sign-off by its deadline (services/team_actions.py)."""

    STATUSES = {
        "open": "Open",
        "done": "Done",
        "signed-off": "Signed off",
        "authorised": "Authorised",
        "decision": "Management Decision",
        "decision-authorised": "Management Decision authorised",
        "disputed": "Disputed",
        "withdrawn": "Withdrawn",
    }
    WITH_TEAM_MANAGER = ("open", "done")  # the statuses in which the team manager is the one to act

    audit = ForeignKeyField(Audit, backref="actions", on_delete="CASCADE")
    source = CharField(default="audit")
    status = CharField(default="open")
    created_at = DateTimeField(default=utcnow)
    # Set when it is sent: the team whose manager answers for it (the case's, following the case while it is open),
    # the day they received it and the day it must be signed off by.
    team = ForeignKeyField(Team, null=True, backref="+", index=False)
    received_on = DateField(null=True)
    deadline = DateField(null=True)
    closed_at = DateTimeField(null=True)
    # Where it comes in the team actions list, what needs attention first (services/team_actions.py: list_order):
    # bands of LIST_BAND each, the last for those not yet sent.
    LIST_BAND = 10_000_000  # more than the day number of any date
    NOT_SENT = 3 * LIST_BAND
    list_order = IntegerField(default=NOT_SENT)

    class Meta:
        indexes = ((("list_order", "id", "team"), False), (("team", "list_order", "id"), False))

    @property
    def status_label(self):
        return self.STATUSES[self.status]

    @property
    def is_sent(self):
        return self.received_on is not None

    @property
    def is_closed(self):
        return self.closed_at is not None

    @property
    def is_with_team_manager(self):
        """Sent, not closed, and for the team manager to act on: to record done, or to sign off."""
        return self.is_sent and not self.is_closed and self.status in self.WITH_TEAM_MANAGER

    def is_overdue(self, today):
        """With the team manager past the day it was to be signed off by."""
        return self.is_with_team_manager and self.deadline < today


class ActionStep(BaseModel):
    """A step in an action's progress, dated and by whom (services/team_actions.py: STEPS): received, discussed in
    supervision, done, signed off, authorised, a Management Decision and its authorisation, a dispute and its
    resolution. Never changed: the action's timeline."""

    action = ForeignKeyField(Action, backref="steps", on_delete="CASCADE", index=False)
    kind = CharField()
    by = ForeignKeyField(User, null=True, backref="+", index=False)
    at = DateTimeField(default=utcnow)
    on = DateField(null=True)  # the day it happened, where that is not the day it was recorded (supervision)
    text = TextField(default="")

    class Meta:
        indexes = ((("action", "at", "id"), False),)


class Reflection(Versioned):
    """What the practitioner whose work was audited takes from the audit, and anything they see differently: the
    auditor and the team manager read it, and it is in the audit record (seed 003 s.2: audits done "with, not to"
    social workers)."""

    audit = ForeignKeyField(Audit, unique=True, backref="+", on_delete="CASCADE")
    practitioner = ForeignKeyField(User, backref="+", index=False)
    takes_from = TextField()
    sees_differently = TextField(default="")
    saved_at = DateTimeField(default=utcnow)


class ActionFollowUp(Versioned):
    """Whether an action set by an earlier audit of the case was achieved, and what difference it made, as the case's
    next audit found it (seed 002 s.10: "consider whether there are any relevant and or unfulfilled remedial actions
    from previous case record audits"; services/earlier_actions.py)."""

    ACHIEVED = {"yes": "Achieved", "partly": "Partly achieved", "no": "Not achieved"}

    audit = ForeignKeyField(Audit, backref="+", on_delete="CASCADE")
    action = ForeignKeyField(Action, backref="+", on_delete="CASCADE", index=False)
    achieved = CharField()
    difference = TextField()
    recorded_by = ForeignKeyField(User, backref="+", index=False)

    class Meta:
        indexes = ((("audit", "action"), True),)

    @property
    def achieved_label(self):
        return self.ACHIEVED[self.achieved]


class ActionReview(Versioned):
    """The QA team's review of an audit's actions four months after it was submitted (seed 002 s.11): whether each
    was fulfilled, completed and authorised, with a comment (services/action_reviews.py). Made when the audit's
    actions are sent, for the team of its case (following the case until reviewed)."""

    audit = ForeignKeyField(Audit, unique=True, backref="+", on_delete="CASCADE")
    team = ForeignKeyField(Team, backref="+", index=False)
    due_on = DateField()
    reviewed_by = ForeignKeyField(User, null=True, backref="+", index=False)
    reviewed_at = DateTimeField(null=True)
    comment = TextField(default="")

    @property
    def is_reviewed(self):
        return self.reviewed_at is not None


class AllocationChange(Versioned):
    """A change to an audit's allocation, with its reason (services/allocation.py): given to another auditor,
    cancelled, or a later due date the auditor asked for (seed 002 s.8), agreed or refused by a QA officer."""

    KINDS = {
        "reallocated": "Given to another auditor",
        "cancelled": "Cancelled",
        "deferment": "Later due date asked for",
    }
    STATUSES = {"done": "Done", "asked": "Waiting for a decision", "agreed": "Agreed", "refused": "Refused"}

    audit = ForeignKeyField(Audit, backref="allocation_changes", on_delete="CASCADE", index=False)
    kind = CharField()
    made_by = ForeignKeyField(User, backref="+", index=False)
    made_at = DateTimeField(default=utcnow)
    reason = TextField()
    from_auditor = ForeignKeyField(User, null=True, backref="+", index=False)
    to_auditor = ForeignKeyField(User, null=True, backref="+", index=False)
    due_before = DateField(null=True)
    due_after = DateField(null=True)  # for a deferment, the date asked for
    status = CharField(default="done")
    decided_by = ForeignKeyField(User, null=True, backref="+", index=False)
    decided_at = DateTimeField(null=True)
    decision_reason = TextField(default="")  # why a deferment was refused

    class Meta:
        indexes = ((("audit", "made_at"), False), (("status",), False))

    @property
    def status_label(self):
        return self.STATUSES[self.status]

    @property
    def kind_label(self):
        return self.KINDS[self.kind]


class ProgrammeMonth(Versioned):
    """A month of the annual audit programme (seed 003 s.5): the type of audit planned, its theme (in words, and
    the flag that draws its cases, if one does), the number of audits proposed, and any other activity."""

    month = DateField(unique=True)  # its first day
    audit_type = CharField()  # of Audit.TYPES
    theme = CharField(default="")
    flag = ForeignKeyField(Flag, null=True, backref="+", index=False)
    proposed = IntegerField(null=True)
    other_activity = TextField(default="")
    # The month's learning focus (seed 004 2.7.2): the dashboard compares the grades its theme touches before and after.
    focus = ForeignKeyField(LearningTheme, null=True, backref="+", index=False)


class AuditPlan(Versioned):
    """A month's audit plan (services/planning.py): the open cases drawn for the month, each shared to an auditor. A
    draft, drawn again or changed as often as the QA officer likes, until they confirm it and its audits are
    created. The seed, the rule's version and the settings give the same draw again."""

    month = DateField(unique=True)  # its first day
    seed = IntegerField()
    rule_version = IntegerField()
    size = IntegerField()  # the cases asked for
    equal = BooleanField(default=False)  # the same number from each service area, not in proportion
    window_months = IntegerField()  # cases audited or allocated in these last months are left out
    flag = ForeignKeyField(Flag, null=True, backref="+", index=False)  # the theme, if narrowed to one
    audit_type = CharField()  # of Audit.TYPES
    # As JSON: how many cases were left out, by why ("left_out", codes of audit_plan.LEFT_OUT), and how many each
    # service area had to draw from ("strata", by its id).
    counts = TextField(default="{}")
    drawn_by = ForeignKeyField(User, backref="+", index=False)
    drawn_at = DateTimeField(default=utcnow)
    confirmed_by = ForeignKeyField(User, null=True, backref="+", index=False)
    confirmed_at = DateTimeField(null=True)

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class PlannedAudit(BaseModel):
    """A case drawn in a month's audit plan: its stratum, its auditor (None when the rules and quotas left it
    without one, saying why), and the audit made of it once the plan is confirmed."""

    plan = ForeignKeyField(AuditPlan, backref="planned", on_delete="CASCADE", index=False)
    case = ForeignKeyField(Case, backref="+", index=False)
    service_area = ForeignKeyField(ServiceArea, backref="+", index=False)
    auditor = ForeignKeyField(User, null=True, backref="+", index=False)
    unplaced = CharField(default="")  # a code of audit_plan.UNPLACED, when it has no auditor
    audit = ForeignKeyField(Audit, null=True, backref="+", index=False)

    class Meta:
        indexes = ((("plan", "case"), True), (("plan", "auditor"), False))


class ModerationDraw(BaseModel):
    """One draw of a month's moderation sample (seed 001 s.5): the month's first, or a later one for audits
    submitted into the month after it was drawn. The seed, the rule's version and the audits it drew from
    give the same sample again (services/moderation.py)."""

    month = DateField()  # its first day
    round = IntegerField()  # 1 for the month's draw, then 2, 3... for late audits
    seed = IntegerField()
    rule_version = IntegerField()
    percentage = IntegerField()
    population = TextField()  # the ids of the audits it drew from, as JSON
    drawn_by = ForeignKeyField(User, backref="+")
    drawn_at = DateTimeField(default=utcnow)
    due_on = DateField()  # when the moderations it drew are due (services/moderation_draw.due_on)

    class Meta:
        indexes = ((("month", "round"), True),)


class Moderation(Versioned):
    """A moderator's view of one sampled audit: agree or disagree with each grade, whether its actions have
    been addressed, further actions (models.Action, source "moderation") and a message to the auditor."""

    STATUSES = {"assigned": "Not started", "in-progress": "In progress", "submitted": "Moderated"}
    CHOSEN_BECAUSE = {"good-or-outstanding": "Graded Good or Outstanding", "random": "Random from the other grades"}
    ACTIONS_ADDRESSED = {"yes": "Yes", "partly": "Partly", "no": "No", "not-yet-due": "Not yet due"}

    audit = ForeignKeyField(Audit, unique=True, backref="moderations", on_delete="CASCADE")
    draw = ForeignKeyField(ModerationDraw, backref="moderations", index=False)  # (draw, id) leads with it
    chosen_because = CharField()
    moderator = ForeignKeyField(User, null=True, backref="moderations")
    status = CharField(default="assigned")
    # The auditor's overall grade, as the audit was sampled; and the moderated one (the final grade, on
    # submission: the auditor's where the moderator agrees).
    auditor_grade = CharField()
    agrees = BooleanField(null=True)
    grade = CharField(null=True)
    overall_reason = TextField(default="")  # why the moderator disagrees
    actions_addressed = CharField(null=True)
    actions_comment = TextField(default="")
    message = TextField(default="")
    submitted_at = DateTimeField(null=True)
    due_on = DateField()  # its draw's, when it was drawn

    class Meta:
        # A moderator's to do, soonest due first, and done, latest first; a draw's moderations
        # (migration 0015: the first is partial, on those not yet submitted).
        indexes = (
            (("moderator", "status", "submitted_at", "id"), False),
            (("draw", "id"), False),
            (("status", "draw", "id"), False),
            (("status", "agrees", "draw", "id"), False),
        )

    @property
    def status_label(self):
        return self.STATUSES[self.status]

    def is_overdue(self, today):
        return not self.is_submitted and self.due_on < today

    def is_due_today(self, today):
        return not self.is_submitted and self.due_on == today

    @property
    def chosen_because_label(self):
        return self.CHOSEN_BECAUSE[self.chosen_because]

    @property
    def is_submitted(self):
        return self.status == "submitted"


class DomainModeration(BaseModel):
    """The moderator's view of one domain's grade; `grade` is the moderated grade (on submission, the
    final one: the auditor's where the moderator agrees), `auditor_grade` the auditor's."""

    moderation = ForeignKeyField(Moderation, backref="domains", on_delete="CASCADE")
    domain = ForeignKeyField(TemplateDomain)
    auditor_grade = CharField()
    agrees = BooleanField(null=True)
    grade = CharField(null=True)
    reason = TextField(default="")  # why the moderator disagrees

    class Meta:
        indexes = ((("moderation", "domain"), True),)


# Calibration's figures added up as each moderation is submitted (services/calibration_tallies.py), by the
# month drawn, the audit's template and the service area of the case's team when it was moderated: the
# calibration page adds up a few hundred of these rows, however many years of moderations there are. Each figure
# is kept for each service area and, in a row whose service area is empty, for every service area together, so
# that the page without a service area chosen reads a tenth of the rows. They are read by a range of months, never
# by the record a column refers to, so those columns have no index of their own (one would tempt the planner away
# from the month's). A grade's step counts from Outstanding (0) to Inadequate (3).
GRADE_STEPS = range(len(GRADES))
# Each audit's totals that weighted kappa's interval needs (services/kappa.py): `o`, the sum over its grades of
# 3 - the steps between the auditor's and the moderated grade; `r0`..`r3`, its grades the auditor gave at each
# step; `c0`..`c3`, those left at each step by moderation. The products of each pair are kept, added over audits.
KAPPA_TOTALS = ("o", *(f"r{i}" for i in GRADE_STEPS), *(f"c{j}" for j in GRADE_STEPS))
KAPPA_PRODUCTS = [(a, b) for index, a in enumerate(KAPPA_TOTALS) for b in KAPPA_TOTALS[index:]]
EVERY_AREA = "service_area_id IS NULL"  # the rows for every service area together: each key has its own index


class CalibrationTally(BaseModel):
    """How many grades of one part of the audit (`part`: 0 the overall judgement, else the domain's position)
    went from each step the auditor gave (`n_<i>_<j>`: i) to each moderated step (j)."""

    month = DateField()  # the draw's
    template = ForeignKeyField(AuditTemplate, backref="+", index=False)
    service_area = ForeignKeyField(ServiceArea, backref="+", index=False, null=True)
    part = IntegerField()

    class Meta:
        # Read by a range of months (services/calibration.py).
        indexes = ((("month", "template", "part", "service_area"), True),)


class CalibrationSpread(BaseModel):
    """How many audits were moderated, and the sums over them of the products of their KAPPA_TOTALS
    (`s_<a>_<b>` for each of KAPPA_PRODUCTS): how far audits differ, for kappa's interval."""

    month = DateField()
    template = ForeignKeyField(AuditTemplate, backref="+", index=False)
    service_area = ForeignKeyField(ServiceArea, backref="+", index=False, null=True)
    audits = IntegerField(default=0)

    class Meta:
        indexes = ((("month", "template", "service_area"), True),)


class GroupTally(BaseModel):
    """One auditor's or team's audits moderated: how many, their grades (each domain's and the overall
    judgement), how many the moderator left as they were, and the sum of the changes in steps. Kept for each
    month drawn (`span` 1) and for the twelve months to each month (`span` 12), so that twelve months are a row
    for each person rather than twelve, and six years six (services/calibration.spanned)."""

    span = IntegerField(default=1)
    month = DateField()
    template = ForeignKeyField(AuditTemplate, backref="+", index=False)
    audits = IntegerField(default=0)
    grades = IntegerField(default=0)
    agreed = IntegerField(default=0)
    change = IntegerField(default=0)


class CalibrationAuditor(GroupTally):
    service_area = ForeignKeyField(ServiceArea, backref="+", index=False, null=True)
    auditor = ForeignKeyField(User, backref="+", index=False)

    class Meta:
        indexes = ((("span", "month", "template", "service_area", "auditor"), True),)


class CalibrationTeam(GroupTally):
    """By the team holding the case when it was moderated, kept for its service area only: a team is in one."""

    service_area = ForeignKeyField(ServiceArea, backref="+", index=False)
    team = ForeignKeyField(Team, backref="+", index=False)

    class Meta:
        indexes = ((("span", "month", "template", "service_area", "team"), True),)


# The rows for every service area together, one for each key: each model's unique index without the service area.
EVERY_AREA_KEYS = {
    CalibrationTally: ("month", "template", "part"),
    CalibrationSpread: ("month", "template"),
    CalibrationAuditor: ("span", "month", "template", "auditor"),
}
for _model, _key in EVERY_AREA_KEYS.items():
    _fields = (getattr(_model, name) for name in _key)
    _name = f"{_model._meta.table_name}_every_area"
    _model.add_index(_model.index(*_fields, unique=True, where=SQL(EVERY_AREA), name=_name))


# The columns of counts, a column each: spelt out they would be 61 lines of the same.
PAIR_COLUMNS = {(i, j): f"n_{i}_{j}" for i in GRADE_STEPS for j in GRADE_STEPS}
PRODUCT_COLUMNS = {(a, b): f"s_{a}_{b}" for a, b in KAPPA_PRODUCTS}
for _model, _columns in ((CalibrationTally, PAIR_COLUMNS), (CalibrationSpread, PRODUCT_COLUMNS)):
    for _column in _columns.values():
        _model._meta.add_field(_column, IntegerField(default=0))


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


class FamilyFeedback(Versioned):
    """What the child, a parent or a carer said of our work, on its own form linked to the audit; or why
    it could not be gathered. Several per audit: Sefton asks for both parents where possible (seed 001 s.3.3)."""

    GIVEN_BY = {
        "child": "The child or young person",
        "mother": "Mother",
        "father": "Father",
        "other-parent": "Other parent or carer",
        "foster-carer": "Foster carer",
        "family-member": "Other family member",
    }
    HOW = {"in-person": "In person", "phone": "By phone", "video": "By video call", "writing": "In writing"}
    # How helpful our work has been, least first: the words are what the person chose.
    HELPFULNESS = {
        1: "Not at all helpful",
        2: "Not very helpful",
        3: "Somewhat helpful",
        4: "Very helpful",
        5: "Extremely helpful",
    }
    NOT_GATHERED = {
        "declined": "They declined",
        "no-reply": "No reply after several attempts",
        "not-appropriate": "Not appropriate for the child's age or understanding",
        "safety": "A safety reason",
        "other": "Another reason",
    }
    # The guide's questions, by the field holding the answer: "a guide: feel free to re-word" (seed 001 s.3.3).
    QUESTIONS = {
        "what_changed": "What has changed since we became involved?",
        "listened_to": "Do you feel listened to?",
        "explained": "Does your worker explain things so you understand?",
        "do_better": "What could we do better?",
    }

    # (audit, created_at, id) leads with it.
    audit = ForeignKeyField(Audit, backref="family_feedback", on_delete="CASCADE", index=False)
    recorded_by = ForeignKeyField(User, backref="+")
    given_by = CharField()
    relationship = CharField(default="")  # who they are, for another parent, carer or family member
    gathered = BooleanField(default=True)
    how = CharField(default="")
    given_on = DateField(null=True)  # when it was given, or when the last attempt was made
    what_changed = TextField(default="")
    listened_to = TextField(default="")
    explained = TextField(default="")
    do_better = TextField(default="")
    helpfulness = IntegerField(null=True)
    child_views = TextField(default="")
    not_gathered_reason = CharField(default="")
    attempts = TextField(default="")  # what was tried, when it could not be gathered
    after_submission = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("audit", "created_at", "id"), False), (("gathered", "audit", "created_at", "id"), False))

    @classmethod
    def rating(cls, number):
        """How helpful, in the words chosen, then its place on the scale: "Very helpful (4 out of 5)"."""
        return f"{cls.HELPFULNESS[number]} ({number} out of {max(cls.HELPFULNESS)})"

    @property
    def who(self):
        """Who gave it: "Mother", or who they are to the child, "Grandmother (other family member)"."""
        label = self.GIVEN_BY.get(self.given_by, self.given_by)
        return f"{self.relationship} ({label[:1].lower()}{label[1:]})" if self.relationship else label

    @property
    def how_label(self):
        return self.HOW.get(self.how, self.how)

    @property
    def helpfulness_label(self):
        return self.rating(self.helpfulness) if self.helpfulness in self.HELPFULNESS else "Not recorded"

    @property
    def not_gathered_label(self):
        return self.NOT_GATHERED.get(self.not_gathered_reason, self.not_gathered_reason)


class ImmediateResponse(Versioned):
    """A child who may be unsafe, found in an audit or on a case: what must happen now, who must act and by
    when, tracked from Raised to Acknowledged to Closed (seed 001 s.3.1; seed 002 s.10)."""

    TRIGGERS = {
        "safeguarding": "Immediate safeguarding concern",
        "no-supervision": "Not discussed in supervision in the last 6 months",
        "other": "Another reason",
    }
    # How urgent, and the working days from the day it is raised to its deadline.
    URGENCIES = {"today": "Today", "1-day": "Within 1 working day", "5-days": "Within 5 working days"}
    URGENCY_DAYS = {"today": 0, "1-day": 1, "5-days": 5}
    STATUSES = {"raised": "Raised", "acknowledged": "Acknowledged", "closed": "Closed"}
    TOLD_HOW = {"in-person": "In person", "phone": "By phone", "email": "By email", "video": "By video call"}

    case = ForeignKeyField(Case, backref="immediate_responses")
    # Indexed with when it was raised (Meta), the order an audit's are shown in.
    audit = ForeignKeyField(Audit, null=True, backref="immediate_responses", on_delete="SET NULL", index=False)
    raised_by = ForeignKeyField(User, backref="immediate_responses_raised")
    raised_at = DateTimeField(default=utcnow)
    trigger = CharField()
    trigger_other = CharField(default="")
    found = TextField()
    must_happen = TextField()
    who_acts = ForeignKeyField(User, backref="+")
    urgency = CharField()
    due_on = DateField()
    told_name = CharField(default="")
    told_role = CharField(default="")
    told_how = CharField(default="")
    told_on = DateField(null=True)
    status = CharField(default="raised")
    acknowledged_by = ForeignKeyField(User, null=True, backref="+")
    acknowledged_at = DateTimeField(null=True)
    response = TextField(default="")
    action_taking = TextField(default="")
    closed_by = ForeignKeyField(User, null=True, backref="+")
    closed_at = DateTimeField(null=True)
    outcome = TextField(default="")
    escalated_at = DateTimeField(null=True)
    # Where it comes in the list, what needs attention first (services/immediate_responses.py: list_order).
    list_order = IntegerField(default=0)

    class Meta:
        indexes = (
            (("list_order", "id", "case"), False),
            (("status", "list_order", "id"), False),
            (("raised_by", "raised_at", "id"), False),
            (("case", "raised_at", "id"), False),
            (("audit", "raised_at", "id"), False),
            (("status", "due_on"), False),
            (("raised_at", "id"), False),  # the dashboard's, of those raised in a period
        )

    @property
    def status_label(self):
        return self.STATUSES[self.status]

    @property
    def trigger_label(self):
        label = self.TRIGGERS[self.trigger]
        return f"{label}: {self.trigger_other}" if self.trigger_other else label

    @property
    def urgency_label(self):
        return self.URGENCIES[self.urgency]

    def is_overdue(self, today):
        """Not acknowledged by its deadline: escalated."""
        return self.status == "raised" and self.due_on < today


class Notice(BaseModel):
    """The outbox: one row a notice a person is sent, written in the same transaction as the change it is
    about. The person reads it in the service; the job (`run-jobs`) also emails it when a mail server is set.
    Neither the subject nor the body holds a child's details beyond the case reference."""

    EMAIL_STATUSES = {"waiting": "Waiting to be sent", "sent": "Sent", "not-sent": "Not sent"}

    recipient = ForeignKeyField(User, backref="notices", on_delete="CASCADE")
    subject = CharField()
    body = TextField()
    link = CharField()  # the path in the service that says the rest
    created_at = DateTimeField(default=utcnow)
    read_at = DateTimeField(null=True)
    email_status = CharField(default="waiting")
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    claimed_until = DateTimeField(null=True)  # a sender is delivering it until then
    last_error = TextField(default="")
    sent_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("recipient", "created_at", "id"), False),
            (("recipient", "read_at"), False),
            (("email_status", "next_attempt_at"), False),
            (("created_at", "id"), False),
            (("email_status", "created_at", "id"), False),
        )


class ImportMapping(BaseModel):
    """Which column of a case management system's export holds each thing an import reads, saved by name to use
    again next month (services/case_import.py)."""

    name = CharField(unique=True)
    columns = TextField()  # {field: the column's heading}, as JSON
    saved_by = ForeignKeyField(User, backref="+", index=False)
    saved_at = DateTimeField(default=utcnow)


class CaseImport(Versioned):
    """An import of the open-case list under way: the rows as uploaded and, once its columns are chosen, the
    preview of what applying it would change. Deleted, with its rows, once applied or abandoned, so that the
    upload is not kept."""

    uploaded_by = ForeignKeyField(User, backref="+", index=False)
    uploaded_at = DateTimeField(default=utcnow)
    file_name = CharField()
    headers = TextField()  # as JSON
    rows = TextField()  # [[its row number in the file, its cells]], as JSON
    mapping = TextField(default="{}")  # {field: heading}, as JSON
    counts = TextField(default="{}")  # the preview's figures and the new names it found, as JSON
    previewed_at = DateTimeField(null=True)


class ImportRow(BaseModel):
    """A line of an import's preview: a case new, changed, unchanged, to be closed, or closing but with work open
    on it (`kind`); or a row of the file that is wrong, with its column and why."""

    case_import = ForeignKeyField(CaseImport, backref="+", on_delete="CASCADE", index=False)
    kind = CharField()
    row_number = IntegerField(null=True)  # in the file; none for a case missing from it
    reference = CharField()
    column = CharField(default="")  # the heading of the column that is wrong
    detail = TextField(default="")  # what changes, or what is wrong
    values = TextField(default="")  # what to save, as JSON
    case = ForeignKeyField(Case, null=True, backref="+", index=False)

    class Meta:
        indexes = ((("case_import", "kind", "id"), False),)


class Reminder(BaseModel):
    """A step of chasing that the periodic jobs have taken (services/chasing.py): `about` what ("audit-12", or
    "overdue-audits" for the QA officers' weekly list) and which `step` ("before", "due", "overdue-2", or a week
    such as "2026-W49"). Its unique pair makes each step go once, whatever runs overlap."""

    about = CharField()
    step = CharField()
    sent_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("about", "step"), True),)


class Draft(BaseModel):
    """Text that arrived after its author's session had timed out, kept until they are back: a form of an
    audit's (`field` names which), or of no audit, where `field` names the form and its record."""

    audit = ForeignKeyField(Audit, null=True, backref="drafts", on_delete="CASCADE")
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

    @classmethod
    def record_download(cls, user, record_type, kind, filters):
        """Write that `user` downloaded a list of records of `record_type` as a file of `kind` ("CSV" or "Excel"),
        with these filters ({name: value as asked for}), so the log says who took what out of the service."""
        chosen = ", ".join(f"{name} {value}" for name, value in sorted(filters.items())) or "no filters"
        return cls.create(user=user, action=f"downloaded ({kind})", record_type=record_type, fields=chosen[:255])


class AccessRecord(BaseModel):
    """Append-only record of who looked at or downloaded which child's record, and when (services/access_log.py): the
    database refuses to change a row (migration 0037). `case_id` is the child's case, kept as a number so the record
    outlives the case's removal; empty for a list of many children's records downloaded. `kind` is what was sent:
    a page, a Word document, CSV, Excel or text; `path` its address, a list's filters with it."""

    at = DateTimeField(default=utcnow)
    user = ForeignKeyField(User, backref="+", index=False)
    case_id = IntegerField(null=True)
    record_type = CharField()
    record_id = IntegerField(null=True)
    kind = CharField()
    path = TextField()

    class Meta:
        # Who looked at a case, what a person looked at, and what retention removes (services/retention.py).
        indexes = ((("case_id", "id"), False), (("user", "id"), False), (("at",), False))

    def save(self, *args, **kwargs):
        if self.id is not None:
            raise PermissionError("The record of who has looked is append-only")
        return super().save(*args, **kwargs)


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


# Reports


class DashboardTally(BaseModel):
    """The dashboard's figures added up by the month audits were allocated in, their template and type, and the team
    holding the case now (services/dashboard_tallies.py), kept as audits are allocated, cancelled, submitted and
    moderated, as their actions close, as their families' feedback is recorded and as cases move between teams: the
    dashboard adds up a few hundred of these rows for any period, rather than every grade of every audit. Each figure
    is kept for each team, for each service area (team 0) and for every service area together (both 0), so that the
    rows read are as few for the whole service as for one team. Part 0 is the audit as a whole (its overall
    judgement, its actions, its family's feedback); any other part is the domain at that position in the template.
    Grades are the final ones: the moderator's, where an audit was moderated. Reliability exercises are left out."""

    month = DateField()  # the first day of the month
    template = IntegerField()  # the audit template's id, 0 for an audit with none
    audit_type = CharField()
    service_area = IntegerField()  # 0 for every service area together
    team = IntegerField()  # 0 for every team of the service area together
    part = IntegerField()
    audits = IntegerField(default=0)  # allocated, those later cancelled too
    cancelled = IntegerField(default=0)
    submitted = IntegerField(default=0)
    on_time = IntegerField(default=0)  # submitted by the day they were due
    outstanding = IntegerField(default=0)
    good = IntegerField(default=0)
    requires_improvement = IntegerField(default=0)
    inadequate = IntegerField(default=0)
    moderated = IntegerField(default=0)  # grades moderated (in part 0, overall judgements: audits)
    changed = IntegerField(default=0)  # of those, the grades the moderator changed
    actions_sent = IntegerField(default=0)  # to the case's team
    actions_closed = IntegerField(default=0)
    actions_completed = IntegerField(default=0)  # closed as done and signed off (and authorised, where that is needed)
    actions_on_time = IntegerField(default=0)  # of those, signed off by their deadline
    family_gathered = IntegerField(default=0)  # each family member's feedback, gathered or not
    family_declined = IntegerField(default=0)  # not gathered, by FamilyFeedback.NOT_GATHERED's reasons
    family_no_reply = IntegerField(default=0)
    family_not_appropriate = IntegerField(default=0)
    family_safety = IntegerField(default=0)
    family_other = IntegerField(default=0)

    class Meta:
        indexes = (
            (("service_area", "team", "month", "template", "audit_type", "part"), True),
            # The figures by team read part 0 of every team for a period.
            (("part", "month"), False),
        )


class ThemeTag(BaseModel):
    """A domain's finding in an audit tagged with a learning theme, by its auditor, its moderator or the QA team."""

    judgement = ForeignKeyField(DomainJudgement, backref="+", on_delete="CASCADE", index=False)
    theme = ForeignKeyField(LearningTheme, backref="+", on_delete="CASCADE", index=False)
    tagged_by = ForeignKeyField(User, backref="+", index=False)
    tagged_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("judgement", "theme"), True),)


class ThemeTally(BaseModel):
    """How often each learning theme was tagged on each part of the audits submitted, added up as DashboardTally is
    (services/dashboard_tallies.py), with the same keys and scopes and the theme."""

    month = DateField()
    template = IntegerField()
    audit_type = CharField()
    service_area = IntegerField()
    team = IntegerField()
    part = IntegerField()
    theme = IntegerField()
    tags = IntegerField(default=0)

    class Meta:
        indexes = ((("service_area", "team", "month", "template", "audit_type", "part", "theme"), True),)


class ServiceReport(Versioned):
    """The report on a period's audits to the senior leadership team, every six months in Leeds, in the headings of
    the framework's template (seed 000 s.5.6, Appendix A). The QA team writes each section's narrative; the service
    fills the cohort and findings with the period's figures whenever it is downloaded, so they are always current."""

    SECTIONS = {
        "introduction": "Introduction or background",
        "scope": "The scope",
        "methodology": "Methodology",
        "cohort": "The cohort",
        "findings": "Findings",
        "conclusions": "Conclusions and/or recommendations",
    }

    first_month = DateField()  # the first day of the period's first month
    last_month = DateField()  # the first day of its last month
    introduction = TextField(default="")
    scope = TextField(default="")
    methodology = TextField(default="")
    cohort = TextField(default="")
    findings = TextField(default="")
    conclusions = TextField(default="")
    created_by = ForeignKeyField(User, backref="+")
    created_at = DateTimeField(default=utcnow)
    changed_at = DateTimeField(default=utcnow)

    # A report stays open to its QA team: it is sent as it stands when downloaded, and may be corrected after.
    is_submitted = False


class ServiceAction(SmartAction):
    """An action of the service-level action plan the QA team keeps with its reports (seed 000 s.5.6, Appendix B:
    Title, Action to be taken, Action taken to date, Responsible Officer, Date completed, Action approved by), set
    as every action is, SMART."""

    title = CharField()
    taken_to_date = TextField(default="")
    completed_on = DateField(null=True)
    approved_by = CharField(default="")
    created_by = ForeignKeyField(User, backref="+")
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def ordered(cls):
        """Those still to complete first, soonest due first; then the completed, latest first."""
        return cls.select().order_by(cls.completed_on.is_null(False), cls.due_on, cls.id)
