"""The Word documents of a subject access zip that no other part of the service writes (services/subject_access.py
gathers them with each audit's record and action plan and each Immediate Response): a note of what the zip holds,
the case's own records with every change to the child's records, and who has looked. What each file is called and
each kind of record is named, for the index and the page before gathering, is here too."""

from models import GRADES, TemplateDomain, utcnow
from services import access_log, word
from services.dates import long_date, long_datetime

INDEX = "index.csv"
ABOUT = "00-about-this-file.docx"
CASE_FILE = "01-case.docx"
VIEWS_FILE = "04-who-has-looked.docx"

# What each kind of record is called in the index.
RECORD_NAMES = access_log.RECORD_NAMES | {
    "CaseFlag": "Flag on the case",
    "DomainJudgement": "Domain grade and evidence",
    "DomainModeration": "Moderator's view of a domain grade",
    "Reflection": "Practitioner's reflection",
    "ActionFollowUp": "Follow-up of an earlier action",
    "ActionStep": "Progress of an action",
    "ThemeTag": "Learning theme tagged",
    "Draft": "Text kept after a session timed out",
    "ImportRow": "Line of an open-case list being imported",
    "Event": "Change in the event log",
    "AccessRecord": "View or download",
}

# The note on the page and in the zip: what each file holds.
FILES = [
    (ABOUT, "This note."),
    (
        INDEX,
        "Every record the service holds about the child, one a line: the file it is in, what it is and its number in "
        "the service (the number the event log and the record of who has looked give it).",
    ),
    (
        CASE_FILE,
        "The case's details, flags and any legal hold; the audit plans it was drawn in; changes to its audits' "
        "allocation; reliability exercises of it; the four-month reviews of its actions; learning themes tagged on "
        "its audits; moderations not yet finished; and every change to all of these in the event log.",
    ),
    (
        "02-audit-NN-….docx",
        "Each audit of the case, oldest first, as its audit record: every domain's grade, evidence and what it "
        "means for the child, the practitioner's and the family's feedback, the IRO's, the practitioner's "
        "reflection, the actions set and those of earlier audits followed up, and its moderation once finished.",
    ),
    ("02-audit-NN-…-action-plan.docx", "Each audit's action plan, where it set actions: what has been done so far."),
    ("03-immediate-response-NN-….docx", "Each Immediate Response raised on the case, with every step taken."),
    (VIEWS_FILE, "Everyone who looked at or downloaded a page of the child's records, and when, newest first."),
]
NOT_IN_IT = (
    "Not in it: the notices the service sent staff, which name the case's reference only; counts added up for the "
    "dashboard and calibration, which hold no record of any child; and the whole lists of many children's records "
    "that people downloaded, which each person's own record of what they looked at shows."
)
BEFORE_SENDING = (
    "This is what the service holds, not yet a reply. Before anything is sent, the council's information governance "
    "team reads it and redacts what the law requires, such as other people's personal data."
)


def numbered(event):
    """The record an event is about, by its kind and number: "Audit 12"."""
    return f"{RECORD_NAMES.get(event.record_type, event.record_type)} {event.record_id}"


def about_document(case, actor, council_name, counts):
    """The note of what the zip holds: its files, what is not in it, and how many records of each kind."""
    document = word.house_document(case.reference, actor.name, council_name, "Subject access: what this file holds")
    word.paragraph(
        document,
        f"Everything the case file audit tool held about the child of case {case.reference} when {actor.name} "
        f"gathered it, on {long_datetime(utcnow())}.",
    )
    word.paragraph(document, BEFORE_SENDING)
    word.heading(document, "The files", 1)
    word.table(document, [("File", 5.5), ("What it holds", 11.5)], FILES)
    word.paragraph(document, NOT_IN_IT)
    word.heading(document, "How many records", 1)
    word.table(
        document,
        [("Record", 11.5), ("How many", 5.5)],
        [(name, str(count)) for name, count in by_name(counts).items()],
    )
    return word.save(document)


