"""Immediate Responses through the test client with no JavaScript: raising one from an audit or a case,
submitting the audit once one is raised, acknowledging, closing, the lists, permissions and the Word form."""

import datetime
import io
import re
import time

import pytest
from docx import Document

from models import Audit, Draft, Event, ImmediateResponse, Notice, User, utcnow
from services import immediate_responses, jobs
from services.dates import UK_TIME, long_date, uk_today
from services.working_days import add_working_days
from tests.blueprints.test_audit_page import audit_form
from tests.conftest import PASSWORD, date_parts, sign_in_client, time_out
from tests.pages import group_named, label_texts, parsed, revealed_under
from tests.plans import statements_run


def raise_form(acting, **changes):
    return {
        "trigger": "safeguarding",
        "found": "The child told her teacher she is scared to go home; no strategy discussion is recorded.",
        "must_happen": "A strategy discussion today, and the child seen alone.",
        "who_acts": str(acting.id),
        "urgency": "today",
        "told_name": "Pat Service-Manager",
        "told_role": "Service Manager QA",
        "told_how": "phone",
        "told_on": date_parts(uk_today()),
    } | changes


def values(who_acts, **changes):
    """What the raise form gives the service, for raising one directly."""
    form = raise_form(who_acts)
    return {name: form[name] for name in ("trigger", "found", "must_happen", "urgency")} | {
        "trigger_other": "",
        "who_acts": who_acts,
        **dict.fromkeys(("told_name", "told_role", "told_how"), ""),
        "told_on": None,
        **changes,
    }


@pytest.fixture
def people(make_user, make_team, make_service_area):
    """A team manager of the audited case's team, a QA officer, and the area's Head of Service."""
    head = make_user(roles=("senior-leader",), job_role="Head of Service")
    manager = make_user(roles=("team-manager",))
    qa = make_user(roles=("qa-officer",), job_role="QA Officer")
    team = make_team(manager=manager, service_area=make_service_area(head_of_service=head))
    return {"manager": manager, "qa": qa, "head": head, "team": team}


@pytest.fixture
def concerned_audit(make_audit, make_case, auditor, people):
    """The signed-in auditor's audit of a case of `people`'s team, whose answers say a child may be unsafe."""
    audit = make_audit(auditor=auditor, case=make_case(team=people["team"]))
    Audit.update(immediate_concern=True, supervised_recently=True).where(Audit.id == audit.id).execute()
    return Audit.get_by_id(audit.id)


