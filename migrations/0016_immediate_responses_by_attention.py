"""The list of Immediate Responses shows what needs attention first: those to acknowledge by their deadline
(the overdue first), then those to close, then the closed. Each keeps where it comes (list_order, set as it
moves on by services/immediate_responses.py), so that a page of the list reads an index in order; the indexes
of the list's old order, newest first, go."""

from peewee import CharField, DateField, IntegerField, Model

STEP = 10_000_000  # more than the day number of any date, so each status's numbers keep apart


def list_order(status, due_on):
    """As services/immediate_responses.py worked it out when this migration was written."""
    days = due_on.toordinal()
    return {"raised": days, "acknowledged": STEP + days, "closed": 3 * STEP - days}[status]


def up(migrator, db):
    class ImmediateResponse(Model):
        status = CharField()
        due_on = DateField()
        list_order = IntegerField(default=0)

        class Meta:
            database = db
            legacy_table_names = False

    migrator.migrate(migrator.add_column("immediate_response", "list_order", IntegerField(default=0)))
    for response in ImmediateResponse.select(ImmediateResponse.id, ImmediateResponse.status, ImmediateResponse.due_on):
        order = list_order(response.status, response.due_on)
        ImmediateResponse.update(list_order=order).where(ImmediateResponse.id == response.id).execute()
    # The first holds each one's case, for the list of a team's (services/immediate_response_lists.py); the
    # last puts an audit's in the order they were raised (the audit's page), replacing the index of audit_id.
    for columns in ("list_order, id, case_id", "status, list_order, id", "audit_id, raised_at, id"):
        db.execute_sql(f"CREATE INDEX {index_name(columns)} ON immediate_response ({columns})")
    for columns in ("raised_at, id", "status, raised_at, id", "audit_id"):
        db.execute_sql(f"DROP INDEX {index_name(columns)}")


def index_name(columns):
    return "immediate_response_" + columns.replace(", ", "_")
