"""What htmx adds: list searches that update as you type, checked after each swap."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def test_typing_in_a_search_updates_the_results_and_keeps_focus(open_page):
    page = open_page("qa-officer")
    page.goto("/cases")
    expect(page.locator("#results")).to_contain_text(re.compile(r"of \d+ cases"))
    page.locator("#q").press_sequentially("DEMO-0001", delay=20)
    expect(page.locator("#results")).to_contain_text("Showing 1 case")
    expect(page).to_have_url(re.compile(r"/cases\?q=DEMO-0001"))
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.locator("h1").count() == 1
    assert_accessible(page, "cases after an htmx search")


def test_changing_a_filter_updates_the_results_and_keeps_focus(open_page):
    page = open_page("qa-officer")
    page.goto("/cases")
    every_case = page.locator("#results [role=status]").text_content()
    page.focus("#status")
    page.select_option("#status", "closed")
    expect(page.locator("#results [role=status]")).not_to_have_text(every_case)
    assert "Open</td>" not in page.locator("#results").inner_html()
    assert page.evaluate("document.activeElement.id") == "status"
    assert_accessible(page, "cases after an htmx filter")


def test_every_list_search_swaps_only_its_results(open_page):
    page = open_page("qa-officer")
    for url, text in [("/admin/teams", "Front Door"), ("/admin/users", "Browser"), ("/admin/flags", "Neglect")]:
        page.goto(url)
        page.locator("#q").fill(text)
        expect(page.locator("#results")).to_contain_text(text)
        expect(page.locator("#results")).to_contain_text(re.compile(r"Showing 1 to \d+ of \d+"))
        assert page.evaluate("document.activeElement.id") == "q"
        assert page.locator("header").count() == 1, f"{url}: the whole page was swapped into the results"
        assert_accessible(page, f"{url} after an htmx search")


def test_the_search_works_without_javascript(open_page):
    page = open_page("qa-officer", javascript=False)
    page.goto("/cases")
    page.fill("#q", "DEMO-0002")
    page.click("button:has-text('Search')")
    expect(page.locator("#results")).to_contain_text("Showing 1 case")
    assert "q=DEMO-0002" in page.url
