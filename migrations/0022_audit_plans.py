"""The month's audit plan (services/planning.py): the cases drawn for a month, each with its stratum and the
auditor it is shared to, a draft until a QA officer confirms it and its audits are created; and each audit's type
(seed 003 s.5: monthly, themed, front door...), which every audit list can filter by. Audits already made were
made by the monthly programme, so they are "monthly"."""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Flag(Base):
        pass

    class Case(Base):
        pass

    class ServiceArea(Base):
        pass

    class Audit(Base):
        pass

    class AuditPlan(Base):
        version = IntegerField(default=1)
        month = DateField(unique=True)
        seed = IntegerField()
        rule_version = IntegerField()
        size = IntegerField()
        equal = BooleanField(default=False)
        window_months = IntegerField()
        flag = ForeignKeyField(Flag, null=True, index=False)
        audit_type = CharField()
        counts = TextField(default="{}")
        drawn_by = ForeignKeyField(User, index=False)
        drawn_at = DateTimeField()
        confirmed_by = ForeignKeyField(User, null=True, index=False)
        confirmed_at = DateTimeField(null=True)

    class PlannedAudit(Base):
        plan = ForeignKeyField(AuditPlan, on_delete="CASCADE", index=False)
        case = ForeignKeyField(Case, index=False)
        service_area = ForeignKeyField(ServiceArea, index=False)
        auditor = ForeignKeyField(User, null=True, index=False)
        unplaced = CharField(default="")
        audit = ForeignKeyField(Audit, null=True, index=False)

        class Meta:
            indexes = ((("plan", "case"), True), (("plan", "auditor"), False))

    db.create_tables([AuditPlan, PlannedAudit])
    # Added in place: SQLite would otherwise copy the audit table whole to make the column NOT NULL, and build its
    # indexes again in another order, which changes the index its planner picks for some counts.
    db.execute_sql("ALTER TABLE audit ADD COLUMN audit_type VARCHAR(255) NOT NULL DEFAULT 'monthly'")
    # The count of the list of audits filtered by type, as migration 0019 gives the other filters.
    db.execute_sql('CREATE INDEX "audit_programme_audit_type" ON "audit" (audit_type) WHERE exercise_id IS NULL')
