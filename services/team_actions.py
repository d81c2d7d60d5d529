"""Actions reach the team (PRODUCT.md, workflow 6): when an audit is submitted, or a moderation that set further
actions, its actions are sent to the team manager of the case's team (seed 000 s.7.1), who discusses them in
supervision (7.2), records each done and signs it off by the council's deadline (7.4; seed 002 s.10), after which a
service manager authorises it where the council requires that (002 s.11). An action that cannot be achieved gets a
Management Decision, which a service manager authorises or sends back (002 s.10); one the team manager disagrees is
needed is disputed, and a QA officer resolves it (002 s.10, last paragraph).

Each step is one transaction with its timeline row (models.ActionStep), its event and its notices, and is taken only
from the statuses it starts from, on the version of the action the person saw: of two people at once, one wins."""

import datetime
import operator
import re
from dataclasses import dataclass
from functools import reduce

from peewee import JOIN, chunked

from models import Action, ActionStep, Audit, Case, Event, StaleRecord, Team, User, utcnow
from services import dashboard_tallies, drafts, notices
from services.dates import long_date
from services.errors import RuleBroken
from services.immediate_responses import qa_officers
from services.records import Stale
from services.working_days import add_working_days

STATUSES = Action.STATUSES
WITH_TEAM_MANAGER = Action.WITH_TEAM_MANAGER
TEAM_MANAGER, SERVICE_MANAGER, QA_OFFICER = "team-manager", "service-manager", "qa-officer"
TAKEN_BY = {TEAM_MANAGER: "team's manager", SERVICE_MANAGER: "team's service manager", QA_OFFICER: "QA team"}
B = Action.LIST_BAND


@dataclass(frozen=True)
class Rules:
    """The council's rules for actions: the time a team manager has from receiving one to signing it off, in
    calendar or working days (ACTION_DEADLINE: "14 days", seed 000 s.7.4; or "25 working days", seed 002 s.10), and
    whether an action signed off must then be authorised by a service manager (ACTIONS_NEED_AUTHORISATION)."""

    days: int = 14
    working: bool = False
    authorisation: bool = True

    @classmethod
    def parse(cls, deadline, authorisation=True):
        found = re.fullmatch(r"\s*(\d{1,3})\s+(working\s+)?days?\s*", str(deadline), re.IGNORECASE)
        if not found or int(found[1]) < 1:
            raise ValueError(
                f'ACTION_DEADLINE must be a number of days, like "14 days" or "25 working days", not "{deadline}"'
            )
        return cls(int(found[1]), bool(found[2]), bool(authorisation))

    @classmethod
    def of(cls, config):
        return cls.parse(config["ACTION_DEADLINE"], config["ACTIONS_NEED_AUTHORISATION"])

    def deadline(self, received_on):
        """The day an action received on `received_on` must be signed off by."""
        if self.working:
            return add_working_days(received_on, self.days)
        return received_on + datetime.timedelta(days=self.days)

    @property
    def text(self):
        return f"{self.days} {'working ' if self.working else ''}day{'s' * (self.days != 1)}"


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Step:
    """A step of an action's progress: what it is called in its timeline, who takes it (a role, and that person's
    link to the action's team), the statuses it is taken from and the one it leaves, what it asks (a date, a text)
    and who is told."""

    label: str
    button: str
    by: str
    starts: tuple
    ends: str | None = None  # None: the status stays as it was
    text: str = ""  # the question its text answers; empty for a step without one
    text_hint: str = ""
    date: str = ""  # the question its date answers
    tell: tuple = ()  # "team-manager", "service-manager", "qa-officers", "auditor"
    back_to_team: bool = False  # the team manager receives it again, with a new deadline


STEPS = {
    "discussed": Step(
        "Discussed in supervision",
        "Record it discussed in supervision",
        TEAM_MANAGER,
        WITH_TEAM_MANAGER,
        date="Date it was discussed in supervision",
    ),
    "done": Step(
        "Done",
        "Record it done",
        TEAM_MANAGER,
        ("open",),
        "done",
        text="What was done",
        text_hint="What was done, by whom and when, and where it is recorded on the child's file.",
    ),
    "signed-off": Step("Signed off", "Sign it off", TEAM_MANAGER, ("done",), "signed-off", tell=(SERVICE_MANAGER,)),
    "authorised": Step(
        "Authorised", "Authorise it", SERVICE_MANAGER, ("signed-off",), "authorised", tell=(TEAM_MANAGER,)
    ),
    "cannot-be-achieved": Step(
        "Management Decision: it cannot be achieved",
        "Record a Management Decision",
        TEAM_MANAGER,
        WITH_TEAM_MANAGER,
        "decision",
        text="The Management Decision: why it cannot be achieved",
        text_hint="For example, it needs information from workers who no longer work here (seed 002 s.10).",
        tell=(SERVICE_MANAGER,),
    ),
    "decision-authorised": Step(
        "Management Decision authorised",
        "Authorise the Management Decision",
        SERVICE_MANAGER,
        ("decision",),
        "decision-authorised",
        tell=(TEAM_MANAGER,),
    ),
    "decision-sent-back": Step(
        "Management Decision sent back",
        "Send the Management Decision back",
        SERVICE_MANAGER,
        ("decision",),
        "open",
        text="Why it is sent back",
        text_hint="What the team manager should do instead.",
        tell=(TEAM_MANAGER,),
        back_to_team=True,
    ),
    "disputed": Step(
        "Disputed",
        "Dispute it",
        TEAM_MANAGER,
        ("open",),
        "disputed",
        text="Why the action is not needed",
        tell=("qa-officers", "auditor"),
    ),
    "upheld": Step(
        "Dispute resolved: the action stands",
        "Resolve it: the action stands",
        QA_OFFICER,
        ("disputed",),
        "open",
        text="Why the action stands",
        tell=(TEAM_MANAGER, "auditor"),
        back_to_team=True,
    ),
    "withdrawn": Step(
        "Dispute resolved: the action is withdrawn",
        "Resolve it: withdraw the action",
        QA_OFFICER,
        ("disputed",),
        "withdrawn",
        text="Why it is withdrawn",
        tell=(TEAM_MANAGER, "auditor"),
    ),
}
# The step an action's timeline starts with, taken by whoever submitted the audit or moderation that set it.
RECEIVED = "Sent to the team manager"
CLOSING = ("authorised", "decision-authorised", "withdrawn")


def closes(status, rules):
    """Whether an action reaching `status` is closed: signed off closes it where no authorisation is needed."""
    return status in CLOSING or (status == "signed-off" and not rules.authorisation)


def list_order(status, deadline, closed_on=None):
    """Where an action comes in the team actions list (smallest first), kept on it so a page reads an index in order:
    those with the team manager, soonest deadline (the overdue) first; those waiting for someone else (a service
    manager's authorisation, a QA officer's resolution), by deadline; the closed, latest first; and, after every one
    sent, those not sent yet (models.Action.NOT_SENT)."""
    if closed_on is not None:
        return 3 * B - closed_on.toordinal()
    return (0 if status in WITH_TEAM_MANAGER else B) + deadline.toordinal()


# The list's filters by state: the conditions on an action's own columns (list_order's bands keep each to a range).
STATES = {
    "": "Not yet closed",
    "overdue": "Overdue",
    **{status: label for status, label in STATUSES.items()},
    "closed": "Closed, any way",
    "all": "Every one",
}


def state_condition(state, today):
    if state == "overdue":
        return Action.list_order < today.toordinal()
    if state == "closed":
        return Action.list_order.between(2 * B, 3 * B - 1)
    if state == "all":
        return Action.list_order < 3 * B
    if state in STATUSES:
        return (Action.status == state) & (Action.list_order < 3 * B)
    return Action.list_order < 2 * B


def draft_field(action_id, kind):
    """The draft of the form taking step `kind` of an action (services/drafts.py)."""
    return f"action-{action_id}-{kind}"


def keep_draft(user, action_id, kind, form):
    """Keep what was typed taking step `kind` of an action, if `user` may take it."""
    action = detailed().where(Action.id == action_id).first()
    if action is not None and kind in STEPS and may_take(user, action, STEPS[kind]):
        drafts.keep(user, draft_field(action_id, kind), form, about=action)


# Sending an audit's actions to the team.


