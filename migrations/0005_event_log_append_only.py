"""The database itself refuses to change or remove a row of the event log, whatever the code does."""

from peewee import PostgresqlDatabase

REFUSAL = "The event log is append-only"


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            "CREATE FUNCTION event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
        )
        db.execute_sql(
            "CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event "
            "FOR EACH ROW EXECUTE FUNCTION event_append_only()"
        )
        db.execute_sql(
            "CREATE TRIGGER event_not_truncated BEFORE TRUNCATE ON event "
            "FOR EACH STATEMENT EXECUTE FUNCTION event_append_only()"
        )
        return
    for change in ("UPDATE", "DELETE"):
        db.execute_sql(
            f"CREATE TRIGGER event_no_{change.lower()} BEFORE {change} ON event "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )
