"""Changing an audit's allocation: giving it to another auditor, cancelling it, and a later due date asked for."""

import datetime

import pytest

from models import AllocationChange, Audit, Event, Notice
from services import planning
from tests.conftest import date_parts, sign_in_client


@pytest.fixture
def qa(make_user):
    return make_user(roles=("qa-officer",), name="Quinn QA")


def test_a_qa_officer_gives_an_audit_to_another_auditor_and_both_are_told(client, qa, make_audit, make_user):
    audit = make_audit(about_child="Typed by the first auditor")
    old = audit.auditor
    new = make_user(name="Nia New")
    sign_in_client(client, qa)
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Give the audit to another auditor" in page and "Ask for a later due date" not in page
    data = {"version": str(audit.version), "auditor": str(new.id), "reason": "Long-term leave"}
    response = client.post(f"/audits/{audit.id}/give-to-another", data=data)
    assert response.status_code == 303 and response.location.endswith(f"/audits/{audit.id}")
    audit = Audit.get_by_id(audit.id)
    assert audit.auditor_id == new.id and audit.about_child == "Typed by the first auditor"
    told = {notice.recipient_id: notice for notice in Notice.select()}
    assert set(told) == {old.id, new.id} and "Long-term leave" in told[new.id].body
    assert "given to Nia New" in told[old.id].body
    change = AllocationChange.get()
    assert (change.kind, change.from_auditor_id, change.to_auditor_id) == ("reallocated", old.id, new.id)
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Changes to the allocation (1)" in page and "Reason: Long-term leave" in page
    # The same auditor again is refused beside the field.
    data = {"version": str(audit.version), "auditor": str(new.id), "reason": "Again"}
    body = client.post(f"/audits/{audit.id}/give-to-another", data=data).get_data(as_text=True)
    assert "The audit is Nia New&#39;s already" in body and AllocationChange.select().count() == 1


def test_an_audit_cannot_go_to_someone_of_the_case_s_team(client, qa, make_audit, make_user):
    audit = make_audit()
    same_team = make_user(name="Tess Team", team=audit.case.team)
    sign_in_client(client, qa)
    data = {"version": str(audit.version), "auditor": str(same_team.id), "reason": "Cover"}
    body = client.post(f"/audits/{audit.id}/give-to-another", data=data).get_data(as_text=True)
    assert "Tess Team works in" in body and Audit.get_by_id(audit.id).auditor_id == audit.auditor_id


def test_a_cancelled_audit_is_closed_and_its_case_can_be_drawn_again(client, qa, make_audit):
    audit = make_audit()
    assert audit.case_id not in {c.case_id for c in planning.candidates() if not c.has_open_audit}
    sign_in_client(client, qa)
    empty = client.post(f"/audits/{audit.id}/cancel", data={"version": str(audit.version), "reason": ""})
    assert "Enter the reason" in empty.get_data(as_text=True)
    data = {"version": str(audit.version), "reason": "The case moved to another council"}
    assert client.post(f"/audits/{audit.id}/cancel", data=data).status_code == 303
    audit = Audit.get_by_id(audit.id)
    assert audit.status == "cancelled" and Audit.open_for_case(audit.case) is None
    (candidate,) = [c for c in planning.candidates() if c.case_id == audit.case_id]
    assert not candidate.has_open_audit and candidate.last_allocated_on is None
    assert Notice.get().recipient_id == audit.auditor_id
    assert client.get(f"/audits/{audit.id}/cancel").status_code == 403
    # Its auditor can no longer change it.
    sign_in_client(client, audit.auditor)
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "This audit has been cancelled" in page and 'id="audit-form"' not in page


def test_an_auditor_asks_for_a_later_date_and_a_qa_officer_agrees(client, qa, make_audit):
    audit = make_audit()
    sign_in_client(client, audit.auditor)
    wanted = audit.due_on + datetime.timedelta(days=14)
    too_soon = client.post(
        f"/audits/{audit.id}/later-due-date", data={"due_after": date_parts(audit.due_on), "reason": "Leave"}
    ).get_data(as_text=True)
    assert "The new due date must be after" in too_soon and not AllocationChange.select().exists()
    data = {"due_after": date_parts(wanted), "reason": "Two weeks of leave"}
    assert client.post(f"/audits/{audit.id}/later-due-date", data=data).status_code == 303
    change = AllocationChange.get()
    assert Notice.get().recipient_id == qa.id and Notice.get().link == f"/deferments/{change.id}"
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "waiting for a QA officer" in page and "Ask for a later due date</a>" not in page

    sign_in_client(client, qa)
    home = client.get("/").get_data(as_text=True)
    assert "1 later due date asked for</a>, to agree or refuse" in home
    listed = client.get("/deferments").get_data(as_text=True)
    assert audit.case.reference in listed and f"/deferments/{change.id}" in listed
    page = client.get(f"/deferments/{change.id}").get_data(as_text=True)
    assert "Two weeks of leave" in page
    refused = client.post(f"/deferments/{change.id}", data={"version": "1", "decision": "refuse"})
    assert "Enter the reason for refusing" in refused.get_data(as_text=True)
    response = client.post(f"/deferments/{change.id}", data={"version": "1", "decision": "agree"})
    assert response.status_code == 303
    assert Audit.get_by_id(audit.id).due_on == wanted
    assert AllocationChange.get().status == "agreed"
    told = Notice.select().where(Notice.recipient == audit.auditor).get()
    assert "now due by" in told.body
    assert Event.select().where(Event.record_type == "AllocationChange").count() == 2
    # A second decision changes nothing.
    again = client.get(f"/deferments/{change.id}").get_data(as_text=True)
    assert "Later due date agreed" in again


def test_only_the_audit_s_auditor_may_ask_for_a_later_date(client, make_audit, login_as):
    audit = make_audit()
    login_as("auditor")
    assert client.get(f"/audits/{audit.id}/later-due-date").status_code == 403
