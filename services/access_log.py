"""Who has looked: every view and download of a child's record, written as the page or file is sent, as the event log
records changes. A QA officer reads a case's; each person reads their own most recent.

A request notes the first record of a child it loads (`Looked`); what it sends is recorded only if it is sent
whole and successfully, by the one hook that writes (blueprints/access.py)."""

from dataclasses import dataclass

from models import (
    AccessRecord,
    Action,
    ActionReview,
    AllocationChange,
    Audit,
    Case,
    FamilyFeedback,
    ImmediateResponse,
    IroFeedback,
    Moderation,
    PlannedAudit,
    ReliabilityExercise,
    User,
    db,
)
from services.spreadsheets import XLSX
from services.word import DOCX

# What each kind of record of a child is called on the pages that list who has looked.
RECORD_NAMES = {
    "Case": "Case",
    "Audit": "Audit",
    "ImmediateResponse": "Immediate Response",
    "Moderation": "Moderation",
    "ReliabilityExercise": "Reliability exercise",
    "Action": "Action",
    "ActionReview": "Four-month review",
    "IroFeedback": "IRO feedback",
    "FamilyFeedback": "Family feedback",
    "AllocationChange": "Change to an audit's allocation",
    "PlannedAudit": "Case in an audit plan",
    "Event": "Event log",
    "Notice": "Notices sent",
    "ServiceAction": "Service action plan",
}

# What was sent, by its type.
KINDS = {
    "text/html": "page",
    DOCX: "Word document",
    "text/csv": "CSV",
    XLSX: "Excel",
    "text/plain": "text",
    "application/zip": "zip of Word documents",
}
PART = "part of a page"


@dataclass(frozen=True)
class Looked:
    """A child's record a request loaded (`record_id` of `record_type`, part of case `case_id`), or a list of many
    children's records of a type (no record, no case)."""

    record_type: str
    record_id: int | None = None
    case_id: int | None = None


def case_of(record):
    """The id of the case a record is part of, or None if it is not a record of a child."""
    if isinstance(record, Case):
        return record.id
    if isinstance(record, (Audit, ImmediateResponse, ReliabilityExercise, PlannedAudit)):
        return record.case_id
    if isinstance(record, (Moderation, Action, ActionReview, IroFeedback, FamilyFeedback, AllocationChange)):
        return record.audit.case_id
    return None


def looked_at(record):
    """What a request that loaded `record` looked at, if it is a child's record."""
    case_id = case_of(record)
    return None if case_id is None else Looked(type(record).__name__, record.id, case_id)


def write(user, looked, mimetype, path, part=False):
    """Record that `user` was sent `looked` as a page or file of this type, at `path`: if a page, only a `part` of
    one (swapped into a page by htmx) or not."""
    kind = PART if part and mimetype == "text/html" else KINDS.get(mimetype, mimetype)
    with db.atomic():
        AccessRecord.create(
            user=user,
            case_id=looked.case_id,
            record_type=looked.record_type,
            record_id=looked.record_id,
            kind=kind,
            path=path,
        )


def of_case(case_id):
    """Who has looked at the case's records, newest first."""
    return (
        AccessRecord.select(AccessRecord, User.id, User.name, User.job_role)
        .join(User, on=(AccessRecord.user == User.id))
        .where(AccessRecord.case_id == case_id)
        .order_by(AccessRecord.id.desc())
    )


def count_of_case(case_id):
    return AccessRecord.select(AccessRecord.id).where(AccessRecord.case_id == case_id)


def of_user(user, limit=25):
    """What `user` has looked at most recently, newest first."""
    return list(AccessRecord.select().where(AccessRecord.user == user).order_by(AccessRecord.id.desc()).limit(limit))


def description(access):
    """What was looked at, in words: "Audit 12 (Word document)", or "Audit list (CSV)" for a list."""
    name = RECORD_NAMES.get(access.record_type, access.record_type)
    return f"{name} {access.record_id} ({access.kind})" if access.record_id else f"{name} list ({access.kind})"
