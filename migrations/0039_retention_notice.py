"""Retention's notice (services/retention.py): the day from which the periodic job may remove a case past its time,
set when a run first finds it so, RETENTION_NOTICE_DAYS later, so that nothing is removed before a QA officer has
had the time to read the dry run and put a hold on what must stay. Empty for every case until then: upgrading removes
nothing at once."""

from peewee import DateField


def up(migrator, db):
    migrator.migrate(migrator.add_column("case", "removal_on", DateField(null=True)))