def send_to_team(actor, audit, source, rules, today):
    """Send the audit's actions of `source` ("audit", or "moderation" for its further actions) not yet sent to the
    team manager of the case's team, with their deadline, and tell them (or the QA officers, when the team has no
    manager), in the caller's transaction. Returns how many were sent."""
    actions = list(
        Action.select(Action.id).where(
            (Action.audit == audit.id) & (Action.source == source) & (Action.list_order == Action.NOT_SENT)
        )
    )
    if not actions:
        return 0
    team = Team.select(Team, User).join(User, JOIN.LEFT_OUTER, on=(Team.manager == User.id))
    team = team.where(Team.id == Case.select(Case.team).where(Case.id == audit.case_id)).get()
    deadline = rules.deadline(today)
    ids = [action.id for action in actions]
    Action.update(team=team.id, received_on=today, deadline=deadline, list_order=list_order("open", deadline)).where(
        Action.id.in_(ids)
    ).execute()
    ActionStep.insert_many([{"action": action_id, "kind": "received", "by": actor.id} for action_id in ids]).execute()
    for action in actions:
        Event.record(actor, "sent", action, ["team", "received_on", "deadline"])
    reference = audit.case.reference
    count = notices.count(len(ids), "action")
    from_what = "the moderation of the audit" if source == "moderation" else "the audit"
    what = f"{actor.name} submitted {from_what} of case {reference}, with {count} for {team.name}."
    asked = (
        f"Discuss {'it' if len(ids) == 1 else 'them'} with the social worker in supervision, and record each done and "
        f"signed off by {long_date(deadline)} ({rules.text} from today)."
    )
    if team.manager_id:
        notices.notify([team.manager], f"{count} to sign off by {long_date(deadline)}: case {reference}",
                       f"{what} {asked}", "/team-actions")  # fmt: skip
    else:
        notices.notify(qa_officers(), f"{count} with no team manager to send them to: case {reference}",
                       f"{what} {team.name} has no team manager set, so nobody has been sent them. Set the team's "
                       "manager, who will see them under Team actions.", "/team-actions")  # fmt: skip
    return len(ids)


def follow_cases(case_ids):
    """Move the open actions of these cases to each case's team now: the manager of the team holding the case answers
    for them (seed 002 s.10: "responsibility ... will rest with the current Practice Manager"). Closed ones stay
    with the team that closed them, and those not sent yet have no team until they are."""
    case_team = Case.select(Case.team).join(Audit, on=(Audit.case == Case.id)).where(Audit.id == Action.audit)
    for batch in chunked(case_ids, 500):
        of_cases = Audit.select(Audit.id).where(Audit.case.in_(batch))
        Action.update(team=case_team).where(Action.audit.in_(of_cases) & (Action.list_order < 2 * B)).execute()


# Who sees and does what.


def teams_of(user):
    """The ids of the teams whose actions `user` sees, or None for every team (a QA officer): those they manage and
    those they are the service manager of."""
    if user.has_role(QA_OFFICER):
        return None
    roles = {TEAM_MANAGER: Team.manager, SERVICE_MANAGER: Team.service_manager}
    held = [column == user.id for role, column in roles.items() if user.has_role(role)]
    if not held:
        return []
    return [team_id for (team_id,) in Team.select(Team.id).where(reduce(operator.or_, held)).order_by(Team.id).tuples()]


def may_see(user, action):
    """QA officers, the manager and service manager of the action's team, and the auditor who set it."""
    team = action.team
    return (
        user.has_role(QA_OFFICER)
        or action.audit.auditor_id == user.id
        or (team is not None and user.id in (team.manager_id, team.service_manager_id))
    )


def may_take(user, action, step):
    """Whether `user` holds the role the step needs and, for a manager's step, is that manager of the action's team."""
    if not user.has_role(step.by) or action.team is None:
        return False
    if step.by == TEAM_MANAGER:
        return action.team.manager_id == user.id
    if step.by == SERVICE_MANAGER:
        return action.team.service_manager_id == user.id
    return True


def not_theirs(step):
    """Why someone else may not take the step: "Only the team's manager can record it done."."""
    return f"Only the {TAKEN_BY[step.by]} can {step.button[:1].lower()}{step.button[1:]}."


def available(step, action):
    """Whether the step can be taken from where the action is now (sent, in a status it starts from, not closed)."""
    return action.received_on is not None and action.closed_at is None and action.status in step.starts


def steps_for(user, action):
    """The steps `user` may take on the action now, by kind, in the order of STEPS."""
    return {kind: step for kind, step in STEPS.items() if available(step, action) and may_take(user, action, step)}