def test_submit_is_refused_until_one_is_raised_then_the_team_manager_acknowledges_and_qa_closes(
    client, concerned_audit, people, auditor
):
    audit, manager, qa = concerned_audit, people["manager"], people["qa"]
    data = audit_form(audit, immediate_concern="yes", submit_audit="y")
    body = client.post(f"/audits/{audit.id}", data=data).get_data(as_text=True)
    assert '<a href="#raise-immediate-response">Raise an Immediate Response: the safeguarding answers say' in body
    assert 'id="raise-immediate-response"' in body, "the message links to the button"
    assert Audit.get_by_id(audit.id).status == "in-progress"

    form = client.get(f"/audits/{audit.id}/immediate-responses/new").get_data(as_text=True)
    assert 'value="safeguarding" checked' in form, "the trigger comes from the audit's answers"
    assert f'<option value="{manager.id}" selected>' in form, "the case's team manager acts by default"
    response = client.post(f"/audits/{audit.id}/immediate-responses/new", data=raise_form(manager))
    assert response.status_code == 303
    raised = ImmediateResponse.get()
    assert response.headers["Location"].endswith(f"/immediate-responses/{raised.id}")
    assert (raised.status, raised.due_on, raised.audit_id, raised.raised_by_id) == (
        "raised",
        uk_today(),
        audit.id,
        auditor.id,
    )
    told = {notice.recipient_id for notice in Notice.select()}
    qa_officers = {user.id for user in User.with_role("qa-officer")}
    assert qa.id in qa_officers and told == {manager.id} | qa_officers, "the team manager, every QA officer"
    assert all(audit.case.reference in n.subject and "scared" not in n.body + n.subject for n in Notice.select())

    data = audit_form(Audit.get_by_id(audit.id), immediate_concern="yes", submit_audit="y")
    assert client.post(f"/audits/{audit.id}", data=data).status_code == 303
    assert Audit.get_by_id(audit.id).status == "submitted"

    record = Document(io.BytesIO(client.get(f"/audits/{audit.id}/record.docx").data))
    cells = [cell.text for table in record.tables for row in table.rows for cell in row.cells]
    assert f"{long_date(uk_today())} (raised)" in cells, "the audit record says one was raised"

    sign_in_client(client, manager)
    home = client.get("/").get_data(as_text=True)
    assert "1 Immediate Response to acknowledge" in home
    page = client.get(f"/immediate-responses/{raised.id}").get_data(as_text=True)
    assert "scared to go home" in page and "Acknowledge it" in page and "Close it" not in page
    assert client.get(f"/immediate-responses/{raised.id}/close").status_code == 403
    ack = {"version": "1", "response": "Agreed: this is serious.", "action_taking": "Strategy discussion at 3pm."}
    response = client.post(f"/immediate-responses/{raised.id}/acknowledge", data=ack)
    assert response.status_code == 303
    assert ImmediateResponse.get_by_id(raised.id).status == "acknowledged"
    again = client.post(f"/immediate-responses/{raised.id}/acknowledge", data=ack | {"version": "2"})
    assert "This Immediate Response has already been acknowledged." in again.get_data(as_text=True), "only once"
    assert Notice.get(Notice.recipient == auditor).subject.startswith("Immediate Response acknowledged")

    sign_in_client(client, qa)
    response = client.post(f"/immediate-responses/{raised.id}/close", data={"version": "2", "outcome": "Child safe."})
    assert response.status_code == 303
    closed = ImmediateResponse.get_by_id(raised.id)
    assert (closed.status, closed.closed_by_id, closed.outcome) == ("closed", qa.id, "Child safe.")
    page = client.get(f"/immediate-responses/{raised.id}").get_data(as_text=True)
    for step in ("Raised", "Acknowledged", "Closed", "Strategy discussion at 3pm.", "Child safe."):
        assert step in page
    assert page.index("Strategy discussion at 3pm.") < page.index("Child safe."), "the timeline runs in order"
    events = [e.action for e in Event.select().where(Event.record_type == "ImmediateResponse").order_by(Event.id)]
    assert events == ["created", "acknowledged", "closed"]


