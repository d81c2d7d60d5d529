"""The six-monthly report to the senior leadership team (seed 000 Appendix A), its narrative written in the service,
and the service-level action plan kept with it (Appendix B). New tables: nothing to fill."""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class ServiceReport(Base):
        version = IntegerField(default=1)
        first_month = DateField()
        last_month = DateField()
        introduction = TextField(default="")
        scope = TextField(default="")
        methodology = TextField(default="")
        cohort = TextField(default="")
        findings = TextField(default="")
        conclusions = TextField(default="")
        created_by = ForeignKeyField(User)
        created_at = DateTimeField()
        changed_at = DateTimeField()

    class ServiceAction(Base):
        version = IntegerField(default=1)
        title = CharField()
        what = TextField()
        owner_name = CharField()
        owner_role = CharField()
        due_on = DateField()
        done_when = TextField()
        vague_confirmed = BooleanField(default=False)
        taken_to_date = TextField(default="")
        completed_on = DateField(null=True)
        approved_by = CharField(default="")
        created_by = ForeignKeyField(User)
        created_at = DateTimeField()

    db.create_tables([ServiceReport, ServiceAction])
