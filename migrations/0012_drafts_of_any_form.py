"""A draft may belong to a form that is not part of an audit (acknowledging an Immediate Response, say):
its audit may be empty, and such a draft is one per person and form."""


def up(migrator, db):
    migrator.migrate(migrator.drop_not_null("draft", "audit_id"))
    db.execute_sql(
        'CREATE UNIQUE INDEX "draft_user_field_without_audit" ON "draft" ("user_id", "field") WHERE "audit_id" IS NULL'
    )
