"""Chasing audits: each reminder goes once, on the right working day, to the right people, by email."""

import datetime
import threading

import pytest

from models import Notice, Reminder
from services import chasing, jobs, team_actions
from services.dates import long_date, uk_today
from services.working_days import add_working_days, is_working_day

SETTINGS = chasing.Settings(days_before=3, overdue_every=7, list_weekday=0)
MONDAY = datetime.date(2026, 11, 30)  # a working day, the week's first


def at(day):
    return datetime.datetime.combine(day, datetime.time(9))


@pytest.mark.parametrize(
    ("due_on", "today", "step"),
    [
        (datetime.date(2026, 12, 4), MONDAY, None),  # Friday: four working days away
        (datetime.date(2026, 12, 3), MONDAY, "before"),  # three working days away
        (datetime.date(2026, 12, 7), datetime.date(2026, 12, 2), "before"),  # over a weekend: Wed, Thu, Fri, Mon
        (MONDAY, MONDAY, "due"),
        (datetime.date(2026, 11, 29), MONDAY, "overdue-1"),
        (datetime.date(2026, 11, 23), MONDAY, "overdue-1"),  # seven days late: still the first week
        (datetime.date(2026, 11, 22), MONDAY, "overdue-2"),
    ],
)
def test_the_step_an_audit_is_owed(due_on, today, step):
    assert chasing.step_for(due_on, today, SETTINGS) == step


def a_monday_to_come():
    """A Monday after today with no bank holiday in the fortnight from it, so that the runs come after the
    notices are written (a notice is emailed from when it is written)."""
    day = uk_today() + datetime.timedelta(days=7 - uk_today().weekday())
    while add_working_days(day, 9) != day + datetime.timedelta(days=11) or not is_working_day(day):
        day += datetime.timedelta(days=7)
    return day


def test_each_reminder_is_emailed_once_to_the_auditor_on_its_day(app, mail_server, make_audit, make_user):
    config = app.config | {"REMINDER_WORKING_DAYS_BEFORE": 3, "OVERDUE_REMINDER_DAYS": 7, "OVERDUE_LIST_DAY": 0}
    monday = a_monday_to_come()
    due = add_working_days(monday, 3)
    audit = make_audit(due_on=due)
    make_audit(due_on=due + datetime.timedelta(days=30))  # not yet
    make_audit(due_on=due, status="submitted", submitted_at=at(monday))  # done
    make_audit(due_on=due, status="cancelled")  # cancelled
    qa = make_user(roles=("qa-officer",))

    def run(day):
        """Run the jobs on `day`; the emails this run sent, to the auditor and to the QA officer."""
        before = len(mail_server.messages)
        jobs.run_jobs(config, at(day))
        sent = mail_server.messages[before:]
        to_auditor = [email["Subject"] for email in sent if email["To"] == audit.auditor.email]
        return to_auditor, [email["Subject"] for email in sent if email["To"] == qa.email]

    reference = audit.case.reference
    assert run(monday) == ([f"Audit due by {long_date(due)}: case {reference}"], [])
    assert run(monday) == run(monday + datetime.timedelta(days=1)) == ([], [])  # never twice
    assert run(due) == ([f"Audit due today: case {reference}"], [])
    friday = due + datetime.timedelta(days=1)
    assert run(friday) == ([f"Audit overdue: case {reference}"], [])
    # The next Monday, the QA officers' weekly list; no second overdue reminder until the week late is out.
    next_monday = monday + datetime.timedelta(days=7)
    assert run(next_monday) == ([], ["1 audit overdue"])
    listed = Notice.get(Notice.recipient == qa)
    assert f"{audit.case.team.name}: 1" in listed.body and listed.link == "/audits?overdue=yes"
    assert run(friday + datetime.timedelta(days=6)) == ([], [])  # the list goes once a week
    assert run(friday + datetime.timedelta(days=7)) == ([f"Audit overdue: case {reference}"], [])
    # The audit's four steps, and each week's list (the first had none overdue).
    assert Reminder.select().where(Reminder.about != chasing.OVERDUE_ACTIONS).count() == 6


def test_two_runs_at_once_send_each_reminder_once(app, make_audit):
    audit = make_audit(due_on=MONDAY)
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        chasing.remind_auditors(MONDAY, at(MONDAY), SETTINGS)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Notice.select().where(Notice.recipient == audit.auditor).count() == 1


def test_a_team_manager_is_reminded_once_a_step_of_their_actions_in_one_notice(
    app, mail_server, make_sent_action, make_user
):
    config = app.config | {"REMINDER_WORKING_DAYS_BEFORE": 3, "OVERDUE_REMINDER_DAYS": 7, "OVERDUE_LIST_DAY": 0}
    monday = a_monday_to_come()
    deadline = add_working_days(monday, 3)
    manager = make_user(roles=("team-manager",))
    first = make_sent_action(manager=manager, sent_on=deadline - datetime.timedelta(days=14))
    second = make_sent_action(manager=manager, sent_on=deadline - datetime.timedelta(days=14))
    done = make_sent_action(manager=manager, sent_on=deadline - datetime.timedelta(days=14))
    team_actions.take(manager, done, "done", done.version, {"text": "Done"}, team_actions.Rules(), monday)
    team_actions.take(manager, done, "signed-off", done.version, {}, team_actions.Rules(), monday)
    qa = make_user(roles=("qa-officer",))

    def run(day):
        before = len(mail_server.messages)
        jobs.run_jobs(config, at(day))
        sent = mail_server.messages[before:]
        return [email["Subject"] for email in sent if email["To"] == manager.email], [
            email["Subject"] for email in sent if email["To"] == qa.email and "action" in email["Subject"]
        ]

    Notice.delete().execute()
    assert run(monday) == (["2 actions to sign off"], []), "the one signed off is not chased"
    notice = Notice.get(Notice.recipient == manager)
    for action in (first, second):
        assert f"case {action.audit.case.reference}, to sign off by {long_date(deadline)}" in notice.body
    assert run(monday) == run(monday + datetime.timedelta(days=1)) == ([], [])  # never twice
    assert run(deadline) == (["2 actions to sign off"], [])
    assert run(deadline + datetime.timedelta(days=1)) == (["2 actions to sign off, 2 overdue"], [])
    # The next Monday, the QA officers' weekly list of overdue actions, by team.
    assert run(monday + datetime.timedelta(days=7)) == ([], ["2 actions overdue"])
    listed = Notice.get(Notice.recipient == qa, Notice.subject == "2 actions overdue")
    assert f"{first.team.name}: 1" in listed.body and listed.link == "/team-actions?state=overdue"
    # Done, an action is still chased until it is signed off.
    for action in (first, second):
        team_actions.take(manager, action, "done", action.version, {"text": "Done"}, team_actions.Rules(), monday)
    assert run(deadline + datetime.timedelta(days=8)) == (["2 actions to sign off, 2 overdue"], [])
    for action in (first, second):
        team_actions.take(manager, action, "signed-off", action.version, {}, team_actions.Rules(), monday)
    assert run(deadline + datetime.timedelta(days=15)) == ([], [])
