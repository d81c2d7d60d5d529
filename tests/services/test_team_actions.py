"""Actions reach the team: each step only from where it starts and only by whom it belongs to, each written to the
event log and the timeline; deadlines under either rule; open actions following their case."""

import datetime

import pytest

from app import create_app
from models import Action, ActionStep, Event, Notice
from services import action_progress, team_actions
from services.errors import RuleBroken
from services.immediate_responses import qa_officers
from services.records import Stale
from services.team_actions import STEPS, Rules

TODAY = datetime.date(2026, 12, 3)
TEXT = {"text": "Recorded on the child's file on 2 December, in the case summary."}


def values_for(kind):
    step = STEPS[kind]
    return ({"on": TODAY} if step.date else {}) | (TEXT if step.text else {})


def person_for(action, step, qa):
    return {"team-manager": action.team.manager, "service-manager": action.team.service_manager}.get(step.by, qa)


@pytest.mark.parametrize(
    ("rule", "received", "deadline"),
    [
        ("14 days", datetime.date(2026, 12, 18), datetime.date(2027, 1, 1)),  # calendar days: over Christmas too
        # 25 working days from Friday 18 December 2026: no Christmas Day, Boxing Day (Monday 28th in lieu) nor New Year.
        ("25 working days", datetime.date(2026, 12, 18), datetime.date(2027, 1, 27)),
        ("25 Working Days", datetime.date(2026, 11, 2), datetime.date(2026, 12, 7)),  # no bank holiday in between
        ("1 day", datetime.date(2026, 12, 24), datetime.date(2026, 12, 25)),
        ("1 working day", datetime.date(2026, 12, 24), datetime.date(2026, 12, 29)),
    ],
)
def test_the_deadline_under_each_rule(rule, received, deadline):
    assert Rules.parse(rule).deadline(received) == deadline


@pytest.mark.parametrize("rule", ["14", "fourteen days", "0 days", "14 weeks", "-3 days", ""])
def test_a_deadline_written_wrongly_stops_the_app_starting_and_says_how_to_write_it(rule, tmp_path):
    with pytest.raises(ValueError, match='like "14 days" or "25 working days"'):
        create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "ACTION_DEADLINE": rule})


def test_sending_gives_the_case_s_team_the_deadline_and_tells_its_manager(make_sent_action):
    rules = Rules.parse("25 working days")
    action = make_sent_action(sent_on=datetime.date(2026, 12, 18), rules=rules)
    assert (action.team_id, action.received_on, action.deadline) == (
        action.audit.case.team_id,
        datetime.date(2026, 12, 18),
        datetime.date(2027, 1, 27),
    )
    assert action.status == "open" and not action.is_closed
    [notice] = Notice.select().where(Notice.recipient == action.team.manager)
    assert notice.subject == f"1 action to sign off by 27 January 2027: case {action.audit.case.reference}"
    assert "(25 working days from today)" in notice.body and notice.link == "/team-actions"
    assert [step[1] for step in action_progress.timeline(action)] == ["Sent to the team manager"]
    assert Event.get(Event.record_type == "Action", Event.record_id == action.id).action == "sent"


def test_with_no_team_manager_the_qa_officers_are_told(make_audit, make_case, make_team, make_user):
    qa = make_user(roles=("qa-officer",))
    audit = make_audit(case=make_case(team=make_team()), status="submitted")
    Action.create(audit=audit, what="w", owner_name="o", owner_role="r", due_on=TODAY, done_when="d")
    assert team_actions.send_to_team(audit.auditor, audit, "audit", Rules(), TODAY) == 1
    [notice] = Notice.select().where(Notice.recipient == qa)
    assert "no team manager" in notice.subject and "Set the team's manager" in notice.body
    assert team_actions.send_to_team(audit.auditor, audit, "audit", Rules(), TODAY) == 0, "each is sent once"


