"""An index of the audits not yet submitted, by auditor and due date, for what waits for an auditor on their
home page: it holds a few rows an auditor, however many audits they have submitted over the years."""


def up(migrator, db):
    db.execute_sql("CREATE INDEX audit_open_auditor_id_due_on ON audit (auditor_id, due_on) WHERE submitted_at IS NULL")
