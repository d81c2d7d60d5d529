"""The list of every moderation, for the QA team and senior leaders: the newest draws first, by the months drawn,
status, moderator and whether the moderator changed the overall grade; and its rows as a download.

A page is read in order from the index of each draw's moderations (migration 0013): draws are made in the order of
their months, so the newest draws are the newest months, but for a month drawn again for late audits after the next
month was drawn, whose late audits come first. A moderation holds no month of its own to order by. By status (and
whether the grade changed, which only a submitted one can have), a page and its count read the index of (status,
draw_id, id), or of (status, agrees, draw_id, id) (migration 0034)."""

from models import GRADES, Audit, Case, Moderation, ModerationDraw, Team
from services import moderations
from services.dates import uk_today


def matching(first_month=None, last_month=None, status=None, moderator_id=None, grade_changed=None, in_order=False):
    """The conditions, on the moderation's own columns, for those of draws of the months from `first_month` to
    `last_month` (first days; either may be None), in this status, given to this moderator, and submitted with the
    overall grade changed (`grade_changed` "yes") or left as the auditor gave it ("no")."""
    conditions = []
    if first_month or last_month:
        draws = ModerationDraw.select(ModerationDraw.id)
        if first_month:
            draws = draws.where(ModerationDraw.month >= first_month)
        if last_month:
            draws = draws.where(ModerationDraw.month <= last_month)
        conditions.append(Moderation.draw.in_(draws))
    if status:
        conditions.append(Moderation.status == status)
    if moderator_id:
        # A page (`in_order`) reads the index of the list's order, skipping other moderators' moderations: through the
        # index of moderators, theirs would be sorted for every page (`+ 0` keeps that index out). A count uses it.
        moderator = Moderation.moderator + 0 if in_order else Moderation.moderator
        conditions.append(moderator == moderator_id)
    if grade_changed:
        # Submitted, the moderated grade is the final one: the auditor's where the moderator agreed, another where not
        # (services/moderations.py refuses a disagreement that gives the auditor's grade).
        conditions.append((Moderation.status == "submitted") & (Moderation.agrees == (grade_changed == "no")))
    return conditions


def listing(**filters):
    """Every moderation the filters find (see `matching`), the newest draws first, with what the list shows: the
    month drawn, the audit's case, its team and auditor, and the moderator (one query a page)."""
    query = moderations.detailed(
        lambda Auditor, Moderator: (
            *(Moderation.id, Moderation.status, Moderation.auditor_grade, Moderation.grade, Moderation.agrees),
            *(Moderation.due_on, Moderation.submitted_at, ModerationDraw.id, ModerationDraw.month),
            *(Audit.id, Case.id, Case.reference, Team.id, Team.name, Auditor.id, Auditor.name),
            *(Moderator.id, Moderator.name),
        )
    )
    conditions = matching(**filters, in_order=True)
    return (query.where(*conditions) if conditions else query).order_by(Moderation.draw.desc(), Moderation.id.desc())


def counted(**filters):
    """The moderations `listing` finds, on the moderation table alone: what a count needs."""
    conditions = matching(**filters)
    query = Moderation.select(Moderation.id)
    return query.where(*conditions) if conditions else query


def outcome(moderation):
    """The moderated overall grade and whether the moderator agreed with the auditor's, once submitted (before, what
    the moderator has saved is not an outcome yet): (None, None) until then."""
    if not moderation.is_submitted:
        return None, None
    return GRADES.get(moderation.grade), moderation.agrees


EXPORT_HEADER = [
    "Month drawn",
    "Case reference",
    "Team",
    "Auditor",
    "Auditor's overall grade",
    "Moderator",
    "Status",
    "Due",
    "Submitted",
    "Moderated overall grade",
    "Agreed",
]


def export_row(moderation):
    """A moderation of `listing` as a row of the list's download."""
    audit, moderator = moderation.audit, moderation.moderator
    submitted = uk_today(moderation.submitted_at) if moderation.submitted_at else None
    return [
        f"{moderation.draw.month:%B %Y}",
        *(audit.case.reference, audit.case.team.name, audit.auditor.name, GRADES[moderation.auditor_grade]),
        *(moderator.name if moderator else None, moderation.status_label, moderation.due_on, submitted),
        *outcome(moderation),
    ]
