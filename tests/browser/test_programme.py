"""The monthly programme in Chromium, with JavaScript on and off: the QA officer imports the demo's open-case
export, choosing the one column the import cannot guess, sees its bad rows explained, imports it corrected; then
draws a month, swaps a pairing and confirms it, and each auditor given audits has them and a notice."""

import pathlib
import re

import pytest
from playwright.sync_api import expect

from models import Audit, AuditPlan, Notice
from services.audits import months_before
from services.dates import month_name, uk_today
from tests.browser.conftest import assert_accessible

EXPORT = pathlib.Path(__file__).resolve().parent.parent.parent / "demo" / "open-cases.csv"


def corrected(tmp_path):
    """The demo's export with its three rows to correct mended as a QA officer would: the row without a
    reference, the impossible date and the case listed twice taken out."""
    lines = EXPORT.read_text().splitlines(keepends=True)
    seen, kept = set(), []
    for line in lines:
        reference = line.split(",", 1)[0]
        if reference in seen or not reference or "31/02/2026" in line:
            continue
        seen.add(reference)
        kept.append(line)
    path = tmp_path / "open-cases.csv"
    path.write_text("".join(kept))
    return path


def upload_and_choose_columns(page, path):
    page.goto("/cases")
    page.get_by_role("button", name="Import the open-case list").click()
    page.get_by_label("Upload the open-case list").set_input_files(path)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", name="Choose which column holds what")).to_be_visible()
    page.get_by_label("Allocated worker", exact=True).select_option("Allocated SW")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_the_open_case_list_is_imported(open_page, live_server, tmp_path, javascript):
    page = open_page("qa-officer", scripts_blocked=not javascript)
    upload_and_choose_columns(page, EXPORT)
    expect(page.get_by_text("3 rows of the file are wrong, so nothing can be imported yet")).to_be_visible()
    problems = page.get_by_role("table")
    expect(problems).to_contain_text("The case reference is missing")
    expect(problems).to_contain_text("'31/02/2026' is not a date")
    expect(problems).to_contain_text("is also on row")
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)
    assert_accessible(page, "the preview of an import with rows to correct")

    upload_and_choose_columns(page, corrected(tmp_path))
    decide = page.get_by_role("group", name="Cases to close that have work open")
    if decide.count():
        decide.get_by_label("Leave them open").check()
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_text(re.compile("Open-case list imported"))).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_month_is_planned_a_pairing_swapped_and_confirmed(open_page, live_server, javascript):
    month = months_before(uk_today().replace(day=1), -3 if javascript else -4)
    page = open_page("qa-officer", scripts_blocked=not javascript)
    page.goto(f"/audit-plan?month={month:%Y-%m}")
    expect(page.get_by_role("heading", name=f"Audit plan for {month_name(month)}")).to_be_visible()
    page.get_by_label("Cases to audit").fill("6")
    page.get_by_role("button", name="Draw the cases", exact=True).click()
    expect(page.get_by_text(f"6 cases drawn for {month_name(month)}")).to_be_visible()
    plan = AuditPlan.get(AuditPlan.month == month)
    expect(page.get_by_text(f"seed {plan.seed}, rule version 1")).to_be_visible()
    assert_accessible(page, "a drawn plan")

    page.get_by_role("link", name=re.compile("^Swap the auditor of case")).first.click()
    page.get_by_label("Swap auditors with case").select_option(index=1)
    page.get_by_role("button", name="Swap").click()
    # Swapped, or refused with the rule it would break (in the summary of errors and beside the field).
    expect(page.get_by_text(re.compile("changed in the plan|They cannot be swapped")).first).to_be_visible()
    page.goto(f"/audit-plan?month={month:%Y-%m}")
    page.get_by_role("button", name="Confirm and create the audits").click()
    expect(page.get_by_text(re.compile(f"{month_name(month)}'s plan confirmed"))).to_be_visible()
    audits = list(Audit.select().where(Audit.id.in_([p.audit_id for p in plan.planned if p.audit_id])))
    assert audits, "the plan created audits"
    for auditor_id in {audit.auditor_id for audit in audits}:
        told = Notice.select().where((Notice.recipient == auditor_id) & Notice.subject.endswith(month_name(month)))
        assert told.count() == 1
