"""A tally of the event log's rows by kind of record, kept by the database as each event is written,
so the log's page counts its events and lists its kinds of record without reading every row."""

from peewee import PostgresqlDatabase


def up(migrator, db):
    db.execute_sql("CREATE TABLE event_tally (record_type VARCHAR(255) NOT NULL PRIMARY KEY, count INTEGER NOT NULL)")
    db.execute_sql("INSERT INTO event_tally SELECT record_type, COUNT(*) FROM event GROUP BY record_type")
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            "CREATE FUNCTION event_tallied() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO event_tally (record_type, count) VALUES (NEW.record_type, 1) "
            "ON CONFLICT (record_type) DO UPDATE SET count = event_tally.count + 1; "
            "RETURN NULL; END $$"
        )
        db.execute_sql(
            "CREATE TRIGGER event_tallied AFTER INSERT ON event FOR EACH ROW EXECUTE FUNCTION event_tallied()"
        )
        return
    db.execute_sql(
        "CREATE TRIGGER event_tallied AFTER INSERT ON event BEGIN "
        "INSERT OR IGNORE INTO event_tally (record_type, count) VALUES (NEW.record_type, 0); "
        "UPDATE event_tally SET count = count + 1 WHERE record_type = NEW.record_type; "
        "END"
    )
