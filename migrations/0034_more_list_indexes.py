"""Indexes for the lists of every moderation, of families' feedback and of the notices sent (issue 18), so that each
page reads its rows from an index, in the list's order, and its filters count from one: the notices by when they were
made, of each email status too; the feedback gathered or not, audit by audit; the moderations by status (and whether
the moderator agreed), draw by draw. Indexes an index here now leads with are dropped: PostgreSQL would otherwise
choose them and sort."""

INDEXES = {
    "notice_created_at_id": ("notice", "created_at, id"),
    "notice_email_status_created_at_id": ("notice", "email_status, created_at, id"),
    "family_feedback_gathered_audit_id_created_at_id": ("family_feedback", "gathered, audit_id, created_at, id"),
    "moderation_status_draw_id_id": ("moderation", "status, draw_id, id"),
    # Submitted, a moderation changed the overall grade where the moderator disagreed with it.
    "moderation_status_agrees_draw_id_id": ("moderation", "status, agrees, draw_id, id"),
}

# (draw_id, id) and (audit_id, created_at, id) already lead with these.
REPLACED = ["moderation_draw_id", "family_feedback_audit_id"]


def up(migrator, db):
    for name, (table, columns) in INDEXES.items():
        db.execute_sql(f'CREATE INDEX "{name}" ON "{table}" ({columns})')
    for name in REPLACED:
        db.execute_sql(f'DROP INDEX "{name}"')
