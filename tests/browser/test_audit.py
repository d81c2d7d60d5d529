"""An auditor completes an audit in Chromium, with JavaScript on and off; autosave, inline actions and copying."""

import datetime
import re

import pytest
from docx import Document
from playwright.sync_api import expect

from models import Audit, Case, User
from services import allocation
from services.dates import uk_today
from services.working_days import add_working_days
from tests.browser.conftest import assert_accessible

DOMAINS = [
    "Help, Protection and Stability",
    "Recording and Communication",
    "Assessment",
    "Relationship Based Practice and Direct Work",
    "Multi-Agency Planning, Analysis, Review and Decision Making",
    "The Role of Supervision and Management Oversight",
    "Impact and Overall Outcomes",
]
GRADES = [
    "Good",
    "Requires Improvement to be Good",
    "Good",
    "Outstanding",
    "Good",
    "Requires Improvement to be Good",
    "Good",
]


@pytest.fixture
def fresh_audit(live_server):
    """A new audit of an unaudited case, allocated to the browser auditor."""
    auditor = User.by_email(live_server.accounts["auditor"])
    qa = User.by_email(live_server.accounts["qa-officer"])
    case = (
        Case.select()
        .where(Case.is_open & Case.id.not_in(Audit.select(Audit.case)) & (Case.team != auditor.team))
        .order_by(Case.id.desc())
        .first()
    )
    return allocation.allocate(qa, case, auditor.id, add_working_days(uk_today(), 20), uk_today())


def add_action(page, what, javascript):
    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("What needs to happen").fill(what)
    page.get_by_label("Who will do it: name").fill("Sam Worker")
    page.get_by_label("Who will do it: role").fill("Social Worker")
    due = uk_today() + datetime.timedelta(days=21)
    by_when = page.get_by_role("group", name="By when")
    by_when.get_by_label("Day").fill(str(due.day))
    by_when.get_by_label("Month").fill(str(due.month))
    by_when.get_by_label("Year").fill(str(due.year))
    page.get_by_label("How we will know it is done").fill("It is recorded on the child's file")
    page.get_by_role("button", name="Save action").click()
    if javascript:
        # The list comes back in place and focus moves to its heading.
        expect(page.locator("#actions-heading")).to_be_focused()
    else:
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Action added")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_an_auditor_completes_an_audit_and_takes_away_its_documents(open_page, fresh_audit, javascript):
    page = open_page("auditor", javascript=javascript)
    page.goto("/my-audits")
    page.get_by_role("link", name=fresh_audit.case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Audit of case {fresh_audit.case.reference}")
    assert page.title().startswith(f"Audit of case {fresh_audit.case.reference} – ")

    page.get_by_label("About the child").fill("A nine year old living with her grandmother after care proceedings.")
    for index, grade in enumerate(GRADES):
        page.locator(
            f"#domains-{index}-grade"
            + (
                ""
                if grade == "Outstanding"
                else "-"
                + str(["Outstanding", "Good", "Requires Improvement to be Good", "Inadequate"].index(grade) + 1)
            )
        ).check()
        page.locator(f"#domains-{index}-evidence").fill(f"Evidence {index + 1}: the record shows regular visits.")
        page.locator(f"#domains-{index}-so_what").fill(f"So what {index + 1}: she feels settled and safe at home.")
    discussion = page.get_by_role("group", name="Date of the discussion")
    for part, value in (("Day", "2"), ("Month", "11"), ("Year", "2026")):
        discussion.get_by_label(part).fill(value)
    page.get_by_label("How long it took, in minutes").fill("75")
    page.get_by_role("group", name="Is there an immediate safeguarding concern?").get_by_label("No").check()
    page.get_by_role(
        "group", name="Has the child's case been discussed in supervision in the last 6 months?"
    ).get_by_label("Yes").check()
    page.get_by_role("group", name="Overall judgement").get_by_label("Requires Improvement to be Good").check()
    page.get_by_label("Reasons for the overall judgement").fill("Safe and settled, but the plan has drifted.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Audit saved")

    add_action(
        page, "Update the case summary with the contingency plan and who holds parental responsibility", javascript
    )
    add_action(page, "Arrange a family group meeting with mum and grandmother before the next review", javascript)
    expect(page.locator("#actions .govuk-summary-card")).to_have_count(2)
    # With JavaScript the case-note text is refreshed in place, ready to copy.
    expect(page.locator("#case-note")).to_have_value(re.compile("2. Arrange a family group meeting"))

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the audit record (Word)").click()
    record = Document(str(download.value.path()))
    assert any(p.text == "7. Impact and Overall Outcomes" and p.style.name == "Heading 2" for p in record.paragraphs)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the action plan (Word)").click()
    assert download.value.suggested_filename == f"action-plan-{fresh_audit.case.reference}.docx"

    page.get_by_role("button", name="Submit audit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Audit submitted")
    expect(page.locator("#audit-form")).to_have_count(0)
    assert Audit.get_by_id(fresh_audit.id).status == "submitted"


def test_autosave_keeps_focus_and_says_when_it_saved(open_page, fresh_audit):
    page = open_page("auditor")
    page.goto(f"/audits/{fresh_audit.id}")
    evidence = page.locator("#domains-2-evidence")
    evidence.click()
    evidence.press_sequentially("The assessment was completed on time.", delay=10)
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    expect(evidence).to_be_focused()
    evidence.press_sequentially(" It draws on the school's view.", delay=10)
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.wait_for_timeout(2500)
    assert Audit.get_by_id(fresh_audit.id).judgements()[2].evidence.endswith("school's view.")
    assert_accessible(page, "the audit after autosaves")


def test_a_second_tab_cannot_silently_overwrite_the_first(open_page, fresh_audit):
    first = open_page("auditor")
    second = open_page("auditor")
    for page in (first, second):
        page.goto(f"/audits/{fresh_audit.id}")
    first.get_by_label("Reasons for the overall judgement").fill("From the first tab.")
    expect(first.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    second.get_by_label("Reasons for the overall judgement").fill("From the second tab.")
    expect(second.locator("#save-status")).to_contain_text("Not saved", timeout=10_000)
    expect(second.locator("#conflict")).to_contain_text("From the first tab.")
    expect(second.locator("#conflict")).to_contain_text("From the second tab.")
    assert Audit.get_by_id(fresh_audit.id).overall_rationale == "From the first tab."
    assert_accessible(second, "the audit showing a conflict")
    # Typing on never replaces the other version; one press of Save does, as the page says.
    second.get_by_label("Reasons for the overall judgement").press_sequentially(" Still mine.", delay=10)
    expect(second.locator("#save-status")).to_contain_text("Not saved", timeout=10_000)
    second.wait_for_timeout(2500)
    assert Audit.get_by_id(fresh_audit.id).overall_rationale == "From the first tab."
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.locator(".govuk-notification-banner")).to_contain_text("Audit saved")
    assert Audit.get_by_id(fresh_audit.id).overall_rationale == "From the second tab. Still mine."


def test_an_inline_action_with_a_vague_text_is_challenged_in_place(open_page, fresh_audit):
    page = open_page("auditor")
    page.goto(f"/audits/{fresh_audit.id}")
    page.get_by_role("button", name="Add an action").click()
    expect(page.get_by_label("What needs to happen")).to_be_visible()
    page.get_by_label("What needs to happen").fill("Update genogram")
    page.get_by_role("button", name="Save action").click()
    expect(page.locator(".app-action-form .govuk-error-summary")).to_be_focused()
    expect(page.locator(".app-action-form")).to_contain_text("This action may be too vague to act on")
    assert_accessible(page, "an inline action with errors")


def test_the_copy_button_copies_the_case_note_and_says_so(open_page, fresh_audit, chromium):
    page = open_page("auditor")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/audits/{fresh_audit.id}")
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").startswith(
        f"Case file audit of {fresh_audit.case.reference}"
    )


