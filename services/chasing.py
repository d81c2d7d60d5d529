"""Chasing audits and actions, in the periodic jobs (services/jobs.py): each auditor is reminded of an open audit a
few working days before it is due, on the day, and every week while it is overdue, and each team manager likewise of
the actions they have to sign off (services/team_actions.py); and the QA officers are sent a list of the overdue
audits, and of the overdue actions, by team once a week (seed 002 s.8: audits are completed within 20 working days,
and chased; seed 000 s.7.4: actions within 14 days of receipt).

Each step is sent once: a Reminder row is written with its notice, in one transaction, and the pair it holds is
unique, so a run that overlaps another finds the step taken and sends nothing."""

from collections import Counter
from dataclasses import dataclass

from peewee import JOIN, IntegrityError

from models import Action, Audit, Case, Reminder, Team, User, db
from services import notices
from services.dates import long_date
from services.immediate_responses import qa_officers
from services.working_days import add_working_days

OVERDUE_LIST = "overdue-audits"
OVERDUE_ACTIONS = "overdue-actions"


@dataclass(frozen=True)
class Settings:
    days_before: int = 3  # working days before the due date that the auditor is reminded
    overdue_every: int = 7  # days between reminders while an audit is overdue
    list_weekday: int = 0  # the day of the week (Monday 0) the QA officers' list of overdue audits goes

    @classmethod
    def of(cls, config):
        return cls(config["REMINDER_WORKING_DAYS_BEFORE"], config["OVERDUE_REMINDER_DAYS"], config["OVERDUE_LIST_DAY"])


def step_for(due_on, today, settings):
    """The reminder an open audit due on `due_on` is owed on `today`: "before" within the working days before it is
    due, "due" on the day, "overdue-1" in the first week after it, "overdue-2" in the second, and so on; or None."""
    if due_on == today:
        return "due"
    if due_on < today:
        return f"overdue-{((today - due_on).days - 1) // settings.overdue_every + 1}"
    if due_on <= add_working_days(today, settings.days_before):
        return "before"
    return None


def take_step(about, step, now, send):
    """Write that `step` of `about` was taken and `send` its notices, in one transaction, unless it was taken
    already (by an earlier run, or one running now); returns whether this run took it."""
    return take_steps([(about, step)], now, send)


def take_steps(steps, now, send):
    """As take_step, for several (about, step) pairs told in one notice: all are taken, or (one of them taken by a
    run at the same moment) none, to be taken by the next run."""
    try:
        with db.atomic():
            Reminder.insert_many([{"about": about, "step": step, "sent_at": now} for about, step in steps]).execute()
            send()
    except IntegrityError:
        return False
    return True


def not_taken(owed):
    """Of `owed` ({about: (record, step)}), those whose step has not been taken (one query)."""
    if not owed:
        return {}
    taken = set(Reminder.select(Reminder.about, Reminder.step).where(Reminder.about.in_(list(owed))).tuples())
    return {about: (record, step) for about, (record, step) in owed.items() if (about, step) not in taken}


def open_audits_due_by(day):
    """The open audits of the programme due on or before `day`, with their case and auditor (read from the index of
    open audits by due date, migration 0024)."""
    return (
        Audit.select(Audit.id, Audit.due_on, Case.id, Case.reference, Team.id, Team.name, User)
        .join(Case)
        .join(Team)
        .switch(Audit)
        .join(User, on=(Audit.auditor == User.id))
        .where(Audit.still_open() & Audit.exercise.is_null() & (Audit.due_on <= day))
        .order_by(Audit.due_on, Audit.id)
    )


def remind_auditors(today, now, settings):
    """Send each reminder the open audits are owed today and have not had; returns how many were sent."""
    owed = {}
    for audit in open_audits_due_by(add_working_days(today, settings.days_before)):
        step = step_for(audit.due_on, today, settings)
        if step:
            owed[f"audit-{audit.id}"] = (audit, step)
    sent = 0
    for about, (audit, step) in not_taken(owed).items():
        sent += take_step(about, step, now, lambda audit=audit, step=step: tell_auditor(audit, step, today))
    return sent


def tell_auditor(audit, step, today):
    reference, due = audit.case.reference, long_date(audit.due_on)
    if step == "before":
        subject = f"Audit due by {due}: case {reference}"
        body = f"Your audit of case {reference} is due by {due}. Submit it by then, or ask for a later due date."
    elif step == "due":
        subject = f"Audit due today: case {reference}"
        body = f"Your audit of case {reference} is due today, {due}. Submit it today, or ask for a later due date."
    else:
        days = (today - audit.due_on).days
        subject = f"Audit overdue: case {reference}"
        body = (
            f"Your audit of case {reference} was due by {due}, {notices.count(days, 'day')} ago, and has not been "
            "submitted. Submit it as soon as you can, or ask for a later due date."
        )
    notices.notify([audit.auditor], subject, body, f"/audits/{audit.id}")


