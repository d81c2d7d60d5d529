"""Accounts, roles, service areas, teams, cases and the event log."""

import datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    # Frozen copies of the models as they were at this migration.
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class ServiceArea(Base):
        name = CharField(unique=True)
        version = IntegerField(default=1)

    class User(Base):
        name = CharField()
        email = CharField(unique=True)
        job_role = CharField()
        password_hash = CharField(null=True)
        active = BooleanField(default=True)
        session_token = CharField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

    class UserRole(Base):
        user = ForeignKeyField(User, on_delete="CASCADE")
        role = CharField()

        class Meta:
            indexes = ((("user", "role"), True),)

    class Team(Base):
        name = CharField(unique=True)
        service_area = ForeignKeyField(ServiceArea)
        manager = ForeignKeyField(User, null=True)
        version = IntegerField(default=1)

    class Flag(Base):
        name = CharField(unique=True)

    class Case(Base):
        reference = CharField(unique=True)
        initials = CharField()
        birth_year = IntegerField()
        team = ForeignKeyField(Team)
        worker_name = CharField()
        is_open = BooleanField(default=True)
        opened_on = DateField()
        version = IntegerField(default=1)

    class CaseFlag(Base):
        case = ForeignKeyField(Case, on_delete="CASCADE")
        flag = ForeignKeyField(Flag)

        class Meta:
            indexes = ((("case", "flag"), True),)

    class Event(Base):
        at = DateTimeField(index=True)
        user = ForeignKeyField(User, null=True)
        action = CharField()
        record_type = CharField()
        record_id = IntegerField(null=True)
        fields = CharField(default="")

    class FailedSignIn(Base):
        email = CharField(index=True)
        at = DateTimeField()

    db.create_tables([ServiceArea, User, UserRole, Team, Flag, Case, CaseFlag, Event, FailedSignIn])
    # A user belongs to a team and a team has a manager who is a user: the
    # second link is added once both tables exist.
    migrator.migrate(migrator.add_column("user", "team_id", ForeignKeyField(Team, field=Team.id, null=True)))
