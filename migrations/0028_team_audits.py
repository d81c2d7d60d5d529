"""The audit reaches the practitioner (services/team_audits.py): each case's allocated worker linked to their account
where one with the practitioner role has their email, and the reflection they record on an audit of their case."""

from peewee import DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Audit(Base):
        pass

    class Reflection(Base):
        version = IntegerField(default=1)
        audit = ForeignKeyField(Audit, unique=True, on_delete="CASCADE")
        practitioner = ForeignKeyField(User, index=False)
        takes_from = TextField()
        sees_differently = TextField(default="")
        saved_at = DateTimeField()

    db.create_tables([Reflection])
    # Added in place, as 0022 adds the audit's type: SQLite would otherwise copy the table.
    db.execute_sql('ALTER TABLE "case" ADD COLUMN worker_id INTEGER REFERENCES "user" (id)')
    # A practitioner's cases, for the audits of them they may read.
    db.execute_sql('CREATE INDEX case_worker_id ON "case" (worker_id) WHERE worker_id IS NOT NULL')
