"""Reports for leaders: the report to the senior leadership team read back from Word (Appendix A's six headings in
order, the cohort and findings tables holding what counting the audits made gives, the narrative as typed, the action
plan in Appendix B's columns), its narrative written as a long form that never loses text, the monthly summary, and
the service's action plan."""

import datetime
import io

import docx
import openpyxl
import pytest

from models import Event, ServiceAction, ServiceReport
from services import dashboard
from services.actions import ADVICE
from services.dates import uk_today
from tests.conftest import date_parts, sign_in_client, time_out
from tests.dashboard_data import MONTHS, sixty_audits
from tests.services.test_dashboard import expected

HEADINGS = [
    "1. Introduction or background",
    "2. The scope",
    "3. Methodology",
    "4. The cohort",
    "5. Findings",
    "6. Conclusions and/or recommendations",
]
NARRATIVE = {
    "introduction": "Why we audit.\nWhat this report is for.",
    "scope": "Every open case in the four months.",
    "methodology": "Managers audited; QA moderated.",
    "cohort": "=SUM(A1) is not a formula here, & <b>not markup</b>.",
    "findings": "Assessment is stronger than planning.",
    "conclusions": "Recommend training on chronologies.",
}
GOOD_ACTION = {
    "title": "Chronologies",
    "what": "Run a chronology workshop for every team manager in the children in need service",
    "owner_name": "Ann Lead",
    "owner_role": "Head of Service",
    "due_on": date_parts(datetime.date(2030, 3, 1)),
    "done_when": "Every team manager has attended and the next audits show chronologies up to date",
}


@pytest.fixture
def made(make_user, make_team, make_service_area):
    return sixty_audits(make_user, make_team, make_service_area)


def month_form(first, last):
    return {"first_month": first, "last_month": last}


def opened(client, first="2026-01", last="2026-04"):
    response = client.post("/reports/new", data=month_form(first, last))
    assert response.status_code == 303, response.get_data(as_text=True)
    return ServiceReport.get_by_id(int(response.headers["Location"].rsplit("/", 1)[1]))


def narrative_form(report, **values):
    return {"version": report.version, **NARRATIVE, **values}


def word(response):
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    return docx.Document(io.BytesIO(response.data))


def blocks(document):
    """The document's paragraphs and tables in order: ("p", style, text) or ("t", rows of cell texts)."""
    found = []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            paragraph = docx.text.paragraph.Paragraph(element, document)
            found.append(("p", paragraph.style.name, paragraph.text))
        elif element.tag.endswith("}tbl"):
            table = docx.table.Table(element, document)
            found.append(("t", [[cell.text for cell in row.cells] for row in table.rows]))
    return found


def table_after(found, heading):
    """The rows of the first table after the heading `heading`."""
    start = next(index for index, block in enumerate(found) if block[0] == "p" and block[2] == heading)
    return next(block[1] for block in found[start:] if block[0] == "t")


def text_between(found, heading):
    """The plain paragraphs after `heading`, up to the next heading or table, but for an empty one (a section end)."""
    start = next(index for index, block in enumerate(found) if block[0] == "p" and block[2] == heading)
    lines = []
    for block in found[start + 1 :]:
        if block[0] == "t" or block[1].startswith("Heading"):
            break
        lines += [block[2]] if block[2] else []
    return lines


