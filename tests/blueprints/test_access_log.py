"""Who has looked: a QA officer reads who opened a case's records and when; each person reads their own latest."""

import html

from models import AccessRecord
from tests.conftest import sign_in_client


def text(response):
    return html.unescape(response.get_data(as_text=True))


def test_a_qa_officer_sees_who_has_looked_at_a_case_and_what(client, make_user, make_audit, get_page):
    auditor = make_user(roles=("auditor",), name="Alex Auditor", job_role="Team Manager")
    audit = make_audit(auditor=auditor)
    sign_in_client(client, auditor)
    get_page(f"/audits/{audit.id}")
    get_page(f"/audits/{audit.id}/record.docx")
    get_page(f"/audits/{audit.id}/case-note.txt")
    qa_officer = make_user(roles=("qa-officer",), name="Quinn Qa")
    sign_in_client(client, qa_officer)
    case_page = text(get_page(f"/cases/{audit.case_id}"))
    assert "See who has looked at this case" in case_page
    page = text(get_page(f"/cases/{audit.case_id}/who-has-looked"))
    assert f"Who has looked at case {audit.case.reference}" in page
    assert "Showing 1 to 4 of 4 views" in page
    # Newest first: the QA officer's look at the case, then the auditor's case-note text, Word record and page.
    described = [
        f"Case {audit.case_id} (page)",
        f"Audit {audit.id} (text)",
        f"Audit {audit.id} (Word document)",
        f"Audit {audit.id} (page)",
    ]
    assert [page.index(what) for what in described] == sorted(page.index(what) for what in described)
    assert page.count("Alex Auditor") == 3 and "Team Manager" in page
    assert f'href="/audits/{audit.id}/record.docx"' in page
    assert AccessRecord.select().count() == 4, "the list of who has looked is not itself a look at the records"


def test_each_person_sees_only_their_own_recent_views(client, make_user, make_audit, get_page):
    mine, theirs = make_audit(), make_audit()
    sign_in_client(client, theirs.auditor)
    get_page(f"/audits/{theirs.id}")
    sign_in_client(client, mine.auditor)
    assert "You have not opened any yet" in text(get_page("/account"))
    get_page(f"/audits/{mine.id}")
    get_page(f"/audits/{mine.id}/action-plan.docx")
    account = text(get_page("/account"))
    assert "Your 2 most recent views, newest first" in account
    assert account.index(f"Audit {mine.id} (Word document)") < account.index(f"Audit {mine.id} (page)")
    assert f"Audit {theirs.id} " not in account
