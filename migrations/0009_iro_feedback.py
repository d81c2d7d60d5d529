"""Feedback from the IRO or CP chair, on its own form linked to the audit (seed 001 s.3.3; 003 s.5)."""

import datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Audit(Base):
        pass

    class IroFeedback(Base):
        version = IntegerField(default=1)
        audit = ForeignKeyField(Audit, on_delete="CASCADE")
        recorded_by = ForeignKeyField(User)
        name = CharField()
        role = CharField()
        given_on = DateField()
        plan_progress = TextField(default="")
        grades_view = TextField(default="")
        after_submission = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("audit", "created_at", "id"), False),)

    db.create_tables([IroFeedback])
