"""The periodic jobs, which `flask --app app run-jobs` runs every few minutes (README: Notices and email).

Each job takes the app's settings and the time now (UTC), does its work in its own transactions, and
returns what it did: something whose text says so, and which is false when there was nothing to do (a
Delivery, say, or an Outcome). One more job is one more line in JOBS."""

import logging
from dataclasses import dataclass

from services import case_import, chasing, immediate_responses, notices, retention
from services.dates import uk_today

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a job did, in a sentence; false when it did nothing, so a run repeated every minute stays quiet."""

    text: str
    did_something: bool = True
    failed: bool = False

    def __bool__(self):
        return self.did_something

    def __str__(self):
        return self.text


def deliver_notices(config, now):
    delivery = notices.deliver(config, now)
    return Outcome(str(delivery), did_something=delivery.did_something)


def escalate_overdue(config, now):
    escalated = immediate_responses.escalate_overdue(uk_today(now))
    if not escalated:
        return Outcome("No Immediate Response was newly overdue.", did_something=False)
    return Outcome(f"Escalated {escalated} overdue Immediate Response{'s' * (escalated != 1)}.")


def chase_audits(config, now):
    settings, today = chasing.Settings.of(config), uk_today(now)
    reminded = chasing.remind_auditors(today, now, settings)
    listed = chasing.send_overdue_list(today, now, settings)
    actions = chasing.remind_team_managers(today, now, settings)
    actions_listed = chasing.send_overdue_actions(today, now, settings)
    if not (reminded or listed or actions or actions_listed):
        return Outcome("No audit or action was owed a reminder.", did_something=False)
    said = [f"Reminded auditors of {notices.count(reminded, 'audit')}."] if reminded else []
    said += ["Sent the QA officers the week's list of overdue audits."] if listed else []
    said += [f"Reminded team managers of {notices.count(actions, 'action')}."] if actions else []
    said += ["Sent the QA officers the week's list of overdue actions."] if actions_listed else []
    return Outcome(" ".join(said))


def delete_forgotten_imports(config, now):
    deleted = case_import.delete_forgotten(now)
    if not deleted:
        return Outcome("No import of cases was left unapplied.", did_something=False)
    return Outcome(f"Deleted {deleted} import{'s' * (deleted != 1)} of cases left unapplied for two days.")


def remove_past_their_time(config, now):
    noticed, removed, logs = retention.run(retention.Policy.of(config), uk_today(now))
    if not noticed and not removed and not any(logs.values()):
        return Outcome("Nothing was newly past its time to keep, nor due to be removed.", did_something=False)
    said = [f"Gave notice of removal to {retention.past_time(len(noticed))}: {', '.join(noticed)}."] if noticed else []
    said += [f"Removed {retention.past_time(len(removed))}: {', '.join(removed)}."] if removed else []
    said += [f"Removed {logs['events']} events and {logs['views']} views from the logs."] if any(logs.values()) else []
    return Outcome(" ".join(said))


# In order: a job that writes notices comes before delivering them, so that they go out in the same run.
JOBS = {
    "escalations": escalate_overdue,
    "reminders": chase_audits,
    "imports": delete_forgotten_imports,
    "retention": remove_past_their_time,
    "notices": deliver_notices,
}


def run_jobs(config, now):
    """Run each job once, in order; returns what each did, by name. One job failing does not stop the
    others: its outcome says why, and is marked failed."""
    done = {}
    for name, job in JOBS.items():
        try:
            done[name] = job(config, now)
        except Exception as error:
            logger.exception("The %s job failed", name)
            done[name] = Outcome(f"The {name} job failed: {error}", failed=True)
    return done
