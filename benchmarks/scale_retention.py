"""Retention at Leeds scale (issue 19), for scale_data.py: every closed case dated, closed on a day between its
opening and today, so that those closed more than six years ago are past their time (half of them given notice
already), and one closed case in a hundred on legal hold, as a council with proceedings under way might have."""

import datetime

from models import Case, db

HELD_EVERY = 100  # one closed case in this many is on legal hold
HOLD_REASONS = ["Care proceedings under way", "Complaint to the Ombudsman", "Court order to keep the records"]


def build_retention(rng, council):
    """Date the closed cases, give notice to half of those past their time, and hold every HELD_EVERY-th."""
    today = council.now.date()
    past = today.replace(year=today.year - 6)
    closed = Case.select(Case.id, Case.opened_on).where(~Case.is_open).order_by(Case.id).tuples()
    with db.atomic():
        for number, (case_id, opened_on) in enumerate(list(closed)):
            closed_on = opened_on + datetime.timedelta(days=rng.randint(0, (today - opened_on).days))
            changes = {Case.closed_on: closed_on}
            if number % HELD_EVERY == 0:
                changes |= {
                    Case.held_because: rng.choice(HOLD_REASONS),
                    Case.held_by: rng.choice(council.qa_officers),
                    Case.held_at: council.now - datetime.timedelta(days=rng.randint(1, 700)),
                }
            elif closed_on < past and rng.random() < 0.5:
                changes[Case.removal_on] = today + datetime.timedelta(days=rng.randint(1, 30))
            Case.update(changes).where(Case.id == case_id).execute()
