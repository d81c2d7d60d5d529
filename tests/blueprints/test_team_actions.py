"""Team actions through the test client with no JavaScript: an audit's actions reaching its team on submission, the
list of a team's actions, working one from open to authorised, who may see and do what, bad input, two people at
once, and text typed after a timeout."""

import datetime
import re

import pytest

from models import Action, Audit, Draft, Event, Notice
from services import team_actions
from services.dates import long_date, uk_today
from tests.blueprints.test_audit_page import action_form, audit_form
from tests.conftest import PASSWORD, date_parts, sign_in_client, time_out
from tests.pages import parsed


def text(element):
    return " ".join("".join(element.itertext()).split())


def listed(response):
    """The team actions list's rows: (the link's text, the state's tags)."""
    rows = parsed(response).findall(".//tbody/tr")
    return [(text(row.find("td/a")), text(row.findall("td")[1])) for row in rows]


def test_a_submitted_audit_s_actions_reach_the_team_manager(client, audit, make_user):
    manager = make_user(roles=("team-manager",))
    team = audit.case.team
    team.manager = manager
    team.save()
    client.post(f"/audits/{audit.id}", data=audit_form(audit, overall="requires-improvement"))
    client.post(f"/audits/{audit.id}/actions/new", data=action_form())
    assert not Notice.select().where(Notice.recipient == manager).exists(), "not sent while the audit is open"
    saved = Audit.get_by_id(audit.id)
    client.post(f"/audits/{audit.id}", data=audit_form(saved, overall="requires-improvement", submit_audit="y"))
    action = Action.get()
    deadline = uk_today() + datetime.timedelta(days=14)
    assert (action.team_id, action.received_on, action.deadline) == (team.id, uk_today(), deadline)
    notice = Notice.get(Notice.recipient == manager)
    assert notice.subject.startswith("1 action to sign off by") and notice.link == "/team-actions"

    sign_in_client(client, manager)
    page = client.get("/team-actions")
    assert listed(page) == [(f"{audit.case.reference}: action {action.id}", "Open")]


def test_a_team_manager_works_an_action_to_sign_off_and_the_service_manager_authorises_it(
    client, make_sent_action, get_page
):
    action = make_sent_action()
    url = f"/team-actions/{action.id}"
    manager, service_manager = action.team.manager, action.team.service_manager
    sign_in_client(client, manager)
    page = get_page(url).get_data(as_text=True)
    for button in ("Record it discussed in supervision", "Record it done", "Record a Management Decision"):
        assert button in page
    assert "Authorise it" not in page and "Sign it off" not in page, "not yet done"

    response = client.post(f"{url}/discussed", data={"version": "1", "on": date_parts(uk_today())})
    assert response.status_code == 303 and response.headers["Location"] == url
    client.post(f"{url}/done", data={"version": "2", "text": "The chronology now shows both meetings."})
    client.post(f"{url}/signed-off", data={"version": "3"})
    assert Action.get_by_id(action.id).status == "signed-off"
    assert client.get(f"{url}/authorised").status_code == 403, "the team manager does not authorise"

    sign_in_client(client, service_manager)
    assert "Authorise it" in get_page(url).get_data(as_text=True)
    assert client.post(f"{url}/authorised", data={"version": "4"}).status_code == 303
    page = get_page(url)
    timeline = [text(step.find("h3")) for step in parsed(page).iterfind(".//li[@class='app-timeline__step']")]
    assert timeline == [
        "Sent to the team manager",
        f"Discussed in supervision on {long_date(uk_today())}",
        "Done",
        "Signed off",
        "Authorised",
    ]
    assert "The chronology now shows both meetings." in page.get_data(as_text=True)
    recorded = [event.action for event in Event.select().where(Event.record_type == "Action").order_by(Event.id)]
    assert recorded == ["sent", "discussed", "done", "signed-off", "authorised"]


