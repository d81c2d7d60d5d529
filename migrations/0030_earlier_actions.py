"""The next audit of a case checks the last ones' actions (services/earlier_actions.py): for each action set by an
earlier audit of the case, whether it was achieved and what difference it made."""

from peewee import CharField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Audit(Base):
        pass

    class Action(Base):
        pass

    class ActionFollowUp(Base):
        version = IntegerField(default=1)
        audit = ForeignKeyField(Audit, on_delete="CASCADE", index=False)
        action = ForeignKeyField(Action, on_delete="CASCADE", index=False)
        achieved = CharField()
        difference = TextField()
        recorded_by = ForeignKeyField(User, index=False)

        class Meta:
            indexes = ((("audit", "action"), True),)

    db.create_tables([ActionFollowUp])
