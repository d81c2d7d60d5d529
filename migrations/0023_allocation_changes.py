"""Changing an audit's allocation (services/allocation.py): giving it to another auditor, cancelling it, and an
auditor's request for a later due date with the QA officer's decision, each kept with its reason. A cancelled
audit is no longer open: the index that allows one open audit a case, and the one that finds an auditor's open
audits, leave it out, so that the case can be audited again."""

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Audit(Base):
        pass

    class AllocationChange(Base):
        version = IntegerField(default=1)
        audit = ForeignKeyField(Audit, on_delete="CASCADE", index=False)
        kind = CharField()
        made_by = ForeignKeyField(User, index=False)
        made_at = DateTimeField()
        reason = TextField()
        from_auditor = ForeignKeyField(User, null=True, index=False)
        to_auditor = ForeignKeyField(User, null=True, index=False)
        due_before = DateField(null=True)
        due_after = DateField(null=True)
        status = CharField(default="done")
        decided_by = ForeignKeyField(User, null=True, index=False)
        decided_at = DateTimeField(null=True)
        decision_reason = TextField(default="")

        class Meta:
            indexes = ((("audit", "made_at"), False), (("status",), False))

    db.create_tables([AllocationChange])
    db.execute_sql("DROP INDEX audit_one_open_per_case")
    db.execute_sql(
        "CREATE UNIQUE INDEX audit_one_open_per_case ON audit (case_id) "
        "WHERE submitted_at IS NULL AND exercise_id IS NULL AND status <> 'cancelled'"
    )
    db.execute_sql("DROP INDEX audit_open_auditor_id_due_on")
    db.execute_sql(
        "CREATE INDEX audit_open_auditor_id_due_on ON audit (auditor_id, due_on) "
        "WHERE submitted_at IS NULL AND status <> 'cancelled'"
    )
