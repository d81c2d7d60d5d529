"""The demo's team actions (services/team_actions.py) and practitioner (services/team_audits.py), through the service
so that their steps, events and notices are real, each step dated when it was taken: the year's actions sent to their
teams as their audits were submitted, the older ones mostly authorised, some overdue; a Management Decision waiting
for the printed service manager and one authorised; a dispute waiting for the QA officers; the newest two on the
printed team manager's team still open, for someone trying the service to work through; and the printed practitioner
holding that audit's case (and the rest of its worker's caseload), with the audit to read and reflect on."""

import datetime
from functools import partial

from peewee import fn

from models import Action, ActionFollowUp, ActionStep, Audit, Case, Notice, Reflection, Team, utcnow
from services import action_reviews, earlier_actions, team_actions, team_audits
from services.team_actions import DEFAULT_RULES, list_order

DONE = "Visited at school on the day planned; the child's words are on the record and the plan was updated with them."
DECISION = (
    "The visit cannot happen as set: the child moved out of the area with their family, and the new authority now "
    "holds the case. The record says so, and the plan was closed with a transfer summary."
)
DISPUTE = "The child was seen at school twice in the period and both visits quote them; the audit missed the notes."


def load(printed, service_managers, teams, today):
    """Give each team its service manager (the printed one the first half's), send every submitted audit's actions
    to its team on the day it was submitted, and work them as their teams did."""
    for index, team in enumerate(teams):
        Team.update(service_manager=service_managers[index * len(service_managers) // len(teams)]).where(
            Team.id == team.id
        ).execute()
    now = min(utcnow(), datetime.datetime.combine(today, datetime.time.max))
    newest = second_action(printed["team.manager"])
    audits = Audit.select().where(Audit.submitted_at.is_null(False) & Audit.exercise.is_null()).order_by(Audit.id)
    for audit in audits:
        sent_on = audit.submitted_at.date()
        dated(audit.submitted_at, lambda audit=audit, sent_on=sent_on: send(audit, sent_on))
    actions = list(team_actions.detailed().where(Action.received_on.is_null(False)).order_by(Action.received_on))
    left_open = {action.id for action in actions if action.audit_id == newest.id}
    caseload(printed["practitioner"], newest.case, today)
    # A week or more old, so that their steps have been taken.
    older = [
        action for action in reversed(actions) if action.id not in left_open and (today - action.received_on).days >= 7
    ]
    decision = next(action for action in older if action.team.service_manager_id == printed["service.manager"].id)
    disputed = next(action for action in older if action.id != decision.id)
    for number, action in enumerate(actions):
        if action.id in left_open:
            continue
        if action.id == decision.id:
            work(action, [("discussed", 2), ("cannot-be-achieved", 5)], now)
        elif action.id == disputed.id:
            work(action, [("disputed", 3)], now)
        elif number == 3:
            work(action, [("discussed", 3), ("cannot-be-achieved", 6), ("decision-authorised", 9)], now)
        elif number % 9 == 4:
            work(action, [("discussed", 4)], now)  # left overdue
        elif number % 9 == 7:
            work(action, [("discussed", 3), ("done", 12)], now)  # done, not yet signed off
        else:
            work(action, [("discussed", 3), ("done", 8), ("signed-off", 10), ("authorised", 13)], now)
    follow_ups(printed["auditor"])
    # Only what came in the last week is unread.
    week_ago = now - datetime.timedelta(days=7)
    Notice.update(read_at=Notice.created_at).where((Notice.created_at < week_ago) & Notice.read_at.is_null()).execute()


FOLLOW_UPS = {
    "authorised": ("yes", "Done as set: the record shows it, and the plan changed because of what the child said."),
    "decision-authorised": ("no", "Not achievable, as the Management Decision explains; the new plan covers it."),
}
PARTLY = ("partly", "Partly: the visit happened, but the plan has not yet been updated with what the child said.")


def follow_ups(auditor):
    """Each audit of a case audited before has followed up the earlier audits' actions, as its auditor found them;
    an open audit of such a case, to follow them up, is given to the printed auditor where their team allows."""
    for audit in Audit.select().where(team_audits.readable()).order_by(Audit.submitted_at, Audit.id):
        for action in earlier_actions.of(audit):
            achieved, difference = FOLLOW_UPS.get(action.status, PARTLY)
            ActionFollowUp.create(
                audit=audit, action=action, achieved=achieved, difference=difference, recorded_by=audit.auditor_id
            )
    open_audits = Audit.select().join(Case).where(Audit.still_open() & Audit.exercise.is_null()).order_by(Audit.id)
    to_follow_up = [audit for audit in open_audits if earlier_actions.of(audit)]
    if to_follow_up and not any(audit.auditor_id == auditor.id for audit in to_follow_up):
        audit = next((audit for audit in to_follow_up if audit.case.team_id != auditor.team_id), None)
        if audit is not None:
            Audit.update(auditor=auditor.id).where(Audit.id == audit.id).execute()


def second_action(manager):
    """The newest audit with actions of a case of the team manager's team, given a second action: both are left
    open for someone trying the service to work through."""
    newest = (
        Audit.select()
        .join(Case)
        .join(Team)
        .where(
            (Team.manager == manager.id)
            & team_audits.readable()
            & fn.EXISTS(Action.select().where(Action.audit == Audit.id))
        )
        .order_by(Audit.submitted_at.desc())
        .get()
    )
    Action.create(
        audit=newest,
        what="Hold a strategy discussion with the school nurse about the missed health appointments, and record it",
        owner_name=newest.case.worker_name,
        owner_role="Social Worker",
        due_on=newest.submitted_at.date() + datetime.timedelta(days=21),
        done_when="The discussion is on the record with the new appointment dates",
    )
    return newest


def caseload(practitioner, case, today):
    """Give the practitioner the caseload of the worker `case` is allocated to, and their reflection on the audits
    of it submitted before the last month (the newest is left for someone trying the service)."""
    worker = {"worker_name": practitioner.name, "worker_email": practitioner.email, "worker": practitioner.id}
    Case.update(worker).where(Case.worker_email == case.worker_email).execute()
    month_ago = datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time())
    earlier = (
        Audit.select()
        .join(Case)
        .where((Case.worker == practitioner.id) & team_audits.readable() & (Audit.submitted_at < month_ago))
    )
    for audit in earlier:
        at = audit.submitted_at + datetime.timedelta(days=4)
        dated(at, partial(team_audits.reflect, practitioner, audit, None, None, REFLECTION))
        Reflection.update(saved_at=at).where(Reflection.audit == audit.id).execute()


