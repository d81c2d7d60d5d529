"""An index for each list's order and filters, so a page reads its 25 rows from the index instead of
sorting the whole table: every list ends with the record's id, which orders rows that tie and is the
key a page continues from (services/pagination.py). Indexes an index here now leads with are dropped."""

INDEXES = {
    # All audits, newest first (filtered by team: the case is read from the index); by status, by
    # auditor; a case's audits.
    "audit_allocated_at_id_case_id": ("audit", "allocated_at, id, case_id"),
    "audit_status_allocated_at_id": ("audit", "status, allocated_at, id"),
    "audit_auditor_id_allocated_at_id": ("audit", "auditor_id, allocated_at, id"),
    "audit_case_id_allocated_at_id": ("audit", "case_id, allocated_at, id"),
    # An auditor's own audits, soonest due first.
    "audit_auditor_id_due_on_id": ("audit", "auditor_id, due_on, id"),
    # An audit's actions, in the order they were set.
    "action_audit_id_created_at_id": ("action", "audit_id, created_at, id"),
    # The event log, newest first: of one kind of record, for one record, or by one person.
    "event_record_type_id": ("event", "record_type, id"),
    "event_record_type_record_id_id": ("event", "record_type, record_id, id"),
    "event_user_id_id": ("event", "user_id, id"),
    # Cases, open or closed, by reference.
    "case_is_open_reference": ("case", "is_open, reference"),
}

REPLACED = ["audit_case_id", "audit_auditor_id", "action_audit_id", "event_user_id"]


def up(migrator, db):
    for name, (table, columns) in INDEXES.items():
        db.execute_sql(f'CREATE INDEX "{name}" ON "{table}" ({columns})')
    for name in REPLACED:
        db.execute_sql(f'DROP INDEX "{name}"')
