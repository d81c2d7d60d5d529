"""Indexes for finding every record of one child's case (subject access, and retention removing it): a follow-up by
the earlier action it follows up, a planned audit by its case and by the audit made of it, and a line of an import by
its case. Without them each of these is a scan of its whole table."""

INDEXES = {
    "action_follow_up_action_id": ("action_follow_up", "action_id"),
    "planned_audit_case_id": ("planned_audit", "case_id"),
    "planned_audit_audit_id": ("planned_audit", "audit_id"),
    "import_row_case_id": ("import_row", "case_id"),
}


def up(migrator, db):
    for name, (table, columns) in INDEXES.items():
        db.execute_sql(f'CREATE INDEX "{name}" ON "{table}" ({columns})')
