"""The four-month review of an audit's actions (seed 002 s.11): "Quality Assurance Officers examine all case records
in which remedial actions are required and record whether the actions have been fulfilled (i.e. done), 'completed'
(i.e. signed-off by a Practice Manager) and 'authorised'". Each audit whose actions were sent is due for review four
months after it was submitted; QA officers see those due, each action's state, and record the review with a comment.
The list downloads as a workbook broken down by team, and each team manager can be sent their team's part; they and
the team's service manager read their teams' part of the list."""

from collections import Counter

from peewee import JOIN, chunked

from models import Action, ActionReview, Audit, Case, Event, StaleRecord, Team, User, db, utcnow
from services import action_progress, drafts, notices, spreadsheets, team_actions
from services.audits import months_before
from services.dates import long_date
from services.errors import RuleBroken
from services.records import Stale

MONTHS = 4
STATES = {"": "Due for review", "upcoming": "Not yet due", "reviewed": "Reviewed"}
ALREADY_REVIEWED = "This audit's actions have already been reviewed."


def due_on(submitted_on):
    """Four months after the audit was submitted."""
    return months_before(submitted_on, -MONTHS)


def schedule(audit, submitted_on):
    """Make the audit's review, if it has none yet, for its case's team, in the caller's transaction."""
    if not ActionReview.select().where(ActionReview.audit == audit.id).exists():
        team = Case.select(Case.team).where(Case.id == audit.case_id).scalar()
        ActionReview.create(audit=audit.id, team=team, due_on=due_on(submitted_on))


def follow_cases(case_ids):
    """Move the reviews not yet made of these cases' audits to each case's team now, as their open actions move."""
    for batch in chunked(case_ids, 500):
        _follow(batch)


def _follow(case_ids):
    case_team = Case.select(Case.team).join(Audit, on=(Audit.case == Case.id)).where(Audit.id == ActionReview.audit)
    of_cases = Audit.select(Audit.id).where(Audit.case.in_(case_ids))
    waiting = ActionReview.audit.in_(of_cases) & ActionReview.reviewed_at.is_null()
    ActionReview.update(team=case_team).where(waiting).execute()


# The list.


def matching(user, team_id=None, state="", today=None, in_order=False):
    """The conditions, on the review's own columns, for those `user` may see, of this team, due by `today` and not
    yet reviewed (or, `state` "upcoming", not yet due, which a QA officer may review early; or "reviewed")."""
    if state == "reviewed":
        conditions = [ActionReview.reviewed_at.is_null(False)]
    elif state == "upcoming":
        conditions = [ActionReview.reviewed_at.is_null() & (ActionReview.due_on > today)]
    else:
        conditions = [ActionReview.reviewed_at.is_null() & (ActionReview.due_on <= today)]
    teams = team_actions.teams_of(user)
    if team_id:
        teams = [team_id] if teams is None or team_id in teams else []
    if teams is not None:
        # As team_action_lists.matching: several teams' are read in the list's order, one team's from its own index.
        team = ActionReview.team + 0 if in_order and len(teams) > 1 else ActionReview.team
        conditions.append(team.in_(teams))
    return conditions


def ordering(state):
    """The longest due first; the reviewed, latest first."""
    if state == "reviewed":
        return (ActionReview.reviewed_at.desc(), ActionReview.id.desc())
    return (ActionReview.due_on, ActionReview.id)


def listing(user, **filters):
    """The reviews `user` may see, narrowed by the filters (see `matching`), with the audit, its case and the team."""
    return (
        ActionReview.select(ActionReview, Audit.id, Audit.submitted_at, Case.id, Case.reference, Team.id, Team.name)
        .join(Audit)
        .join(Case)
        .switch(ActionReview)
        .join(Team, on=(ActionReview.team == Team.id))
        .where(*matching(user, **filters, in_order=True))
        .order_by(*ordering(filters.get("state", "")))
    )


def counted(user, **filters):
    """Those `listing` finds, on the review table alone: what a count needs."""
    return ActionReview.select(ActionReview.id).where(*matching(user, **filters))


def with_actions(reviews):
    """`reviews` (a list), each with its audit's actions sent to the team, in order, as `actions` (one query)."""
    by_audit = {review.audit_id: [] for review in reviews}
    if by_audit:
        actions = Action.select().where(Action.audit.in_(list(by_audit)) & Action.received_on.is_null(False))
        for action in actions.order_by(Action.audit, Action.created_at, Action.id):
            by_audit[action.audit_id].append(action)
    for review in reviews:
        review.actions = by_audit[review.audit_id]
    return reviews


# One review.