def test_a_management_decision_is_authorised_by_the_service_manager_or_sent_back(client, make_sent_action):
    decided, sent_back = make_sent_action(), make_sent_action()
    for action, decision in ((decided, {}), (sent_back, {"text": "Ask the IRO, who holds the minutes."})):
        sign_in_client(client, action.team.manager)
        why = {"version": "1", "text": "The worker who held the records has left and took no notes."}
        client.post(f"/team-actions/{action.id}/cannot-be-achieved", data=why)
        assert Action.get_by_id(action.id).status == "decision" and not Action.get_by_id(action.id).is_closed
        sign_in_client(client, action.team.service_manager)
        kind = "decision-sent-back" if decision else "decision-authorised"
        assert client.post(f"/team-actions/{action.id}/{kind}", data={"version": "2"} | decision).status_code == 303
    assert Action.get_by_id(decided.id).status == "decision-authorised" and Action.get_by_id(decided.id).is_closed
    assert Action.get_by_id(sent_back.id).status == "open"


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        ("done", {"text": "  "}, "text", "Enter what was done"),
        ("disputed", {"text": ""}, "text", "Enter why the action is not needed"),
        ("cannot-be-achieved", {"text": ""}, "text", "Enter the Management Decision: why it cannot be achieved"),
        ("discussed", {"on": ["", "", ""]}, "on", "Enter the date it was discussed"),
        ("discussed", {"on": ["31", "2", "2026"]}, "on", "Date it was discussed in supervision must be a real date"),
        (
            "discussed",
            {"on": date_parts(uk_today() + datetime.timedelta(days=7))},
            "on",
            "must be today or in the past",
        ),
        (
            "discussed",
            {"on": date_parts(uk_today() - datetime.timedelta(days=40))},
            "on",
            "when the action was received",
        ),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    client, make_sent_action, step, data, field, message
):
    action = make_sent_action(sent_on=uk_today() - datetime.timedelta(days=3))
    sign_in_client(client, action.team.manager)
    response = client.post(f"/team-actions/{action.id}/{step}", data={"version": "1"} | data)
    assert response.status_code == 200
    error = parsed(response).find(f".//p[@id='{field}-error']")
    assert error is not None and message in text(error)
    saved = Action.get_by_id(action.id)
    assert (saved.status, saved.version) == ("open", 1)


