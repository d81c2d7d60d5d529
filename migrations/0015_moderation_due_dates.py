"""Each month's moderations are due by a date (the MODERATION_DUE_MONTHS setting: by default the end of the
month after the month moderated), kept on the draw that set it and on each moderation; a moderator's list
shows those to do soonest due first and those done latest first, each read in order from an index.

Moderations drawn before are given the date the default setting gives their draw. The columns allow NULL
only because neither database can add a NOT NULL column without a default to a table that has rows, and
SQLite cannot change a column afterwards without rebuilding its table; every row has a date."""

import datetime

from peewee import DateField, DateTimeField, ForeignKeyField, Model

DEFAULT_MONTHS_AFTER = 1  # the setting's default, for the draws made before it existed


def end_of_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def months_after(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def due_on(month, drawn_on):
    """As services/moderation_draw.due_on gave it when this migration was written."""
    due = end_of_month(months_after(month, DEFAULT_MONTHS_AFTER))
    return due if drawn_on <= due else end_of_month(months_after(drawn_on, DEFAULT_MONTHS_AFTER))


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class ModerationDraw(Base):
        month = DateField()
        drawn_at = DateTimeField()
        due_on = DateField(null=True)

    class Moderation(Base):
        draw = ForeignKeyField(ModerationDraw)
        due_on = DateField(null=True)

    migrator.migrate(
        migrator.add_column("moderation_draw", "due_on", DateField(null=True)),
        migrator.add_column("moderation", "due_on", DateField(null=True)),
    )
    for draw in ModerationDraw.select():
        due = due_on(draw.month, draw.drawn_at.date())
        ModerationDraw.update(due_on=due).where(ModerationDraw.id == draw.id).execute()
        Moderation.update(due_on=due).where(Moderation.draw == draw.id).execute()
    # A moderator's moderations to do, soonest due first: only those not submitted are in it.
    db.execute_sql(
        'CREATE INDEX "moderation_to_do" ON "moderation" ("moderator_id", "due_on", "id") '
        "WHERE \"status\" != 'submitted'"
    )
    # And those done, latest first; it leads with the index it replaces.
    db.execute_sql(
        'CREATE INDEX "moderation_moderator_id_status_submitted_at_id" '
        'ON "moderation" ("moderator_id", "status", "submitted_at", "id")'
    )
    db.execute_sql('DROP INDEX "moderation_moderator_id_status"')