def not_now(step, action):
    """Why the step cannot be taken now, or None if it can."""
    if action.received_on is None:
        return "This action has not been sent to the team yet: its audit or moderation is not submitted."
    if available(step, action):
        return None
    status = STATUSES[action.status].lower()
    if action.closed_at is not None:
        return f"This action is closed ({status}), so nothing more can be recorded on it."
    return f"This action is now {status}, so this step cannot be taken. See its timeline for what has happened."


# Taking a step.


def take(actor, action, kind, expected_version, values, rules, today):
    """Take step `kind` of the action with `values` ("on", a date; "text"), if it is where the step starts from and
    nobody changed it since `expected_version`; or RuleBroken (Stale when only the version moved on)."""
    step = STEPS[kind]
    if not may_take(actor, action, step):
        raise RuleBroken(not_theirs(step))
    changes = {}
    if step.ends:
        changes[Action.status] = step.ends
        closed = closes(step.ends, rules)
        deadline = action.deadline
        if step.back_to_team:
            deadline = rules.deadline(today)
            changes |= {Action.received_on: today, Action.deadline: deadline}
        changes[Action.closed_at] = utcnow() if closed else None
        changes[Action.list_order] = list_order(step.ends, deadline, today if closed else None)
    where = Action.status.in_(step.starts) & Action.closed_at.is_null() & Action.received_on.is_null(False)
    try:
        with dashboard_tallies.kept(Audit.id == action.audit_id):
            try:
                action.save_version(expected_version, changes, only_if=where)
            except StaleRecord:
                reason = not_now(step, Action.get_by_id(action.id))
                if reason:
                    raise RuleBroken(reason) from None
                raise
            ActionStep.create(action=action, kind=kind, by=actor, on=values.get("on"), text=values.get("text", ""))
            drafts.forget(actor, draft_field(action.id, kind))
            for field, value in changes.items():
                setattr(action, field.name, value)
            Event.record(actor, kind, action, [field.name for field in changes] or ["steps"])
            tell(actor, action, step)
    except StaleRecord as error:
        raise Stale(Action.get_by_id(action.id).version) from error
    return action


def tell(actor, action, step):
    """Write the step's notices: to the team manager, the team's service manager (or, with none set, the QA officers,
    to set one), the QA officers or the auditor, never to whoever took it."""
    team, reference = action.team, action.audit.case.reference
    people = []
    for who in step.tell:
        if who == TEAM_MANAGER:
            people.append(team.manager)
        elif who == SERVICE_MANAGER:
            if step.ends == "signed-off" and action.closed_at is not None:
                continue  # closed by signing off: nobody need authorise it
            people += [team.service_manager] if team.service_manager_id else qa_officers()
        elif who == "qa-officers":
            people += qa_officers()
        elif who == "auditor":
            people.append(action.audit.auditor)
    people = [person for person in people if person is not None and person.id != actor.id]
    waiting = WAITING.get(action.status, "") if action.closed_at is None else ""
    label = f"{step.label[:1].lower()}{step.label[1:]}"
    notices.notify(
        people,
        f"Action {label}: case {reference}",
        f"{actor.name} recorded an action from the audit of case {reference} as {label}."
        + waiting.format(deadline=long_date(action.deadline)),
        f"/team-actions/{action.id}",
    )


# What the person told is waiting for, after the step: of each status someone else has to act on next.
WAITING = {
    "signed-off": " It is waiting for a service manager to authorise it.",
    "decision": " It is waiting for a service manager to authorise the Management Decision or send it back.",
    "disputed": " It is waiting for a QA officer to resolve the dispute.",
    "open": " It is back with the team manager, to sign off by {deadline}.",
}


# Reading an action.


def detailed():
    """Actions with their audit and auditor, its case, and the action's team with its manager and service manager."""
    Auditor, Manager, ServiceManager = User.alias(), User.alias(), User.alias()
    return (
        Action.select(Action, Audit, Auditor, Case, Team, Manager, ServiceManager)
        .join(Audit)
        .join(Auditor, on=(Audit.auditor == Auditor.id))
        .switch(Audit)
        .join(Case)
        .switch(Action)
        .join(Team, JOIN.LEFT_OUTER, on=(Action.team == Team.id))
        .join(Manager, JOIN.LEFT_OUTER, on=(Team.manager == Manager.id))
        .switch(Team)
        .join(ServiceManager, JOIN.LEFT_OUTER, on=(Team.service_manager == ServiceManager.id))
    )
