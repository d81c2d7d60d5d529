"""The month's audit plan: drawing the month's cases, changing who audits one, and confirming it."""

import json

import pytest

from models import Audit, AuditPlan, Event, Notice, PlannedAudit, User
from services import planning
from services.audits import months_before
from services.dates import uk_today

THIS_MONTH = uk_today().replace(day=1)
NEXT_MONTH = months_before(THIS_MONTH, -1)
MONTH = f"{NEXT_MONTH:%Y-%m}"


@pytest.fixture
def qa(login_as):
    return login_as("qa-officer")


@pytest.fixture
def council(make_service_area, make_team, make_case, make_user):
    """Two service areas of two teams, each team holding three open cases; an auditor working in each team."""
    teams, auditors = [], []
    for area_number in (1, 2):
        area = make_service_area(name=f"Area {area_number}")
        for team_number in (1, 2):
            team = make_team(name=f"Team {area_number}{team_number}", service_area=area)
            teams.append(team)
            for _ in range(3):
                make_case(team=team)
            auditors.append(make_user(name=f"Auditor {area_number}{team_number}", job_role="Team Manager", team=team))
    return teams, auditors


def draw(client, size=4, version=0, **fields):
    data = {"month": MONTH, "version": str(version), "size": str(size), "spread": "proportional"}
    return client.post("/audit-plan", data=data | {"window_months": "12", "audit_type": "monthly"} | fields)


def test_a_month_is_drawn_shared_changed_and_confirmed_once(client, qa, council, get_page, monkeypatch):
    teams, auditors = council
    monkeypatch.setattr(planning.secrets, "randbelow", lambda _: 7)  # a seed whose draw has a swap the rules allow
    page = " ".join(get_page("/audit-plan").get_data(as_text=True).split())
    assert f"<title>Audit plan for {NEXT_MONTH:%B %Y} –" in page
    assert "4 auditors are available" in page and "can take 16 cases between them" in page
    assert 'name="size" type="text" value="16"' in page

    response = draw(client)
    assert response.status_code == 303 and response.location.endswith(f"/audit-plan?month={MONTH}")
    plan = AuditPlan.get(AuditPlan.month == NEXT_MONTH)
    planned = list(PlannedAudit.select().where(PlannedAudit.plan == plan))
    assert len(planned) == 4 and all(row.auditor_id for row in planned)
    assert sorted(row.service_area_id for row in planned) == sorted(
        [teams[0].service_area_id] * 2 + [teams[2].service_area_id] * 2
    )
    for row in planned:
        assert row.case.team_id != row.auditor.team_id
    page = " ".join(get_page(f"/audit-plan?month={MONTH}").get_data(as_text=True).split())
    assert f"seed {plan.seed}, rule version 1" in page and "A draft: nothing is created" in page
    assert not Audit.select().exists()

    # Giving a case to someone of its own team is refused with the reason.
    case = planned[0]
    own_team = next(a for a in auditors if a.team_id == case.case.team_id)
    refused = client.post(
        f"/audit-plan/cases/{case.id}/auditor", data={"version": str(plan.version), "auditor": str(own_team.id)}
    ).get_data(as_text=True)
    assert f"{own_team.name} works in or manages {case.case.team.name}" in refused
    assert PlannedAudit.get_by_id(case.id).auditor_id == case.auditor_id

    # A swap the rules allow exchanges the two auditors.
    other = next(
        row
        for row in planned[1:]
        if row.auditor_id != case.auditor_id
        and row.case.team_id != case.auditor.team_id
        and case.case.team_id != row.auditor.team_id
    )
    response = client.post(
        f"/audit-plan/cases/{case.id}/swap", data={"version": str(plan.version), "other": str(other.id)}
    )
    assert response.status_code == 303
    assert PlannedAudit.get_by_id(case.id).auditor_id == other.auditor_id
    assert PlannedAudit.get_by_id(other.id).auditor_id == case.auditor_id

    plan = AuditPlan.get_by_id(plan.id)
    response = client.post(f"/audit-plan/{plan.id}/confirm", data={"version": str(plan.version)})
    assert response.status_code == 303
    audits = list(Audit.select())
    assert len(audits) == 4 and {audit.due_on for audit in audits} == {planning.due_on(NEXT_MONTH, uk_today())}
    assert {audit.audit_type for audit in audits} == {"monthly"}
    given = {row.case_id: row.auditor_id for row in PlannedAudit.select()}
    assert {audit.case_id: audit.auditor_id for audit in audits} == given
    told = list(Notice.select())
    assert sorted(notice.recipient_id for notice in told) == sorted(set(given.values()))
    assert all(f"for {NEXT_MONTH:%B %Y}" in notice.subject and notice.link == "/my-audits" for notice in told)

    # A second click, or a second QA officer, creates nothing twice.
    again = client.post(f"/audit-plan/{plan.id}/confirm", data={"version": str(plan.version)})
    assert "has already been confirmed" in again.get_data(as_text=True)
    assert Audit.select().count() == 4 and Notice.select().count() == len(told)
    assert Event.select().where(Event.record_type == "Audit").count() == 4


