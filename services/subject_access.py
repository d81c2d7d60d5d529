"""Subject access (UK GDPR article 15, the right of access): everything the service holds about one child, gathered
by a QA officer as one zip of Word documents in the house style, with a CSV index of every record and where it is.

What a case holds is found as retention finds what to remove (services/retention.py follows the foreign keys that
lead to the case), so a record of a kind added later is either placed in a document here or the gathering fails:
it cannot be left out unseen. The event log's changes to those records and the record of who has looked at them
come with them. Before anything is sent, the council's information governance team reads it and redacts what the
law requires (other people's personal data): the zip is what the service holds, not yet a reply."""

import io
import operator
import zipfile
from dataclasses import dataclass
from functools import reduce

from peewee import JOIN

from models import Audit, Case, Event, User
from services import access_log, documents, retention, spreadsheets
from services import subject_access_files as files

ZIP = "application/zip"
INDEX_HEADER = ["File", "Record", "Number", "Part of"]

# Records shown in the case's own document, beside the case's details.
IN_CASE_FILE = {
    "Case",
    "CaseFlag",
    "ReliabilityExercise",
    "PlannedAudit",
    "AllocationChange",
    "ActionReview",
    "ThemeTag",
}
# Records in the action plan of their audit, not its record.
IN_ACTION_PLAN = {"ActionStep"}
# Kept only for a while and never part of the child's record: listed in the index, saying why they are not in a file.
NOT_INCLUDED = {
    "Draft": "Not included: text kept for someone whose session timed out before they saved it, until they come "
    "back to it; once saved it is part of the audit's record",
    "ImportRow": "Not included: a line of an open-case list being imported, removed once the import is applied or "
    "abandoned; it holds the case's details as the case does",
}


@dataclass(frozen=True)
class Gathered:
    """The zip's bytes, and its name."""

    content: bytes
    name: str


def file_name(case, today):
    """No personal data beyond the case reference in the name."""
    return f"subject-access-{case.reference}-{today:%Y-%m-%d}.zip"


def held(case):
    """Every record that is part of the case, by the name of its kind: {name: [records, in the order made]}."""
    found = {"Case": [case]}
    for model, query in retention.kinds_of(case).items():
        found[model.__name__] = list(model.select().where(query).order_by(model._meta.primary_key))
    return found


def audit_files(audits):
    """Each audit's number and the name of its record's file, by its id, oldest first."""
    return {
        audit.id: (number, f"02-audit-{number:02d}-{audit.allocated_at:%Y-%m-%d}")
        for number, audit in enumerate(sorted(audits, key=lambda a: (a.allocated_at, a.id)), start=1)
    }


def response_files(responses):
    return {
        response.id: f"03-immediate-response-{number:02d}-{response.raised_at:%Y-%m-%d}.docx"
        for number, response in enumerate(sorted(responses, key=lambda r: (r.raised_at, r.id)), start=1)
    }


class Placing:
    """Where each record is: the file that shows it, and the record it is part of."""

    def __init__(self, found):
        self.found = found
        self.by_id = {name: {record.id: record for record in records} for name, records in found.items()}
        self.audits = audit_files(found.get("Audit", []))
        self.responses = response_files(found.get("ImmediateResponse", []))
        self.submitted = {m.id for m in found.get("Moderation", []) if m.is_submitted}

    def audit_of(self, record):
        """The audit the record leads to, following its foreign keys through the records found."""
        for field, parent in type(record)._meta.refs.items():
            parent_id = record.__data__.get(field.name)
            if parent_id is None or parent.__name__ not in self.by_id:
                continue
            found = self.by_id[parent.__name__].get(parent_id)
            if found and parent is not Case:
                return found if parent is Audit else self.audit_of(found)
        return None

    def file_of(self, name, record):
        """The file that shows `record` (of the kind `name`), or why none does."""
        if name in NOT_INCLUDED:
            return NOT_INCLUDED[name]
        if name == "ImmediateResponse":
            return self.responses[record.id]
        if name in IN_CASE_FILE:
            return files.CASE_FILE
        if self.in_unfinished_moderation(name, record):
            return files.CASE_FILE
        audit = record if name == "Audit" else self.audit_of(record)
        if audit is None:
            raise LookupError(f"Subject access does not say where a {name} is shown")
        stem = self.audits[audit.id][1]
        return f"{stem}-action-plan.docx" if name in IN_ACTION_PLAN else f"{stem}.docx"

    def in_unfinished_moderation(self, name, record):
        """Whether the record is part of a moderation not yet finished (its further actions among them), which no
        audit record shows yet."""
        if name == "Action":
            return record.source == "moderation" and not any(
                m.audit_id == record.audit_id and m.id in self.submitted for m in self.found.get("Moderation", [])
            )
        moderation_id = record.id if name == "Moderation" else record.__data__.get("moderation")
        return moderation_id in self.by_id.get("Moderation", {}) and moderation_id not in self.submitted

    def part_of(self, name, record):
        """The record it is part of, by its number in the service: the audit it leads to, or else the case."""
        if name == "Case":
            return ""
        audit = None if name == "Audit" else self.audit_of(record)
        return f"Audit {audit.id}" if audit else f"Case {self.found['Case'][0].id}"


