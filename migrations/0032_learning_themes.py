"""Learning themes (seed 004 2.7.2-2.7.8): the themes the QA team keeps, the tags auditors and moderators put on
domains' findings, each month's learning focus, and how often each theme was tagged, added up as the dashboard's
tallies are (services/dashboard_tallies.py); there are no tags yet to add up."""

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class DomainJudgement(Base):
        pass

    class LearningTheme(Base):
        version = IntegerField(default=1)
        name = CharField(unique=True)
        description = TextField(default="")

    class ThemeTag(Base):
        judgement = ForeignKeyField(DomainJudgement, on_delete="CASCADE", index=False)
        theme = ForeignKeyField(LearningTheme, on_delete="CASCADE", index=False)
        tagged_by = ForeignKeyField(User, index=False)
        tagged_at = DateTimeField()

        class Meta:
            indexes = ((("judgement", "theme"), True),)

    class ThemeTally(Base):
        month = DateField()
        template = IntegerField()
        audit_type = CharField()
        service_area = IntegerField()
        team = IntegerField()
        part = IntegerField()
        theme = IntegerField()
        tags = IntegerField(default=0)

        class Meta:
            indexes = ((("service_area", "team", "month", "template", "audit_type", "part", "theme"), True),)

    db.create_tables([LearningTheme, ThemeTag, ThemeTally])
    db.execute_sql("ALTER TABLE programme_month ADD COLUMN focus_id INTEGER REFERENCES learning_theme (id)")
