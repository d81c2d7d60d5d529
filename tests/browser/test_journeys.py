"""The main journeys in Chromium, with JavaScript on and with it off: both reach the same end state."""

import pytest
from playwright.sync_api import expect

from services.dates import uk_today
from services.working_days import add_working_days
from tests.browser.conftest import sign_in


def choose(page, label, text):
    """Choose the option of the labelled list whose text starts with `text`."""
    select = page.get_by_label(label, exact=True)
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_qa_officer_sets_up_a_case_and_allocates_an_audit_the_auditor_then_sees(open_page, javascript):
    tag = "On" if javascript else "Off"
    page = open_page("qa-officer", javascript=javascript)

    page.goto("/admin/teams")
    page.get_by_role("button", name="Add a team").click()
    page.get_by_label("Team name").fill(f"Journey Team {tag}")
    choose(page, "Service area", "Children Looked After")
    page.get_by_role("button", name="Save team").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Team added")

    page.goto("/admin/users/new")
    page.get_by_label("Full name").fill(f"Journey Auditor {tag}")
    page.get_by_label("Email address").fill(f"journey.{tag.lower()}@example.gov.uk")
    choose(page, "Job role", "Service Delivery Manager")
    choose(page, "Team", f"Journey Team {tag}")
    page.get_by_label("Auditor").check()
    page.get_by_role("textbox", name="Password").fill("journey test password")
    page.get_by_role("button", name="Save user").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("User added")

    page.goto("/cases/new")
    page.get_by_label("Case reference").fill(f"JOURNEY-{tag.upper()}")
    page.get_by_label("Child's initials").fill("JT")
    page.get_by_label("Year of birth").fill("2016")
    choose(page, "Team", "Front Door Team")
    page.get_by_label("Allocated worker").fill("Sam Worker")
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year", exact=True).fill("2025")
    page.get_by_label("Neglect").check()
    page.get_by_role("button", name="Save case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case JOURNEY-{tag.upper()}")

    page.get_by_role("button", name="Allocate an audit").click()
    choose(page, "Auditor", f"Journey Auditor {tag}")
    due = add_working_days(uk_today(), 20)
    assert page.get_by_label("Day").input_value() == f"{due:%d}"
    page.get_by_role("button", name="Allocate audit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("allocated")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    sign_in(page, f"journey.{tag.lower()}@example.gov.uk", "journey test password")
    page.get_by_role("link", name="My audits").first.click()
    row = page.locator("tr", has_text=f"JOURNEY-{tag.upper()}")
    expect(row).to_contain_text(f"{due.day} {due:%B %Y}")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_an_auditor_from_the_cases_own_team_is_refused_in_the_browser(open_page, javascript):
    page = open_page("qa-officer", javascript=javascript)
    page.goto("/cases?q=DEMO-0003")
    page.get_by_role("link", name="DEMO-0003").click()
    team = page.locator(".govuk-summary-list__row", has_text="Team").last.locator("dd").inner_text().strip()
    page.get_by_role("button", name="Allocate an audit").click()
    colleague = page.locator("#auditor option", has_text=team).first
    page.select_option("#auditor", colleague.get_attribute("value"))
    page.get_by_role("button", name="Allocate audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("the team that holds this case")
    expect(page.locator("#auditor-error")).to_contain_text("Choose an auditor from another team")
