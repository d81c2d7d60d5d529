"""Chasing audits, in the periodic jobs (services/jobs.py): each auditor is reminded of an open audit a few working
days before it is due, on the day, and every week while it is overdue; and the QA officers are sent a list of the
overdue audits by team once a week (seed 002 s.8: audits are completed within 20 working days, and chased).

Each step is sent once: a Reminder row is written with its notice, in one transaction, and the pair it holds is
unique, so a run that overlaps another finds the step taken and sends nothing."""

from collections import Counter
from dataclasses import dataclass

from peewee import IntegrityError

from models import Audit, Case, Reminder, Team, User, db
from services import notices
from services.dates import long_date
from services.immediate_responses import qa_officers
from services.working_days import add_working_days

OVERDUE_LIST = "overdue-audits"


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
    try:
        with db.atomic():
            Reminder.create(about=about, step=step, sent_at=now)
            send()
    except IntegrityError:
        return False
    return True


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
    taken = (
        set(Reminder.select(Reminder.about, Reminder.step).where(Reminder.about.in_(list(owed))).tuples())
        if owed
        else set()
    )
    sent = 0
    for about, (audit, step) in owed.items():
        if (about, step) not in taken:
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
    year, week, weekday = today.isocalendar()
    if weekday - 1 < settings.list_weekday:
        return False
    overdue = Counter(audit.case.team.name for audit in open_audits_due_by(today) if audit.due_on < today)
    total = sum(overdue.values())
    by_team = "; ".join(f"{team}: {count}" for team, count in sorted(overdue.items()))

    def send():
        if not total:
            return
        notices.notify(
            qa_officers(),
            f"{notices.count(total, 'audit')} overdue",
            f"As of {long_date(today)}, {notices.count(total, 'audit')} {'is' if total == 1 else 'are'} past the due "
            f"date and not submitted. By team: {by_team}.",
            "/audits?overdue=yes",
        )

    return take_step(OVERDUE_LIST, f"{year}-W{week:02d}", now, send) and total > 0