@pytest.mark.parametrize("kind", list(STEPS))
@pytest.mark.parametrize("status", list(Action.STATUSES))
def test_a_step_is_taken_only_from_the_statuses_it_starts_from(make_sent_action, make_user, kind, status):
    action = make_sent_action()
    Action.update(status=status).where(Action.id == action.id).execute()
    action.status = status
    step, qa = STEPS[kind], make_user(roles=("qa-officer",))
    person = person_for(action, step, qa)
    events = Event.select().count()
    if status in step.starts:
        team_actions.take(person, action, kind, action.version, values_for(kind), Rules(), TODAY)
        assert Action.get_by_id(action.id).status == (step.ends or status)
        assert Event.select().where(Event.action == kind, Event.record_id == action.id).count() == 1
        assert ActionStep.get(ActionStep.kind == kind).by_id == person.id
    else:
        with pytest.raises(RuleBroken, match="cannot be taken|closed"):
            team_actions.take(person, action, kind, action.version, values_for(kind), Rules(), TODAY)
        assert Action.get_by_id(action.id).status == status and Event.select().count() == events
        assert not ActionStep.select().where(ActionStep.kind == kind).exists()


@pytest.mark.parametrize("kind", list(STEPS))
def test_only_the_team_s_own_manager_service_manager_or_a_qa_officer_may_take_a_step(make_sent_action, make_user, kind):
    action = make_sent_action()
    step = STEPS[kind]
    owner = person_for(action, step, make_user(roles=("qa-officer",)))
    others = [
        make_user(roles=("team-manager",)),  # another team's manager
        make_user(roles=("service-manager",)),  # another team's service manager
        make_user(roles=("auditor", "moderator", "senior-leader")),
        action.audit.auditor,
    ]
    if step.by != "qa-officer":
        others.append(make_user(roles=("qa-officer",)))
    # The manager's own steps are not the service manager's, and the other way about, even for one person's roles.
    if step.by == "team-manager":
        others.append(action.team.service_manager)
    elif step.by == "service-manager":
        others.append(action.team.manager)
    assert team_actions.may_take(owner, action, step)
    assert not any(team_actions.may_take(person, action, step) for person in others)


def take(action, kind, rules=team_actions.DEFAULT_RULES, qa=None):
    person = person_for(action, STEPS[kind], qa)
    return team_actions.take(person, action, kind, action.version, values_for(kind), rules, TODAY)


def test_from_open_to_authorised_each_step_on_the_timeline_and_the_service_manager_told(make_sent_action):
    action = make_sent_action()
    for kind in ("discussed", "done", "signed-off"):
        take(action, kind)
    assert action.status == "signed-off" and not action.is_closed, "waiting for the service manager"
    told = Notice.get(Notice.recipient == action.team.service_manager)
    assert told.subject == f"Action signed off: case {action.audit.case.reference}"
    assert "waiting for a service manager to authorise it" in told.body
    assert told.link == f"/team-actions/{action.id}"
    take(action, "authorised")
    assert action.status == "authorised" and action.is_closed
    assert Notice.select().where(Notice.recipient == action.team.manager).count() == 2, "sent it, then authorised"
    shown = [(what, who, on) for _, what, who, on, _ in action_progress.timeline(action)]
    manager, service_manager = action.team.manager.name, action.team.service_manager.name
    assert shown == [
        ("Sent to the team manager", action.audit.auditor.name, None),
        ("Discussed in supervision", manager, TODAY),
        ("Done", manager, None),
        ("Signed off", manager, None),
        ("Authorised", service_manager, None),
    ]


def test_where_no_authorisation_is_needed_signing_off_closes_it_and_nobody_is_asked(make_sent_action):
    action, rules = make_sent_action(), Rules(authorisation=False)
    take(action, "done", rules)
    Notice.delete().execute()
    take(action, "signed-off", rules)
    assert action.status == "signed-off" and action.is_closed
    assert not Notice.select().exists()
    assert not team_actions.steps_for(action.team.service_manager, action)


def test_a_management_decision_counts_as_closed_only_once_a_service_manager_authorises_it(make_sent_action):
    action = make_sent_action()
    take(action, "cannot-be-achieved")
    assert action.status == "decision" and not action.is_closed
    assert action.list_order < 2 * Action.LIST_BAND, "still among those not yet closed"
    assert "authorise the Management Decision" in Notice.get(Notice.recipient == action.team.service_manager).body
    take(action, "decision-authorised")
    assert action.status == "decision-authorised" and action.is_closed


