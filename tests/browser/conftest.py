"""Browser fixtures: Chromium, the live server, and pages that fail on CSP violations and console errors."""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.browser.support import CHROMIUM_ARGS, PASSWORD, LiveServer, chromium_path

INSTALL_HINT = "Chromium is not installed, so the browser tests were skipped: run `sudo apt-get install chromium`."
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Sent to Python the moment it happens, so a violation on any page a test passes through is caught,
# not only on the page open when the test ends.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${location.pathname}: CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
      + ` (${event.sourceFile || "page"}:${event.lineNumber}:${event.columnNumber})`
  );
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
    """Console errors, uncaught exceptions and CSP violations seen on every page of a browser context.

    Chromium reports a CSP violation both to the page's securitypolicyviolation listener and as a
    console message; both are recorded, so a violation is caught with JavaScript off too."""

    def __init__(self, context):
        self.messages = []
        context.expose_function("reportCspViolation", self.add)
        context.on("console", self.console)
        context.on("weberror", lambda error: self.add(f"{error.page and error.page.url}: {error.error}"))

    def add(self, text):
        # A script the test blocked on purpose is not a problem of the page.
        if "net::ERR_FAILED" not in text:
            self.messages.append(text)

    def console(self, message):
        if message.type == "error" or (message.type == "warning" and "Content Security Policy" in message.text):
            self.add(f"{message.location['url'] or (message.page and message.page.url)}: {message.text}")

    def clear(self):
        self.messages.clear()


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
        problems = Problems(context)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.problems = problems
        page.javascript = javascript and not scripts_blocked
        opened.append((context, problems))
        if role:
            sign_in(page, live_server.accounts[role])
        return page

    yield open_
    for context, _ in opened:
        context.close()  # first, so reports still on their way have arrived when they are read
    problems = [message for _, problems in opened for message in problems.messages]
    assert not problems, "console errors or CSP violations:\n" + "\n".join(problems)


def sign_in(page, email, password=PASSWORD):
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(lambda url: "/sign-in" not in url)


def assert_accessible(page, label=""):
    """Zero axe violations for WCAG 2.2 AA on the page as it is now (but GOV.UK's own, `revealing_radio`)."""
    # Only violations get every node and a selector worked out, which is most of the time axe takes on a long page.
    options = {"runOnly": {"type": "tag", "values": AXE_RULES}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    for violation in results.response["violations"]:
        violation["nodes"] = [node for node in violation["nodes"] if not revealing_radio(violation["id"], node)]
    results.response["violations"] = [violation for violation in results.response["violations"] if violation["nodes"]]
    assert results.violations_count == 0, f"{label or page.url}:\n{results.generate_report()}"


ARIA_EXPANDED = re.compile(r'ARIA attribute is not allowed: aria-expanded="(?:true|false)"')


def revealing_radio(rule, node):
    """A radio that opens a question under it (GOV.UK's conditional reveal) says whether it is open with
    aria-expanded, which ARIA does not yet allow on a radio and axe reports: GOV.UK Frontend sets it on purpose,
    as screen readers announce it (govuk-frontend issue 979, a known issue of its axe results). That alone is
    left out; anything else wrong with the radio is not."""
    messages = [check["message"] for check in node["any"] + node["all"] + node["none"]]
    return (
        rule == "aria-allowed-attr"
        and 'class="govuk-radios__input"' in node["html"]
        and bool(messages)
        and all(ARIA_EXPANDED.fullmatch(message) for message in messages)
    )
