"""The four-month review through the test client: the audits due, each action's state, recording the review, the
workbook by team read back with openpyxl, and each team manager sent their team's part."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from models import Action, ActionReview, Event, Notice
from services import team_actions
from services.dates import long_date, uk_today
from tests.conftest import sign_in_client
from tests.pages import parsed

LONG_AGO = uk_today() - datetime.timedelta(days=130)  # more than four months


def text(element):
    return " ".join("".join(element.itertext()).split())


@pytest.fixture
def due(make_sent_action, make_user):
    """Two actions of audits submitted over four months ago on two teams: one authorised, one left open."""
    authorised, left = make_sent_action(sent_on=LONG_AGO), make_sent_action(sent_on=LONG_AGO)
    rules, manager, service_manager = (
        team_actions.DEFAULT_RULES,
        authorised.team.manager,
        authorised.team.service_manager,
    )
    team_actions.take(manager, authorised, "done", 1, {"text": "Done"}, rules, LONG_AGO)
    team_actions.take(manager, authorised, "signed-off", 2, {}, rules, LONG_AGO)
    team_actions.take(service_manager, authorised, "authorised", 3, {}, rules, LONG_AGO)
    Action.update(what='=HYPERLINK("http://x.example","Click") and record the visit').where(
        Action.id == left.id
    ).execute()
    return authorised, left


def test_a_qa_officer_sees_the_audits_due_and_records_the_review(client, due, make_sent_action, login_as, get_page):
    authorised, left = due
    make_sent_action()  # submitted today: not yet due
    login_as("qa-officer")
    page = get_page("/action-reviews")
    rows = parsed(page).findall(".//tbody/tr")
    assert [text(row.find("td/a")) for row in rows] == [authorised.audit.case.reference, left.audit.case.reference]
    assert {text(row.findall("td")[2]) for row in rows} == {"Authorised", "Open Overdue"}

    review = ActionReview.get(ActionReview.audit == authorised.audit_id)
    url = f"/action-reviews/{review.id}"
    cells = [text(cell) for cell in parsed(get_page(url)).findall(".//tbody/tr/td")]
    on = long_date(uk_today())  # the steps were recorded today
    assert cells[1:] == ["Authorised", f"Yes, {on}", f"Yes, {on}", f"Yes, {on}"]

    refused = client.post(url, data={"version": "1", "comment": " "})
    assert "Enter your comment on the review" in refused.get_data(as_text=True)
    assert client.post(url, data={"version": "1", "comment": "All done and authorised."}).status_code == 303
    assert ActionReview.get_by_id(review.id).is_reviewed
    assert Event.get(Event.record_type == "ActionReview").action == "reviewed"
    assert len(parsed(get_page("/action-reviews")).findall(".//tbody/tr")) == 1
    assert len(parsed(get_page("/action-reviews?state=reviewed")).findall(".//tbody/tr")) == 1
    again = client.post(url, data={"version": "2", "comment": "Twice"}).get_data(as_text=True)
    assert "already been reviewed" in again


def test_the_workbook_has_a_row_for_each_action_by_team_and_neutralises_formulas(client, due, login_as):
    authorised, left = due
    login_as("qa-officer")
    response = client.get("/action-reviews.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=four-month-review-")
    book = load_workbook(io.BytesIO(response.data))
    teams = sorted([authorised.team.name, left.team.name])
    assert book.sheetnames == ["Every team", *teams]
    every = list(book["Every team"].iter_rows(values_only=True))
    assert every[0][:4] == ("Team", "Case reference", "Audit submitted", "Review due")
    assert [(row[0], row[1], row[7]) for row in every[1:]] == sorted(
        [
            (authorised.team.name, authorised.audit.case.reference, "Authorised"),
            (left.team.name, left.audit.case.reference, "Open"),
        ]
    )
    by_case = {row[1]: row for row in every[1:]}
    assert by_case[left.audit.case.reference][4] == '\'=HYPERLINK("http://x.example","Click") and record the visit'
    assert by_case[left.audit.case.reference][9:12] == ("No", "No", "No")
    assert by_case[authorised.audit.case.reference][11] == datetime.datetime.combine(uk_today(), datetime.time())
    for name in teams:
        assert [row[0] for row in book[name].iter_rows(min_row=2, values_only=True)] == [name]


def test_a_team_manager_reads_their_team_s_part_and_is_sent_it(client, due, login_as, get_page):
    authorised, left = due
    login_as("qa-officer")
    assert client.post("/action-reviews/send").status_code == 303
    notice = Notice.get((Notice.recipient == authorised.team.manager) & Notice.subject.startswith("Four-month"))
    assert notice.link == f"/action-reviews?team={authorised.team_id}" and "1 audit" in notice.body
    assert Notice.select().where(Notice.recipient == left.team.manager, Notice.subject.startswith("Four")).exists()

    sign_in_client(client, authorised.team.manager)
    rows = parsed(get_page(notice.link)).findall(".//tbody/tr")
    assert [text(row.find("td/a")) for row in rows] == [authorised.audit.case.reference]
    review = ActionReview.get(ActionReview.audit == left.audit_id)
    get_page(f"/action-reviews/{review.id}", 403)
    mine = ActionReview.get(ActionReview.audit == authorised.audit_id)
    assert "Record the review" not in get_page(f"/action-reviews/{mine.id}").get_data(as_text=True)
    assert client.post(f"/action-reviews/{mine.id}", data={"version": "1", "comment": "x"}).status_code == 403
    assert client.post("/action-reviews/send").status_code == 403
    book = load_workbook(io.BytesIO(client.get("/action-reviews.xlsx").data))
    assert book.sheetnames == ["Every team", authorised.team.name]
