"""The annual audit programme (seed 003 s.5): what each month of the year is planned to audit, its type, theme and
number of audits proposed, and any other activity, from which planning that month starts."""

from peewee import CharField, DateField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Flag(Base):
        pass

    class ProgrammeMonth(Base):
        version = IntegerField(default=1)
        month = DateField(unique=True)
        audit_type = CharField()
        theme = CharField(default="")
        flag = ForeignKeyField(Flag, null=True, index=False)
        proposed = IntegerField(null=True)
        other_activity = TextField(default="")

    db.create_tables([ProgrammeMonth])
