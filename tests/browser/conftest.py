"""Browser fixtures: Chromium, the live server, and pages that fail on CSP violations and console errors."""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.browser.support import CHROMIUM_ARGS, PASSWORD, LiveServer, chromium_path

INSTALL_HINT = "Chromium is not installed, so the browser tests were skipped: run `sudo apt-get install chromium`."
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Recorded in the page before any of its own scripts run.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(INSTALL_HINT.replace("were skipped", "cannot run") + " CI needs them.")
    skip = pytest.mark.skip(reason=INSTALL_HINT)
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("browser"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _browser_database(live_server):
    live_server.use_database()


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Problems:
    """Console errors, uncaught exceptions and CSP violations seen by a page."""

    def __init__(self, page):
        self.messages = []
        page.on("console", lambda message: message.type == "error" and self.messages.append(message.text))
        page.on("pageerror", lambda error: self.messages.append(str(error)))


@pytest.fixture
def open_page(chromium, live_server):
    """Open a browser page, optionally signed in as a role and with JavaScript off.

    With `scripts_blocked`, JavaScript is on (so axe can run) but none of the
    service's own scripts load: the page is exactly what a browser without
    JavaScript shows. Every page is checked for problems when the test ends."""
    opened = []

    def open_(role=None, javascript=True, scripts_blocked=False, viewport=None):
        context = chromium.new_context(
            base_url=live_server.url,
            java_script_enabled=javascript,
            viewport=viewport or {"width": 1280, "height": 900},
        )
        if scripts_blocked:
            context.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.problems = Problems(page)
        page.javascript = javascript and not scripts_blocked
        opened.append((context, page, javascript))
        if role:
            sign_in(page, live_server.accounts[role])
        return page

    yield open_
    for context, page, javascript in opened:
        problems = list(page.problems.messages)
        if javascript and not page.is_closed():
            problems += page.evaluate("window.__cspViolations || []")
        # A script the test blocked on purpose is not a problem of the page.
        problems = [p for p in problems if "net::ERR_FAILED" not in p]
        context.close()
        assert not problems, f"console errors or CSP violations on {page.url}: {problems}"


def sign_in(page, email, password=PASSWORD):
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(lambda url: "/sign-in" not in url)


def assert_accessible(page, label=""):
    """Zero axe violations for WCAG 2.2 AA on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_RULES}})
    assert results.violations_count == 0, f"{label or page.url}:\n{results.generate_report()}"