def changes(found):
    """The event log's changes to every record found, oldest first."""
    about = [
        (Event.record_type == name) & Event.record_id.in_([record.id for record in records])
        for name, records in found.items()
        if records
    ]
    return list(
        Event.select(Event, User.id, User.name)
        .join(User, JOIN.LEFT_OUTER, on=(Event.user == User.id))
        .where(reduce(operator.or_, about))
        .order_by(Event.id)
    )


def gather(case, actor, council_name, today):
    """Everything the service holds about the child whose case this is, as a zip (Gathered), with an event saying
    who gathered it. The record of who has looked notes the download itself (blueprints/web.py)."""
    found = held(case)
    placing = Placing(found)
    events = changes(found)
    views = list(access_log.of_case(case.id))
    written = {files.CASE_FILE: files.case_document(case, found, placing, events, council_name, actor)}
    audits = sorted(found.get("Audit", []), key=lambda audit: placing.audits[audit.id])
    for audit in audits:
        stem = placing.audits[audit.id][1]
        written[f"{stem}.docx"] = documents.for_audit("record", audit, council_name, today)
        if audit.ordered_actions() or audit.ordered_actions("moderation"):
            written[f"{stem}-action-plan.docx"] = documents.for_audit("action-plan", audit, council_name, today)
    for response in found.get("ImmediateResponse", []):
        written[placing.responses[response.id]] = documents.immediate_response(response, council_name)
    written[files.VIEWS_FILE] = files.views_document(case, views, council_name, actor)
    rows = [
        (placing.file_of(name, record), files.RECORD_NAMES.get(name, name), record.id, placing.part_of(name, record))
        for name, records in found.items()
        for record in records
    ]
    rows += [(files.CASE_FILE, files.RECORD_NAMES["Event"], event.id, files.numbered(event)) for event in events]
    rows += [(files.VIEWS_FILE, files.RECORD_NAMES["AccessRecord"], view.id, f"Case {case.id}") for view in views]
    counts = {name: len(records) for name, records in found.items() if records} | {
        "Event": len(events),
        "AccessRecord": len(views),
    }
    written[files.ABOUT] = files.about_document(case, actor, council_name, counts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(files.INDEX, spreadsheets.csv_file(INDEX_HEADER, sorted(rows, key=lambda row: row[:3])))
        # A Word document is a zip already: stored as it is, not compressed again.
        for name, content in sorted(written.items()):
            archive.writestr(name, content, compress_type=zipfile.ZIP_STORED)
    Event.record(actor, "gathered for subject access", case)
    return Gathered(buffer.getvalue(), file_name(case, today))


def counts_of(case):
    """How many of each kind of the case's records there are, for the page before gathering (a query a kind)."""
    kinds = retention.kinds_of(case)
    counts = {model.__name__: model.select().where(query).count() for model, query in kinds.items()}
    counts["AccessRecord"] = access_log.count_of_case(case.id).count()
    return files.by_name({"Case": 1} | {name: count for name, count in counts.items() if count})
