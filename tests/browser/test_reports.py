"""A QA officer writes the report to the senior leadership team and downloads it, in Chromium with JavaScript on
(saved as they type) and off (saved with the button); the Word file holds what they typed under its heading."""

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_qa_officer_writes_the_findings_and_downloads_the_report(open_page, javascript):
    page = open_page("qa-officer", scripts_blocked=not javascript)
    page.goto("/")
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name="Write the report for").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report to the senior leadership team: ")
    findings = f"Chronologies improved after the focus month ({'with' if javascript else 'without'} JavaScript)."
    page.get_by_label("Your text for findings").fill(findings)
    if javascript:
        expect(page.locator("#save-status")).to_contain_text("Saved at")
    else:
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Report saved")
    assert_accessible(page, "the report being written")
    page.reload()
    expect(page.get_by_label("Your text for findings")).to_have_value(findings)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (Word)").click()
    paragraphs = [(p.style.name, p.text) for p in Document(str(download.value.path())).paragraphs]
    at = paragraphs.index(("Heading 1", "5. Findings"))
    assert paragraphs[at + 1] == ("Normal", findings)
