"""Actions reach the team (services/team_actions.py): each action sent to the team manager of its case's team when
its audit or moderation is submitted, with the day they received it, the day it must be signed off by and its place
in the team actions list; each step of its progress, dated and by whom; and each team's service manager, who
authorises its actions.

Actions already sent (of submitted audits and moderations) are given their team and dates as if sent on the day they
were submitted, under the default deadline of 14 calendar days (seed 000 s.7.4): a council with another rule sees
the overdue ones as overdue a little sooner or later, once."""

import datetime

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

LIST_BAND = 10_000_000
NOT_SENT = 3 * LIST_BAND
DEFAULT_DAYS = 14


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Action(Base):
        team_id = IntegerField(null=True)
        received_on = DateField(null=True)
        deadline = DateField(null=True)
        list_order = IntegerField()

    class ActionStep(Base):
        action = ForeignKeyField(Action, on_delete="CASCADE", index=False)
        kind = CharField()
        by = ForeignKeyField(User, null=True, index=False)
        at = DateTimeField()
        on = DateField(null=True)
        text = TextField(default="")

        class Meta:
            indexes = ((("action", "at", "id"), False),)

    db.create_tables([ActionStep])
    # Added in place, as 0022 adds the audit's type: SQLite would otherwise copy the table.
    db.execute_sql('ALTER TABLE team ADD COLUMN service_manager_id INTEGER REFERENCES "user" (id)')
    db.execute_sql("ALTER TABLE action ADD COLUMN team_id INTEGER REFERENCES team (id)")
    db.execute_sql("ALTER TABLE action ADD COLUMN received_on DATE")
    db.execute_sql("ALTER TABLE action ADD COLUMN deadline DATE")
    db.execute_sql("ALTER TABLE action ADD COLUMN closed_at TIMESTAMP")
    db.execute_sql(f"ALTER TABLE action ADD COLUMN list_order INTEGER NOT NULL DEFAULT {NOT_SENT}")
    send_those_already_submitted(db, Action, ActionStep)
    db.execute_sql("CREATE INDEX action_list_order_id_team_id ON action (list_order, id, team_id)")
    db.execute_sql("CREATE INDEX action_team_id_list_order_id ON action (team_id, list_order, id)")


def send_those_already_submitted(db, Action, ActionStep):
    """An audit's own actions are received when it was submitted, a moderation's further actions when it was."""
    sent = db.execute_sql(
        "SELECT x.id, c.team_id, a.submitted_at, m.submitted_at, x.source FROM action x "
        'JOIN audit a ON a.id = x.audit_id JOIN "case" c ON c.id = a.case_id '
        "LEFT JOIN moderation m ON m.audit_id = a.id "
        "WHERE (x.source = 'audit' AND a.submitted_at IS NOT NULL) "
        "OR (x.source = 'moderation' AND m.submitted_at IS NOT NULL)"
    ).fetchall()
    for action_id, team_id, audit_submitted, moderation_submitted, source in sent:
        submitted = moderation_submitted if source == "moderation" else audit_submitted
        if isinstance(submitted, str):  # SQLite gives the text stored
            submitted = datetime.datetime.fromisoformat(submitted)
        received_on = submitted.date()
        deadline = received_on + datetime.timedelta(days=DEFAULT_DAYS)
        Action.update(
            team_id=team_id, received_on=received_on, deadline=deadline, list_order=deadline.toordinal()
        ).where(Action.id == action_id).execute()
        ActionStep.insert(action=action_id, kind="received", at=submitted).execute()
