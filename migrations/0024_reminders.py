"""The reminders the periodic jobs have sent (services/chasing.py): one row for each step of each thing chased, such
as an audit's reminder on its due date, or a week's list of overdue audits. The unique pair is what makes a step
go once, even when two runs overlap."""

from peewee import CharField, DateTimeField, Model


def up(migrator, db):
    class Reminder(Model):
        about = CharField()
        step = CharField()
        sent_at = DateTimeField()

        class Meta:
            database = db
            legacy_table_names = False
            indexes = ((("about", "step"), True),)

    db.create_tables([Reminder])
    # The open audits of the programme by due date, which the job reads every run.
    db.execute_sql(
        "CREATE INDEX audit_open_due_on ON audit (due_on) "
        "WHERE submitted_at IS NULL AND status <> 'cancelled' AND exercise_id IS NULL"
    )
