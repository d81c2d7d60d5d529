"""A senior leader reads the dashboard, narrows it to one service area and follows a figure to the audits behind it,
in Chromium with JavaScript on and off."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_senior_leader_narrows_the_dashboard_to_a_service_area_and_opens_the_audits_behind_a_bar(
    open_page, javascript
):
    page = open_page("senior-leader", scripts_blocked=not javascript)
    page.goto("/")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard, ")
    for chart in ("Audits by the month they were allocated", "Final grades by domain", "Overall judgements over time"):
        expect(page.get_by_role("img", name=chart)).to_be_visible()
        expect(page.get_by_role("region", name=f"{chart} (table)")).to_be_visible()
    area = page.get_by_label("Service area", exact=True).locator("option").nth(1).text_content()
    page.get_by_label("Service area", exact=True).select_option(label=area)
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area)
    expect(page.get_by_role("img", name="Overall judgements by team")).to_be_visible()
    assert_accessible(page, "the dashboard of one service area")
    table = page.get_by_role("region", name="Overall judgements by team (table)")
    link = table.get_by_role("link").first
    count = int(link.text_content().split()[0])
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audits")
    expect(page.locator("main").get_by_role("status")).to_have_text(
        f"Showing 1 to {count} of {count} audits" if count > 1 else "Showing 1 audit"
    )
    expect(page.get_by_text("There is a problem")).to_have_count(0)
