"""The lists of every moderation, every family's feedback and every notice sent: each shows what its filters choose,
is only for those who may see it, and downloads as CSV and Excel with its filters, no typed text running as a
formula, each download written to the event log."""

import csv
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from models import Event, FamilyFeedback, Moderation, ModerationDraw, Notice
from services import notices

FORMULA_NAME = "=HYPERLINK(1)"  # a name someone typed, which a spreadsheet would run
ROLES = ["qa-officer", "senior-leader", "auditor", "moderator", "team-manager", "service-manager", "practitioner"]


def read_csv(response):
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    return list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))


def shown(client, url, references):
    """Which of the case `references` the list at `url` shows, in its order."""
    body = client.get(url).get_data(as_text=True)
    return sorted((found for found in references if found in body), key=body.index)


def last_event():
    return Event.select().order_by(Event.id.desc()).get()


# Every moderation.


@pytest.fixture
def drawn(make_audit, make_case, make_team, make_user):
    """Moderations of three audits, by case reference: AGREED and CHANGED drawn for March 2026 (CHANGED moderated to
    Requires improvement by a moderator with a name that looks like a formula), and WAITING, drawn earlier for
    February and not yet started, given to the same moderator."""
    qa = make_user(roles=("qa-officer",))
    first, second = (
        make_user(roles=("moderator",), name=FORMULA_NAME),
        make_user(roles=("moderator",), name="Jo Moderator"),
    )
    team = make_team(name="North Team")
    draws = {
        month: ModerationDraw.create(
            month=month,
            round=1,
            seed=1,
            rule_version=1,
            percentage=30,
            population="[]",
            drawn_by=qa,
            due_on=month + datetime.timedelta(days=60),
        )  # fmt: skip
        for month in (datetime.date(2026, 2, 1), datetime.date(2026, 3, 1))
    }
    moderators = {}
    for reference, month, moderator, status, grade in [
        ("WAITING", datetime.date(2026, 2, 1), first, "assigned", None),
        ("AGREED", datetime.date(2026, 3, 1), second, "submitted", "good"),
        ("CHANGED", datetime.date(2026, 3, 1), first, "submitted", "requires-improvement"),
    ]:
        audit = make_audit(
            case=make_case(reference=reference, team=team), status="moderated" if grade else "submitted",
            submitted_at=datetime.datetime(2026, month.month, 10, 9), overall_grade="good",
        )  # fmt: skip
        submitted_at = datetime.datetime(2026, 4, 2, 10) if grade else None
        Moderation.create(
            audit=audit, draw=draws[month], chosen_because="good-or-outstanding", moderator=moderator, status=status,
            auditor_grade="good", grade=grade, agrees=grade and grade == "good", submitted_at=submitted_at,
            due_on=draws[month].due_on,
        )  # fmt: skip
        moderators[reference] = moderator
    return moderators


MODERATED = ["WAITING", "AGREED", "CHANGED"]


def test_every_moderation_is_listed_newest_draw_first_by_month_status_moderator_and_grade_changed(
    client, login_as, drawn
):
    login_as("qa-officer")
    page = client.get("/all-moderations").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">All moderations</h1>' in page
    assert shown(client, "/all-moderations", MODERATED) == ["CHANGED", "AGREED", "WAITING"]
    first = drawn["CHANGED"].id
    assert shown(client, "/all-moderations?status=submitted", MODERATED) == ["CHANGED", "AGREED"]
    assert shown(client, "/all-moderations?status=assigned", MODERATED) == ["WAITING"]
    assert shown(client, f"/all-moderations?moderator={first}", MODERATED) == ["CHANGED", "WAITING"]
    assert shown(client, "/all-moderations?grade_changed=yes", MODERATED) == ["CHANGED"]
    assert shown(client, "/all-moderations?grade_changed=no", MODERATED) == ["AGREED"]
    assert shown(client, "/all-moderations?from_month=2026-03", MODERATED) == ["CHANGED", "AGREED"]
    assert shown(client, "/all-moderations?to_month=2026-02", MODERATED) == ["WAITING"]
    assert shown(client, "/all-moderations?from_month=2026-02&to_month=2026-02&status=assigned", MODERATED) == [
        "WAITING"
    ]
    # Each row opens its audit, which shows the outcome: a moderation's own page is its moderator's alone.
    links = re.findall(r'href="(/(?:audits|moderations)/\d+)"', page)
    audits = [moderation.audit_id for moderation in Moderation.select().order_by(Moderation.id.desc())]
    assert links == [f"/audits/{audit}" for audit in audits]
    assert "Requires Improvement to be Good, disagreed" in page and "Good, agreed" in page


