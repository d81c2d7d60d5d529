"""Moderation (seed 001 s.5): each month's draw of the sample, a moderation of each audit drawn with the
moderator's view of every domain; reliability exercises (seed 002 s.9), each taken part in through an audit
of its own; and an audit may now be moderated, so "open" means not yet submitted, and an exercise's audits
are not the case's open audit."""

import datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


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

    class AuditTemplate(Base):
        pass

    class TemplateDomain(Base):
        pass

    class ReliabilityExercise(Base):
        version = IntegerField(default=1)
        case = ForeignKeyField(Case)
        template = ForeignKeyField(AuditTemplate)
        set_by = ForeignKeyField(User)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        due_on = DateField()
        agreed = TextField(default="")

        class Meta:
            indexes = ((("created_at", "id"), False),)

    class ModerationDraw(Base):
        month = DateField()
        round = IntegerField()
        seed = IntegerField()
        rule_version = IntegerField()
        percentage = IntegerField()
        population = TextField()
        drawn_by = ForeignKeyField(User)
        drawn_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("month", "round"), True),)

    class Moderation(Base):
        version = IntegerField(default=1)
        audit = ForeignKeyField(Audit, unique=True, on_delete="CASCADE")
        draw = ForeignKeyField(ModerationDraw)
        chosen_because = CharField()
        moderator = ForeignKeyField(User, null=True)
        status = CharField(default="assigned")
        auditor_grade = CharField()
        agrees = BooleanField(null=True)
        grade = CharField(null=True)
        overall_reason = TextField(default="")
        actions_addressed = CharField(null=True)
        actions_comment = TextField(default="")
        message = TextField(default="")
        submitted_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("moderator", "status"), False), (("draw", "id"), False))

    class DomainModeration(Base):
        moderation = ForeignKeyField(Moderation, on_delete="CASCADE")
        domain = ForeignKeyField(TemplateDomain)
        auditor_grade = CharField()
        agrees = BooleanField(null=True)
        grade = CharField(null=True)
        reason = TextField(default="")

        class Meta:
            indexes = ((("moderation", "domain"), True),)

    db.create_tables([ReliabilityExercise, ModerationDraw, Moderation, DomainModeration])
    exercise = ForeignKeyField(ReliabilityExercise, null=True, field=ReliabilityExercise.id)
    migrator.migrate(migrator.add_column("audit", "exercise_id", exercise))
    db.execute_sql("DROP INDEX audit_one_open_per_case")
    db.execute_sql(
        "CREATE UNIQUE INDEX audit_one_open_per_case ON audit (case_id) "
        "WHERE submitted_at IS NULL AND exercise_id IS NULL"
    )
    # The month's population: audits submitted in it, found by when they were submitted.
    db.execute_sql("CREATE INDEX audit_submitted_at ON audit (submitted_at)")
