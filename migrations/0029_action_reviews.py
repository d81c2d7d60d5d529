"""The four-month review of each audit's actions (services/action_reviews.py, seed 002 s.11): one for every audit whose
actions were sent to its team, due four months after it was submitted, for its case's team; the audits already
submitted with actions are given theirs. Those waiting are read by due date, for every team or for one."""

import calendar
import datetime

from peewee import DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

MONTHS = 4


def four_months_after(day):
    year, month = divmod(day.year * 12 + day.month - 1 + MONTHS, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Team(Base):
        pass

    class Audit(Base):
        pass

    class ActionReview(Base):
        version = IntegerField(default=1)
        audit = ForeignKeyField(Audit, unique=True, on_delete="CASCADE")
        team = ForeignKeyField(Team, index=False)
        due_on = DateField()
        reviewed_by = ForeignKeyField(User, null=True, index=False)
        reviewed_at = DateTimeField(null=True)
        comment = TextField(default="")

    db.create_tables([ActionReview])
    sent = db.execute_sql(
        'SELECT a.id, c.team_id, a.submitted_at FROM audit a JOIN "case" c ON c.id = a.case_id '
        "WHERE a.submitted_at IS NOT NULL AND EXISTS (SELECT 1 FROM action x WHERE x.audit_id = a.id "
        "AND x.received_on IS NOT NULL)"
    ).fetchall()
    for audit_id, team_id, submitted in sent:
        if isinstance(submitted, str):  # SQLite gives the text stored
            submitted = datetime.datetime.fromisoformat(submitted)
        ActionReview.insert(audit=audit_id, team=team_id, due_on=four_months_after(submitted.date())).execute()
    waiting = "WHERE reviewed_at IS NULL"
    db.execute_sql(f"CREATE INDEX action_review_waiting ON action_review (due_on, id, team_id) {waiting}")
    db.execute_sql(f"CREATE INDEX action_review_waiting_team ON action_review (team_id, due_on, id) {waiting}")
    db.execute_sql(
        "CREATE INDEX action_review_reviewed ON action_review (reviewed_at, id, team_id) WHERE reviewed_at IS NOT NULL"
    )
