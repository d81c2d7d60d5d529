"""The demo's reports (seed 000 s.5.6, Appendices A and B): the last report to the senior leadership team, written
and sent, a report of the last six whole months begun, and the service's action plan that the first led to, some of
it done. Invented, as all the demo data is."""

import datetime

from models import ServiceAction, ServiceReport, db
from services.audits import months_before
from services.service_reports import METHODOLOGY, latest_period

SENT = {
    "introduction": "This report sets out what the monthly case file audits found in the six months, for the "
    "Children's Senior Leadership Team, as the audit framework asks every six months.",
    "scope": "Every service area took part. Managers audited open cases drawn at random each month, and the "
    "quality assurance team moderated 30% of the audits, every one graded Good among them.",
    "cohort": "Most audits were submitted within their 20 working days; the overdue ones were mainly in the "
    "Children Looked After service over the summer.",
    "findings": "Practice with children's voices is stronger than six months before. Chronologies remain the "
    "weakest part of recording, and were chosen as a learning focus.\nContingency planning is inconsistent "
    "between teams.",
    "conclusions": "We recommend a month's learning focus on chronologies, with workshops for team managers, and "
    "a themed audit of contingency planning. Both are in the action plan.",
}
BEGUN = {
    "introduction": "This report sets out what the monthly case file audits found in the six months, and whether "
    "the focus on chronologies has moved practice.",
}
ACTIONS = [
    (
        "Chronologies",
        "Run a workshop on chronologies for every team manager, with an example of a chronology that says what each "
        "event meant for the child",
        "Every team manager has attended, and the next three months' audits grade Recording Good or better more often",
        "Four workshops held; every team manager attended.",
        True,
    ),
    (
        "Contingency planning",
        "Audit twenty children in need plans for contingency planning as a themed audit, and report what it finds "
        "to the senior leadership team",
        "The themed audit's report has been presented to the senior leadership team",
        "Twelve of the twenty audits done.",
        False,
    ),
    (
        "Family feedback",
        "Ask every family audited for their view by phone when a letter brings no reply, and record why not when it "
        "cannot be gathered",
        "The share of audits with family feedback is above 60% for three months running",
        "",
        False,
    ),
]


def load(qa_officer, senior_leader, today, moderation_percentage=30):
    """The reports and the action plan, by `qa_officer`; the action completed approved by `senior_leader`."""
    first, last = latest_period(today)
    earlier = months_before(first, 6), months_before(last, 6)
    written = datetime.datetime.combine(months_before(first, -1), datetime.time(10))
    methodology = METHODOLOGY.format(percentage=moderation_percentage)
    with db.atomic():
        ServiceReport.create(first_month=earlier[0], last_month=earlier[1], methodology=methodology,
                             created_by=qa_officer, created_at=written, changed_at=written, **SENT)  # fmt: skip
        now = datetime.datetime.combine(today, datetime.time(9))
        ServiceReport.create(first_month=first, last_month=last, methodology=methodology, created_by=qa_officer,
                             created_at=now, changed_at=now, **BEGUN)  # fmt: skip
        for number, (title, what, done_when, taken, completed) in enumerate(ACTIONS):
            ServiceAction.create(
                title=title,
                what=what,
                owner_name=senior_leader.name if number == 0 else qa_officer.name,
                owner_role=senior_leader.job_role if number == 0 else qa_officer.job_role,
                due_on=months_before(today, -(number + 1)) if not completed else months_before(first, -2),
                done_when=done_when,
                taken_to_date=taken,
                completed_on=months_before(first, -2) if completed else None,
                approved_by=f"{senior_leader.name}, {senior_leader.job_role}" if completed else "",
                created_by=qa_officer,
                created_at=written,
            )
