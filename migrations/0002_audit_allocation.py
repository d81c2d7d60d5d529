"""Audits allocated by hand: a case, an auditor and a due date."""

import datetime

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model


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
        case = ForeignKeyField(Case)
        auditor = ForeignKeyField(User)
        allocated_by = ForeignKeyField(User)
        allocated_at = DateTimeField(default=datetime.datetime.utcnow)
        due_on = DateField(index=True)
        status = CharField(default="allocated")
        version = IntegerField(default=1)

    db.create_tables([Audit])