def test_typed_text_is_shown_escaped(client, make_sent_action):
    action = make_sent_action()
    sign_in_client(client, action.team.manager)
    client.post(f"/team-actions/{action.id}/done", data={"version": "1", "text": "<script>alert(1)</script>"})
    page = client.get(f"/team-actions/{action.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page


def test_of_two_tabs_the_second_sees_the_first_s_step_beside_what_it_typed(client, make_sent_action):
    action = make_sent_action()
    sign_in_client(client, action.team.manager)
    client.post(f"/team-actions/{action.id}/done", data={"version": "1", "text": "Done in the first tab."})
    response = client.post(
        f"/team-actions/{action.id}/disputed", data={"version": "1", "text": "Typed in the second tab."}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "This action is now done" in page
    assert "Done in the first tab." in page and "Typed in the second tab." in page
    assert Action.get_by_id(action.id).status == "done"
    # A step that keeps the status, from a stale tab, is refused until saved again knowingly.
    stale = {"version": "1", "on": date_parts(uk_today())}
    page = client.post(f"/team-actions/{action.id}/discussed", data=stale).get_data(as_text=True)
    assert "Someone else changed this record" in page
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page) or re.search(
        r'name="version" value="(\d+)"', page
    )
    assert version and version[1] == "2"
    assert client.post(f"/team-actions/{action.id}/discussed", data=stale | {"version": "2"}).status_code == 303


def test_who_sees_which(client, make_sent_action, make_user, get_page):
    mine, theirs = make_sent_action(), make_sent_action()
    manager = mine.team.manager
    sign_in_client(client, manager)
    assert [row[0] for row in listed(get_page("/team-actions"))] == [f"{mine.audit.case.reference}: action {mine.id}"]
    get_page(f"/team-actions/{theirs.id}", 403)
    get_page(f"/team-actions/{theirs.id}/done", 403)
    assert client.post(f"/team-actions/{theirs.id}/done", data={"version": "1", "text": "x"}).status_code == 403
    assert Action.get_by_id(theirs.id).status == "open"
    # The team's filter offers only their own teams: another team's id is refused, and shows only theirs.
    refused = get_page(f"/team-actions?team={theirs.team_id}")
    assert "Select a team from the list" in refused.get_data(as_text=True)
    assert [row[0] for row in listed(refused)] == [f"{mine.audit.case.reference}: action {mine.id}"]

    sign_in_client(client, mine.team.service_manager)
    assert [row[0] for row in listed(get_page("/team-actions"))] == [f"{mine.audit.case.reference}: action {mine.id}"]
    sign_in_client(client, mine.audit.auditor)
    get_page(f"/team-actions/{mine.id}")  # the auditor follows what became of their action
    get_page(f"/team-actions/{theirs.id}", 403)
    sign_in_client(client, make_user(roles=("qa-officer",)))
    assert len(listed(get_page("/team-actions"))) == 2
    assert len(listed(get_page(f"/team-actions?team={theirs.team_id}"))) == 1


def test_the_list_puts_the_team_manager_s_overdue_first_then_those_waiting_and_filters_by_state(
    client, make_sent_action, make_user, get_page
):
    manager = make_user(roles=("team-manager",))
    late = make_sent_action(manager=manager, sent_on=uk_today() - datetime.timedelta(days=20))
    soon = make_sent_action(manager=manager, sent_on=uk_today() - datetime.timedelta(days=2))
    waiting = make_sent_action(manager=manager, sent_on=uk_today() - datetime.timedelta(days=30))
    rules = team_actions.Rules()
    team_actions.take(manager, waiting, "cannot-be-achieved", 1, {"text": "Not possible"}, rules, uk_today())
    closed = make_sent_action(manager=manager)
    team_actions.take(manager, closed, "done", 1, {"text": "Done"}, rules, uk_today())
    team_actions.take(manager, closed, "signed-off", 2, {}, team_actions.Rules(authorisation=False), uk_today())
    sign_in_client(client, manager)
    rows = listed(get_page("/team-actions"))
    assert [(link.split(":")[0], state) for link, state in rows] == [
        (late.audit.case.reference, "Open Overdue"),
        (soon.audit.case.reference, "Open"),
        (waiting.audit.case.reference, "Management Decision"),
    ], "the closed one is left out unless asked for"
    assert [state for _, state in listed(get_page("/team-actions?state=overdue"))] == ["Open Overdue"]
    assert [state for _, state in listed(get_page("/team-actions?state=closed"))] == ["Signed off"]
    assert len(listed(get_page("/team-actions?state=all"))) == 4
    page = get_page("/team-actions?state=nonsense")
    assert "Select a state from the list" in page.get_data(as_text=True) and len(listed(page)) == 3


def test_a_step_that_cannot_be_taken_now_says_why(client, make_sent_action, get_page):
    action = make_sent_action()
    sign_in_client(client, action.team.manager)
    page = get_page(f"/team-actions/{action.id}/signed-off").get_data(as_text=True)
    assert "This action is now open, so this step cannot be taken" in page and "<form" not in page.split("<main")[1]


def test_text_typed_after_the_session_timed_out_is_kept_and_put_back(client, make_sent_action):
    action = make_sent_action()
    manager, url = action.team.manager, f"/team-actions/{action.id}/cannot-be-achieved"
    sign_in_client(client, manager)
    time_out(client)
    typed = {"version": "1", "text": "Typed while timing out: the records went with the worker who left."}
    response = client.post(url, data=typed, headers={"Referer": f"http://localhost{url}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next={url}"
    client.post("/sign-in", data={"email": manager.email, "password": PASSWORD})
    assert "the records went with the worker who left" in client.get(url).get_data(as_text=True)
    assert client.post(url, data=typed).status_code == 303
    assert Draft.select().count() == 0


def test_a_draft_is_not_kept_for_someone_who_may_not_take_the_step(client, make_sent_action, make_user):
    action = make_sent_action()
    sign_in_client(client, make_user(roles=("team-manager",)))
    time_out(client)
    client.post(f"/team-actions/{action.id}/done", data={"version": "1", "text": "Not mine to say"})
    assert Draft.select().count() == 0


def test_a_case_moved_to_another_team_by_hand_takes_its_open_actions(client, make_sent_action, make_team, login_as):
    action = make_sent_action()
    other = make_team()
    login_as("qa-officer")
    case = action.audit.case
    form = {
        "version": str(case.version),
        "reference": case.reference,
        "initials": case.initials,
        "birth_year": str(case.birth_year),
        "team": str(other.id),
        "worker_name": case.worker_name,
        "is_open": "y",
        "opened_on": date_parts(case.opened_on),
    }
    assert client.post(f"/cases/{case.id}/edit", data=form).status_code == 303
    assert Action.get_by_id(action.id).team_id == other.id


def test_the_home_page_says_what_actions_wait_for_each_person(client, make_sent_action, make_user, get_page):
    manager = make_user(roles=("team-manager",))
    late = make_sent_action(manager=manager, sent_on=uk_today() - datetime.timedelta(days=20))
    make_sent_action(manager=manager)
    rules = team_actions.Rules()
    team_actions.take(manager, late, "done", 1, {"text": "Done"}, rules, uk_today())
    team_actions.take(manager, late, "signed-off", 2, {}, rules, uk_today())
    disputed = make_sent_action()
    team_actions.take(disputed.team.manager, disputed, "disputed", 1, {"text": "Not needed"}, rules, uk_today())
    sign_in_client(client, manager)
    page = get_page("/").get_data(as_text=True)
    assert "1 action to record done and sign off" in page
    assert "action overdue" not in page, "the late one is signed off, waiting for the service manager"
    sign_in_client(client, late.team.service_manager)
    assert "1 action to authorise" in get_page("/").get_data(as_text=True)
    sign_in_client(client, make_user(roles=("qa-officer",)))
    assert "1 disputed action" in get_page("/").get_data(as_text=True)
