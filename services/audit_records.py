"""Saving an audit: drafts as often as the auditor likes, submission once, and its actions."""

from models import Action, Audit, Draft, Event, ImmediateResponse, Moderation, StaleRecord, db, utcnow
from services import (
    action_reviews,
    dashboard_tallies,
    drafts,
    earlier_actions,
    moderations,
    records,
    team_actions,
    team_audits,
)
from services.audits import submit_problems
from services.errors import RuleBroken
from services.records import Stale

DOMAIN_FIELDS = ("grade", "evidence", "so_what")
SUBMITTED = "This audit has been submitted or cancelled, so it can no longer be changed."


def _refuse_if_submitted(audit):
    """Refuse a change to a submitted audit, as it is in the database now. Inside a change's
    transaction, the update that changes nothing locks the audit's row until the change is
    written, so a submission cannot come in between."""
    records.refuse_unless_open(audit, Audit.status.not_in(Audit.CLOSED), SUBMITTED)


def save_audit(actor, audit, expected_version, values, domain_values):
    """Save the audit's fields and every domain's judgement in one transaction, if nobody
    saved it since `expected_version`. Returns the names of what changed."""
    _refuse_if_submitted(audit)
    with db.atomic():
        names = records.save_with_rows(
            actor,
            audit,
            expected_version,
            values,
            audit.judgements(),
            domain_values,
            DOMAIN_FIELDS,
            started=("allocated", "in-progress"),
        )
        forget_draft(audit, actor, "form")
    return names


def differences(audit, judgements, values, domain_values):
    """Where what the auditor sent differs from what is saved now: (form field id, saved, theirs)."""
    return records.row_differences(audit, judgements, values, domain_values, DOMAIN_FIELDS)


def submit_audit(actor, audit, today, confirmed_gap, rules=team_actions.DEFAULT_RULES):
    """Submit a saved audit, sending its actions to the team (under the council's `rules`), or RuleBroken with every
    problem, each tied to its field."""
    _refuse_if_submitted(audit)
    judgements = audit.judgements()
    raised = ImmediateResponse.select().where(ImmediateResponse.audit == audit).exists()
    problems = submit_problems(audit, judgements, audit.ordered_actions(), today, confirmed_gap, raised)
    problems += earlier_actions.problems(audit)
    if problems:
        raise RuleBroken(problems=[(problem.field, problem.message) for problem in problems])
    submitted_at = utcnow()
    try:
        with dashboard_tallies.kept(Audit.id == audit.id):
            audit.save_version(audit.version, {Audit.status: "submitted", Audit.submitted_at: submitted_at})
            # Nothing more can be saved into the audit or its actions; feedback can still come.
            Draft.delete().where(
                (Draft.audit == audit) & ((Draft.field == "form") | Draft.field.startswith("action-"))
            ).execute()
            Event.record(actor, "submitted", audit, ["status", "submitted_at"])
            if team_actions.send_to_team(actor, audit, "audit", rules, today):
                action_reviews.schedule(audit, today)
            if audit.exercise_id is None:
                team_audits.tell_practitioner(audit, "submitted")
    except StaleRecord as error:
        raise Stale(Audit.get_by_id(audit.id).version) from error
    audit.status, audit.submitted_at = "submitted", submitted_at
    return audit


def keep_draft(user, audit_id, field, form, after_submission=False):
    """Keep what was typed but could not be saved, to put back in `field`'s form of the audit ("form" for
    the audit, "action-new" or "action-ID", a feedback form's) if `user` is its auditor; once the audit is
    submitted, only if `after_submission` (feedback, which may still be added)."""
    audit = Audit.get_or_none(Audit.id == audit_id)
    if audit is None or audit.auditor_id != user.id or (audit.is_submitted and not after_submission):
        return
    drafts.keep(user, field, form, about=audit, audit=audit)


def kept_drafts(audit, user):
    """What this user typed on this audit that could not be saved, by field, while it is kept (one query)."""
    return drafts.kept(user, audit)


def pending_draft(audit, user, field="form", kept=None):
    """The form data kept for this user, if any, as a dict of lists (from `kept`, when already read)."""
    return drafts.pending(user, field, audit, already_read=kept)


def action_drafts(audit, user, kept=None):
    """The actions this user was adding or changing when their work could not be saved."""
    kept = kept_drafts(audit, user) if kept is None else kept
    return sorted(field for field in kept if field.startswith("action-"))


def forget_draft(audit, user, field):
    """Remove the draft kept for `field`, if any; returns how many were removed."""
    return drafts.forget(user, field, audit)


def _refuse_if_closed(audit, source):
    """Actions are set while the form setting them is open: the audit's until it is submitted, its
    moderation's (source "moderation") until that is."""
    if source == "moderation":
        moderations.started(Moderation.get(Moderation.audit == audit))
    else:
        _refuse_if_submitted(audit)


def add_action(actor, audit, values, source="audit"):
    with db.atomic():
        _refuse_if_closed(audit, source)
        forget_draft(audit, actor, "action-new")
        return records.create(actor, Action, audit=audit, source=source, **values)


def change_action(actor, action, expected_version, values):
    with db.atomic():
        _refuse_if_closed(action.audit, action.source)
        forget_draft(action.audit, actor, f"action-{action.id}")
        return records.update(actor, action, expected_version, **values)


def remove_action(actor, action):
    with db.atomic():
        _refuse_if_closed(action.audit, action.source)
        forget_draft(action.audit, actor, f"action-{action.id}")
        Event.record(actor, "removed", action)
        action.delete_instance()
    return action
