"""Importing the open-case list from the case management system (services/case_import.py): each case's allocated
worker's email and the day it closed; the column mappings saved by name; and an import under way, with its rows as
uploaded and the preview worked out from them, kept only until it is applied or abandoned."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Case(Base):
        pass

    class ImportMapping(Base):
        name = CharField(unique=True)
        columns = TextField()
        saved_by = ForeignKeyField(User, index=False)
        saved_at = DateTimeField()

    class CaseImport(Base):
        version = IntegerField(default=1)
        uploaded_by = ForeignKeyField(User, index=False)
        uploaded_at = DateTimeField()
        file_name = CharField()
        headers = TextField()
        rows = TextField()
        mapping = TextField(default="{}")
        counts = TextField(default="{}")
        previewed_at = DateTimeField(null=True)

    class ImportRow(Base):
        case_import = ForeignKeyField(CaseImport, on_delete="CASCADE", index=False)
        kind = CharField()
        row_number = IntegerField(null=True)
        reference = CharField()
        column = CharField(default="")
        detail = TextField(default="")
        values = TextField(default="")
        case = ForeignKeyField(Case, null=True, index=False)

        class Meta:
            indexes = ((("case_import", "kind", "id"), False),)

    db.create_tables([ImportMapping, CaseImport, ImportRow])
    # Added in place, as 0022 adds the audit's type: SQLite would otherwise copy the table to make them NOT NULL.
    db.execute_sql("""ALTER TABLE "case" ADD COLUMN worker_email VARCHAR(255) NOT NULL DEFAULT ''""")
    db.execute_sql("""ALTER TABLE "case" ADD COLUMN closed_on DATE""")
