"""Every list downloads as CSV and as Excel with its filters (services/spreadsheets.py's one writer): read back, the
files hold what the list holds, no typed text runs as a formula, and the event log says who took which list."""

import csv
import datetime
import io

from openpyxl import load_workbook

from models import Event, ImmediateResponse
from services import immediate_responses
from tests.conftest import sign_in_client


def read_csv(response):
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))


def test_the_audits_a_list_shows_download_with_its_filters_as_csv_and_excel(
    client, login_as, make_audit, make_case, make_team
):
    user = login_as("senior-leader")
    team, other = make_team(name="North Team"), make_team(name="South Team")
    shown = make_audit(case=make_case(team=team, initials="=1+2"), allocated_at=datetime.datetime(2026, 3, 2, 9))
    make_audit(case=make_case(team=other), allocated_at=datetime.datetime(2026, 3, 3, 9))
    page = client.get(f"/audits?team={team.id}").get_data(as_text=True)
    assert f'href="/audits.csv?team={team.id}"' in page and f'href="/audits.xlsx?team={team.id}"' in page

    response = client.get(f"/audits.csv?team={team.id}&page=3")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:3] == ["Case reference", "Child's initials", "Team"]
    assert [row[:3] for row in rows] == [[shown.case.reference, "'=1+2", "North Team"]]
    event = Event.select().order_by(Event.id.desc()).get()
    assert (event.user_id, event.action, event.record_type, event.fields) == (
        user.id, "downloaded (CSV)", "Audit", f"team {team.id}"
    )  # fmt: skip

    workbook = load_workbook(io.BytesIO(client.get(f"/audits.xlsx?team={team.id}").get_data()))
    sheet = workbook["Audits"]
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[:3] for row in cells] == [(shown.case.reference, "'=1+2", "North Team")]
    assert cells[0][7] == datetime.datetime(2026, 3, 2), "the day allocated, a date a spreadsheet sorts"
    assert Event.select().order_by(Event.id.desc()).get().action == "downloaded (Excel)"
    everything = read_csv(client.get("/audits.csv"))[1:]
    assert [row[2] for row in everything] == ["South Team", "North Team"], "every audit, newest first"


def test_a_list_s_download_is_not_for_those_who_may_not_see_the_list(client, login_as):
    login_as("auditor")
    assert client.get("/audits.csv").status_code == 403
    assert client.get("/audits.xlsx").status_code == 403


def test_the_cases_download_with_the_list_s_search_and_filter(client, login_as, make_case):
    login_as("qa-officer")
    make_case(reference="KEPT-1")
    make_case(reference="KEPT-2", is_open=False, closed_on=datetime.date(2026, 5, 1))
    make_case(reference="OTHER-1", is_open=False)
    page = client.get("/cases?q=KEPT&status=closed").get_data(as_text=True)
    assert 'href="/cases.csv?q=KEPT&amp;status=closed"' in page
    header, *rows = read_csv(client.get("/cases.csv?q=KEPT&status=closed"))
    assert header[0] == "Case reference" and [(row[0], row[6], row[8]) for row in rows] == [
        ("KEPT-2", "Closed", "2026-05-01")
    ]
    assert Event.select().order_by(Event.id.desc()).get().fields == "q KEPT, status closed"


def test_the_team_actions_download_holds_what_the_person_may_see(client, login_as, make_sent_action, make_user):
    manager = make_user(roles=("team-manager",))
    theirs, others = make_sent_action(manager=manager), make_sent_action()
    sign_in_client(client, manager)
    header, *rows = read_csv(client.get("/team-actions.csv?state=all"))
    assert header[:3] == ["Case reference", "Team", "Action"]
    assert [row[0] for row in rows] == [theirs.audit.case.reference], "not another team's"
    assert rows[0][2] == theirs.what and others.audit.case.reference not in str(rows)


def test_the_event_log_downloads_with_its_filters_and_logs_its_own_download(client, login_as, make_case):
    user = login_as("qa-officer")
    case = make_case()
    Event.record(user, "changed", case, ["team"])
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/event-log.xlsx?record_type=Case&record_id={case.id}").data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == ("When", "Who", "What", "Record", "Record number", "Fields")
    assert [row[1:] for row in rows[1:]] == [(user.name, "changed", "Case", case.id, "team")]
    assert isinstance(rows[1][0], datetime.datetime)
    logged = Event.select().where(Event.record_type == "Event").get()
    assert logged.action == "downloaded (Excel)" and logged.fields == f"record_id {case.id}, record_type Case"
    listed = client.get("/admin/event-log?record_type=Event").get_data(as_text=True)
    assert "Event list" in listed and "downloaded (excel)" in listed.lower()


def test_the_immediate_responses_download_with_the_list_s_filters(client, login_as, make_case, make_user):
    qa = login_as("qa-officer")
    for reference, status in (("RAISED-1", "raised"), ("CLOSED-1", "closed")):
        due = datetime.date(2026, 5, 1)
        ImmediateResponse.create(
            case=make_case(reference=reference), raised_by=qa, trigger="safeguarding", found="Found",
            must_happen="Must", who_acts=qa, urgency="today", due_on=due, status=status,
            list_order=immediate_responses.list_order(status, due),
        )  # fmt: skip
    header, *rows = read_csv(client.get("/immediate-responses.csv?status=raised"))
    assert header[0] == "Case reference" and [(row[0], row[7]) for row in rows] == [("RAISED-1", "Raised")]
    assert rows[0][6] == "2026-05-01" and rows[0][3] == qa.name