def test_an_action_is_changed_and_removed_in_place(open_page, fresh_audit, live_server):
    page = open_page("auditor")
    page.goto(f"/audits/{fresh_audit.id}")
    add_action(page, "Arrange a family group meeting with mum and grandmother before the next review", True)
    page.get_by_role("link", name="Change action 1").click()
    expect(page.get_by_role("heading", name="Change the action")).to_be_focused()
    page.get_by_label("Who will do it: name").fill("Kit Keeper")
    page.get_by_role("button", name="Save action").click()
    expect(page.locator("#actions-heading")).to_be_focused()
    expect(page.locator("#actions")).to_contain_text("Action saved")
    expect(page.locator("#actions")).to_contain_text("Kit Keeper")
    assert_accessible(page, "the actions after a change in place")
    page.get_by_role("link", name="Remove action 1").click()
    expect(page.get_by_role("heading", name="Remove this action?")).to_be_focused()
    page.get_by_role("button", name="Yes, remove this action").click()
    expect(page.locator("#actions")).to_contain_text("Action removed")
    expect(page.locator("#actions .govuk-summary-card")).to_have_count(0)
    assert_accessible(page, "the actions after a removal in place")


def test_evidence_typed_over_the_limit_is_counted_and_survives_a_reload(open_page, fresh_audit):
    page = open_page("auditor")
    page.goto(f"/audits/{fresh_audit.id}")
    evidence = page.locator("#domains-2-evidence")
    long_text = "The assessment drew on every agency. " * 676  # 25,012 characters
    evidence.fill(long_text)
    evidence.press("End")
    count = page.locator(".govuk-character-count", has=evidence).locator(".govuk-character-count__status")
    expect(count).to_have_text("You have 5,012 characters too many")
    expect(page.locator("#save-status")).to_contain_text(
        "Not saved: Evidence for Assessment must be 20,000 characters or fewer", timeout=10_000
    )
    page.reload()
    expect(page.locator("#domains-2-evidence")).to_have_value(long_text)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been put back in the form")
    assert_accessible(page, "the audit with text over the limit put back")


def test_a_save_from_a_tab_opened_before_submission_shows_the_text_to_copy(open_page, fresh_audit):
    page = open_page("auditor")
    page.goto(f"/audits/{fresh_audit.id}")
    Audit.update(status="submitted", submitted_at=datetime.datetime.now()).where(Audit.id == fresh_audit.id).execute()
    page.get_by_label("Reasons for the overall judgement").fill("Typed after the audit was submitted elsewhere.")
    expect(page.locator("#save-status")).to_contain_text("Not saved: this audit was submitted", timeout=10_000)
    expect(page.locator("#conflict")).to_contain_text("Typed after the audit was submitted elsewhere.")
    assert_accessible(page, "an old tab of a submitted audit")
