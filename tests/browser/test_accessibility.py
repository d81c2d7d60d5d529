"""Every page of app.url_map, for every role, scanned by axe in Chromium with JavaScript on and off,
and every form's error state after an empty submit. A new page joins without editing this file."""

import pytest

from models import ROLES
from tests.browser.conftest import assert_accessible
from tests.browser.support import pages_for


def clear_and_submit(page):
    """Empty every field of the page's main form and submit it."""
    form = page.locator("main form[method=post]").first
    for field in form.locator("input[type=text], input[type=email], input[type=password], textarea").all():
        field.fill("")
    for select in form.locator("select").all():
        select.select_option("")
    for box in form.locator("input[type=checkbox]").all():
        box.uncheck()
    form.locator("button[type=submit], button:not([type])").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_page_has_no_accessibility_violations(open_page, live_server, role):
    urls = pages_for(live_server.app, role, live_server.ids)
    assert urls, f"no pages for {role}"
    with_js = open_page(role)
    without_js = open_page(role, scripts_blocked=True)
    for url in urls:
        for page in (with_js, without_js):
            response = page.goto(url)
            assert response.status == 200, f"{role} {url}: {response.status}"
            assert_accessible(page, f"{role} {url} ({'JavaScript on' if page.javascript else 'JavaScript off'})")


@pytest.mark.parametrize("role", ROLES)
def test_every_forms_error_state_has_no_accessibility_violations(open_page, live_server, role):
    page = open_page(role)
    for url in pages_for(live_server.app, role, live_server.ids):
        page.goto(url)
        fields = "main form[method=post] :is(input:not([type=hidden]), select, textarea)"
        if not page.locator(fields).count():
            continue  # no form, or one that only confirms (such as removing an action): nothing to leave empty
        clear_and_submit(page)
        summary = page.locator(".govuk-error-summary")
        assert summary.count() == 1, f"{url}: an empty submit showed no error summary"
        assert page.title().startswith("Error: "), url
        # GOV.UK Frontend moves focus to the summary so screen reader users hear it first.
        assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')"), url
        assert_accessible(page, f"{role} {url} after an empty submit")
