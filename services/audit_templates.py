"""Audit templates: which one new audits use. A template in use is never edited, so old audits keep theirs."""

from models import AuditTemplate, Event, db


def choose(actor, template_id):
    """Make this template the one new audits use."""
    template = AuditTemplate.get_by_id(template_id)
    with db.atomic():
        AuditTemplate.update(is_current=False).where(AuditTemplate.is_current).execute()
        AuditTemplate.update(is_current=True).where(AuditTemplate.id == template.id).execute()
        Event.record(actor, "chose for new audits", template, ["is_current"])
    return template