REFLECTION = {
    "takes_from": "That my records say what I did but not what changed for the child. I will write what the child "
    "said and what changed after each visit, and bring the plan to supervision when it drifts.",
    "sees_differently": "The school visits were recorded in the education notes rather than the case notes.",
}


def send(audit, sent_on):
    if team_actions.send_to_team(audit.auditor, audit, "audit", DEFAULT_RULES, sent_on):
        action_reviews.schedule(audit, sent_on)
    ActionStep.update(at=audit.submitted_at).where(
        ActionStep.action.in_(Action.select(Action.id).where(Action.audit == audit.id))
    ).execute()


def dated(at, step):
    """Take `step`, then date the notices it wrote `at`: the demo's history as it happened."""
    before = Notice.select(fn.MAX(Notice.id)).scalar() or 0
    step()
    Notice.update(created_at=at).where(Notice.id > before).execute()


WHO = {"team-manager": "manager", "service-manager": "service_manager"}
TEXTS = {
    "done": DONE,
    "cannot-be-achieved": DECISION,
    "disputed": DISPUTE,
}


def work(action, steps, now):
    """Take each of `steps` ((kind, days after it was received)) whose day has come, dated that day."""
    for kind, days in steps:
        on = action.received_on + datetime.timedelta(days=days)
        at = datetime.datetime.combine(on, datetime.time(14, 30))
        if at > now:
            return
        step = team_actions.STEPS[kind]
        person = getattr(action.team, WHO[step.by])
        values = ({"on": on} if step.date else {}) | ({"text": TEXTS[kind]} if step.text else {})
        dated(at, partial(team_actions.take, person, action, kind, action.version, values, DEFAULT_RULES, on))
        ActionStep.update(at=at).where((ActionStep.action == action.id) & (ActionStep.kind == kind)).execute()
        if action.is_closed:
            order = list_order(action.status, action.deadline, on)
            Action.update(closed_at=at, list_order=order).where(Action.id == action.id).execute()
            action.closed_at = at
