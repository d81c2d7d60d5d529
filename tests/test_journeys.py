"""Whole journeys through the pages, as a person would make them (JavaScript plays no part)."""

import datetime
import re

from models import Audit
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
    due = add_working_days(datetime.date.today(), 20)
    data = {"auditor": auditor, "due_on": [str(due.day), str(due.month), str(due.year)]}
    assert client.post(f"{case_page}/allocate-audit", data=data).status_code == 303
    assert "Jordan Auditor" in get_page(case_page).get_data(as_text=True)
    client.post("/sign-out")

    sign_in(client, "jordan.auditor@example.gov.uk", "jordan's long password")
    mine = get_page("/my-audits").get_data(as_text=True)
    assert "LCS-2001" in mine and f"{due.day} {due:%B %Y}" in mine
    assert Audit.get().due_on == due