def case_document(case, found, placing, events, council_name, actor):
    """The case's own records, and every change to any of the child's records."""
    document = word.house_document(case.reference, actor.name, council_name, f"Case {case.reference}")
    word.paragraph(
        document,
        "The case's own records, and every change to any of the child's records. Audits are numbered as their files "
        "are, oldest first: Audit 1 is in 02-audit-01.",
    )
    word.heading(document, "Case details", 1)
    hold = (
        f"{case.held_because} (put on by {case.held_by.name}, {long_datetime(case.held_at)})"
        if case.held_because
        else "None"
    )
    word.details(
        document,
        [
            ("Case reference", case.reference),
            ("Child's initials", case.initials),
            ("Year of birth", str(case.birth_year)),
            ("Team", case.team.name),
            ("Allocated worker", case.worker_name),
            ("Allocated worker's email", case.worker_email or "Not recorded"),
            ("Status", "Open" if case.is_open else "Closed"),
            ("Opened", long_date(case.opened_on)),
            ("Closed", long_date(case.closed_on) or ("Not closed" if case.is_open else "Not recorded")),
            ("Flags", ", ".join(case.flag_names) or "None"),
            ("Legal hold", hold),
        ],
    )
    audit_name = {audit_id: f"Audit {number}" for audit_id, (number, _) in placing.audits.items()}

    def section(title, columns, rows, none_text):
        word.heading(document, title, 1)
        if rows:
            word.table(document, columns, rows)
        else:
            document.add_paragraph(none_text)

    section(
        "Audit plans it was drawn in",
        [("Month", 4), ("Auditor", 6), ("Audit", 7)],
        [
            (
                f"{planned.plan.month:%B %Y}",
                planned.auditor.name if planned.auditor_id else "None",
                audit_name.get(planned.audit_id, "Not yet made"),
            )
            for planned in found.get("PlannedAudit", [])
        ],
        "None.",
    )
    section(
        "Changes to its audits' allocation",
        [("Audit", 2.5), ("When", 3.5), ("What", 3.5), ("Why", 5), ("Outcome", 2.5)],
        [
            (
                audit_name[change.audit_id],
                long_datetime(change.made_at),
                change.kind_label,
                change.reason,
                change.status_label + (f": {change.decision_reason}" if change.decision_reason else ""),
            )
            for change in found.get("AllocationChange", [])
        ],
        "None.",
    )
    section(
        "Reliability exercises of it",
        [("Set on", 3.5), ("Set by", 4), ("Due", 3), ("What the discussion agreed", 6.5)],
        [
            (long_datetime(exercise.created_at), exercise.set_by.name, long_date(exercise.due_on), exercise.agreed)
            for exercise in found.get("ReliabilityExercise", [])
        ],
        "None.",
    )
    section(
        "Four-month reviews of its actions",
        [("Audit", 2.5), ("Due", 3), ("Reviewed by", 4), ("On", 3), ("Comment", 4.5)],
        [
            (
                audit_name[review.audit_id],
                long_date(review.due_on),
                review.reviewed_by.name if review.reviewed_by_id else "Not yet reviewed",
                long_datetime(review.reviewed_at),
                review.comment,
            )
            for review in found.get("ActionReview", [])
        ],
        "None.",
    )
    domains = {judgement.id: judgement for judgement in found.get("DomainJudgement", [])}
    names = _domain_names(domains.values())
    section(
        "Learning themes tagged on its audits",
        [("Audit", 2.5), ("Domain", 5), ("Theme", 5), ("Tagged by", 4.5)],
        [
            (
                audit_name[domains[tag.judgement_id].audit_id],
                names[domains[tag.judgement_id].domain_id],
                tag.theme.name,
                f"{tag.tagged_by.name}, {long_date(tag.tagged_at)}",
            )
            for tag in found.get("ThemeTag", [])
        ],
        "None.",
    )
    unfinished = [m for m in found.get("Moderation", []) if m.id not in placing.submitted]
    section(
        "Moderations not yet finished",
        [("Audit", 2.5), ("Moderator", 4.5), ("Status", 3), ("Its view so far", 7)],
        [
            (
                audit_name[moderation.audit_id],
                moderation.moderator.name if moderation.moderator_id else "Not yet given to a moderator",
                moderation.status_label,
                _view_so_far(moderation, found, names),
            )
            for moderation in unfinished
        ],
        "None: a finished moderation is in its audit's record.",
    )
    section(
        "Every change recorded in the event log",
        [("When", 3.5), ("Who", 3.5), ("What", 3), ("Record", 3.5), ("Fields changed", 3.5)],
        [
            (
                long_datetime(event.at),
                event.user.name if event.user_id else "The service",
                event.action,
                numbered(event),
                event.fields,
            )
            for event in events
        ],
        "None.",
    )
    return word.save(document)


def _domain_names(judgements):
    """The name of each domain the judgements grade, by its id (one query)."""
    ids = {judgement.domain_id for judgement in judgements}
    return (
        {domain.id: domain.name for domain in TemplateDomain.select().where(TemplateDomain.id.in_(ids))} if ids else {}
    )


def _view_so_far(moderation, found, names):
    """The grades, reasons and further actions an unfinished moderation holds so far, in a few lines."""
    lines = [
        f"{names.get(row.domain_id, 'Domain')}: {GRADES.get(row.grade, 'not yet graded')}"
        + (f" ({row.reason})" if row.reason else "")
        for row in found.get("DomainModeration", [])
        if row.moderation_id == moderation.id and row.grade
    ]
    if moderation.grade:
        lines.append(
            f"Overall judgement: {GRADES[moderation.grade]}"
            + (f" ({moderation.overall_reason})" if moderation.overall_reason else "")
        )
    for name, text in (
        ("Comments on the actions", moderation.actions_comment),
        ("Message to the auditor", moderation.message),
    ):
        if text:
            lines.append(f"{name}: {text}")
    lines += [
        f"Further action: {action.what} ({action.owner_name}, by {long_date(action.due_on)}; "
        f"done when {action.done_when})"
        for action in found.get("Action", [])
        if action.audit_id == moderation.audit_id and action.source == "moderation"
    ]
    return "\n".join(lines) or "Nothing recorded yet."


def views_document(case, views, council_name, actor):
    """Who has looked at the child's records, and when, newest first."""
    document = word.house_document(case.reference, actor.name, council_name, f"Who has looked at case {case.reference}")
    word.paragraph(
        document,
        "Everyone who opened a page of this child's records or downloaded one, newest first, until this file was "
        "gathered. Nobody can change or remove this record.",
    )
    if not views:
        document.add_paragraph("Nobody has looked yet.")
        return word.save(document)
    word.table(
        document,
        [("When", 4.5), ("Who", 5.5), ("What", 7)],
        [
            (long_datetime(view.at), f"{view.user.name}, {view.user.job_role}", access_log.description(view))
            for view in views
        ],
    )
    return word.save(document)


def by_name(counts):
    """Counts by kind of record ({"FamilyFeedback": 3}) by the name each kind is called ({"Family feedback": 3}):
    the case first, then in the order of the alphabet."""
    named = {RECORD_NAMES.get(kind, kind): count for kind, count in counts.items()}
    return dict(sorted(named.items(), key=lambda item: (item[0] != "Case", item[0])))