def test_the_report_downloads_with_appendix_a_in_order_its_tables_as_counted_and_the_narrative_as_typed(
    client, made, login_as
):
    records, _, _, teams = made
    qa = login_as("qa-officer")
    report = opened(client)
    assert client.post(f"/reports/{report.id}", data=narrative_form(report)).status_code == 303
    assert client.post("/action-plan/new", data=GOOD_ACTION).status_code == 303

    document = word(client.get(f"/reports/{report.id}.docx"))
    found = blocks(document)
    headings = [text for kind, style, *rest in found if kind == "p" and style == "Heading 1" for text in [rest[0]]]
    assert headings == [*HEADINGS, "Appendix: action plan"]
    assert document.core_properties.title == "Case file audit report: January to April 2026"
    for name, heading in zip(ServiceReport.SECTIONS, HEADINGS, strict=True):
        assert text_between(found, heading) == NARRATIVE[name].splitlines(), heading

    filters = dashboard.Filters(MONTHS[0], MONTHS[-1])
    wanted = expected(records, [], filters, teams)
    months = table_after(found, "Audits by month allocated")
    assert months[0] == ["Month", "Allocated", "Submitted", "On time", "Overdue now"]
    for row, month in zip(months[1:], MONTHS, strict=False):
        allocated, _, submitted, on_time, *_ = wanted["months"][month]
        assert row[:4] == [f"{month:%B %Y}", str(allocated), str(submitted), str(on_time)]
    assert months[-1][1] == str(sum(value[0] for value in wanted["months"].values())), "the total of the months"

    grades = table_after(found, "Final grades by practice domain")
    assert grades[0] == ["Practice domain", "Outstanding", "Good", "Requires Improvement to be Good", "Inadequate",
                         "Good or better"]  # fmt: skip
    assert {row[0]: tuple(int(cell) for cell in row[1:5]) for row in grades[1:]} == wanted["domains"]
    audits, changed, moderated, grades_changed = wanted["moderation"]
    moderation = dict(table_after(found, "Moderation")[1:])
    assert moderation["Audits moderated"] == str(audits) and moderation["Grades moderated"] == str(moderated)
    assert moderation["Grades changed"].endswith(f"({grades_changed} of {moderated})")

    plan = table_after(found, "Appendix: action plan")
    assert plan[0] == ["Title", "Action to be taken", "Action taken to date", "Responsible Officer", "Due by",
                       "Date completed", "Action approved by"]  # fmt: skip
    assert plan[1][0] == "Chronologies" and plan[1][3] == "Ann Lead, Head of Service"
    event = Event.select().order_by(Event.id.desc()).first()
    assert (event.user_id, event.action, event.record_type) == (qa.id, "downloaded (Word)", "ServiceReport")


def test_the_monthly_summary_sets_the_month_beside_the_five_before(client, made, login_as):
    records, _, _, teams = made
    login_as("qa-officer")
    document = word(client.get("/reports/monthly-summary.docx?month=2026-04"))
    found = blocks(document)
    measures = table_after(found, "The month against the months before")
    assert measures[0] == ["Measure", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
    rows = {row[0]: row[1:] for row in measures[1:]}
    counted = [expected(records, [], dashboard.Filters(month, month), teams)["months"][month][0] for month in MONTHS]
    assert rows["Audits allocated"] == ["0", "0", *map(str, counted)]
    april = expected(records, [], dashboard.Filters(MONTHS[-1], MONTHS[-1]), teams)
    grades = table_after(found, "Final grades by practice domain")
    assert {row[0]: tuple(int(cell) for cell in row[1:5]) for row in grades[1:]} == april["domains"]

    refused = client.get("/reports/monthly-summary.docx?month=April")
    assert refused.status_code == 400 and "Enter the month as a year and month" in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-05", "2026-01", "The last month must be the same as or after the first month"),
        ("2024-01", "2026-01", "A report can cover 24 months at most"),
        ("", "2026-01", "Enter the first month, like 2026-11"),
        ("June", "2026-01", "Enter the first month as a year and month, like 2026-11"),
    ],
)
def test_a_period_that_cannot_be_reported_is_refused_beside_its_field(client, login_as, first, last, message):
    login_as("qa-officer")
    response = client.post("/reports/new", data=month_form(first, last))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert ServiceReport.select().count() == 0


def test_a_new_report_is_of_the_last_six_whole_months_and_its_methodology_is_begun(client, login_as):
    login_as("qa-officer")
    page = client.get("/reports/new").get_data(as_text=True)
    today = uk_today()
    last = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    assert f'value="{last:%Y-%m}"' in page
    report = opened(client)
    assert "moderated a sample of 30% of the audits" in report.methodology


def test_the_narrative_saves_as_it_is_typed_and_a_save_over_another_shows_both(client, login_as):
    login_as("qa-officer")
    report = opened(client)
    saved = client.post(f"/reports/{report.id}", data=narrative_form(report), headers={"HX-Request": "true"})
    assert "Saved at" in saved.get_data(as_text=True) and 'hx-swap-oob="true"' in saved.get_data(as_text=True)
    assert ServiceReport.get_by_id(report.id).findings == NARRATIVE["findings"]

    stale = narrative_form(report, findings="My older findings")  # the version the page was opened at
    answer = client.post(f"/reports/{report.id}", data=stale).get_data(as_text=True)
    assert "Someone else saved this report after you opened it" in answer
    assert NARRATIVE["findings"] in answer and "My older findings" in answer
    assert ServiceReport.get_by_id(report.id).findings == NARRATIVE["findings"], "theirs is kept"


