"""Allocating an audit by hand, and the auditor's My audits page."""

import datetime

import pytest

from models import Audit, Event
from services.dates import uk_today
from services.working_days import add_working_days
from tests.conftest import sign_in_client


@pytest.fixture
def qa(login_as):
    return login_as("qa-officer")


def due_parts(day):
    return [str(day.day), str(day.month), str(day.year)]


def test_the_due_date_is_twenty_working_days_ahead_by_default(client, qa, make_case, get_page):
    case = make_case()
    body = get_page(f"/cases/{case.id}/allocate-audit").get_data(as_text=True)
    due = add_working_days(uk_today(), 20)
    assert f'id="due_on-day" name="due_on" type="text" value="{due:%d}"' in body
    assert f'value="{due:%Y}"' in body


def test_an_allocated_audit_shows_under_my_audits_with_its_due_date(app, client, qa, make_case, make_user, get_page):
    case = make_case(reference="MOS-1")
    auditor = make_user(roles=("auditor",), name="Alex Auditor")
    due = add_working_days(uk_today(), 20)
    response = client.post(f"/cases/{case.id}/allocate-audit", data={"auditor": auditor.id, "due_on": due_parts(due)})
    assert response.status_code == 303
    assert b"Audit of case MOS-1 allocated" in get_page(response.headers["Location"]).data
    audit = Audit.get(Audit.case == case)
    assert audit.auditor == auditor and audit.due_on == due and audit.allocated_by == qa
    assert Event.get((Event.record_type == "Audit") & (Event.record_id == audit.id)).user == qa

    auditor_client = app.test_client()
    sign_in_client(auditor_client, auditor)
    body = auditor_client.get("/my-audits").get_data(as_text=True)
    assert "MOS-1" in body and f"{due.day} {due:%B %Y}" in body


def test_an_auditor_from_the_cases_own_team_is_refused_with_the_reason(client, qa, make_case, make_user):
    case = make_case()
    colleague = make_user(roles=("auditor",), name="Casey Colleague", team=case.team)
    due = add_working_days(uk_today(), 20)
    response = client.post(f"/cases/{case.id}/allocate-audit", data={"auditor": colleague.id, "due_on": due_parts(due)})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Casey Colleague works in {case.team.name}, the team that holds this case" in body
    assert "Choose an auditor from another team" in body
    assert Audit.select().count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"auditor": "", "due_on": ["", "", ""]}, "Select the auditor from the list"),
        ({"auditor": "99999", "due_on": ["1", "1", "2030"]}, "Select the auditor from the list"),
        ({"due_on": ["30", "2", "2030"]}, "Due date must be a real date"),
        ({"due_on": ["", "", ""]}, "Enter the date the audit is due"),
        ({"due_on": ["1", "1", "2020"]}, "The date the audit is due must be in the future"),
    ],
)
def test_bad_allocations_are_explained_and_nothing_is_saved(client, qa, make_case, make_user, data, message):
    case = make_case()
    auditor = make_user(roles=("auditor",))
    response = client.post(f"/cases/{case.id}/allocate-audit", data={"auditor": auditor.id, **data})
    assert message in response.get_data(as_text=True)
    assert Audit.select().count() == 0


def test_a_closed_case_or_one_already_being_audited_is_not_allocated_again(
    client, qa, make_case, make_user, make_audit
):
    auditor = make_user(roles=("auditor",))
    due = due_parts(add_working_days(uk_today(), 20))
    closed = make_case(is_open=False)
    body = client.post(f"/cases/{closed.id}/allocate-audit", data={"auditor": auditor.id, "due_on": due}).data
    assert b"is closed. Only open cases can be audited" in body
    busy = make_audit().case
    body = client.post(f"/cases/{busy.id}/allocate-audit", data={"auditor": auditor.id, "due_on": due}).data
    assert b"already has an audit that has not been submitted" in body
    assert Audit.select().count() == 1


def test_my_audits_shows_only_the_signed_in_auditors_audits_and_marks_overdue(client, login_as, make_audit, get_page):
    me = login_as("auditor")
    mine = make_audit(auditor=me, due_on=uk_today() - datetime.timedelta(days=1))
    theirs = make_audit()
    body = get_page("/my-audits").get_data(as_text=True)
    assert mine.case.reference in body and theirs.case.reference not in body
    assert "Overdue" in body


def test_my_audits_runs_the_same_number_of_queries_however_many_audits(client, login_as, make_audit, count_queries):
    me = login_as("auditor")
    for _ in range(10):
        make_audit(auditor=me)
    few = count_queries(lambda: client.get("/my-audits"))
    for _ in range(30):
        make_audit(auditor=me)
    assert count_queries(lambda: client.get("/my-audits")) == few > 0


def test_a_team_manager_is_refused_for_the_team_they_manage(client, qa, make_case, make_user):
    manager = make_user(roles=("auditor", "team-manager"), name="Mo Manager")
    case = make_case()
    case.team.manager = manager
    case.team.save()
    due = add_working_days(uk_today(), 20)
    body = client.post(f"/cases/{case.id}/allocate-audit", data={"auditor": manager.id, "due_on": due_parts(due)}).data
    assert b"Mo Manager manages" in body and Audit.select().count() == 0


def test_the_database_refuses_a_second_open_audit_of_a_case(app, make_audit):
    from peewee import IntegrityError

    audit = make_audit()
    with pytest.raises(IntegrityError):
        make_audit(case=audit.case)


def test_the_audit_lists_tell_each_status_apart_and_show_a_late_submission(client, login_as, make_audit, get_page):
    me = login_as("auditor", "qa-officer")
    due = uk_today() - datetime.timedelta(days=10)
    make_audit(auditor=me)
    make_audit(auditor=me, status="in-progress")
    on_time, late = datetime.datetime.combine(due, datetime.time(9)), datetime.datetime.now()
    make_audit(auditor=me, status="submitted", due_on=due, submitted_at=on_time)
    make_audit(auditor=me, status="submitted", due_on=due, submitted_at=late)
    for url in ("/my-audits", "/audits"):
        body = get_page(url).get_data(as_text=True)
        assert body.count("govuk-tag--grey") == 1 and body.count("govuk-tag--light-blue") == 1
        assert body.count("govuk-tag--green") == 2 and body.count("govuk-tag--orange") == 1  # submitted late
