"""QA officers' reference data pages: adding, changing, searching, and refusing bad input."""

import pytest

from models import Event, Flag, ServiceArea, Team, User
from tests.conftest import PASSWORD
from tests.pages import page_link

SCRIPT = '<script>alert("x")</script>'
ATTRIBUTE = '" onmouseover="alert(1)'


@pytest.fixture
def qa(login_as):
    return login_as("qa-officer")


def saved_counts():
    return [model.select().count() for model in (ServiceArea, Team, Flag, User, Event)]


def test_a_qa_officer_creates_a_service_area_a_team_and_a_user(client, qa, make_user, get_page):
    manager = make_user(roles=("team-manager",), name="Morgan Manager")
    response = client.post("/admin/service-areas/new", data={"name": "Children Looked After"})
    assert response.status_code == 303
    area = ServiceArea.get(ServiceArea.name == "Children Looked After")

    response = client.post(
        "/admin/teams/new", data={"name": "Children in Care Team", "service_area": area.id, "manager": manager.id}
    )
    assert response.status_code == 303
    listing = get_page("/admin/teams")
    assert b"Team saved" not in listing.data and b"Team added" in listing.data
    assert b"Children in Care Team" in listing.data and b"Morgan Manager" in listing.data
    team = Team.get(Team.name == "Children in Care Team")

    response = client.post(
        "/admin/users/new",
        data={
            "name": "Quinn Auditor",
            "email": "Quinn.Auditor@Example.gov.uk",
            "job_role": "IRO",
            "team": team.id,
            "roles": ["auditor", "moderator"],
            "active": "y",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 303
    user = User.by_email("quinn.auditor@example.gov.uk")
    assert user.roles == ["auditor", "moderator"] and user.team == team and user.active
    assert Event.select().where((Event.record_type == "User") & (Event.record_id == user.id)).get().user == qa
    assert b"Quinn Auditor" in get_page("/admin/users?q=quinn").data


def test_lists_are_searchable(client, qa, make_team, get_page):
    make_team(name="Front Door Team")
    make_team(name="Care Leavers Team")
    body = get_page("/admin/teams?q=front").data
    assert b"Front Door Team" in body and b"Care Leavers Team" not in body


def test_lists_are_paginated(client, qa, make_flag, get_page):
    for number in range(30):
        make_flag(name=f"Theme {number:02d}")
    first = get_page("/admin/flags").data
    assert b"Showing 1 to 25 of 30 flags" in first and b"Theme 24" in first and b"Theme 25" not in first
    second = get_page(page_link(first, "next")).data
    assert b"Showing 26 to 30 of 30 flags" in second and b"Theme 29" in second and b"Theme 24" not in second


def test_an_htmx_search_gets_only_the_results(client, qa, make_team):
    make_team(name="Front Door Team")
    response = client.get("/admin/teams?q=front", headers={"HX-Request": "true"})
    assert b"Front Door Team" in response.data and b"<html" not in response.data
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(
    "url, data, messages",
    [
        ("/admin/service-areas/new", {"name": ""}, ["Enter the service area name"]),
        ("/admin/service-areas/new", {"name": "x" * 101}, ["Service area name must be 100 characters or fewer"]),
        ("/admin/flags/new", {"name": "  "}, ["Enter the flag name"]),
        (
            "/admin/teams/new",
            {"name": "", "service_area": "", "manager": ""},
            ["Enter the team name", "Select the service area the team belongs to"],
        ),
        (
            "/admin/teams/new",
            {"name": "A team", "service_area": "99999", "manager": "abc"},
            ["Select the service area the team belongs to", "Select the team manager from the list"],
        ),
        (
            "/admin/users/new",
            {"name": "", "email": "", "job_role": "", "team": "", "password": ""},
            [
                "Enter the person&#39;s full name",
                "Enter the person&#39;s email address",
                "Select the person&#39;s job role",
                "Select at least one role",
                "Enter a password for the person",
            ],
        ),
        (
            "/admin/users/new",
            {
                "name": "A",
                "email": "not-an-email",
                "job_role": "Wizard",
                "team": "424242",
                "roles": ["auditor", "emperor"],
                "password": "short",
            },
            [
                "Enter an email address in the correct format",
                "Select the person&#39;s job role",
                "Select the person&#39;s team from the list",
                "Select at least one role",
                "Password must be between 12",
            ],
        ),
    ],
)
def test_bad_input_is_explained_beside_each_field_and_nothing_is_saved(client, qa, url, data, messages):
    before = saved_counts()
    response = client.post(url, data=data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count('class="govuk-error-message"') >= len(messages)
    for message in messages:
        assert message in body
    assert "<title>Error: " in body and "There is a problem" in body
    assert saved_counts() == before


@pytest.mark.parametrize("payload", [SCRIPT, ATTRIBUTE])
def test_markup_in_text_is_shown_escaped(client, qa, make_service_area, get_page, payload):
    area = make_service_area()
    assert client.post("/admin/teams/new", data={"name": payload, "service_area": area.id}).status_code == 303
    body = get_page("/admin/teams").get_data(as_text=True)
    assert payload not in body
    assert "&lt;script&gt;" in body or "&#34; onmouseover=&#34;" in body


def test_a_duplicate_name_is_refused(client, qa, make_team):
    team = make_team(name="Front Door Team")
    response = client.post("/admin/teams/new", data={"name": "front door team", "service_area": team.service_area_id})
    assert b"A team with this name already exists" in response.data


def test_an_edit_based_on_an_older_version_is_refused_and_nothing_is_overwritten(client, qa, make_team):
    team = make_team(name="Front Door Team")
    first = client.post(
        f"/admin/teams/{team.id}/edit",
        data={"version": "1", "name": "First Tab Name", "service_area": team.service_area_id},
    )
    assert first.status_code == 303
    second = client.post(
        f"/admin/teams/{team.id}/edit",
        data={"version": "1", "name": "Second Tab Name", "service_area": team.service_area_id},
    )
    assert b"Someone else changed this record after you opened this page" in second.data
    assert b'value="Second Tab Name"' in second.data
    assert Team.get_by_id(team.id).name == "First Tab Name"


def test_an_edit_is_logged_with_the_fields_that_changed_but_not_their_text(client, qa, make_team, get_page):
    team = make_team(name="Front Door Team")
    client.post(
        f"/admin/teams/{team.id}/edit",
        data={"version": "1", "name": "Secret New Name", "service_area": team.service_area_id},
    )
    event = Event.select().where((Event.record_type == "Team") & (Event.action == "changed")).get()
    assert event.fields == "name" and event.user == qa
    log = get_page(f"/admin/event-log?record_type=Team&record_id={team.id}").get_data(as_text=True)
    assert "Changed" in log and "Secret New Name" not in log


def test_the_event_log_filters_by_user_and_explains_a_bad_filter(client, qa, make_user, get_page):
    other = make_user(roles=("auditor",))
    client.post("/admin/flags/new", data={"name": "Neglect"})
    mine = get_page(f"/admin/event-log?user={qa.id}").get_data(as_text=True)
    assert "Flag" in mine
    assert "Showing 1 event" in mine
    theirs = get_page(f"/admin/event-log?user={other.id}").get_data(as_text=True)
    assert "No events found" in theirs
    bad = get_page("/admin/event-log?record_id=abc").get_data(as_text=True)
    assert "Record number must be a number, like 42" in bad


def test_the_event_log_cannot_be_changed(app, qa):
    event = Event.record(qa, "signed in", qa)
    event.action = "something else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete_instance()


@pytest.mark.parametrize("url", ["/admin/users", "/admin/teams", "/admin/event-log"])
def test_list_pages_run_the_same_number_of_queries_however_many_rows(
    client, qa, make_user, make_team, count_queries, url
):
    def grow():
        for _ in range(12):
            team = make_team(manager=make_user(roles=("team-manager", "auditor")))
            Event.record(qa, "created", team)
            Event.record(team.manager, "signed in", team.manager)

    grow()
    few = count_queries(lambda: client.get(url))
    grow()
    many = count_queries(lambda: client.get(url))
    assert few == many


def test_a_flag_can_be_renamed(client, qa, make_flag):
    flag = make_flag(name="Neglectt")
    assert client.post(f"/admin/flags/{flag.id}/edit", data={"version": "1", "name": "Neglect"}).status_code == 303
    assert Flag.get_by_id(flag.id).name == "Neglect"


def test_uniqueness_is_exact_not_a_pattern(client, qa, make_team):
    make_team(name="F00")
    team = make_team(name="Other")
    response = client.post("/admin/teams/new", data={"name": "F_0", "service_area": team.service_area_id})
    assert response.status_code == 303


def test_the_only_qa_officer_cannot_disable_themselves_or_drop_the_role(client, qa):
    form = {"version": "1", "name": qa.name, "email": qa.email, "job_role": "QA Officer", "team": ""}
    response = client.post(f"/admin/users/{qa.id}/edit", data={**form, "roles": ["auditor"], "active": "y"})
    assert b"is the only active QA officer, so they must stay one" in response.data
    response = client.post(f"/admin/users/{qa.id}/edit", data={**form, "roles": ["qa-officer"]})
    assert b"is the only active QA officer" in response.data
    assert User.get_by_id(qa.id).active and User.get_by_id(qa.id).roles == ["qa-officer"]


def test_editing_a_team_keeps_a_manager_who_can_no_longer_sign_in(client, qa, make_team, make_user):
    manager = make_user(roles=("team-manager",), name="Former Manager", active=False)
    team = make_team(manager=manager)
    page = client.get(f"/admin/teams/{team.id}/edit").get_data(as_text=True)
    assert "Former Manager (no longer an active team manager)" in page
    data = {"version": "1", "name": "Renamed", "service_area": team.service_area_id, "manager": manager.id}
    assert client.post(f"/admin/teams/{team.id}/edit", data=data).status_code == 303
    assert Team.get_by_id(team.id).manager == manager


def test_page_links_keep_the_search_but_never_become_options(client, qa, make_flag):
    for number in range(30):
        make_flag(name=f"Theme {number:02d}")
    body = client.get("/admin/flags?q=Theme&_external=1&_anchor=x").get_data(as_text=True)
    assert 'href="http' not in body
    assert "#x" not in body and "page=2" in body and "q=Theme" in body


def test_a_crafted_record_number_is_refused_politely(client, qa):
    response = client.get("/admin/event-log?record_id=%C2%B2")
    assert response.status_code == 200 and b"Record number must be a number" in response.data
