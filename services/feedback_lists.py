"""The list of families' feedback, for the QA team and senior leaders: whether it was gathered and why not, by team and
by the months its audit was allocated in (as the dashboard counts it); and its rows as a download.

Neither the list nor its download holds what the family said, nor who the person is beyond the kind of relation the
form offers, nor what was tried to reach them: those are typed, about a child and family, and stay on the audit, where
only those who may read it read them. The list says how the feedback went; a row links to its audit.

A page is read in order from the index of each audit's feedback (migration 0010): the newest audits first, each
audit's feedback the latest recorded first. Gathered or not, a page and its count read the index of (gathered,
audit_id, created_at, id), family_feedback_gathered_audit_id_created_at_id."""

from models import Audit, Case, FamilyFeedback, Team
from services import audit_lists


def matching(gathered=None, reason=None, team_id=None, first_month=None, last_month=None, in_order=False):
    """The conditions, on the feedback's own columns, for feedback gathered (`gathered` "yes") or not ("no"), not
    gathered for this `reason`, on an audit of a case held by this team, allocated in the months from `first_month`
    to `last_month` (first days; either may be None)."""
    conditions = []
    if gathered or reason:
        # A reason is only ever given for feedback that could not be gathered: a reason alone means "no".
        conditions.append(FamilyFeedback.gathered == (gathered == "yes"))
    if reason:
        conditions.append(FamilyFeedback.not_gathered_reason == reason)
    # The audits' conditions are the list of audits' own, so that the two lists, filtered alike, agree.
    audits = audit_lists.matching(team_id=team_id, first_month=first_month, last_month=last_month)
    if audits:
        # A page (`in_order`) reads the feedback in the list's order from its index, skipping other audits': found
        # audit by audit through the same index, it would be sorted for every page (`+ 0` keeps that out). A count
        # finds it so, needing no order.
        audit = FamilyFeedback.audit + 0 if in_order else FamilyFeedback.audit
        conditions.append(audit.in_(Audit.select(Audit.id).where(*audits)))
    return conditions


def listing(**filters):
    """The feedback the filters find (see `matching`), the newest audits first, with what the list shows: whether it
    was gathered, from whom, how and how helpful they found our work, or why not; the audit's case and its team."""
    query = (
        FamilyFeedback.select(
            *(FamilyFeedback.id, FamilyFeedback.audit, FamilyFeedback.created_at, FamilyFeedback.given_by),
            *(FamilyFeedback.gathered, FamilyFeedback.how, FamilyFeedback.helpfulness, FamilyFeedback.given_on),
            *(FamilyFeedback.not_gathered_reason, Audit.id, Case.id, Case.reference, Team.id, Team.name),
        )
        .join(Audit)
        .join(Case)
        .join(Team)
    )
    conditions = matching(**filters, in_order=True)
    return (query.where(*conditions) if conditions else query).order_by(
        FamilyFeedback.audit.desc(), FamilyFeedback.created_at.desc(), FamilyFeedback.id.desc()
    )


def counted(**filters):
    """The feedback `listing` finds, on the feedback table alone: what a count needs."""
    conditions = matching(**filters)
    query = FamilyFeedback.select(FamilyFeedback.id)
    return query.where(*conditions) if conditions else query


def given_by(feedback):
    """Who gave it, as the form's choice names them, never the relation typed beside it ("Grandmother")."""
    return FamilyFeedback.GIVEN_BY.get(feedback.given_by, feedback.given_by)


EXPORT_HEADER = [
    "Case reference",
    "Team",
    "Audit number",
    "Given by",
    "Gathered",
    "How",
    "How helpful",
    "Why it could not be gathered",
    "Date",
]


def export_row(feedback):
    """Feedback of `listing` as a row of the list's download; the date is when it was given, or when the last
    attempt to gather it was made."""
    return [
        *(feedback.audit.case.reference, feedback.audit.case.team.name, feedback.audit.id, given_by(feedback)),
        feedback.gathered,
        feedback.how_label if feedback.gathered else None,
        feedback.helpfulness_label if feedback.gathered else None,
        None if feedback.gathered else feedback.not_gathered_label,
        feedback.given_on,
    ]
