"""Why the discussion with the practitioner did not happen, when it did not: submitting an audit
now needs the discussion's date and length, or this (Sefton guide s.3.3, seed 001)."""

from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("audit", "discussion_not_held", TextField(default="")))
