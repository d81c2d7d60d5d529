"""Retention (services/retention.py): a legal hold on a case, with its reason, by whom and when; every closed case
given the day it closed where it has none, from the last change the event log holds of it (else today), so that its
time counts from then; and the event log, like the record of who has looked (migration 0037), may lose a row more
than a year old, and no other, its tally falling with it."""

from peewee import DateTimeField, PostgresqlDatabase, TextField

REFUSAL = "The event log is append-only"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("case", "held_because", TextField(default="")),
        migrator.add_column("case", "held_at", DateTimeField(null=True)),
    )
    db.execute_sql('ALTER TABLE "case" ADD COLUMN held_by_id INTEGER REFERENCES "user" (id)')
    postgres = isinstance(db, PostgresqlDatabase)
    last_change = "SELECT MAX(e.at) FROM event e WHERE e.record_type = 'Case' AND e.record_id = \"case\".id"
    day = f"CAST(({last_change}) AS DATE)" if postgres else f"date(({last_change}))"
    db.execute_sql(
        f'UPDATE "case" SET closed_on = COALESCE({day}, CURRENT_DATE) WHERE NOT is_open AND closed_on IS NULL'  # noqa: S608 - only the code's own names
    )
    if postgres:
        db.execute_sql("DROP TRIGGER event_append_only ON event")
        db.execute_sql(
            "CREATE TRIGGER event_no_update BEFORE UPDATE ON event FOR EACH ROW EXECUTE FUNCTION event_append_only()"
        )
        db.execute_sql(
            "CREATE FUNCTION event_kept() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # noqa: S608 - only the code's own names
            f"IF OLD.at > (now() AT TIME ZONE 'UTC') - interval '1 year' THEN RAISE EXCEPTION '{REFUSAL}'; END IF; "
            "UPDATE event_tally SET count = count - 1 WHERE record_type = OLD.record_type; "
            "RETURN OLD; END $$"
        )
        db.execute_sql(
            "CREATE TRIGGER event_no_delete BEFORE DELETE ON event FOR EACH ROW EXECUTE FUNCTION event_kept()"
        )
        return
    db.execute_sql("DROP TRIGGER event_no_delete")
    db.execute_sql(
        "CREATE TRIGGER event_no_delete BEFORE DELETE ON event "
        "WHEN OLD.at > strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 year') "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    )
    db.execute_sql(
        "CREATE TRIGGER event_untallied AFTER DELETE ON event BEGIN "
        "UPDATE event_tally SET count = count - 1 WHERE record_type = OLD.record_type; END"
    )
