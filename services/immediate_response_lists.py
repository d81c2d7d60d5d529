"""The list of Immediate Responses: those a person may see, what needs attention first, by status, team and
overdue; and those on one case."""

from models import Case, ImmediateResponse, Team, User
from services.dates import uk_today
from services.immediate_responses import list_order, visibility


def matching(user, status=None, team_id=None, overdue=False, today=None, in_order=False):
    """The conditions, on the Immediate Response's own columns, for those `user` may see, with this status, on a
    case of this team, or overdue on `today`."""
    conditions = [condition for condition in [visibility(user)] if condition is not None]
    if status:
        conditions.append(ImmediateResponse.status == status)
    if team_id:
        # As audit_lists.matching: a page (`in_order`) reads the index of the list's order, which holds each
        # one's case; found through the index of cases, the team's would be sorted for every page (`+ 0` keeps
        # that index out). A count uses it, needing no order.
        case = ImmediateResponse.case + 0 if in_order else ImmediateResponse.case
        conditions.append(case.in_(Case.select(Case.id).where(Case.team == team_id)))
    if overdue:
        # Due before today, in the terms of the list's order, which puts the raised ones by the day they are due:
        # so a page reads the overdue in order from the index of (status, list_order).
        before_today = ImmediateResponse.list_order < list_order("raised", today)
        conditions.append((ImmediateResponse.status == "raised") & before_today)
    return conditions


def listing(user, **filters):
    """The Immediate Responses `user` may see, what needs attention first (list_order), narrowed by the filters
    (see `matching`), with the case, its team and the raiser."""
    Raiser = User.alias()
    query = (
        ImmediateResponse.select(
            *(ImmediateResponse.id, ImmediateResponse.raised_at, ImmediateResponse.status),
            *(ImmediateResponse.due_on, ImmediateResponse.urgency, ImmediateResponse.trigger),
            *(ImmediateResponse.escalated_at, ImmediateResponse.case),
            *(ImmediateResponse.acknowledged_at, ImmediateResponse.closed_at),
            *(Case.id, Case.reference, Team.id, Team.name, Raiser.id, Raiser.name),
        )
        .join(Case)
        .join(Team)
        .switch(ImmediateResponse)
        .join(Raiser, on=(ImmediateResponse.raised_by == Raiser.id))
    )
    conditions = matching(user, **filters, in_order=True)
    if conditions:
        query = query.where(*conditions)
    return query.order_by(ImmediateResponse.list_order, ImmediateResponse.id)


EXPORT_HEADER = [
    "Case reference",
    "Team",
    "Raised",
    "Raised by",
    "Why",
    "How urgent",
    "To be acknowledged by",
    "Status",
    "Acknowledged",
    "Closed",
    "Escalated",
]


def export_row(response):
    """An Immediate Response of `listing` as a row of the list's download."""
    return [
        *(response.case.reference, response.case.team.name, uk_today(response.raised_at), response.raised_by.name),
        *(ImmediateResponse.TRIGGERS[response.trigger], response.urgency_label, response.due_on),
        response.status_label,
        *(uk_today(moment) if moment else None for moment in (response.acknowledged_at, response.closed_at)),
        response.escalated_at is not None,
    ]


def counted(user, **filters):
    """Those `listing` finds, on the Immediate Response table alone: what a count needs."""
    conditions = matching(user, **filters)
    query = ImmediateResponse.select(ImmediateResponse.id)
    return query.where(*conditions) if conditions else query


def for_case(user, case):
    """The Immediate Responses on `case` that `user` may see, newest first (a case has a handful)."""
    newest_first = (ImmediateResponse.raised_at.desc(), ImmediateResponse.id.desc())
    return list(listing(user).where(ImmediateResponse.case == case).order_by(*newest_first))