def detailed():
    Reviewer = User.alias()
    return (
        ActionReview.select(ActionReview, Audit, Case, Team, Reviewer)
        .join(Audit)
        .join(Case)
        .switch(ActionReview)
        .join(Team, on=(ActionReview.team == Team.id))
        .switch(ActionReview)
        .join(Reviewer, JOIN.LEFT_OUTER, on=(ActionReview.reviewed_by == Reviewer.id))
    )


def draft_field(review_id):
    """The draft of the review's comment (services/drafts.py)."""
    return f"action-review-{review_id}"


def keep_draft(user, review_id, form):
    """Keep the comment typed on the review, if `user` may record it."""
    review = ActionReview.get_or_none(ActionReview.id == review_id)
    if review is not None and user.has_role("qa-officer"):
        drafts.keep(user, draft_field(review_id), form, about=review)


def may_see(user, review):
    teams = team_actions.teams_of(user)
    return teams is None or review.team_id in teams


def actions_of(review):
    """The audit's actions sent to the team, each with its team and its Progress (two queries)."""
    actions = list(
        Action.select(Action, Team)
        .join(Team, on=(Action.team == Team.id))
        .where((Action.audit == review.audit_id) & Action.received_on.is_null(False))
        .order_by(Action.created_at, Action.id)
    )
    progress = action_progress.progress([action.id for action in actions])
    return [(action, progress[action.id]) for action in actions]


def record(actor, review, expected_version, comment):
    """A QA officer records the review with their comment, once; or RuleBroken (Stale if only changed meanwhile)."""
    changes = {ActionReview.reviewed_by: actor.id, ActionReview.reviewed_at: utcnow(), ActionReview.comment: comment}
    try:
        with db.atomic():
            try:
                review.save_version(expected_version, changes, only_if=ActionReview.reviewed_at.is_null())
            except StaleRecord:
                if ActionReview.get_by_id(review.id).is_reviewed:
                    raise RuleBroken(ALREADY_REVIEWED) from None
                raise
            drafts.forget(actor, draft_field(review.id))
            Event.record(actor, "reviewed", review, ["reviewed_by", "reviewed_at", "comment"])
    except StaleRecord as error:
        raise Stale(ActionReview.get_by_id(review.id).version) from error
    for field, value in changes.items():
        setattr(review, field.name, value)
    return review


# The workbook, and each team manager's part.

HEADER = [
    "Team",
    "Case reference",
    "Audit submitted",
    "Review due",
    "Action",
    "Who will do it",
    "By when",
    "State",
    "Sign off by",
    "Fulfilled (done)",
    "Completed (signed off)",
    "Authorised",
    "Reviewed",
    "Review comment",
]


def workbook(user, **filters):
    """The list as an Excel workbook: every action of every review on it, one row each, on a sheet of its own team's
    and on one of every team's together."""
    reviews = with_actions(list(listing(user, **filters)))
    progress = action_progress.progress([action.id for review in reviews for action in review.actions])
    rows_by_team = {}
    for review in reviews:
        for action in review.actions:
            done = progress[action.id]
            row = [
                review.team.name,
                review.audit.case.reference,
                review.audit.submitted_at.date(),
                review.due_on,
                action.what,
                f"{action.owner_name}, {action.owner_role}",
                action.due_on,
                team_actions.STATUSES[action.status],
                action.deadline,
                done.fulfilled_on or "No",
                done.completed_on or "No",
                done.authorised_on or "No",
                review.reviewed_at.date() if review.reviewed_at else "Not yet",
                review.comment,
            ]
            rows_by_team.setdefault(review.team.name, []).append(row)
    every = [row for name in sorted(rows_by_team) for row in rows_by_team[name]]
    sheets = [("Every team", HEADER, every)] + [(name, HEADER, rows_by_team[name]) for name in sorted(rows_by_team)]
    return spreadsheets.xlsx_file(sheets)


def send_to_team_managers(actor, today):
    """Send each team manager their team's part of the reviews due and not yet made, through the outbox, in one
    transaction. Returns how many were sent."""
    due = (
        ActionReview.select(Team.id, Team.name, Team.manager)
        .join(Team, on=(ActionReview.team == Team.id))
        .where(*matching(actor, today=today))
        .tuples()
    )
    by_team = Counter(due)
    sent = 0
    with db.atomic():
        for (team_id, name, manager_id), reviews in by_team.items():
            if manager_id is None:
                continue
            sent += notices.notify(
                [User.get_by_id(manager_id)],
                f"Four-month review of actions: {name}",
                f"{actor.name} has sent you {name}'s part of the four-month review of actions, as of "
                f"{long_date(today)}: {notices.count(reviews, 'audit')} whose actions are due for review. Open "
                "it to see each action's state and download the workbook. Completing any outstanding actions rests "
                "with you.",
                f"/action-reviews?team={team_id}",
            )
        Event.record(actor, "sent to team managers", actor, [f"{sent} teams"])
    return sent
