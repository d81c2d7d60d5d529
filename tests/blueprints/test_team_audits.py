"""The audit reaches the practitioner, through the test client with no JavaScript: told when an audit of their case
is submitted, reading it (never another's, never before it is submitted, never the moderation's working), recording
their reflection, which the auditor and team manager read and the audit record holds; and cases linked to accounts."""

import datetime
import io

import pytest
from docx import Document

from models import Audit, Case, Draft, Moderation, ModerationDraw, Notice, Reflection, User
from services import accounts, team_audits
from services.dates import uk_today
from tests.blueprints.test_audit_page import audit_form
from tests.conftest import PASSWORD, sign_in_client, time_out
from tests.pages import parsed

TAKES = "I will write the words of the child into every visit record, not just a summary."


@pytest.fixture
def practitioner(make_user):
    return make_user(roles=("practitioner",), name="Pat Practitioner", email="pat.practitioner@example.gov.uk")


@pytest.fixture
def their_audit(make_sent_action, practitioner):
    """A submitted audit, with a sent action, of a case allocated to the practitioner."""
    action = make_sent_action()
    Case.update(worker=practitioner).where(Case.id == action.audit.case_id).execute()
    return team_audits.detailed().where(Audit.id == action.audit_id).get()


def test_submitting_an_audit_tells_the_practitioner_who_reads_it(client, audit, practitioner, get_page):
    Case.update(worker=practitioner).where(Case.id == audit.case_id).execute()
    client.post(f"/audits/{audit.id}", data=audit_form(audit))
    sign_in_client(client, practitioner)
    assert client.get(f"/team-audits/{audit.id}").status_code == 403, "not before it is submitted"
    sign_in_client(client, audit.auditor)
    saved = Audit.get_by_id(audit.id)
    client.post(f"/audits/{audit.id}", data=audit_form(saved, submit_audit="y"))
    notice = Notice.get(Notice.recipient == practitioner)
    assert notice.subject == f"Audit of your case {audit.case.reference} submitted"
    assert notice.link == f"/team-audits/{audit.id}" and "record your reflection" in notice.body

    sign_in_client(client, practitioner)
    assert "1 audit of your cases to read and reflect on" in get_page("/").get_data(as_text=True)
    listed = get_page("/team-audits")
    assert [a.text for a in parsed(listed).iterfind(".//tbody//a")] == [audit.case.reference]
    page = get_page(f"/team-audits/{audit.id}").get_data(as_text=True)
    assert "Evidence for Assessment" in page and "So what for Assessment" in page
    assert "Record your reflection" in page


def test_the_practitioner_reads_the_moderation_s_outcome_but_not_its_working(
    client, their_audit, practitioner, make_user, get_page
):
    moderator = make_user(roles=("moderator",))
    draw = ModerationDraw.create(
        month=uk_today().replace(day=1), round=1, seed=1, rule_version=1, percentage=30,
        population="[]", drawn_by=moderator, due_on=uk_today(),
    )  # fmt: skip
    Moderation.create(
        audit=their_audit, draw=draw, chosen_because="random", moderator=moderator, auditor_grade="good",
        agrees=False, grade="requires-improvement", overall_reason="Working: the child's voice is missing.",
        message="Private to the auditor: quote the child.", status="submitted",
        submitted_at=datetime.datetime.now(), due_on=draw.due_on,
    )  # fmt: skip
    Audit.update(status="moderated", overall_grade="good").where(Audit.id == their_audit.id).execute()
    sign_in_client(client, practitioner)
    page = get_page(f"/team-audits/{their_audit.id}").get_data(as_text=True)
    assert "Moderation outcome" in page and "Requires Improvement to be Good" in page
    assert "Working: the child" not in page and "Private to the auditor" not in page
    assert get_page(f"/moderations/{Moderation.get().id}", 403)


