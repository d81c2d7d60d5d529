"""Flags can be edited like other records (they need a version), and the database
itself refuses a second unsubmitted audit of one case."""

from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("flag", "version", IntegerField(default=1)))
    db.execute_sql("CREATE UNIQUE INDEX audit_one_open_per_case ON audit (case_id) WHERE status <> 'submitted'")
