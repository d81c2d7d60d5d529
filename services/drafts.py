"""Drafts: what was typed on a form but could not be saved (the session had timed out, or the form was
refused), kept for its author to put back in the form when they open it again.

A draft belongs to an audit's form (`audit`, and `field` naming which form: "form", "action-7") or to a
form of no audit (`field` naming the form and its record: "immediate-response-7-acknowledge"). Whoever
keeps one checks first that the person may use the form."""

import datetime
import json

from models import Draft, Event, db, utcnow

# Well past any field's own limit, so text typed over a limit is kept too, to be cut down later.
LIMIT = 100_000
# A draft holds what was typed about a child: kept long enough to come back to, then gone.
KEPT_FOR = datetime.timedelta(days=30)


def _of(user, field, audit):
    audit_is = Draft.audit.is_null() if audit is None else Draft.audit == audit
    return (Draft.user == user) & (Draft.field == field) & audit_is


def keep(user, field, form, about, audit=None):
    """Keep the posted `form` as `user`'s draft of `field` (of `audit`, if the form is one of an audit's);
    the event log says so, about the record `about`, once for each draft (not for every refused autosave)."""
    values = {key: form.getlist(key) for key in form if key != "csrf_token"}
    if any(len(value) > LIMIT for value_list in values.values() for value in value_list):
        return  # far more than any field takes, so this is not anyone's work
    with db.atomic():
        Draft.delete().where(Draft.saved_at < utcnow() - KEPT_FOR).execute()
        replaced = forget(user, field, audit)
        Draft.create(audit=audit, user=user, field=field, text=json.dumps(values))
        if not replaced:  # the log is kept for good
            Event.record(user, "kept a draft", about, [field])


def kept(user, audit):
    """What this user typed on this audit's forms that could not be saved, by field, while kept (one query)."""
    drafts = Draft.select(Draft.field, Draft.text).where(
        (Draft.audit == audit) & (Draft.user == user) & (Draft.saved_at >= utcnow() - KEPT_FOR)
    )
    return {draft.field: draft.text for draft in drafts}


def pending(user, field, audit=None, already_read=None):
    """The form data kept for this user, if any, as a dict of lists (from `already_read`, by `kept`)."""
    if already_read is not None:
        text = already_read.get(field)
    else:
        draft = Draft.get_or_none(_of(user, field, audit) & (Draft.saved_at >= utcnow() - KEPT_FOR))
        text = draft.text if draft else None
    return json.loads(text) if text else None


def forget(user, field, audit=None):
    """Remove the draft kept for `field`, if any; returns how many were removed."""
    return Draft.delete().where(_of(user, field, audit)).execute()
