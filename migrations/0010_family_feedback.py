"""Feedback from the child, a parent or a carer, on its own form linked to the audit, or why it could
not be gathered; several per audit (seed 001 s.3.3; 003 s.5)."""

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

    class FamilyFeedback(Base):
        version = IntegerField(default=1)
        audit = ForeignKeyField(Audit, on_delete="CASCADE")
        recorded_by = ForeignKeyField(User)
        given_by = CharField()
        relationship = CharField(default="")
        gathered = BooleanField(default=True)
        how = CharField(default="")
        given_on = DateField(null=True)
        what_changed = TextField(default="")
        listened_to = TextField(default="")
        explained = TextField(default="")
        do_better = TextField(default="")
        helpfulness = IntegerField(null=True)
        child_views = TextField(default="")
        not_gathered_reason = CharField(default="")
        attempts = TextField(default="")
        after_submission = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("audit", "created_at", "id"), False),)

    db.create_tables([FamilyFeedback])
