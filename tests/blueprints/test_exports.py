"""Every list downloads as CSV and as Excel with its filters (services/spreadsheets.py's one writer): read back, the
files hold what the list holds, no typed text runs as a formula, and the event log says who took which list."""

import csv
import datetime
import io

from openpyxl import load_workbook

from models import Event


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
