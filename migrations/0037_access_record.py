"""Who has looked: every view and download of a child's record (services/access_log.py), which the database keeps
as it keeps the event log: it refuses to change a row, or to remove one less than a year old (the shortest time
retention may keep them, services/retention.py)."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, PostgresqlDatabase, TextField

REFUSAL = "The record of who has looked is append-only"


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class AccessRecord(Base):
        at = DateTimeField()
        user = ForeignKeyField(User, index=False)
        case_id = IntegerField(null=True)
        record_type = CharField()
        record_id = IntegerField(null=True)
        kind = CharField()
        path = TextField()

        class Meta:
            indexes = ((("case_id", "id"), False), (("user", "id"), False), (("at",), False))

    db.create_tables([AccessRecord])
    append_only(db, "access_record", REFUSAL)


def append_only(db, table, refusal):
    """Triggers refusing every change to a row of `table`, and the removal of one whose `at` is within a year."""
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            f"CREATE FUNCTION {table}_unchanged() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{refusal}'; END $$"
        )
        db.execute_sql(
            f"CREATE FUNCTION {table}_kept() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF OLD.at > (now() AT TIME ZONE 'UTC') - interval '1 year' THEN RAISE EXCEPTION '{refusal}'; END IF; "
            "RETURN OLD; END $$"
        )
        db.execute_sql(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_unchanged()"
        )
        db.execute_sql(
            f"CREATE TRIGGER {table}_not_truncated BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_unchanged()"
        )
        db.execute_sql(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_kept()"
        )
        return
    db.execute_sql(
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
    )
    db.execute_sql(
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"WHEN OLD.at > strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 year') BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
    )
