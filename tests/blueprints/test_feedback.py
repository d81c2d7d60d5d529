"""Feedback from the IRO or CP chair, through the test client with no JavaScript."""

import datetime
import io
import time

import pytest
from docx import Document

from models import Audit, Draft, Event, IroFeedback
from tests.conftest import PASSWORD, date_parts, sign_in_client

TODAY = datetime.date.today()


def iro_form(**changes):
    return {
        "name": "Jo Reviewer",
        "role": "iro",
        "given_on": date_parts(TODAY - datetime.timedelta(days=3)),
        "plan_progress": "The plan is on track, but the contingency is missing.",
        "grades_view": "Agrees with every grade but Assessment, which she would call Good.",
    } | changes


def test_the_auditor_records_the_iros_feedback_and_it_shows_on_the_audit_and_in_the_record(client, audit, get_page):
    form = get_page(f"/audits/{audit.id}/feedback/iro/new").get_data(as_text=True)
    assert "Feedback from the IRO or CP chair" in form and "Their view of the plan&#39;s progress" in form
    response = client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form())
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/audits/{audit.id}#feedback")
    saved = IroFeedback.get()
    assert (saved.name, saved.role, saved.after_submission) == ("Jo Reviewer", "iro", False)
    assert Event.get((Event.record_type == "IroFeedback") & (Event.record_id == saved.id)).action == "created"
    page = get_page(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Jo Reviewer, Independent Reviewing Officer (IRO)" in page and "the contingency is missing" in page
    document = Document(io.BytesIO(client.get(f"/audits/{audit.id}/record.docx").data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Jo Reviewer, Independent Reviewing Officer (IRO)" in texts
    assert "The plan is on track, but the contingency is missing." in texts


def test_changing_it_is_refused_if_someone_saved_it_meanwhile(client, audit):
    client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form())
    saved = IroFeedback.get()
    url = f"/audits/{audit.id}/feedback/iro/{saved.id}/edit"
    assert client.post(url, data=iro_form(version="1", name="Jo Reviewer-Smith")).status_code == 303
    body = client.post(url, data=iro_form(version="1", plan_progress="Older text")).get_data(as_text=True)
    assert "Someone else changed this record" in body
    kept = IroFeedback.get_by_id(saved.id)
    assert (kept.name, kept.version) == ("Jo Reviewer-Smith", 2) and kept.plan_progress.startswith("The plan")


def test_feedback_can_be_added_after_the_audit_is_submitted_and_says_so(client, audit):
    Audit.update(status="submitted", submitted_at=datetime.datetime.now()).where(Audit.id == audit.id).execute()
    assert client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form(role="cp-chair")).status_code == 303
    assert IroFeedback.get().after_submission
    before = IroFeedback.create(
        audit=audit, recorded_by=audit.auditor, name="Sam Chair", role="cp-chair", given_on=TODAY, plan_progress="x"
    )
    changed = iro_form(version="1", name="Sam Chair", role="cp-chair", plan_progress="Changed later")
    assert client.post(f"/audits/{audit.id}/feedback/iro/{before.id}/edit", data=changed).status_code == 303
    assert IroFeedback.get_by_id(before.id).after_submission, "changed after submission, it says so"
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Child Protection (CP) chair" in page and "(recorded or changed after the audit was submitted)" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "Enter the name of the IRO or CP chair"),
        ({"name": "x" * 101}, "Their name must be 100 characters or fewer"),
        ({"role": ""}, "Select whether they are the child&#39;s IRO or CP chair"),
        ({"role": "social-worker"}, "Select whether they are the child&#39;s IRO or CP chair"),
        ({"given_on": ["", "", ""]}, "Enter the date they gave their feedback"),
        ({"given_on": ["31", "2", "2026"]}, "When they gave it must be a real date"),
        (
            {"given_on": date_parts(TODAY + datetime.timedelta(days=1))},
            "When they gave it must be today or in the past",
        ),
        ({"plan_progress": " ", "grades_view": ""}, "Enter their view of the plan&#39;s progress, or of the grades"),
        ({"grades_view": "x" * 20_001}, "Their view of the grades must be 20,000 characters or fewer"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(client, audit, changes, message):
    response = client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form(**changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert IroFeedback.select().count() == 0


def test_what_is_typed_is_shown_as_text_never_as_markup(client, audit):
    client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form(name="<script>alert(1)</script>"))
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_only_the_audits_auditor_records_its_feedback(client, audit, make_audit, make_user):
    client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form())
    mine = IroFeedback.get()
    theirs = make_audit(auditor=make_user(roles=("auditor",)))
    assert client.get(f"/audits/{theirs.id}/feedback/iro/new").status_code == 403
    assert client.post(f"/audits/{theirs.id}/feedback/iro/new", data=iro_form()).status_code == 403
    assert client.get(f"/audits/{theirs.id}/feedback/iro/{mine.id}/edit").status_code == 403
    assert client.get(f"/audits/{audit.id}/feedback/iro/{mine.id + 1000}/edit").status_code == 404
    sign_in_client(client, make_user(roles=("qa-officer",)))
    assert client.get(f"/audits/{audit.id}/feedback/iro/new").status_code == 403
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Jo Reviewer" in page and "Add feedback from the IRO or CP chair" not in page
    assert IroFeedback.select().count() == 1


@pytest.mark.parametrize("submitted", [False, True])
def test_feedback_typed_after_the_session_timed_out_is_kept_and_put_back(client, audit, auditor, submitted):
    """Also once the audit is submitted: feedback often comes late."""
    if submitted:
        Audit.update(status="submitted", submitted_at=datetime.datetime.now()).where(Audit.id == audit.id).execute()
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    typed = iro_form(plan_progress="Typed while the session was timing out: the plan has stalled since June.")
    url = f"/audits/{audit.id}/feedback/iro/new"
    response = client.post(url, data=typed, headers={"Referer": f"http://localhost{url}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next={url}"
    client.post("/sign-in", data={"email": auditor.email, "password": PASSWORD})
    assert "the plan has stalled since June" in client.get(url).get_data(as_text=True)
    assert client.post(url, data=typed).status_code == 303
    assert Draft.select().count() == 0 and IroFeedback.select().count() == 1