def test_a_reflection_is_read_by_the_auditor_and_team_manager_and_is_in_the_audit_record(
    client, their_audit, practitioner, get_page
):
    sign_in_client(client, practitioner)
    url = f"/team-audits/{their_audit.id}/reflection"
    response = client.post(url, data={"takes_from": TAKES, "sees_differently": "The school visits were recorded."})
    assert response.status_code == 303 and response.headers["Location"] == f"/team-audits/{their_audit.id}#reflection"
    auditor, manager = their_audit.auditor, their_audit.case.team.manager
    for person, link in (
        (auditor, f"/audits/{their_audit.id}#reflection"),
        (manager, f"/team-audits/{their_audit.id}"),
    ):
        notice = Notice.get((Notice.recipient == person) & Notice.subject.startswith("Reflection on"))
        assert notice.link == link and "Pat Practitioner, the practitioner, recorded their reflection" in notice.body

    sign_in_client(client, auditor)
    assert TAKES in get_page(f"/audits/{their_audit.id}").get_data(as_text=True)
    record = client.get(f"/audits/{their_audit.id}/record.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(record.data)).paragraphs)
    assert "The practitioner's reflection on the audit" in text and TAKES in text
    sign_in_client(client, manager)
    page = get_page(f"/team-audits/{their_audit.id}").get_data(as_text=True)
    assert TAKES in page and "The school visits were recorded." in page
    assert "Record your reflection" not in page and "Change your reflection" not in page
    assert client.get(url).status_code == 403, "only the practitioner records it"


def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(client, their_audit, practitioner):
    sign_in_client(client, practitioner)
    response = client.post(
        f"/team-audits/{their_audit.id}/reflection", data={"takes_from": " ", "sees_differently": "x"}
    )
    error = parsed(response).find(".//p[@id='takes_from-error']")
    assert error is not None and "Enter what you take from the audit" in "".join(error.itertext())
    assert not Reflection.select().exists()


def test_of_two_tabs_the_second_is_refused_and_sees_both_texts(client, their_audit, practitioner):
    sign_in_client(client, practitioner)
    url = f"/team-audits/{their_audit.id}/reflection"
    client.post(url, data={"takes_from": TAKES})
    client.post(url, data={"version": "1", "takes_from": "Saved in the first tab."})
    page = client.post(url, data={"version": "1", "takes_from": "Typed in the second tab."}).get_data(as_text=True)
    assert "Someone else changed this record" in page
    assert "Saved in the first tab." in page and "Typed in the second tab." in page
    assert Reflection.get().takes_from == "Saved in the first tab."


def test_text_typed_after_the_session_timed_out_is_kept_and_put_back(client, their_audit, practitioner):
    sign_in_client(client, practitioner)
    time_out(client)
    url = f"/team-audits/{their_audit.id}/reflection"
    typed = {"takes_from": "Typed while timing out: the child's words, every visit."}
    response = client.post(url, data=typed, headers={"Referer": f"http://localhost{url}"})
    assert response.headers["Location"] == f"/sign-in?next={url}"
    client.post("/sign-in", data={"email": practitioner.email, "password": PASSWORD})
    assert "the child&#39;s words, every visit" in client.get(url).get_data(as_text=True)
    assert client.post(url, data=typed).status_code == 303
    assert Draft.select().count() == 0


def test_another_practitioner_reads_nothing_and_keeps_no_draft(client, their_audit, make_user):
    other = make_user(roles=("practitioner",))
    sign_in_client(client, other)
    assert client.get(f"/team-audits/{their_audit.id}").status_code == 403
    assert client.post(f"/team-audits/{their_audit.id}/reflection", data={"takes_from": "x"}).status_code == 403
    time_out(client)
    client.post(f"/team-audits/{their_audit.id}/reflection", data={"takes_from": "Not mine"})
    assert Draft.select().count() == 0 and not Reflection.select().exists()
    sign_in_client(client, other)
    assert not parsed(client.get("/team-audits")).findall(".//tbody/tr")


def test_a_practitioner_s_account_is_linked_to_their_cases_by_email(make_case, make_user, login_as, client):
    case = make_case(worker_email="Robin.Worker@Example.gov.uk")
    qa = make_user(roles=("qa-officer",))
    robin = accounts.create_user(
        qa, ["practitioner"], name="Robin Worker", email="robin.worker@example.gov.uk", job_role="IRO"
    )
    assert Case.get_by_id(case.id).worker_id == robin.id
    # An import changing the worker's email links the case to that account instead, or to none.
    Case.update(worker_email="nobody@example.gov.uk").where(Case.id == case.id).execute()
    team_audits.link_workers([case.id])
    assert Case.get_by_id(case.id).worker_id is None
    # A QA officer chooses the account on the case's page; its email becomes the case's worker email.
    login_as("qa-officer")
    saved = Case.get_by_id(case.id)
    form = {
        "version": str(saved.version), "reference": saved.reference, "initials": saved.initials,
        "birth_year": str(saved.birth_year), "team": str(saved.team_id), "worker_name": "Robin Worker",
        "worker": str(robin.id), "is_open": "y", "opened_on": ["1", "3", "2024"],
    }  # fmt: skip
    assert client.post(f"/cases/{case.id}/edit", data=form).status_code == 303
    assert (Case.get_by_id(case.id).worker_id, Case.get_by_id(case.id).worker_email) == (robin.id, robin.email)
    assert User.get_by_id(robin.id).has_role("practitioner")
