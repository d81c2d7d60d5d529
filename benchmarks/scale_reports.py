"""The reports a council at Leeds scale would keep (issue 18, seed 000 s.5.6, Appendices A and B), for scale_data.py:
a report to the senior leadership team every six months, each section written at a page's length, and an action
plan of five actions a report, most of them completed."""

import datetime

from bulk import insert, sentence

from models import ServiceAction, ServiceReport
from services.audits import months_before

ACTIONS_A_REPORT = 5


def build_reports(rng, council):
    """A report of each six months up to the last whole month, and its actions, by the first QA officer."""
    today = council.now.date()
    first_audit = min(row["allocated_at"] for row in council.audits).date().replace(day=1)
    last = months_before(today.replace(day=1), 1)
    periods = []
    while months_before(last, 5) >= first_audit:
        periods.append((months_before(last, 5), last))
        last = months_before(last, 6)
    qa = council.qa_officers[0]
    written = {name: "\n".join(sentence(rng, 25) for _ in range(8)) for name in ServiceReport.SECTIONS}
    reports = [
        {"first_month": first, "last_month": last, "created_by": qa, "created_at": council.now,
         "changed_at": council.now, **written}
        for first, last in periods
    ]  # fmt: skip
    insert(ServiceReport, reports)
    actions = []
    for _, last in periods:
        for _ in range(ACTIONS_A_REPORT):
            due = months_before(last, -rng.randint(2, 8))
            completed = (
                due - datetime.timedelta(days=rng.randint(0, 30)) if due < today and rng.random() < 0.8 else None
            )
            actions.append(
                {"title": sentence(rng, 3), "what": sentence(rng, 25), "owner_name": "Head of Service",
                 "owner_role": "Head of Service", "due_on": due, "done_when": sentence(rng, 12),
                 "taken_to_date": sentence(rng, 20), "completed_on": completed,
                 "approved_by": "Director of Children's Services" if completed else "", "created_by": qa,
                 "created_at": council.now}
            )  # fmt: skip
    insert(ServiceAction, actions)
