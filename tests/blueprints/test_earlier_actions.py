"""The next audit of a case checks the last ones' actions, through the test client: shown with where each has got
to, followed up (achieved, and what difference it made) before the audit can be submitted, and in its Word record."""

import datetime
import io

import pytest
from docx import Document

from models import Action, ActionFollowUp, Audit
from services import team_actions
from tests.blueprints.test_audit_page import audit_form
from tests.pages import parsed

WHAT = "Visit the child at school and record their own words about home, then update the plan with them"


@pytest.fixture
def earlier_action(audit, make_audit, make_user):
    """An action of an earlier audit of the signed-in auditor's case, sent to the team and since done."""
    earlier = make_audit(case=audit.case, status="submitted", submitted_at=datetime.datetime(2026, 3, 2, 16))
    action = Action.create(
        audit=earlier, what=WHAT, owner_name="Sam", owner_role="Social Worker", due_on=datetime.date(2026, 4, 1),
        done_when="The plan quotes the child",
    )  # fmt: skip
    team_actions.send_to_team(earlier.auditor, earlier, "audit", team_actions.DEFAULT_RULES, datetime.date(2026, 3, 2))
    return action


def test_the_next_audit_shows_the_earlier_action_and_needs_its_follow_up_before_submitting(
    client, audit, earlier_action, get_page
):
    page = get_page(f"/audits/{audit.id}")
    section = parsed(page).find(".//section[@id='earlier-actions']")
    assert section is not None and WHAT in "".join(section.itertext()) and "Open" in "".join(section.itertext())
    client.post(f"/audits/{audit.id}", data=audit_form(audit))
    refused = client.post(f"/audits/{audit.id}", data=audit_form(Audit.get_by_id(audit.id), submit_audit="y"))
    body = refused.get_data(as_text=True)
    assert "Record whether each action from an earlier audit of the case was achieved" in body
    assert 'href="#earlier-actions"' in body and Audit.get_by_id(audit.id).status != "submitted"

    url = f"/audits/{audit.id}/earlier-actions/{earlier_action.id}"
    for data, message in [
        ({"difference": "Seen"}, "Select whether the action was achieved"),
        ({"achieved": "partly", "difference": " "}, "Enter what difference it made to the child"),
        ({"achieved": "maybe", "difference": "Seen"}, "Select whether the action was achieved"),
    ]:
        assert message in client.post(url, data=data).get_data(as_text=True)
    assert not ActionFollowUp.select().exists()
    said = "The plan now quotes her; she says home is calmer since the visits."
    assert client.post(url, data={"achieved": "yes", "difference": said}).status_code == 303
    assert said in get_page(f"/audits/{audit.id}").get_data(as_text=True)

    saved = Audit.get_by_id(audit.id)
    assert client.post(f"/audits/{audit.id}", data=audit_form(saved, submit_audit="y")).status_code == 303
    assert Audit.get_by_id(audit.id).status == "submitted"
    record = Document(io.BytesIO(client.get(f"/audits/{audit.id}/record.docx").data))
    table = record.tables[-1]
    assert [cell.text for cell in table.rows[0].cells][0] == "From the audit of"
    assert [cell.text for cell in table.rows[1].cells][1:] == [WHAT, "Achieved", said]
    # From a page opened before the audit was submitted: refused beside what was typed, nothing changed.
    late = client.post(url, data={"version": "1", "achieved": "no", "difference": "Typed late"}).get_data(as_text=True)
    assert "can no longer be changed" in late and "Typed late" in late
    assert ActionFollowUp.get().achieved == "yes"


def test_only_the_auditor_follows_up_and_only_their_case_s_earlier_actions(
    client, audit, earlier_action, make_audit, login_as
):
    other_case_audit = make_audit(auditor=audit.auditor)
    url = f"/audits/{other_case_audit.id}/earlier-actions/{earlier_action.id}"
    assert client.get(url).status_code == 404, "an action of another case's audit"
    login_as("auditor")
    assert client.get(f"/audits/{audit.id}/earlier-actions/{earlier_action.id}").status_code == 403
