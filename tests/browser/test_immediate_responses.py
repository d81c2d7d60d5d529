"""An Immediate Response from an audit to its close, in Chromium with JavaScript on and off: the auditor is
stopped from submitting until they raise one, the team manager finds it on their home page, in their
notices and by email, acknowledges it, and a QA officer closes it; the timeline and the event log show it."""

import datetime

import pytest
from playwright.sync_api import expect

from models import Audit, AuditTemplate, Case, DomainJudgement, Team, User, utcnow
from services import allocation, jobs
from services.dates import uk_today
from services.working_days import add_working_days
from tests.browser.conftest import assert_accessible, sign_in
from tests.mail import MailServer


@pytest.fixture
def complete_audit(live_server, request):
    """An audit allocated to the browser auditor, complete but for its safeguarding answers, of a case in a new
    team that the browser team manager manages."""
    tag = request.node.callspec.id
    auditor = User.by_email(live_server.accounts["auditor"])
    qa = User.by_email(live_server.accounts["qa-officer"])
    manager = User.by_email(live_server.accounts["team-manager"])
    team = Team.create(name=f"Immediate Response Team {tag}", service_area=Team.get().service_area, manager=manager)
    case = Case.create(
        reference=f"IR-{tag.upper()}",
        initials="QZ",
        birth_year=2014,
        team=team,
        worker_name="Sam Worker",
        opened_on=datetime.date(2025, 1, 6),
    )
    audit = allocation.allocate(qa, case, auditor.id, add_working_days(uk_today(), 20), uk_today())
    Audit.update(
        about_child="A twelve year old living with his father.",
        discussion_on=uk_today() - datetime.timedelta(days=1),
        discussion_minutes=60,
        supervised_recently=True,
        overall_grade="good",
        overall_rationale="Visits are regular and the plan is reviewed.",
        status="in-progress",
    ).where(Audit.id == audit.id).execute()
    DomainJudgement.insert_many(
        [
            {"audit": audit.id, "domain": domain, "grade": "good", "evidence": "Regular visits", "so_what": "Safer"}
            for domain in AuditTemplate.current().ordered_domains
        ]
    ).execute()
    return Audit.get_by_id(audit.id)


@pytest.fixture
def mail_server():
    server = MailServer()
    yield server
    server.stop()


