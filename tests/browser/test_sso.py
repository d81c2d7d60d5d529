"""Signing in with a council account in a real browser, with JavaScript on and off, at the loopback provider."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def sign_in_at_provider(open_page, live_server, javascript, subject):
    """Press "Sign in with your council account" and agree at the provider as `subject`: the page that follows."""
    page = open_page(scripts_blocked=not javascript)
    page.context.route("https://**/*", lambda route: route.abort())  # the provider's stylesheet from the internet
    page.goto("/sign-in?next=/my-audits")
    assert_accessible(page, "the sign-in page with a council account")
    page.get_by_role("button", name="Sign in with your council account").click()
    assert page.url.startswith(live_server.provider.url)
    page.fill("input[name=sub]", subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["JavaScript on", "JavaScript off"])
def test_a_person_signs_in_with_their_council_account(open_page, live_server, javascript):
    page = sign_in_at_provider(open_page, live_server, javascript, live_server.accounts["auditor"])
    assert page.url == f"{live_server.url}/my-audits"
    expect(page.get_by_role("heading", level=1)).to_have_text("My audits")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["JavaScript on", "JavaScript off"])
def test_someone_not_added_is_refused_with_a_plain_page(open_page, live_server, javascript):
    page = sign_in_at_provider(open_page, live_server, javascript, "stranger@browser.example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have not been signed in")
    expect(page.get_by_text("Your council account is not set up for this service")).to_be_visible()
    assert_accessible(page, "the refused sign-in page")
    page.problems.clear()  # the browser reports the page's status, 403, as an error
    page.get_by_role("link", name="Go back to sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
