"""The audit as plain text for a child's case notes in Mosaic or Liquidlogic, which strip formatting."""

from models import GRADES
from services import moderations
from services.dates import short_date as uk_date


def audit_date(audit, today):
    """The date an audit is dated: when it was submitted, or today while it is a draft."""
    return audit.submitted_at.date() if audit.submitted_at else today


def case_note_text(audit, actions, today):
    """Plain text: the audit date, auditor and role, overall judgement, and each action numbered."""
    audited_on = audit_date(audit, today)
    lines = [
        f"Case file audit of {audit.case.reference}, {uk_date(audited_on)}",
        f"Auditor: {audit.auditor.name}, {audit.auditor.job_role}",
        f"Period audited: {uk_date(audit.period_start)} to {uk_date(audit.period_end)}",
        f"Overall judgement: {_overall(audit)}",
        "",
    ]
    lines += _numbered("Actions:", actions) if actions else ["Actions: none set by this audit."]
    if audit.status == "moderated":
        further = audit.ordered_actions("moderation")
        if further:
            lines += ["", *_numbered("Further actions from moderation:", further)]
    return "\n".join(lines) + "\n"


def _overall(audit):
    """The overall judgement: once moderated, the final one, saying so where the moderator changed it."""
    given = GRADES.get(audit.overall_grade, "not yet given")
    moderation = moderations.of_audit(audit) if audit.status == "moderated" else None
    if moderation is None or moderation.agrees:
        return given
    return f"{GRADES[moderation.grade]} (changed in moderation from {given})"


def _numbered(heading, actions):
    lines = [heading]
    for number, action in enumerate(actions, start=1):
        lines += [
            f"{number}. {action.what.strip()}",
            f"   Who: {action.owner_name.strip()}, {action.owner_role.strip()}",
            f"   By: {uk_date(action.due_on)}",
            f"   Done when: {action.done_when.strip()}",
        ]
    return lines