def deliver_every_notice(live_server, mail_server):
    """Run the periodic job, as cron would, until nothing more is waiting to be emailed."""
    config = dict(live_server.app.config) | mail_server.settings
    while jobs.run_jobs(config, utcnow())["notices"]:
        pass


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_an_immediate_response_is_raised_acknowledged_and_closed(
    open_page, live_server, complete_audit, mail_server, javascript
):
    reference = complete_audit.case.reference
    # With JavaScript "off", none of the service's scripts load, but axe can still run.
    page = open_page("auditor", scripts_blocked=not javascript)
    page.goto(f"/audits/{complete_audit.id}")
    page.get_by_role("group", name="Is there an immediate safeguarding concern?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save", exact=True).click()
    raise_button = page.get_by_role("button", name="Raise an Immediate Response")
    expect(raise_button).to_be_visible()

    page.get_by_role("button", name="Submit audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Raise an Immediate Response: the safeguarding answers say one is needed")
    summary.get_by_role("link", name="Raise an Immediate Response").click()
    expect(page.locator("#raise-immediate-response")).to_be_in_viewport()
    assert Audit.get_by_id(complete_audit.id).status != "submitted"

    page.locator("#raise-immediate-response").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Raise an Immediate Response on case {reference}")
    expect(page.get_by_label("Immediate safeguarding concern")).to_be_checked()
    page.get_by_label("What was found").fill("School notes record bruises twice this month.")
    page.get_by_label("What must happen now").fill("A strategy discussion today and the child seen alone.")
    page.get_by_label("Today").check()
    page.get_by_role("button", name="Raise the Immediate Response").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Immediate Response raised")
    expect(page.locator("#timeline + ol")).to_contain_text("Raised")
    assert_accessible(page, "the Immediate Response just raised")
    response_url = page.url

    page.goto(f"/audits/{complete_audit.id}")
    expect(page.locator("#warnings")).to_contain_text("Immediate Response raised on")
    expect(page.locator("#warnings")).not_to_contain_text("An Immediate Response is needed")
    page.get_by_role("button", name="Submit audit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Audit submitted")
    page.get_by_role("button", name="Sign out").click()

    deliver_every_notice(live_server, mail_server)
    manager_email = live_server.accounts["team-manager"]
    emails = [m for m in mail_server.to(manager_email) if reference in m["Subject"]]
    assert len(emails) == 1, "the team manager is emailed once"
    body = emails[0].get_content()
    assert "/immediate-responses/" in body and "bruises" not in body and "QZ" not in body, "no child's details"

    sign_in(page, manager_email)
    page.get_by_role("link", name="Immediate Responses to acknowledge").click()
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Immediate Response on case {reference}")
    page.goto("/notices")
    expect(page.locator("main")).to_contain_text(f"Immediate Response raised: case {reference}")
    assert_accessible(page, "the team manager's notices")
    page.goto(response_url)
    page.get_by_role("button", name="Acknowledge it").click()
    page.get_by_label("Your response").fill("Agreed: this needs a strategy discussion.")
    page.get_by_label("The action you are taking").fill("Strategy discussion booked for 3pm today.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Immediate Response acknowledged")
    expect(page.locator("#timeline + ol")).to_contain_text("Strategy discussion booked for 3pm today.")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.accounts["qa-officer"])
    page.goto("/immediate-responses?status=acknowledged")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Close it").click()
    page.get_by_role("button", name="Close the Immediate Response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the outcome")
    assert_accessible(page, "closing with no outcome")
    page.get_by_label("The outcome").fill("Strategy discussion held; a child protection plan follows.")
    page.get_by_role("button", name="Close the Immediate Response").click()
    timeline = page.locator("#timeline + ol li")
    expect(timeline).to_have_count(3)
    expect(timeline.nth(2)).to_contain_text("Closed")
    expect(timeline.nth(2)).to_contain_text("a child protection plan follows")
    assert_accessible(page, "the closed Immediate Response and its timeline")

    page.get_by_role("link", name="See the history of this record").click()
    for action in ("Created", "Acknowledged", "Closed"):
        expect(page.locator("main table")).to_contain_text(action)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_questions_that_only_sometimes_apply_open_under_the_answer_that_needs_them(open_page, live_server, javascript):
    """GOV.UK's conditional reveal: with JavaScript, a question opens when its answer is chosen; without, every
    question is shown, each under its answer."""
    page = open_page("auditor", scripts_blocked=not javascript)
    audit_id = live_server.ids["audit_id"]["auditor"]
    page.goto(f"/audits/{audit_id}/immediate-responses/new")
    other_reason = page.get_by_label("What is the other reason?")
    if javascript:
        expect(other_reason).to_be_hidden()
    else:
        expect(other_reason).to_be_visible()
    page.get_by_label("Another reason").check()
    expect(other_reason).to_be_visible()
    expect(page.get_by_role("group", name="Who has been told already").get_by_label("Their name")).to_be_visible()
    assert_accessible(page, "raising an Immediate Response, another reason chosen")

    page.goto(f"/audits/{audit_id}/feedback/family/new")
    how = page.get_by_role("group", name="How did they give it?")
    tried = page.get_by_label("What was tried")
    gathered = page.get_by_role("group", name="Could their feedback be gathered?")
    if javascript:
        expect(how).to_be_hidden()
        expect(tried).to_be_hidden()
        gathered.get_by_role("radio", name="Yes", exact=True).check()
        expect(how).to_be_visible()
        expect(tried).to_be_hidden()
        assert_accessible(page, "family feedback, gathered")
        gathered.get_by_role("radio", name="No", exact=True).check()
        expect(how).to_be_hidden()
        expect(tried).to_be_visible()
    else:
        expect(how).to_be_visible()
        expect(tried).to_be_visible()
    assert_accessible(page, "family feedback")


def test_at_320_pixels_wide_the_list_of_immediate_responses_shows_each_ones_status(open_page):
    page = open_page("qa-officer", viewport={"width": 320, "height": 640})
    page.goto("/immediate-responses")
    table = page.locator("main table")
    for cell in (table.get_by_role("columnheader", name="Status"), table.locator("tbody tr td:nth-child(2)").first):
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, f"off screen: {box}"
    expect(table.locator("tbody tr td:nth-child(2)").first).to_contain_text("Raised")
