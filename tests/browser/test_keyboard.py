"""Signing in and completing a form with the keyboard alone, with a focus indicator that shows."""

from playwright.sync_api import expect

from tests.browser.support import PASSWORD

FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const highlighted = style.backgroundColor === "rgb(255, 221, 0)" || style.boxShadow.includes("rgb(255, 221, 0)")
    || style.boxShadow.includes("rgb(11, 12, 12)");
  return outlined || highlighted;
}"""


def tab_to(page, name, limit=60):
    """Press Tab until the focused element has this accessible text, checking each stop shows its focus: at most
    `limit` stops (a QA officer's home page links to everything waiting for them, then to every list)."""
    trail = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(document.activeElement.labels && document.activeElement.labels[0]"
            " ? document.activeElement.labels[0].textContent : document.activeElement.textContent).trim()"
        )
        trail.append(focused[:30])
        assert page.evaluate(FOCUS_SHOWN), f"no visible focus after {trail}"
        if focused == name:
            return
    raise AssertionError(f"Tab never reached {name!r}: {trail}")


def follow(page):
    """Press Enter on the focused link or button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_sign_in_and_add_a_flag_with_the_keyboard_alone(open_page, live_server):
    page = open_page()
    page.goto("/sign-in")
    tab_to(page, "Email address")
    page.keyboard.type(live_server.accounts["qa-officer"])
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    tab_to(page, "Sign in")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")

    tab_to(page, "Flags: the themes cases are grouped by".split(":")[0])
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Flags")
    tab_to(page, "Add a flag")
    follow(page)
    tab_to(page, "Flag name")
    page.keyboard.type("Young carer")
    tab_to(page, "Save flag")
    follow(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Flag added")
    expect(page.locator("#results")).to_contain_text("Young carer")


def test_the_skip_link_is_the_first_stop_and_moves_to_the_content(open_page):
    page = open_page("auditor")
    page.goto("/my-audits")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
