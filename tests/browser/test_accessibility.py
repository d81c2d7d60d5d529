"""Every page of app.url_map, for every role, scanned by axe in Chromium with JavaScript on and off,
and every form's error state after an empty submit. A new page joins without editing this file.
Then the check every browser test ends with: it catches a CSP violation wherever it happened."""

import pytest
from playwright.sync_api import expect

from models import ROLES
from tests.browser.conftest import assert_accessible
from tests.browser.support import pages_for


def clear_and_submit(page):
    """Empty every field of the page's main form that is shown (not one under an answer not chosen) and submit it."""
    form = page.locator("main form[method=post]").first
    for field in form.locator(":is(input[type=text], input[type=email], input[type=password], textarea):visible").all():
        field.fill("")
    for select in form.locator("select").all():
        select.select_option("")
    for box in form.locator("input[type=checkbox]").all():
        box.uncheck()
    # A long form that saves as it goes (an audit, a moderation) is checked by the button that submits it,
    # outside the form: an empty save of a draft is valid.
    form_id = form.get_attribute("id")
    submit = page.locator(f"button[form='{form_id}']") if form_id else None
    if submit is None or not submit.count():
        submit = form.locator("button[type=submit], button:not([type])")
    submit.last.click()
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
        if page.locator("main form[data-empty-is-an-answer]").count():
            continue  # every answer may be left empty (no learning theme ticked): an empty submit is saved
        clear_and_submit(page)
        summary = page.locator(".govuk-error-summary")
        assert summary.count() == 1, f"{url}: an empty submit showed no error summary"
        assert page.title().startswith("Error: "), url
        # GOV.UK Frontend moves focus to the summary so screen reader users hear it first.
        assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')"), url
        assert_accessible(page, f"{role} {url} after an empty submit")


def test_a_csp_violation_is_caught_on_a_page_the_test_has_left(open_page):
    page = open_page()
    page.goto("/sign-in")
    # Chromium dispatches the violation event as a task of its own: leaving the page before it runs
    # would lose it for any listener, so the test waits for the event, then leaves at once.
    page.evaluate(
        """new Promise(resolve => {
            document.addEventListener("securitypolicyviolation", () => resolve(), {once: true});
            document.querySelector("h1").setAttribute("style", "color: red");
        })"""
    )
    page.goto("/accessibility")
    # The reports come asynchronously from the page that was left: they may land just after.
    for _ in range(100):
        caught = "\n".join(page.problems.messages)
        if "/sign-in: CSP violation: style-src-attr blocked inline" in caught and "Applying inline style" in caught:
            break
        page.wait_for_timeout(50)
    assert "/sign-in: CSP violation: style-src-attr blocked inline" in "\n".join(page.problems.messages)
    assert "Applying inline style violates" in "\n".join(page.problems.messages)
    page.problems.clear()  # caught as it should be: not a problem of this test


def test_a_csp_violation_in_the_markup_is_caught_with_javascript_off(open_page):
    page = open_page(javascript=False)
    # The service's own pages have no inline style to break the CSP, so this one is made up.
    page.route(
        "**/styled",
        lambda route: route.fulfill(
            content_type="text/html",
            headers={"Content-Security-Policy": "style-src 'self'"},
            body="<!DOCTYPE html><html lang='en'><title>Styled</title><h1 style='color: red'>Styled</h1></html>",
        ),
    )
    page.goto("/styled")
    page.goto("/accessibility")
    assert "/styled: Applying inline style violates" in "\n".join(page.problems.messages)
    page.problems.clear()


def test_a_text_box_the_user_resized_is_swapped_by_htmx_without_a_csp_violation(open_page, live_server):
    page = open_page("auditor")
    page.goto(f"/audits/{live_server.ids['audit_id']['auditor']}")
    page.get_by_role("button", name="Add an action").click()
    what = page.get_by_label("What needs to happen")
    # Dragging the corner to make the box taller, as people do to see what they have written,
    # gives it an inline style.
    what.scroll_into_view_if_needed()
    box = what.bounding_box()
    page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] - 3)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] + 100, steps=5)
    page.mouse.up()
    assert "height" in (what.get_attribute("style") or ""), "the drag did not resize the box"
    page.get_by_role("button", name="Save action").click()
    expect(page.locator(".app-action-form .govuk-error-summary")).to_be_focused()
    assert page.problems.messages == []
