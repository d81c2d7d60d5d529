"""A month drawn and an audit moderated, in Chromium with JavaScript on and off: the QA officer draws the month
under way, once they have said yes, and sees why each audit was chosen; the moderator disagrees with one domain,
the moderated grade and why opening under No (all shown without JavaScript), and submits; the auditor sees the
outcome at the top of the audit, the moderated grade beside their own, and a notice of it."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from models import Audit, AuditTemplate, Case, DomainJudgement, Moderation, User, utcnow
from services.dates import month_name, uk_today
from tests.browser.conftest import assert_accessible


@pytest.fixture
def late_good_audits(live_server):
    """Two audits graded Good by the browser auditor, submitted this month, so there is always something to draw."""
    auditor = User.by_email(live_server.accounts["auditor"])
    qa = User.by_email(live_server.accounts["qa-officer"])
    audits = []
    for case in Case.select().where(Case.team != auditor.team).order_by(Case.id.desc()).limit(2):
        audit = Audit.create(
            case=case,
            auditor=auditor,
            allocated_by=qa,
            due_on=uk_today(),
            template=AuditTemplate.current(),
            period_start=uk_today() - datetime.timedelta(days=180),
            period_end=uk_today(),
            overall_grade="good",
            overall_rationale="Good work throughout.",
            status="submitted",
            submitted_at=utcnow(),
        )
        DomainJudgement.insert_many(
            [
                {"audit": audit, "domain": domain, "grade": "good", "evidence": "Seen often", "so_what": "Safer"}
                for domain in AuditTemplate.current().ordered_domains
            ]
        ).execute()
        audits.append(audit)
    return audits


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_month_is_drawn_and_an_audit_moderated(open_page, live_server, late_good_audits, javascript):
    page = open_page("qa-officer", scripts_blocked=not javascript)
    page.goto("/moderation-sample")
    this_month = month_name(uk_today())
    page.get_by_label("Month").select_option(label=this_month)
    page.get_by_role("button", name="Show this month").click()
    # The month's first draw, or (once an earlier test has drawn it) the draw for its late audits.
    page.get_by_role("button", name=re.compile(f"^Draw (the sample for {this_month}|again for late audits)$")).click()
    expect(page.get_by_role("heading", name=f"Draw the sample for {this_month} before it is over?")).to_be_visible()
    assert not Moderation.select().where(Moderation.audit.in_([a.id for a in late_good_audits])).exists()
    assert_accessible(page, "asking before the month under way is drawn")
    page.get_by_role("button", name="Yes, draw the sample now").click()
    expect(page.get_by_text(f"{this_month} drawn")).to_be_visible()
    expect(page.get_by_text("Graded Good or Outstanding").first).to_be_visible()
    assert_accessible(page, "the month's sample")

    audit = late_good_audits[0]
    moderation = Moderation.get(Moderation.audit == audit)
    moderator = User.by_email(live_server.accounts["moderator"])
    Moderation.update(moderator=moderator).where(Moderation.id == moderation.id).execute()

    page = open_page("moderator", scripts_blocked=not javascript)
    page.goto("/moderations")
    page.locator(f"a[href='/moderations/{moderation.id}']").click()
    domains = AuditTemplate.current().ordered_domains
    first_grade = page.get_by_role("group", name=f"Moderated grade for {domains[0].name}")
    # GOV.UK's conditional reveal: with JavaScript the questions for a disagreement open under No.
    expect(first_grade).to_be_visible() if not javascript else expect(first_grade).to_be_hidden()
    expect(page.get_by_label("Why do you disagree?", exact=True).nth(1)).to_be_visible(visible=not javascript)
    for domain in domains:
        answer = "No" if domain == domains[0] else "Yes"
        page.get_by_role("group", name=f"Do you agree with the grade for {domain.name}?").get_by_label(answer).check()
    page.get_by_role("group", name=f"Moderated grade for {domains[0].name}").get_by_label(
        "Requires Improvement to be Good"
    ).check()
    expect(page.get_by_role("group", name=f"Moderated grade for {domains[1].name}")).to_be_visible(
        visible=not javascript
    )
    page.get_by_label("Why do you disagree?", exact=True).first.fill("The child's voice is missing from the record.")
    page.get_by_role("group", name="Do you agree with the overall judgement?").get_by_label("Yes").check()
    page.get_by_role("group", name="Have the actions from the audit been addressed?").get_by_label(
        "Not yet due"
    ).check()
    assert_accessible(page, "a moderation")
    page.get_by_role("button", name="Submit moderation").click()
    expect(page.get_by_text("Moderation submitted")).to_be_visible()
    expect(page.get_by_role("cell", name="The child's voice is missing from the record.")).to_be_visible()

    page = open_page("auditor", scripts_blocked=not javascript)
    page.goto(f"/audits/{audit.id}")
    outcome = page.locator("section", has=page.get_by_role("heading", name="Moderation outcome"))
    expect(outcome).to_contain_text(f"1 of {len(domains)}")
    final = "Grade: Requires Improvement to be Good, moderated (the auditor's grade: Good)"
    expect(page.get_by_text(final)).to_be_visible()
    row = page.get_by_role("row", name=domains[0].name)
    expect(row).to_contain_text("Good")
    expect(row).to_contain_text("Requires Improvement to be Good (changed)")
    assert_accessible(page, "the audit with its moderation")
    page.goto("/notices")
    expect(page.get_by_text(f"Your audit of case {audit.case.reference} has been moderated").first).to_be_visible()