def test_text_that_cannot_be_saved_or_arrives_after_a_time_out_is_put_back(client, login_as):
    qa = login_as("qa-officer")
    report = opened(client)
    too_long = narrative_form(report, scope="x" * 20_001)
    refused = client.post(f"/reports/{report.id}", data=too_long).get_data(as_text=True)
    assert "The scope must be 20,000 characters or fewer" in refused
    assert "Some of what you typed had not been saved" in client.get(f"/reports/{report.id}").get_data(as_text=True)

    client.post(f"/reports/{report.id}", data=narrative_form(ServiceReport.get_by_id(report.id)))
    time_out(client)
    late = narrative_form(ServiceReport.get_by_id(report.id), conclusions="Typed while the session ran out")
    assert client.post(f"/reports/{report.id}", data=late).status_code == 302
    sign_in_client(client, qa)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Typed while the session ran out" in page
    assert ServiceReport.get_by_id(report.id).conclusions == NARRATIVE["conclusions"], "nothing saved meanwhile"


def test_a_senior_leader_reads_and_downloads_reports_but_writes_none(client, login_as, make_user):
    qa = make_user(roles=("qa-officer",))
    report = ServiceReport.create(first_month=MONTHS[0], last_month=MONTHS[-1], created_by=qa)
    login_as("senior-leader")
    page = client.get("/reports").get_data(as_text=True)
    assert "January to April 2026" in page and "Open a new report" not in page
    assert client.get(f"/reports/{report.id}.docx").status_code == 200
    assert client.get("/action-plan.docx").status_code == 200
    for url in (f"/reports/{report.id}", "/reports/new", "/action-plan/new"):
        assert client.get(url).status_code == 403, url


def test_an_action_of_the_plan_is_smart_and_its_progress_is_kept(client, login_as):
    login_as("qa-officer")
    vague = GOOD_ACTION | {"what": "Update chronology"}
    page = client.post("/action-plan/new", data=vague).get_data(as_text=True)
    assert ADVICE.split(":")[0] in page and ServiceAction.select().count() == 0
    assert client.post("/action-plan/new", data=vague | {"vague_confirmed": "y"}).status_code == 303
    action = ServiceAction.get()
    assert action.vague_confirmed and action.completed_on is None

    progress = GOOD_ACTION | {"version": action.version, "taken_to_date": "Two of five workshops held",
                              "completed_on": date_parts(datetime.date(2090, 1, 1))}  # fmt: skip
    refused = client.post(f"/action-plan/{action.id}/edit", data=progress).get_data(as_text=True)
    assert "Date completed must be today or in the past" in refused
    progress |= {"completed_on": date_parts(datetime.date(2026, 1, 1)), "approved_by": "Director of Children's"}
    assert client.post(f"/action-plan/{action.id}/edit", data=progress).status_code == 303
    action = ServiceAction.get_by_id(action.id)
    assert (action.taken_to_date, action.completed_on) == ("Two of five workshops held", datetime.date(2026, 1, 1))
    listed = client.get("/action-plan").get_data(as_text=True)
    assert "Two of five workshops held" in listed and "1 January 2026" in listed


def test_the_action_plan_downloads_as_a_spreadsheet_with_formulas_neutralised(client, login_as):
    qa = login_as("qa-officer")
    ServiceAction.create(created_by=qa, title="=HYPERLINK(1)", what="A", owner_name="B", owner_role="C",
                         due_on=datetime.date(2027, 1, 1), done_when="D")  # fmt: skip
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/action-plan.xlsx").data))
    rows = list(workbook.active.values)
    assert rows[0][0] == "Title" and rows[1][0] == "'=HYPERLINK(1)"
    event = Event.select().order_by(Event.id.desc()).first()
    assert (event.action, event.record_type) == ("downloaded (Excel)", "ServiceAction")
