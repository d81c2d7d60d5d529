"""Whole journeys through the pages, as a person would make them (JavaScript plays no part)."""

import datetime
import io
import re

from openpyxl import load_workbook

from models import Action, ActionReview, Audit, Notice, Team, User
from services import allocation, demo
from services.dates import uk_today
from services.working_days import add_working_days
from tests.conftest import PASSWORD


def sign_in(client, email, password):
    response = client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)


def test_a_qa_officer_sets_up_a_team_user_and_case_and_allocates_an_audit(client, make_user, get_page):
    qa = make_user(roles=("qa-officer",))
    sign_in(client, qa.email, PASSWORD)
    client.post("/admin/service-areas/new", data={"name": "Front Door and Assessment"})
    area_id = re.search(
        r'value="(\d+)">Front Door and Assessment', get_page("/admin/teams/new").get_data(as_text=True)
    )[1]
    assert client.post("/admin/teams/new", data={"name": "Front Door Team", "service_area": area_id}).status_code == 303
    assert client.post("/admin/teams/new", data={"name": "Assessment Team", "service_area": area_id}).status_code == 303
    form = get_page("/cases/new").get_data(as_text=True)
    front_door = re.search(r'value="(\d+)">Front Door Team', form)[1]
    assessment = re.search(r'value="(\d+)">Assessment Team', get_page("/admin/users/new").get_data(as_text=True))[1]

    new_user = {
        "name": "Jordan Auditor",
        "email": "jordan.auditor@example.gov.uk",
        "job_role": "Team Manager",
        "team": assessment,
        "roles": ["auditor", "team-manager"],
        "active": "y",
        "password": "jordan's long password",
    }
    assert client.post("/admin/users/new", data=new_user).status_code == 303
    case = {
        "reference": "LCS-2001",
        "initials": "TR",
        "birth_year": "2016",
        "team": front_door,
        "worker_name": "Sam Worker",
        "opened_on": ["4", "5", "2025"],
        "is_open": "y",
    }
    response = client.post("/cases/new", data=case)
    assert response.status_code == 303
    case_page = response.headers["Location"]

    allocate = get_page(f"{case_page}/allocate-audit").get_data(as_text=True)
    auditor = re.search(r'value="(\d+)">Jordan Auditor', allocate)[1]
    due = add_working_days(uk_today(), 20)
    data = {"auditor": auditor, "due_on": [str(due.day), str(due.month), str(due.year)]}
    assert client.post(f"{case_page}/allocate-audit", data=data).status_code == 303
    assert "Jordan Auditor" in get_page(case_page).get_data(as_text=True)
    client.post("/sign-out")

    sign_in(client, "jordan.auditor@example.gov.uk", "jordan's long password")
    mine = get_page("/my-audits").get_data(as_text=True)
    assert "LCS-2001" in mine and f"{due.day} {due:%B %Y}" in mine
    assert Audit.get().due_on == due


def test_the_demo_s_actions_go_from_the_team_manager_to_the_next_audit(app, client, get_page):
    """Issue 17's journey on the demo data: the demo team manager works the two actions just received from an audit,
    one to sign-off and one to a Management Decision the demo service manager authorises; the demo practitioner
    reflects on the audit of their case and the auditor reads it; the QA officer's four-month review shows both
    actions with their states and downloads the workbook; the case's next audit shows both and their outcome."""
    demo.load()
    manager = User.by_email("team.manager@demo.example.org")
    theirs = Action.select().join(Team, on=(Action.team == Team.id)).where(Team.manager == manager)
    received = list(theirs.where(Action.status == "open").order_by(Action.received_on.desc(), Action.id).limit(2))
    first, second = received
    assert first.audit_id == second.audit_id, "both from the newest audit of their team's case"
    assert (
        Notice.select().where((Notice.recipient == manager) & Notice.subject.contains("2 actions to sign off")).exists()
    )
    today = uk_today()

    sign_in(client, manager.email, demo.DEMO_PASSWORD)
    assert str(first.audit.case.reference) in get_page("/team-actions").get_data(as_text=True)
    steps = [
        (first, "discussed", {"on": [str(today.day), str(today.month), str(today.year)]}),
        (first, "done", {"text": "Visited at school; her words are on the plan."}),
        (first, "signed-off", {}),
        (second, "cannot-be-achieved", {"text": "The nurse has left and the service no longer exists."}),
    ]
    for action, step, data in steps:
        version = str(Action.get_by_id(action.id).version)
        assert client.post(f"/team-actions/{action.id}/{step}", data={"version": version} | data).status_code == 303
    client.post("/sign-out")
    sign_in(client, "service.manager@demo.example.org", demo.DEMO_PASSWORD)
    for action, step in ((first, "authorised"), (second, "decision-authorised")):
        version = str(Action.get_by_id(action.id).version)
        assert client.post(f"/team-actions/{action.id}/{step}", data={"version": version}).status_code == 303
    assert [Action.get_by_id(a.id).status for a in received] == ["authorised", "decision-authorised"]
    client.post("/sign-out")

    audit = first.audit
    sign_in(client, "practitioner@demo.example.org", demo.DEMO_PASSWORD)
    assert audit.case.reference in get_page("/team-audits").get_data(as_text=True)
    reflected = {"takes_from": "To record what the child says at every visit.", "sees_differently": ""}
    assert client.post(f"/team-audits/{audit.id}/reflection", data=reflected).status_code == 303
    client.post("/sign-out")
    sign_in(client, audit.auditor.email, demo.DEMO_PASSWORD)
    assert "To record what the child says at every visit." in get_page(f"/audits/{audit.id}").get_data(as_text=True)
    client.post("/sign-out")

    sign_in(client, "qa.officer@demo.example.org", demo.DEMO_PASSWORD)
    review = ActionReview.get(ActionReview.audit == audit.id)
    page = get_page("/action-reviews?state=upcoming").get_data(as_text=True)
    assert f'href="/action-reviews/{review.id}"' in page
    shown = get_page(f"/action-reviews/{review.id}").get_data(as_text=True)
    assert "Authorised" in shown and "Management Decision authorised" in shown
    book = load_workbook(io.BytesIO(get_page("/action-reviews.xlsx?state=upcoming").data))
    rows = [row for row in book["Every team"].iter_rows(values_only=True) if row[1] == audit.case.reference]
    assert sorted(row[7] for row in rows) == ["Authorised", "Management Decision authorised"]
    assert audit.case.team.name in book.sheetnames

    qa = User.by_email("qa.officer@demo.example.org")
    auditor = next(user for user in User.with_role("auditor") if user.team_id != audit.case.team_id)
    next_audit = allocation.allocate(qa, audit.case, auditor.id, today + datetime.timedelta(days=28), today)
    client.post("/sign-out")
    sign_in(client, auditor.email, demo.DEMO_PASSWORD)
    page = get_page(f"/audits/{next_audit.id}").get_data(as_text=True)
    section = page.split('id="earlier-actions"')[1]
    assert first.what[:40] in section and second.what[:40] in section
    assert "Authorised" in section and "Management Decision authorised" in section
