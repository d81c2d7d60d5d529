"""Cases: adding, changing, finding, and refusing bad input."""

import datetime

import pytest

from models import Case, Event

GOOD = {
    "reference": "MOS-104233",
    "initials": "JS",
    "birth_year": "2015",
    "worker_name": "Sam Worker",
    "opened_on": ["27", "3", "2024"],
    "is_open": "y",
}


@pytest.fixture
def qa(login_as):
    return login_as("qa-officer")


def case_form(**changes):
    return {**GOOD, **changes}


def test_a_qa_officer_adds_a_case_with_flags_and_sees_it(client, qa, make_team, make_flag, get_page):
    team = make_team(name="Front Door Team")
    neglect = make_flag(name="Neglect")
    response = client.post("/cases/new", data=case_form(team=team.id, flags=[neglect.id]))
    assert response.status_code == 303
    case = Case.get(Case.reference == "MOS-104233")
    assert case.opened_on == datetime.date(2024, 3, 27) and case.is_open and case.flag_names == ["Neglect"]
    body = get_page(response.headers["Location"]).get_data(as_text=True)
    assert "Case MOS-104233 added" in body and "Front Door Team" in body and "27 March 2024" in body
    assert "Neglect" in body
    logged = Event.get((Event.record_type == "Case") & (Event.record_id == case.id))
    assert logged.fields.endswith("team, worker, worker_name")


def test_changing_a_case_keeps_a_version_and_logs_the_change(client, qa, make_case, make_flag):
    case = make_case()
    flag = make_flag()
    form = case_form(version="1", reference=case.reference, team=case.team_id, flags=[flag.id], is_open="")
    assert client.post(f"/cases/{case.id}/edit", data=form).status_code == 303
    case = Case.get_by_id(case.id)
    assert not case.is_open and case.version == 2 and case.flag_names == [flag.name]
    stale = client.post(f"/cases/{case.id}/edit", data={**form, "worker_name": "Another Worker"})
    assert b"Someone else changed this record" in stale.data
    assert b'value="Another Worker"' in stale.data and b'name="version" type="hidden" value="2"' in stale.data
    assert Case.get_by_id(case.id).worker_name == "Sam Worker"
    assert Event.select().where((Event.record_type == "Case") & (Event.action == "changed")).count() == 1
    again = client.post(f"/cases/{case.id}/edit", data={**form, "version": "2", "worker_name": "Another Worker"})
    assert again.status_code == 303 and Case.get_by_id(case.id).worker_name == "Another Worker"
    unchanged = client.post(f"/cases/{case.id}/edit", data={**form, "version": "3", "worker_name": "Another Worker"})
    assert unchanged.status_code == 303 and Case.get_by_id(case.id).version == 3


def test_the_case_list_finds_by_reference_and_filters_by_status(client, qa, make_case, get_page):
    make_case(reference="OPEN-1")
    make_case(reference="SHUT-1", is_open=False)
    found = get_page("/cases?q=open-1").get_data(as_text=True)
    assert "OPEN-1" in found and "SHUT-1" not in found
    closed = get_page("/cases?status=closed").get_data(as_text=True)
    assert "SHUT-1" in closed and "OPEN-1" not in closed


@pytest.mark.parametrize(
    "changes, messages",
    [
        (
            {
                "reference": "",
                "initials": "",
                "birth_year": "",
                "worker_name": "",
                "opened_on": ["", "", ""],
                "team": "",
            },
            [
                "Enter the case reference",
                "Enter the child&#39;s initials",
                "Enter the child&#39;s year of birth",
                "Select the team that holds the case",
                "Enter the name of the allocated worker",
                "Enter the date the case was opened",
            ],
        ),
        (
            {"reference": "X" * 31, "initials": "ABCDE", "worker_name": "w" * 101, "team": "987654"},
            [
                "Case reference must be 30 characters or fewer",
                "Child&#39;s initials must be 4 characters or fewer",
                "Allocated worker must be 100 characters or fewer",
                "Select the team that holds the case",
            ],
        ),
        ({"opened_on": ["31", "2", "2024"]}, ["Date the case was opened must be a real date"]),
        ({"opened_on": ["12", "", "2024"]}, ["Date the case was opened must include a month"]),
        ({"opened_on": ["1", "1", "2999"]}, ["Date the case was opened must be today or in the past"]),
        ({"birth_year": "twenty"}, ["Year of birth must be a year in numbers, like 2015"]),
        ({"birth_year": "1850"}, ["Year of birth must be between 1990 and"]),
        (
            {"reference": "<script>alert(1)</script>", "initials": '"><b'},
            ["Case reference must only include letters", "Child&#39;s initials must be 1 to 4 letters"],
        ),
    ],
)
def test_bad_case_input_is_explained_beside_each_field_and_nothing_is_saved(client, qa, make_team, changes, messages):
    team = make_team()
    events = Event.select().count()
    response = client.post("/cases/new", data=case_form(**{"team": team.id, **changes}))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in messages:
        assert message in body
    assert "<script>alert(1)</script>" not in body and 'value=""><b' not in body
    assert Case.select().count() == 0 and Event.select().count() == events


def test_a_date_input_error_links_to_its_day_box(client, qa, make_team):
    body = client.post("/cases/new", data=case_form(team=make_team().id, opened_on=["31", "2", "2024"])).get_data(
        as_text=True
    )
    assert 'href="#opened_on-day"' in body and 'id="opened_on-day"' in body


def test_a_post_without_the_date_boxes_says_to_enter_the_date(client, qa, make_team):
    data = case_form(team=make_team().id)
    del data["opened_on"]
    assert b"Enter the date the case was opened" in client.post("/cases/new", data=data).data


def test_a_missing_case_is_not_found(client, qa):
    assert client.get("/cases/4040").status_code == 404