def send_overdue_list(today, now, settings):
    """On the week's day for it (or the first run after it that week, if none ran that day), send the QA officers
    the overdue audits by team, if any are overdue: once a week, whichever; returns whether it was sent."""
    teams = [audit.case.team.name for audit in open_audits_due_by(today) if audit.due_on < today]
    return send_weekly_list(OVERDUE_LIST, today, now, settings, teams, ("audit", "submitted"), "/audits?overdue=yes")


def send_weekly_list(about, today, now, settings, teams, words, link):
    """Send the QA officers, once a week on its day, how many things are overdue by team (`teams`, a team's name for
    each), `words` being (what they are, what they are not yet); returns whether it was sent."""
    year, week, weekday = today.isocalendar()
    if weekday - 1 < settings.list_weekday:
        return False
    overdue = Counter(teams)
    total = sum(overdue.values())
    by_team = "; ".join(f"{team}: {count}" for team, count in sorted(overdue.items()))
    noun, not_yet = words

    def send():
        if not total:
            return
        notices.notify(
            qa_officers(),
            f"{notices.count(total, noun)} overdue",
            f"As of {long_date(today)}, {notices.count(total, noun)} {'is' if total == 1 else 'are'} past the due "
            f"date and not {not_yet}. By team: {by_team}.",
            link,
        )

    return take_step(about, f"{year}-W{week:02d}", now, send) and total > 0


# Actions, with the team manager until signed off (services/team_actions.py).


def actions_due_by(day):
    """The actions with the team manager to sign off by `day` or before, with their case, team and manager: those
    whose place in the team actions list is that day's or sooner (read from the index of its order)."""
    return (
        Action.select(Action.id, Action.deadline, Audit.id, Case.id, Case.reference, Team.id, Team.name, User)
        .join(Audit)
        .join(Case)
        .switch(Action)
        .join(Team, on=(Action.team == Team.id))
        .join(User, JOIN.LEFT_OUTER, on=(Team.manager == User.id))
        .where(Action.list_order <= day.toordinal())
        .order_by(Action.list_order, Action.id)
    )


def remind_team_managers(today, now, settings):
    """Send each team manager, in one notice, the reminders their teams' actions are owed today and have not had
    (a team with no manager is on the QA officers' weekly list); returns how many actions they were about."""
    owed = {}
    for action in actions_due_by(add_working_days(today, settings.days_before)):
        step = step_for(action.deadline, today, settings)
        if step and action.team.manager_id:
            # By its deadline too: one sent back to the team gets a new deadline, chased afresh.
            owed[f"action-{action.id}-{action.deadline:%Y%m%d}"] = (action, step)
    by_manager = {}
    for about, (action, step) in not_taken(owed).items():
        by_manager.setdefault(action.team.manager_id, []).append((about, step, action))
    sent = 0
    for owed_steps in by_manager.values():
        steps = [(about, step) for about, step, _ in owed_steps]
        actions = [action for _, _, action in owed_steps]
        if take_steps(steps, now, lambda actions=actions: tell_team_manager(actions, today)):
            sent += len(actions)
    return sent


def tell_team_manager(actions, today):
    """One notice to the team manager of `actions`, each with its case and when it is to be signed off by."""

    def when(action):
        if action.deadline > today:
            return f"to sign off by {long_date(action.deadline)}"
        if action.deadline == today:
            return "to sign off today"
        return f"overdue: it was to be signed off by {long_date(action.deadline)}"

    overdue = sum(action.deadline < today for action in actions)
    subject = f"{notices.count(len(actions), 'action')} to sign off" + (f", {overdue} overdue" if overdue else "")
    lines = "; ".join(f"case {action.audit.case.reference}, {when(action)}" for action in actions)
    notices.notify(
        [actions[0].team.manager],
        subject,
        f"Actions from audits of your team's cases wait for you: {lines}. Record each done and sign it off, or record "
        "a Management Decision if it cannot be achieved.",
        "/team-actions",
    )


def send_overdue_actions(today, now, settings):
    """The QA officers' weekly list of the actions overdue, by team."""
    teams = [action.team.name for action in actions_due_by(today) if action.deadline < today]
    words = ("action", "signed off")
    return send_weekly_list(OVERDUE_ACTIONS, today, now, settings, teams, words, "/team-actions?state=overdue")