def test_a_refused_month_is_said_beside_its_box_and_left_out(client, login_as, drawn):
    login_as("senior-leader")
    response = client.get("/all-moderations?from_month=2026-04&to_month=2026-03&status=assigned")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "To month must be the same as or after the from month" in body
    assert shown(client, "/all-moderations?from_month=2026-04&to_month=2026-03&status=assigned", MODERATED) == [
        "WAITING"
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/all-moderations", "/all-moderations.csv", "/all-moderations.xlsx"])
def test_every_moderation_is_for_the_qa_team_and_senior_leaders_alone(client, login_as, drawn, role, url):
    login_as(role)
    assert client.get(url).status_code == (200 if role in ("qa-officer", "senior-leader") else 403)


def test_the_moderations_download_with_the_list_s_filters_and_are_logged(client, login_as, drawn):
    leader = login_as("senior-leader")
    page = client.get("/all-moderations?grade_changed=yes").get_data(as_text=True)
    assert 'href="/all-moderations.csv?grade_changed=yes"' in page
    header, *rows = read_csv(client.get("/all-moderations.csv?grade_changed=yes&page=2"))
    assert header == [
        "Month drawn", "Case reference", "Team", "Auditor", "Auditor's overall grade", "Moderator", "Status", "Due",
        "Submitted", "Moderated overall grade", "Agreed",
    ]  # fmt: skip
    assert [row[:2] + row[4:] for row in rows] == [
        ["March 2026", "CHANGED", "Good", "'" + FORMULA_NAME, "Moderated", "2026-04-30", "2026-04-02",
         "Requires Improvement to be Good", "No"],
    ]  # fmt: skip
    event = last_event()
    assert (event.user_id, event.action, event.record_type, event.fields) == (
        leader.id, "downloaded (CSV)", "Moderation", "grade_changed yes"
    )  # fmt: skip

    cells = read_xlsx(client.get(f"/all-moderations.xlsx?moderator={drawn['WAITING'].id}"))
    assert [row[1] for row in cells[1:]] == ["CHANGED", "WAITING"]
    assert cells[1][5] == "'" + FORMULA_NAME and cells[2][6] == "Not started" and cells[2][9:] == (None, None)
    assert last_event().action == "downloaded (Excel)"


# Families' feedback.


@pytest.fixture
def heard(make_audit, make_case, make_team, make_user):
    """Feedback on an audit of North Team's allocated in March 2026 (MOTHER's, gathered, and FATHER's, who declined)
    and on one of South Team's allocated in January (a grandmother's, gathered): the teams are NORTH and SOUTH."""
    recorder = make_user(roles=("auditor",))
    north, south = make_team(name=FORMULA_NAME), make_team(name="South Team")
    feedback = {}
    for reference, team, allocated in [
        ("NORTH", north, datetime.datetime(2026, 3, 4, 9)),
        ("SOUTH", south, datetime.datetime(2026, 1, 6, 9)),
    ]:
        audit = make_audit(case=make_case(reference=reference, team=team), auditor=recorder, allocated_at=allocated)
        feedback[reference] = audit
    given = {"recorded_by": recorder, "given_on": datetime.date(2026, 3, 20)}
    FamilyFeedback.create(
        audit=feedback["NORTH"], given_by="mother", how="phone", helpfulness=4,
        what_changed="The shouting at home has stopped", **given,
    )  # fmt: skip
    FamilyFeedback.create(
        audit=feedback["NORTH"], given_by="father", gathered=False, not_gathered_reason="declined",
        attempts="Rang him three times", **given,
    )  # fmt: skip
    FamilyFeedback.create(
        audit=feedback["SOUTH"], given_by="family-member", relationship="Nan Brown", how="in-person", helpfulness=2,
        child_views="Wants to see her brother", **given,
    )  # fmt: skip
    return {"north": north, "south": south, "audits": feedback}


def given_by(client, url):
    """Who gave each feedback the list at `url` shows, in its order."""
    body = client.get(url).get_data(as_text=True)
    return re.findall(r'<td class="govuk-table__cell">(Mother|Father|Other family member|[^<]*Brown[^<]*)</td>', body)


def test_families_feedback_is_listed_by_gathered_reason_team_and_months_allocated(client, login_as, heard):
    login_as("senior-leader")
    assert given_by(client, "/family-feedback") == ["Other family member", "Father", "Mother"]
    assert given_by(client, "/family-feedback?gathered=yes") == ["Other family member", "Mother"]
    assert given_by(client, "/family-feedback?gathered=no") == ["Father"]
    assert given_by(client, "/family-feedback?reason=declined") == ["Father"]
    assert given_by(client, "/family-feedback?reason=no-reply") == []
    assert given_by(client, f"/family-feedback?team={heard['north'].id}") == ["Father", "Mother"]
    assert given_by(client, "/family-feedback?from_month=2026-02") == ["Father", "Mother"]
    assert given_by(client, "/family-feedback?to_month=2026-02&gathered=yes") == ["Other family member"]
    page = client.get("/family-feedback").get_data(as_text=True)
    audit = heard["audits"]["NORTH"]
    mother = FamilyFeedback.get(FamilyFeedback.given_by == "mother")
    assert f'href="/audits/{audit.id}#family-feedback-{mother.id}"' in page
    assert "They declined" in page and "Very helpful (4 out of 5)" in page


def test_what_a_family_said_stays_on_the_audit_out_of_the_list_and_its_download(client, login_as, heard):
    login_as("qa-officer")
    typed = ["The shouting at home", "Rang him three times", "Nan Brown", "Wants to see her brother"]
    page = client.get("/family-feedback").get_data(as_text=True)
    csv_text = client.get("/family-feedback.csv").get_data(as_text=True)
    workbook = str(read_xlsx(client.get("/family-feedback.xlsx")))
    assert [text for text in typed if text in page or text in csv_text or text in workbook] == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/family-feedback", "/family-feedback.csv", "/family-feedback.xlsx"])
def test_families_feedback_is_for_the_qa_team_and_senior_leaders_alone(client, login_as, heard, role, url):
    login_as(role)
    assert client.get(url).status_code == (200 if role in ("qa-officer", "senior-leader") else 403)


def test_families_feedback_downloads_with_the_list_s_filters_and_is_logged(client, login_as, heard):
    qa = login_as("qa-officer")
    north = heard["north"].id
    header, *rows = read_csv(client.get(f"/family-feedback.csv?team={north}&gathered=no"))
    assert header == [
        "Case reference", "Team", "Audit number", "Given by", "Gathered", "How", "How helpful",
        "Why it could not be gathered", "Date",
    ]  # fmt: skip
    audit = heard["audits"]["NORTH"].id
    assert rows == [["NORTH", "'" + FORMULA_NAME, str(audit), "Father", "No", "", "", "They declined", "2026-03-20"]]
    event = last_event()
    assert (event.user_id, event.action, event.record_type, event.fields) == (
        qa.id, "downloaded (CSV)", "FamilyFeedback", f"gathered no, team {north}"
    )  # fmt: skip

    cells = read_xlsx(client.get("/family-feedback.xlsx?gathered=yes&from_month=2026-03"))
    assert cells[1:] == [
        ("NORTH", "'" + FORMULA_NAME, audit, "Mother", "Yes", "By phone", "Very helpful (4 out of 5)", None,
         datetime.datetime(2026, 3, 20)),
    ]  # fmt: skip
    assert last_event().action == "downloaded (Excel)"


# Notices sent.


@pytest.fixture
def sent(make_user):
    """Three notices: to someone whose name looks like a formula, one emailed on 3 March 2026 and one waiting,
    written that day and the day before; and one not emailed, to Kim Other, written on 5 March."""
    named, other = make_user(name=FORMULA_NAME), make_user(name="Kim Other", email="kim.other@example.gov.uk")
    rows = [
        (named, "Audit of case SENT-1 due", "sent", datetime.datetime(2026, 3, 3, 9)),
        (named, "Audit of case WAITING-1 due", "waiting", datetime.datetime(2026, 3, 2, 9)),
        (other, "Audit of case FAILED-1 due", "not-sent", datetime.datetime(2026, 3, 5, 23, 30)),
    ]
    for person, subject, status, at in rows:
        notices.notify([person], subject, "Body", "/")
        notice = Notice.select().order_by(Notice.id.desc()).get()
        emailed = {"sent_at": at + datetime.timedelta(minutes=1), "attempts": 2} if status == "sent" else {}
        failed = {"last_error": "Mailbox unavailable", "attempts": 5} if status == "not-sent" else {}
        Notice.update(created_at=at, email_status=status, **emailed, **failed).where(Notice.id == notice.id).execute()
    return named


SUBJECTS = ["SENT-1", "WAITING-1", "FAILED-1"]


def test_the_notices_sent_are_listed_newest_first_by_email_status_days_and_recipient(client, login_as, sent):
    login_as("qa-officer")
    assert shown(client, "/admin/notices-sent", SUBJECTS) == ["FAILED-1", "SENT-1", "WAITING-1"]
    assert shown(client, "/admin/notices-sent?email_status=sent", SUBJECTS) == ["SENT-1"]
    assert shown(client, "/admin/notices-sent?email_status=not-sent", SUBJECTS) == ["FAILED-1"]
    assert shown(client, "/admin/notices-sent?recipient=kim.other@", SUBJECTS) == ["FAILED-1"]
    assert shown(client, "/admin/notices-sent?recipient=HYPERLINK", SUBJECTS) == ["SENT-1", "WAITING-1"]
    # Days in the UK: 23:30 on 5 March in UTC is 5 March in GMT.
    assert shown(client, "/admin/notices-sent?from_date=03/03/2026&to_date=05/03/2026", SUBJECTS) == [
        "FAILED-1",
        "SENT-1",
    ]
    assert shown(client, "/admin/notices-sent?to_date=2/3/2026", SUBJECTS) == ["WAITING-1"]
    page = client.get("/admin/notices-sent").get_data(as_text=True)
    assert "Mailbox unavailable" in page and "at attempt 2" in page


def test_a_day_that_is_not_a_date_is_said_beside_its_box_and_left_out(client, login_as, sent):
    login_as("qa-officer")
    body = client.get("/admin/notices-sent?from_date=31/02/2026&email_status=sent").get_data(as_text=True)
    assert "Enter the written from as a real date, like 14/11/2026" in body
    assert shown(client, "/admin/notices-sent?from_date=31/02/2026&email_status=sent", SUBJECTS) == ["SENT-1"]
    body = client.get("/admin/notices-sent?from_date=05/03/2026&to_date=04/03/2026").get_data(as_text=True)
    assert "Written to must be the same as or after written from" in body


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/admin/notices-sent", "/admin/notices-sent.csv", "/admin/notices-sent.xlsx"])
def test_the_notices_sent_are_for_the_qa_team_alone(client, login_as, sent, role, url):
    login_as(role)
    assert client.get(url).status_code == (200 if role == "qa-officer" else 403)


def test_the_notices_sent_download_with_the_list_s_filters_and_are_logged(client, login_as, sent):
    qa = login_as("qa-officer")
    header, *rows = read_csv(client.get("/admin/notices-sent.csv?recipient=HYPERLINK&email_status=sent"))
    assert header == [
        "Written", "Recipient", "Recipient's email address", "Subject", "Read", "Email", "Attempts", "Sent",
        "Last error",
    ]  # fmt: skip
    assert rows == [
        ["2026-03-03 09:00", "'" + FORMULA_NAME, sent.email, "Audit of case SENT-1 due", "No", "Sent", "2",
         "2026-03-03 09:01", ""],
    ]  # fmt: skip
    event = last_event()
    assert (event.user_id, event.action, event.record_type, event.fields) == (
        qa.id, "downloaded (CSV)", "Notice", "email_status sent, recipient HYPERLINK"
    )  # fmt: skip

    cells = read_xlsx(client.get("/admin/notices-sent.xlsx?from_date=04/03/2026"))
    assert cells[1:] == [
        (datetime.datetime(2026, 3, 5, 23, 30), "Kim Other", "kim.other@example.gov.uk", "Audit of case FAILED-1 due",
         "No", "Not sent", 5, None, "Mailbox unavailable"),
    ]  # fmt: skip
    assert last_event().action == "downloaded (Excel)"


def test_the_new_lists_are_reached_by_those_who_may_see_them(client, login_as):
    login_as("senior-leader")
    page = client.get("/dashboard?from_month=2026-01&to_month=2026-03").get_data(as_text=True)
    assert 'href="/all-moderations"' in page
    assert 'href="/family-feedback?from_month=2026-01&amp;to_month=2026-03"' in page, "the dashboard's months"
    assert 'href="/admin/notices-sent"' not in page
    login_as("qa-officer")
    assert 'href="/all-moderations"' in client.get("/moderation-sample").get_data(as_text=True)
    assert 'href="/admin/notices-sent"' in client.get("/admin/event-log").get_data(as_text=True), "beside the log"
