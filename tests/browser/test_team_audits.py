"""The practitioner reads the audit of their case and records their reflection, in Chromium with JavaScript on and
off, after an empty save; the auditor then reads it on the audit."""

import pytest
from playwright.sync_api import expect

from models import Audit, AuditTemplate, DomainJudgement, Team, User
from tests.browser.conftest import assert_accessible
from tests.browser.support import submitted_audit


@pytest.fixture
def their_audit(live_server, request):
    """A submitted audit of a case allocated to the browser practitioner account, by the browser auditor."""
    tag = request.node.callspec.id
    practitioner = User.by_email(live_server.accounts["practitioner"])
    audit = submitted_audit(live_server, f"PR-{tag.upper()}", Team.get(), worker=practitioner)
    Audit.update(
        overall_grade="requires-improvement",
        overall_rationale="Visits happen, but the record does not say what changed for the child.",
    ).where(Audit.id == audit.id).execute()
    DomainJudgement.insert_many(
        [
            {"audit": audit.id, "domain": domain, "grade": "requires-improvement", "evidence": "Visits are regular",
             "so_what": "We cannot tell whether the child is safer"}
            for domain in AuditTemplate.current().ordered_domains
        ]
    ).execute()  # fmt: skip
    return audit


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_the_practitioner_reflects_and_the_auditor_reads_it(open_page, their_audit, javascript):
    reference = their_audit.case.reference
    page = open_page("practitioner", scripts_blocked=not javascript)
    page.goto("/team-audits")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Audit of case {reference}")
    expect(page.locator("main")).to_contain_text("We cannot tell whether the child is safer")
    assert_accessible(page, "the audit of their case")
    page.get_by_role("button", name="Record your reflection").click()
    page.get_by_role("button", name="Save your reflection").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you take from the audit")
    assert_accessible(page, "a reflection left empty")
    page.get_by_label("What you take from the audit").fill("To write what changed for the child after each visit.")
    page.get_by_role("button", name="Save your reflection").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Reflection saved")
    expect(page.locator("#reflection")).to_contain_text("To write what changed for the child after each visit.")

    page = open_page("auditor", scripts_blocked=not javascript)
    page.goto(f"/audits/{their_audit.id}#reflection")
    expect(page.locator("#reflection")).to_contain_text("To write what changed for the child after each visit.")
    assert_accessible(page, "the audit with the practitioner's reflection")
