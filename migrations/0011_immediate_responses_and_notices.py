"""Immediate Responses (seed 001 s.3.1; 002 s.10), each service area's Head of Service who is told when one
is overdue, and the outbox of notices, read in the service and sent by email."""

import datetime

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Case(Base):
        pass

    class Audit(Base):
        pass

    class ImmediateResponse(Base):
        version = IntegerField(default=1)
        case = ForeignKeyField(Case)
        audit = ForeignKeyField(Audit, null=True, on_delete="SET NULL")
        raised_by = ForeignKeyField(User)
        raised_at = DateTimeField(default=datetime.datetime.utcnow)
        trigger = CharField()
        trigger_other = CharField(default="")
        found = TextField()
        must_happen = TextField()
        who_acts = ForeignKeyField(User)
        urgency = CharField()
        due_on = DateField()
        told_name = CharField(default="")
        told_role = CharField(default="")
        told_how = CharField(default="")
        told_on = DateField(null=True)
        status = CharField(default="raised")
        acknowledged_by = ForeignKeyField(User, null=True)
        acknowledged_at = DateTimeField(null=True)
        response = TextField(default="")
        action_taking = TextField(default="")
        closed_by = ForeignKeyField(User, null=True)
        closed_at = DateTimeField(null=True)
        outcome = TextField(default="")
        escalated_at = DateTimeField(null=True)

        class Meta:
            indexes = (
                (("raised_at", "id"), False),
                (("status", "raised_at", "id"), False),
                (("raised_by", "raised_at", "id"), False),
                (("case", "raised_at", "id"), False),
                (("status", "due_on"), False),
            )

    class Notice(Base):
        recipient = ForeignKeyField(User, on_delete="CASCADE")
        subject = CharField()
        body = TextField()
        link = CharField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        read_at = DateTimeField(null=True)
        email_status = CharField(default="waiting")
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField(default=datetime.datetime.utcnow)
        claimed_until = DateTimeField(null=True)
        last_error = TextField(default="")
        sent_at = DateTimeField(null=True)

        class Meta:
            indexes = (
                (("recipient", "created_at", "id"), False),
                (("recipient", "read_at"), False),
                (("email_status", "next_attempt_at"), False),
            )

    db.create_tables([ImmediateResponse, Notice])
    head_of_service = ForeignKeyField(User, null=True, field=User.id)
    migrator.migrate(migrator.add_column("service_area", "head_of_service_id", head_of_service))
