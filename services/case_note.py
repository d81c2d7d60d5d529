"""The audit as plain text for a child's case notes in Mosaic or Liquidlogic, which strip formatting."""

from models import GRADES


def uk_date(day):
    return f"{day:%d/%m/%Y}"


def case_note_text(audit, actions, audited_on):
    """Plain text: the audit date, auditor and role, overall judgement, and each action numbered."""
    lines = [
        f"Case file audit of {audit.case.reference}, {uk_date(audited_on)}",
        f"Auditor: {audit.auditor.name}, {audit.auditor.job_role}",
        f"Period audited: {uk_date(audit.period_start)} to {uk_date(audit.period_end)}",
        f"Overall judgement: {GRADES.get(audit.overall_grade, 'not yet given')}",
        "",
    ]
    if actions:
        lines.append("Actions:")
        for number, action in enumerate(actions, start=1):
            lines += [
                f"{number}. {action.what.strip()}",
                f"   Who: {action.owner_name.strip()}, {action.owner_role.strip()}",
                f"   By: {uk_date(action.due_on)}",
                f"   Done when: {action.done_when.strip()}",
            ]
    else:
        lines.append("Actions: none set by this audit.")
    return "\n".join(lines) + "\n"