def test_cases_left_out_are_counted_and_a_case_nobody_may_take_says_why(
    client, qa, make_case, make_user, make_team, make_audit
):
    team = make_team(name="The Only Team")
    only = make_user(name="Only Auditor", team=team)
    make_case(team=team, is_open=False)
    busy = make_case(team=team)
    make_audit(case=busy, auditor=only)  # which makes a case of another team and another auditor too
    User.update(active=False).where(User.id.not_in([only.id, qa.id])).execute()
    elsewhere = next(case for case in type(busy).select() if case.team_id != team.id)
    case = make_case(team=team)
    assert draw(client, size=3).status_code == 303
    counts = json.loads(AuditPlan.get().counts)
    assert counts["left_out"] == {"closed": 1, "open-audit": 1}
    planned = {row.case_id: row for row in PlannedAudit.select()}
    assert set(planned) == {case.id, elsewhere.id}
    assert (planned[case.id].auditor_id, planned[case.id].unplaced) == (None, "rules")
    assert planned[elsewhere.id].auditor_id == only.id
    page = " ".join(client.get(f"/audit-plan?month={MONTH}").get_data(as_text=True).split())
    assert "1 case could not be given an auditor" in page and "Every available auditor works in or manages" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"size": ""}, "size", "Enter how many cases to audit, from 1 to 2000"),
        ({"size": "0"}, "size", "Cases to audit must be a whole number from 1 to 2000"),
        ({"size": "lots"}, "size", "Cases to audit must be a whole number from 1 to 2000"),
        ({"window_months": "37"}, "window_months", "must be a whole number from 1 to 36"),
        ({"spread": ""}, "spread", "Select how the cases are spread over the service areas"),
        ({"audit_type": "weekly"}, "audit_type", "Select a type of audit from the list"),
    ],
)
def test_bad_settings_are_explained_beside_the_field_and_nothing_is_drawn(client, qa, council, fields, field, message):
    body = draw(client, **fields).get_data(as_text=True)
    assert f'<p id="{field}-error" class="govuk-error-message">' in body and message in body
    assert not AuditPlan.select().exists()


def test_a_month_that_has_passed_cannot_be_drawn(client, qa, council):
    last_month = months_before(THIS_MONTH, 1)
    body = draw(client, month=f"{last_month:%Y-%m}").get_data(as_text=True)
    assert f"{last_month:%B %Y} has passed" in body and not AuditPlan.select().exists()


def test_the_annual_programme_plans_a_month_and_planning_it_starts_from_its_row(client, qa, council, make_flag):
    neglect = make_flag(name="Neglect")
    year = NEXT_MONTH.year if NEXT_MONTH.month >= 4 else NEXT_MONTH.year - 1
    page = " ".join(client.get(f"/annual-programme?year={year}").get_data(as_text=True).split())
    assert f"Annual audit programme, April {year} to March {year + 1}" in page
    data = {
        "audit_type": "themed",
        "theme": "Neglect deep dive",
        "flag": str(neglect.id),
        "proposed": "3",
        "other_activity": "Feedback forms from families",
    }
    response = client.post(f"/annual-programme/{year}/{NEXT_MONTH.month}", data=data)
    assert response.status_code == 303 and response.location.endswith(f"/annual-programme?year={year}")
    page = " ".join(client.get(f"/annual-programme?year={year}").get_data(as_text=True).split())
    assert "Themed or deep dive" in page and "Neglect deep dive: cases flagged Neglect" in page
    assert f'href="/audit-plan?month={MONTH}">Plan this month' in page
    plan_page = " ".join(client.get(f"/audit-plan?month={MONTH}").get_data(as_text=True).split())
    assert "The annual programme plans themed or deep dive audits on Neglect deep dive, 3 of them" in plan_page
    assert 'name="size" type="text" value="3"' in plan_page
    assert f'<option value="{neglect.id}" selected>Neglect</option>' in plan_page
    refused = client.post(f"/annual-programme/{year}/{NEXT_MONTH.month}", data=data | {"proposed": "0", "version": "1"})
    assert "Number of audits proposed must be a whole number from 1 to 2000" in refused.get_data(as_text=True)
    assert client.get(f"/annual-programme/{year}/13").status_code == 404
