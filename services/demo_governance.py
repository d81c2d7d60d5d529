"""What the demo shows an information governance team: who has looked at the children's records over the last
months (services/access_log.py); and closed cases for retention (services/retention.py) to show: every closed case
dated within the last three years, one more closed seven years ago, audited before it closed, which the periodic job
gave notice three weeks ago (the Retention page lists it, to go in a week), and one closed as long ago but on legal
hold, which stays."""

import datetime

from peewee import chunked

from models import AccessRecord, Case
from services import demo_actions, retention

EXPIRED = "DEMO-0301"
HELD = "DEMO-0302"
HOLD_REASON = "Fictional: the council's legal team asked for this record to be kept while a claim is open."


def date_closed_cases(rng, today):
    """Give each closed case without one the day it closed, after it opened and within the last three years."""
    for case in Case.select().where(~Case.is_open & Case.closed_on.is_null()).order_by(Case.id):
        earliest = max(case.opened_on, retention.years_before(today, 3))
        latest = today - datetime.timedelta(days=7)
        closed_on = earliest + datetime.timedelta(days=rng.randrange(max(1, (latest - earliest).days)))
        Case.update(closed_on=closed_on).where(Case.id == case.id).execute()


def long_closed(rng, teams, today):
    """The two cases closed seven years ago (past the demo's six), each opened three years before that."""
    closed_on = retention.years_before(today, 7)
    return [
        Case.create(
            reference=reference,
            initials=initials,
            birth_year=closed_on.year - 15,
            team=rng.choice(teams),
            worker_name="Robin Ashdown",
            is_open=False,
            opened_on=retention.years_before(closed_on, 3),
            closed_on=closed_on,
        )
        for reference, initials in ((EXPIRED, "KP"), (HELD, "LT"))
    ]


def hold(qa_officer, case):
    return retention.hold(qa_officer, case, case.version, HOLD_REASON)


def give_notice(today):
    """The expired case given notice by the periodic job three weeks ago, the QA officers told: the Retention page
    shows it will go in a week, and the jobs run with RETENTION_NOTICE_DAYS=0 remove it at once."""
    found_on = today - datetime.timedelta(days=21)
    policy = retention.Policy(6, 6, 21 + 7)  # the settings' six years; notice running out a week from today
    demo_actions.dated(
        datetime.datetime.combine(found_on, datetime.time(6)), lambda: retention.give_notice(policy, found_on)
    )


def who_has_looked(rng, audits, qa_officer, now):
    """Each audit's page opened by its auditor a few times after it was allocated, its record downloaded once when
    submitted, and its case's page opened by the QA officer: dated as it happened, however long ago."""
    rows = []

    def looked(user, at, record_type, record_id, case_id, kind, path):
        if at < now:
            rows.append(
                {"at": at, "user": user, "case_id": case_id, "record_type": record_type, "record_id": record_id,
                 "kind": kind, "path": path}
            )  # fmt: skip

    for audit in audits:
        page = f"/audits/{audit.id}"
        for _ in range(rng.randint(1, 4)):
            at = audit.allocated_at + datetime.timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 480))
            looked(audit.auditor_id, at, "Audit", audit.id, audit.case_id, "page", page)
        if audit.submitted_at:
            at = audit.submitted_at + datetime.timedelta(minutes=5)
            looked(audit.auditor_id, at, "Audit", audit.id, audit.case_id, "Word document", f"{page}/record.docx")
        at = audit.allocated_at - datetime.timedelta(minutes=rng.randint(5, 60))
        looked(qa_officer.id, at, "Case", audit.case_id, audit.case_id, "page", f"/cases/{audit.case_id}")
    for batch in chunked(sorted(rows, key=lambda row: row["at"]), 500):
        AccessRecord.insert_many(batch).execute()
