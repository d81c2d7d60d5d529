"""An action from its audit's submission to its authorisation, in Chromium with JavaScript on and off: the team
manager finds it under Team actions, records it discussed in supervision (after a date left out), done and signed off,
and the service manager authorises it; its timeline says who did each, and every page is accessible."""

import datetime

import pytest
from playwright.sync_api import expect

from models import Action, Team, User
from services import team_actions
from services.dates import long_date, uk_today
from tests.browser.conftest import assert_accessible
from tests.browser.support import submitted_audit


@pytest.fixture
def sent_action(live_server, request):
    """An action of a submitted audit, sent today to a new team of the browser team and service manager accounts."""
    tag = request.node.callspec.id
    manager = User.by_email(live_server.accounts["team-manager"])
    service_manager = User.by_email(live_server.accounts["service-manager"])
    team = Team.create(
        name=f"Team Actions Team {tag}",
        service_area=Team.get().service_area,
        manager=manager,
        service_manager=service_manager,
    )
    audit = submitted_audit(live_server, f"TA-{tag.upper()}", team)
    Action.create(
        audit=audit,
        what="Record the child's own words from the school visit, and add them to the plan",
        owner_name="Sam Worker",
        owner_role="Social Worker",
        due_on=uk_today() + datetime.timedelta(days=10),
        done_when="The plan quotes the child",
    )
    team_actions.send_to_team(audit.auditor, audit, "audit", team_actions.DEFAULT_RULES, uk_today())
    return audit.case.reference


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_an_action_is_worked_from_open_to_authorised(open_page, sent_action, javascript):
    page = open_page("team-manager", scripts_blocked=not javascript)
    page.goto("/team-actions")
    page.get_by_role("link", name=sent_action).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action on case {sent_action}")
    assert_accessible(page, "an open action")

    page.get_by_role("button", name="Record it discussed in supervision").click()
    page.get_by_role("button", name="Record it discussed in supervision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date it was discussed")
    assert_accessible(page, "a step with its date left out")
    page.get_by_label("Day").fill(str(uk_today().day))
    page.get_by_label("Month").fill(str(uk_today().month))
    page.get_by_label("Year").fill(str(uk_today().year))
    page.get_by_role("button", name="Record it discussed in supervision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Discussed in supervision: saved")

    page.get_by_role("button", name="Record it done").click()
    page.get_by_label("What was done").fill("The child's words from the visit on the 2nd are on the plan.")
    page.get_by_role("button", name="Record it done").click()
    page.get_by_role("button", name="Sign it off").click()
    assert_accessible(page, "signing an action off")
    page.get_by_role("button", name="Sign it off").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Signed off: saved")
    expect(page.get_by_role("button", name="Authorise it")).to_have_count(0)
    url = page.url

    page = open_page("service-manager", scripts_blocked=not javascript)
    page.goto(url)
    page.get_by_role("button", name="Authorise it").click()
    page.get_by_role("button", name="Authorise it").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Authorised: saved")
    timeline = page.locator("#timeline + ol h3")
    expect(timeline).to_have_text(
        [
            "Sent to the team manager",
            f"Discussed in supervision on {long_date(uk_today())}",
            "Done",
            "Signed off",
            "Authorised",
        ]
    )
    expect(page.locator("main")).to_contain_text("The child's words from the visit on the 2nd are on the plan.")
    assert_accessible(page, "an authorised action")