def test_a_decision_sent_back_returns_to_the_team_manager_with_a_new_deadline(make_sent_action):
    action = make_sent_action(sent_on=TODAY - datetime.timedelta(days=30))
    take(action, "cannot-be-achieved")
    take(action, "decision-sent-back")
    assert (action.status, action.received_on, action.deadline) == ("open", TODAY, TODAY + datetime.timedelta(14))
    assert action.list_order == TODAY.toordinal() + 14, "back among the team manager's, by its new deadline"
    assert (
        "back with the team manager, to sign off by 17 December 2026"
        in Notice.select().order_by(Notice.id.desc()).get().body
    )


def test_a_dispute_is_resolved_by_a_qa_officer_and_the_auditor_is_told(make_sent_action, make_user):
    action, qa = make_sent_action(), make_user(roles=("qa-officer",))
    take(action, "disputed")
    told = {notice.recipient_id for notice in Notice.select().where(Notice.subject.startswith("Action disputed"))}
    assert told == {person.id for person in qa_officers()} | {action.audit.auditor_id} and qa.id in told
    take(action, "withdrawn", qa=qa)
    assert action.status == "withdrawn" and action.is_closed
    assert (
        Notice.select().where(Notice.recipient == action.audit.auditor, Notice.subject.contains("withdrawn")).exists()
    )


def test_of_two_people_at_once_one_wins_and_the_other_is_told(make_sent_action):
    action = make_sent_action()
    other_tab = Action.get_by_id(action.id)
    other_tab.team, other_tab.audit = action.team, action.audit
    take(action, "done")
    with pytest.raises(RuleBroken, match="This action is now done"):
        team_actions.take(action.team.manager, other_tab, "disputed", other_tab.version, TEXT, Rules(), TODAY)
    # A step that leaves the status as it was is refused as stale, then taken knowingly on the version now.
    with pytest.raises(Stale) as refused:
        team_actions.take(action.team.manager, other_tab, "discussed", other_tab.version, {"on": TODAY}, Rules(), TODAY)
    team_actions.take(action.team.manager, other_tab, "discussed", refused.value.current_version, {"on": TODAY},
                      Rules(), TODAY)  # fmt: skip
    assert [kind for (kind,) in ActionStep.select(ActionStep.kind).order_by(ActionStep.id).tuples()] == [
        "received",
        "done",
        "discussed",
    ]


def test_open_actions_follow_their_case_to_another_team_and_closed_ones_stay(make_sent_action, make_team):
    moving, closed = make_sent_action(), make_sent_action()
    take(closed, "done")
    take(closed, "signed-off", Rules(authorisation=False))
    other = make_team()
    for action in (moving, closed):
        action.audit.case.team = other
        action.audit.case.save()
    team_actions.follow_cases([moving.audit.case_id, closed.audit.case_id])
    assert Action.get_by_id(moving.id).team_id == other.id
    assert Action.get_by_id(closed.id).team_id == closed.team_id != other.id


def test_actions_not_yet_sent_have_no_team_and_no_step_can_be_taken(make_audit):
    audit = make_audit()
    action = Action.create(audit=audit, what="w", owner_name="o", owner_role="r", due_on=TODAY, done_when="d")
    action.team = None
    assert team_actions.not_now(STEPS["done"], action).startswith("This action has not been sent")
    team_actions.follow_cases([audit.case_id])
    assert Action.get_by_id(action.id).team_id is None


def test_the_service_refuses_a_step_from_someone_it_does_not_belong_to(make_sent_action, make_user):
    action = make_sent_action()
    other_manager = make_user(roles=("team-manager",))
    with pytest.raises(RuleBroken, match="Only the team's manager can record it done"):
        team_actions.take(other_manager, action, "done", action.version, TEXT, Rules(), TODAY)
    assert Action.get_by_id(action.id).status == "open" and not ActionStep.select().where(ActionStep.kind == "done")
