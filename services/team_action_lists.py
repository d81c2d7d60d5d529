"""The team actions list: the actions a person may see (services/team_actions.py: teams_of), what needs attention
first, by team and state."""

from models import Action, Audit, Case, Team
from services.dates import uk_today
from services.team_actions import state_condition, teams_of


def matching(user, team_id=None, state="", today=None, in_order=False):
    """The conditions, on the action's own columns, for those `user` may see, of this team, in this state."""
    conditions = [state_condition(state, today)]
    teams = teams_of(user)
    if team_id:
        teams = [team_id] if teams is None or team_id in teams else []
    if teams is not None:
        # A page of several teams (`in_order`) reads the index of the list's order, which holds each one's team:
        # through the index of teams, their actions would be sorted for every page (`+ 0` keeps that index out).
        # One team's actions are in order in its own index, and a count needs no order.
        team = Action.team + 0 if in_order and len(teams) > 1 else Action.team
        conditions.append(team.in_(teams))
    else:
        conditions.append(Action.team.is_null(False))
    return conditions


EXPORT_HEADER = [
    "Case reference",
    "Team",
    "Action",
    "Who will do it",
    "Their role",
    "Due",
    "From",
    "Received",
    "To be signed off by",
    "Status",
    "Closed",
]


def export_row(action):
    """An action of `listing` as a row of the list's download."""
    return [
        *(action.audit.case.reference, action.team.name, action.what, action.owner_name, action.owner_role),
        *(action.due_on, "Moderation" if action.source == "moderation" else "Audit", action.received_on),
        *(action.deadline, action.status_label, uk_today(action.closed_at) if action.closed_at else None),
    ]


def listing(user, **filters):
    """The actions `user` may see, what needs attention first (list_order), narrowed by the filters (see
    `matching`), with the case and the team."""
    return (
        Action.select(
            *(Action.id, Action.what, Action.owner_name, Action.owner_role, Action.due_on, Action.deadline),
            *(Action.status, Action.received_on, Action.closed_at, Action.list_order, Action.source, Action.audit),
            *(Audit.id, Case.id, Case.reference, Team.id, Team.name),
        )
        .join(Audit)
        .join(Case)
        .switch(Action)
        .join(Team, on=(Action.team == Team.id))
        .where(*matching(user, **filters, in_order=True))
        .order_by(Action.list_order, Action.id)
    )


def counted(user, **filters):
    """Those `listing` finds, on the action table alone: what a count needs."""
    return Action.select(Action.id).where(*matching(user, **filters))


def team_choices(user):
    """(id, name) of the teams whose actions `user` sees, by service area: the filter's choices."""
    teams = teams_of(user)
    if teams is None:
        return Team.names()
    return [(team_id, name) for team_id, name in Team.names() if team_id in teams]


def waiting_for(user, today):
    """What waits for `user` on the home page, as counts: the actions their teams' manager has to sign off, and how
    many are overdue; those a service manager has to authorise (signed off, or a Management Decision); and the
    disputes a QA officer has to resolve."""
    counts = dict.fromkeys(("with_team_manager", "overdue", "to_authorise", "disputed"), 0)
    band = Action.LIST_BAND
    if user.has_role("team-manager"):
        managed = Team.select(Team.id).where(Team.manager == user.id)
        mine = Action.select(Action.id).where(Action.team.in_(managed))
        counts["with_team_manager"] = mine.where(Action.list_order < band).count()
        counts["overdue"] = mine.where(Action.list_order < today.toordinal()).count()
    if user.has_role("service-manager"):
        serviced = Team.select(Team.id).where(Team.service_manager == user.id)
        waiting = Action.list_order.between(band, 2 * band - 1) & Action.status.in_(("signed-off", "decision"))
        counts["to_authorise"] = Action.select(Action.id).where(Action.team.in_(serviced) & waiting).count()
    if user.has_role("qa-officer"):
        disputed = Action.list_order.between(band, 2 * band - 1) & (Action.status == "disputed")
        counts["disputed"] = Action.select(Action.id).where(disputed).count()
    return counts