def test_the_word_form_reads_back(client, concerned_audit, people):
    client.post(f"/audits/{concerned_audit.id}/immediate-responses/new", data=raise_form(people["manager"]))
    raised = ImmediateResponse.get()
    response = client.get(f"/immediate-responses/{raised.id}.docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Immediate Response" in texts and "A strategy discussion today, and the child seen alone." in texts
    assert "Immediate safeguarding concern" in cells and "Today" in cells
    assert "Pat Service-Manager, Service Manager QA, by phone, on " + long_date(uk_today()) in cells
    assert concerned_audit.case.reference in document.sections[0].header.paragraphs[0].text


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"found": ""}, "Enter what was found"),
        ({"must_happen": " "}, "Enter what must happen now"),
        ({"found": "x" * 20_001}, "What was found must be 20,000 characters or fewer"),
        ({"trigger": ""}, "Select why an Immediate Response is needed"),
        ({"trigger": "boredom"}, "Select why an Immediate Response is needed"),
        ({"trigger": "other"}, "Enter the other reason an Immediate Response is needed"),
        ({"urgency": "next-month"}, "Select how urgent it is"),
        ({"who_acts": "999999"}, "Select who must act from the list"),
        ({"who_acts": "99999999999999999999"}, "Select who must act from the list"),
        ({"told_on": ["31", "2", "2026"]}, "When they were told must be a real date"),
        (
            {"told_on": date_parts(uk_today() + datetime.timedelta(days=7))},
            "When they were told must be today or in the past",
        ),
        ({"told_role": ""}, "Enter the role of the person who has been told"),
        ({"told_name": "x" * 101}, "Their name must be 100 characters or fewer"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(client, concerned_audit, people, changes, message):
    body = client.post(
        f"/audits/{concerned_audit.id}/immediate-responses/new", data=raise_form(people["manager"], **changes)
    ).get_data(as_text=True)
    assert message in body and "There is a problem" in body
    assert ImmediateResponse.select().count() == 0 and Notice.select().count() == 0


def test_typed_text_is_shown_escaped(client, concerned_audit, people):
    script = "<script>alert(1)</script>"
    client.post(
        f"/audits/{concerned_audit.id}/immediate-responses/new", data=raise_form(people["manager"], found=script)
    )
    page = client.get(f"/immediate-responses/{ImmediateResponse.get().id}").get_data(as_text=True)
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unknown_ids_are_not_found(client, concerned_audit, login_as):
    login_as("qa-officer")
    assert client.get("/immediate-responses/424242").status_code == 404
    assert client.get("/cases/424242/immediate-responses/new").status_code == 404
    assert client.get("/immediate-responses/424242.docx").status_code == 404


def test_who_sees_which(client, concerned_audit, people, make_user, make_case, make_audit):
    manager, qa = people["manager"], people["qa"]
    client.post(f"/audits/{concerned_audit.id}/immediate-responses/new", data=raise_form(manager))
    raised = ImmediateResponse.get()
    other_manager = make_user(roles=("team-manager",))
    other_case = make_case()
    other_case.team.manager = other_manager
    other_case.team.save()
    other = immediate_responses.raise_response(qa, other_case, None, values(other_manager), uk_today())
    assert client.get(f"/immediate-responses/{other.id}").status_code == 403, "an auditor sees those they raised"
    assert other.case.reference not in client.get("/immediate-responses").get_data(as_text=True)

    another_auditor = make_user(roles=("auditor",))
    sign_in_client(client, another_auditor)
    assert client.get(f"/immediate-responses/{raised.id}").status_code == 403
    assert client.get(f"/immediate-responses/{raised.id}.docx").status_code == 403
    assert client.get(f"/audits/{concerned_audit.id}/immediate-responses/new").status_code == 403
    assert client.get(f"/cases/{concerned_audit.case_id}/immediate-responses/new").status_code == 403

    sign_in_client(client, other_manager)
    listed = client.get("/immediate-responses").get_data(as_text=True)
    assert other_case.reference in listed and concerned_audit.case.reference not in listed
    assert client.get(f"/immediate-responses/{raised.id}/acknowledge").status_code == 403
    assert client.get(f"/immediate-responses/{other.id}/close").status_code == 403, "QA officers close them"

    sign_in_client(client, qa)
    listed = client.get("/immediate-responses").get_data(as_text=True)
    assert other_case.reference in listed and concerned_audit.case.reference in listed
    by_team = client.get(f"/immediate-responses?team={people['team'].id}").get_data(as_text=True)
    assert concerned_audit.case.reference in by_team and other_case.reference not in by_team
    early = client.post(f"/immediate-responses/{raised.id}/close", data={"version": "1", "outcome": "Done"})
    assert "must be acknowledged before it can be closed" in early.get_data(as_text=True)
    assert ImmediateResponse.get_by_id(raised.id).status == "raised"


def test_a_qa_officer_raises_one_from_a_case_page(client, people, make_case):
    qa = people["qa"]
    sign_in_client(client, qa)
    case = make_case(team=people["team"])
    assert "Raise an Immediate Response" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    data = raise_form(people["manager"], trigger="other", trigger_other="Found on a home visit", urgency="5-days")
    data |= {"told_name": "", "told_role": "", "told_how": "", "told_on": ["", "", ""]}
    assert client.post(f"/cases/{case.id}/immediate-responses/new", data=data).status_code == 303
    raised = ImmediateResponse.get()
    assert (raised.audit_id, raised.due_on) == (None, add_working_days(uk_today(), 5))
    assert raised.trigger_label == "Another reason: Found on a home visit"
    assert [n.recipient_id for n in Notice.select()] == [people["manager"].id]
    assert "Found on a home visit" not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Raised" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_an_overdue_one_is_escalated_once_to_the_head_of_service(app, concerned_audit, people, auditor):
    given = values(people["manager"], urgency="1-day")
    raised = immediate_responses.raise_response(auditor, concerned_audit.case, concerned_audit, given, uk_today())
    Notice.delete().execute()
    assert immediate_responses.escalate_overdue(raised.due_on) == 0, "not overdue on its deadline day"
    later = raised.due_on + datetime.timedelta(days=1)
    assert immediate_responses.escalate_overdue(later) == 1
    assert immediate_responses.escalate_overdue(later) == 0, "once, not on every run"
    assert [n.recipient_id for n in Notice.select()] == [people["head"].id]
    assert Notice.get().subject == f"Immediate Response overdue: case {concerned_audit.case.reference}"
    assert Event.get(Event.action == "escalated").user_id is None
    assert ImmediateResponse.get_by_id(raised.id).is_overdue(later)


def test_with_no_head_of_service_the_qa_officers_are_told(app, concerned_audit, people, auditor):
    area = people["team"].service_area
    area.head_of_service = None
    area.save()
    given = values(people["manager"])
    raised = immediate_responses.raise_response(auditor, concerned_audit.case, concerned_audit, given, uk_today())
    Notice.delete().execute()
    immediate_responses.escalate_overdue(raised.due_on + datetime.timedelta(days=3))
    qa_officers = {user.id for user in User.with_role("qa-officer")}
    assert people["qa"].id in qa_officers and {n.recipient_id for n in Notice.select()} == qa_officers


def test_an_acknowledgement_is_refused_when_it_was_closed_or_changed_meanwhile(client, concerned_audit, people):
    client.post(f"/audits/{concerned_audit.id}/immediate-responses/new", data=raise_form(people["manager"]))
    raised = ImmediateResponse.get()
    sign_in_client(client, people["manager"])
    ack = {"version": "1", "response": "Seen.", "action_taking": "Visiting."}
    ImmediateResponse.update(version=2).where(ImmediateResponse.id == raised.id).execute()
    body = client.post(f"/immediate-responses/{raised.id}/acknowledge", data=ack).get_data(as_text=True)
    assert "Someone else changed this record" in body and "Visiting." in body, "what was typed is still there"
    assert ImmediateResponse.get_by_id(raised.id).status == "raised"
    for field, message in [("response", "Enter your response"), ("action_taking", "Enter the action you are taking")]:
        body = client.post(f"/immediate-responses/{raised.id}/acknowledge", data=ack | {field: ""}).get_data(True)
        assert message in body
    assert ImmediateResponse.get_by_id(raised.id).status == "raised"


@pytest.mark.parametrize("form", ["from the audit", "on the case", "acknowledge", "close"])
def test_text_typed_after_the_session_timed_out_is_kept_and_put_back(client, concerned_audit, people, auditor, form):
    manager, qa = people["manager"], people["qa"]
    person, typed = auditor, raise_form(manager, found="Typed while timing out: a bruise nobody asked about.")
    url = f"/audits/{concerned_audit.id}/immediate-responses/new"
    if form == "on the case":
        person, url = qa, f"/cases/{concerned_audit.case_id}/immediate-responses/new"
    elif form in ("acknowledge", "close"):
        raised = immediate_responses.raise_response(auditor, concerned_audit.case, None, values(manager), uk_today())
        if form == "close":
            immediate_responses.acknowledge(manager, raised, 1, {"response": "Seen", "action_taking": "Visit"})
        person, url = (manager, f"/immediate-responses/{raised.id}/acknowledge") if form == "acknowledge" else (qa, "")
        url = url or f"/immediate-responses/{raised.id}/close"
        typed = {"version": str(raised.version), "response": "Typed while timing out: a bruise nobody asked about."}
        typed |= {"action_taking": "A visit today", "outcome": "Typed while timing out: a bruise nobody asked about."}
    sign_in_client(client, person)
    time_out(client)
    response = client.post(url, data=typed, headers={"Referer": f"http://localhost{url}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next={url}"
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert "a bruise nobody asked about" in client.get(url).get_data(as_text=True)
    assert client.post(url, data=typed).status_code == 303
    assert Draft.select().count() == 0


def test_a_draft_is_not_kept_for_someone_who_may_not_use_the_form(client, concerned_audit, people, make_user):
    raised = immediate_responses.raise_response(
        people["qa"], concerned_audit.case, None, values(people["manager"]), uk_today()
    )
    sign_in_client(client, make_user(roles=("team-manager",)))
    time_out(client)
    url = f"/immediate-responses/{raised.id}/acknowledge"
    client.post(url, data={"version": "1", "response": "Not mine to say", "action_taking": "None"})
    assert Draft.select().count() == 0


def test_a_raised_one_is_emailed_to_the_team_manager_and_qa_officers_with_only_the_case_reference(
    app, client, concerned_audit, people, mail_server
):
    client.post(f"/audits/{concerned_audit.id}/immediate-responses/new", data=raise_form(people["manager"]))
    jobs.run_jobs(app.config, utcnow())
    qa_officers = [user.email for user in User.with_role("qa-officer")]
    assert sorted(message["To"] for message in mail_server.messages) == sorted([people["manager"].email, *qa_officers])
    case = concerned_audit.case
    for message in mail_server.messages:
        text = message["Subject"] + message.get_content()
        assert case.reference in text and "/immediate-responses/" in text
        assert "scared" not in text and case.initials not in text and case.worker_name not in text


def test_the_job_escalates_an_overdue_one_once_however_often_it_runs(app, concerned_audit, people, auditor):
    raised = immediate_responses.raise_response(
        auditor, concerned_audit.case, concerned_audit, values(people["manager"]), uk_today()
    )
    on_time = datetime.datetime.combine(raised.due_on, datetime.time(16, 0))
    assert not jobs.run_jobs(app.config, on_time)["escalations"]
    late = on_time + datetime.timedelta(days=1)
    assert str(jobs.run_jobs(app.config, late)["escalations"]) == "Escalated 1 overdue Immediate Response."
    assert not jobs.run_jobs(app.config, late + datetime.timedelta(hours=1))["escalations"]
    assert Notice.select().where(Notice.recipient == people["head"]).count() == 1


def test_the_home_page_says_what_waits_and_what_is_overdue(client, concerned_audit, people, auditor):
    raised = immediate_responses.raise_response(
        auditor, concerned_audit.case, concerned_audit, values(people["manager"]), uk_today()
    )
    assert "1 Immediate Response raised by you, not yet closed" in client.get("/").get_data(as_text=True)
    ImmediateResponse.update(due_on=uk_today() - datetime.timedelta(days=2)).where(
        ImmediateResponse.id == raised.id
    ).execute()
    for person in (people["manager"], people["qa"]):
        sign_in_client(client, person)
        home = client.get("/").get_data(as_text=True)
        assert "1 Immediate Response to acknowledge" in home
        assert "1 Immediate Response overdue, not acknowledged in time" in home
    sign_in_client(client, people["head"])
    assert "Nothing is waiting for you." in client.get("/").get_data(as_text=True)


def test_the_head_of_service_opens_and_acknowledges_one_escalated_to_them(
    client, concerned_audit, people, auditor, make_user, make_team, make_service_area
):
    raised = immediate_responses.raise_response(
        auditor, concerned_audit.case, concerned_audit, values(people["manager"]), uk_today()
    )
    immediate_responses.escalate_overdue(raised.due_on + datetime.timedelta(days=1))
    notice = Notice.get(Notice.recipient == people["head"])
    elsewhere = make_user(roles=("senior-leader",), job_role="Head of Service")
    make_team(service_area=make_service_area(head_of_service=elsewhere))
    sign_in_client(client, elsewhere)
    assert client.get(notice.link).status_code == 403, "only the head of the case's service area"

    sign_in_client(client, people["head"])
    home = client.get("/").get_data(as_text=True)
    assert "1 Immediate Response escalated to you, not acknowledged in time" in home
    assert concerned_audit.case.reference in client.get("/immediate-responses").get_data(as_text=True)
    page = client.get(notice.link)
    assert page.status_code == 200 and "Acknowledge it" in page.get_data(as_text=True)
    ack = {"version": "1", "response": "I have spoken to the team.", "action_taking": "A strategy meeting today."}
    assert client.post(f"{notice.link}/acknowledge", data=ack).status_code == 303
    assert ImmediateResponse.get_by_id(raised.id).acknowledged_by_id == people["head"].id
    assert "Nothing is waiting for you." in client.get("/").get_data(as_text=True)


def test_whoever_raises_one_cannot_name_themselves_to_act_nor_acknowledge_it(client, concerned_audit, people, auditor):
    url = f"/audits/{concerned_audit.id}/immediate-responses/new"
    body = client.post(url, data=raise_form(auditor)).get_data(as_text=True)
    assert "There is a problem" in body
    assert re.search(r'id="who_acts-error"[^>]*>\s*<span[^>]*>Error:</span> Choose someone other than yourself', body)
    assert ImmediateResponse.select().count() == 0

    # One raised before the form refused it, naming its raiser to act.
    named = immediate_responses.raise_response(auditor, concerned_audit.case, None, values(auditor), uk_today())
    assert "Acknowledge it" not in client.get(f"/immediate-responses/{named.id}").get_data(as_text=True)
    ack = {"version": "1", "response": "Fine.", "action_taking": "Nothing."}
    assert client.post(f"/immediate-responses/{named.id}/acknowledge", data=ack).status_code == 403
    assert "1 Immediate Response to acknowledge" not in client.get("/").get_data(as_text=True)
    assert ImmediateResponse.get_by_id(named.id).status == "raised"

    qa = people["qa"]  # a QA officer may acknowledge any, their own too
    sign_in_client(client, qa)
    own = immediate_responses.raise_response(qa, concerned_audit.case, None, values(people["manager"]), uk_today())
    assert client.post(f"/immediate-responses/{own.id}/acknowledge", data=ack).status_code == 303


@pytest.fixture
def server_elsewhere(monkeypatch):
    """The server's clock in a time zone where the date is not the UK's: a day ahead of it from noon in
    the UK, a day behind it before."""
    ahead = datetime.datetime.now(UK_TIME).hour >= 12
    monkeypatch.setenv("TZ", "Etc/GMT-14" if ahead else "Etc/GMT+12")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_what_is_overdue_on_the_pages_is_what_the_job_escalates(
    client, concerned_audit, people, auditor, server_elsewhere
):
    assert datetime.date.today() != uk_today(), "the server's date is not the UK's"
    case = concerned_audit.case
    due_today, due_yesterday = (
        immediate_responses.raise_response(people["qa"], case, None, values(people["manager"]), uk_today())
        for _ in range(2)
    )
    yesterday = uk_today() - datetime.timedelta(days=1)
    ImmediateResponse.update(due_on=uk_today()).where(ImmediateResponse.id == due_today.id).execute()
    ImmediateResponse.update(due_on=yesterday).where(ImmediateResponse.id == due_yesterday.id).execute()
    assert immediate_responses.escalate_overdue(uk_today()) == 1

    sign_in_client(client, people["manager"])
    assert "Overdue" not in client.get(f"/immediate-responses/{due_today.id}").get_data(as_text=True)
    assert "Overdue" in client.get(f"/immediate-responses/{due_yesterday.id}").get_data(as_text=True)
    assert "1 Immediate Response overdue" in client.get("/").get_data(as_text=True)
    sign_in_client(client, people["qa"])
    case_page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert len(re.findall(r">\s*Overdue\s*<", case_page)) == 1


def test_escalating_reads_as_much_for_many_overdue_as_for_one(app, people, make_case, make_team, auditor):
    def raise_overdue(team):
        case = make_case(team=team)
        immediate_responses.raise_response(people["qa"], case, None, values(people["manager"]), uk_today())

    def reads_escalating():
        statements = statements_run(
            lambda: immediate_responses.escalate_overdue(uk_today() + datetime.timedelta(days=9))
        )
        return [sql for sql, _ in statements if sql.lstrip().upper().startswith("SELECT")]

    raise_overdue(people["team"])
    one = reads_escalating()
    no_head = make_team(manager=people["manager"])
    for team in (people["team"], people["team"], no_head, no_head):
        raise_overdue(team)
    assert len(reads_escalating()) == len(one)
    overdue = Notice.subject.startswith("Immediate Response overdue")
    assert Notice.select().where(overdue & (Notice.recipient == people["head"])).count() == 3
    assert Notice.select().where(overdue & (Notice.recipient == people["qa"])).count() == 2, "where no head is set"


def test_the_other_reason_opens_under_its_answer_and_who_was_told_is_one_named_group(client, concerned_audit, get_page):
    page = parsed(get_page(f"/audits/{concerned_audit.id}/immediate-responses/new"))
    assert revealed_under(page, "trigger", "other") == ["trigger_other"], "only under 'Another reason'"
    assert revealed_under(page, "trigger", "safeguarding") is None
    told = group_named(page, "Who has been told already")
    assert label_texts(told)[:2] == ["Their name", "Their role"], "whose name: the legend and the label say"
    assert {field.get("name") for field in told.iter("input")} == {"told_name", "told_role", "told_how", "told_on"}


def test_once_one_is_raised_the_audit_says_so_rather_than_that_one_is_needed(client, concerned_audit, people, get_page):
    url = f"/audits/{concerned_audit.id}"
    assert "An Immediate Response is needed" in get_page(url).get_data(as_text=True)
    client.post(f"{url}/immediate-responses/new", data=raise_form(people["manager"]))
    raised = ImmediateResponse.get()
    page = get_page(url).get_data(as_text=True)
    assert "An Immediate Response is needed" not in page and "Raise it now" not in page
    assert "Raise an Immediate Response" not in page, "it is not offered again; another may still be raised"
    link = (
        f'<a class="govuk-link" href="/immediate-responses/{raised.id}">Immediate Response raised on {uk_today().day} '
    )
    assert link in page
    assert re.search(r"</a>\s*<strong class=\"govuk-tag govuk-tag--orange\">\s*Raised\s*</strong>", page)


def text(element):
    return " ".join("".join(element.itertext()).split())


def heading(response):
    return text(parsed(response).find(".//h1"))


def summary_value(response, key):
    """What a page's summary list says beside `key`."""
    for row in parsed(response).iter("div"):
        if "govuk-summary-list__row" in (row.get("class") or "") and text(row.find("dt")) == key:
            return text(row.find("dd"))
    raise AssertionError(f"no {key!r} in the summary list")


def test_the_forms_to_acknowledge_and_close_repeat_what_was_found_what_must_happen_and_by_when(
    client, concerned_audit, people, auditor, get_page
):
    raised = immediate_responses.raise_response(
        auditor, concerned_audit.case, concerned_audit, values(people["manager"], urgency="today"), uk_today()
    )
    reference = concerned_audit.case.reference
    sign_in_client(client, people["manager"])
    form = get_page(f"/immediate-responses/{raised.id}/acknowledge")
    assert heading(form) == f"Acknowledge the Immediate Response on case {reference}"
    page = form.get_data(as_text=True)
    assert raise_form(people["manager"])["found"] in page and "A strategy discussion today, and the child" in page
    assert summary_value(form, "To be acknowledged by") == f"{long_date(uk_today())} Due today"
    ack = {"version": "1", "response": "Seen: the school is right.", "action_taking": "A visit at 4pm today."}
    client.post(f"/immediate-responses/{raised.id}/acknowledge", data=ack)

    sign_in_client(client, people["qa"])
    form = get_page(f"/immediate-responses/{raised.id}/close")
    assert heading(form) == f"Close the Immediate Response on case {reference}"
    page = form.get_data(as_text=True)
    for said in (raise_form(people["manager"])["found"], "A strategy discussion today", "A visit at 4pm today."):
        assert said in page
    assert summary_value(form, "To be acknowledged by") == long_date(uk_today()), "met: no longer due"


def test_every_page_of_one_names_its_case(client, concerned_audit, people, auditor, get_page, make_case):
    reference = concerned_audit.case.reference
    raised = immediate_responses.raise_response(
        auditor, concerned_audit.case, concerned_audit, values(people["manager"]), uk_today()
    )
    pages = {
        f"/audits/{concerned_audit.id}/immediate-responses/new": f"Raise an Immediate Response on case {reference}",
        f"/immediate-responses/{raised.id}": f"Immediate Response on case {reference}",
    }
    for url, title in pages.items():
        assert heading(get_page(url)) == title
    sign_in_client(client, people["qa"])
    other = make_case(team=people["team"])
    pages = {
        f"/cases/{other.id}/immediate-responses/new": f"Raise an Immediate Response on case {other.reference}",
        f"/immediate-responses/{raised.id}/acknowledge": f"Acknowledge the Immediate Response on case {reference}",
        f"/immediate-responses/{raised.id}/close": f"Close the Immediate Response on case {reference}",
    }
    for url, title in pages.items():
        assert heading(get_page(url)) == title, "the title starts with the heading (tests/pages.py)"


def rows_of(response):
    """Each row of a page's table, as the text of its cells."""
    return [
        [text(cell) for cell in row.iter("td")] for row in parsed(response).iter("tr") if row.find("td") is not None
    ]


def test_the_list_puts_what_needs_attention_first_and_says_what_is_due_and_escalated(
    client, people, make_case, get_page
):
    qa, manager = people["qa"], people["manager"]
    sign_in_client(client, qa)

    def raised(reference, urgency, days_ago=0):
        case = make_case(team=people["team"], reference=reference)
        on = uk_today() - datetime.timedelta(days=days_ago)
        return immediate_responses.raise_response(qa, case, None, values(manager, urgency=urgency), on)

    closed = raised("CLOSED-1", "5-days", days_ago=20)
    immediate_responses.acknowledge(manager, closed, 1, {"response": "Seen", "action_taking": "Visit"})
    immediate_responses.close(qa, closed, 2, {"outcome": "Safe"})
    acknowledged = raised("ACKNOWLEDGED-1", "5-days", days_ago=10)
    immediate_responses.acknowledge(manager, acknowledged, 1, {"response": "Seen", "action_taking": "Visit"})
    overdue = raised("OVERDUE-1", "1-day", days_ago=9)
    immediate_responses.escalate_overdue(uk_today())
    raised("LATER-1", "5-days")
    raised("TODAY-1", "today")

    page = get_page("/immediate-responses")
    references = [text(link) for link in parsed(page).iterfind(".//tbody/tr/td[1]/a")]
    assert references == ["OVERDUE-1", "TODAY-1", "LATER-1", "ACKNOWLEDGED-1", "CLOSED-1"]
    rows = rows_of(page)
    day = immediate_responses.long_date
    assert rows[0][1:4] == ["Raised Escalated", f"{day(overdue.due_on)} Overdue", "Within 1 working day"]
    assert rows[1][1:4] == ["Raised", f"{day(uk_today())} Due today", "Today"]
    assert rows[2][2] == day(immediate_responses.deadline(uk_today(), "5-days")), "neither due today nor overdue"
    assert rows[3][2] == f"Acknowledged {day(uk_today())}"
    assert rows[4][1:3] == ["Closed", f"Closed {day(uk_today())}"], "when it was closed, not a deadline"


def test_a_notice_opened_after_it_was_acknowledged_and_closed_says_so_under_its_own_words(
    client, concerned_audit, people, auditor
):
    manager, qa = people["manager"], people["qa"]
    raised = immediate_responses.raise_response(
        auditor, concerned_audit.case, concerned_audit, values(manager), uk_today()
    )
    notice = Notice.get(Notice.recipient == manager)
    Notice.update(created_at=notice.created_at - datetime.timedelta(minutes=1)).where(Notice.id == notice.id).execute()
    sign_in_client(client, manager)
    assert "has since been" not in client.get(f"/notices/{notice.id}").get_data(as_text=True)

    immediate_responses.acknowledge(manager, raised, 1, {"response": "Seen", "action_taking": "Visit"})
    page = " ".join(client.get(f"/notices/{notice.id}").get_data(as_text=True).split())
    assert f"has since been acknowledged, on {long_date(uk_today())}, by {manager.name}." in page
    immediate_responses.close(qa, ImmediateResponse.get_by_id(raised.id), 2, {"outcome": "Safe"})
    page = " ".join(client.get(f"/notices/{notice.id}").get_data(as_text=True).split())
    assert f"It must be acknowledged today, by {long_date(uk_today())}." in page, "what it said when sent"
    assert f"This Immediate Response has since been closed, on {long_date(uk_today())}." in page

    sign_in_client(client, auditor)
    closing = Notice.get((Notice.recipient == auditor) & Notice.subject.startswith("Immediate Response closed"))
    assert "has since been" not in client.get(f"/notices/{closing.id}").get_data(as_text=True), "it says so itself"
