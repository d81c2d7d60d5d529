"""Each person's notices in the service: only their own, unread ones marked and counted in the
navigation, read as they are opened, all marked read at once."""

import re

import pytest

from models import Event, Notice, utcnow
from services import notices


def tell(person, subject="Immediate Response raised: case TEST-00001", link="/immediate-responses/7"):
    notices.notify([person], subject, "Sam Auditor raised an Immediate Response on case TEST-00001.", link)
    return Notice.select().where(Notice.recipient == person).order_by(Notice.id.desc()).first()


def navigation_item(body):
    """The navigation's link to the notices, as it reads (in bold on the notices page itself)."""
    return re.search(r'href="/notices"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)<', body).group(1).strip()


def unread_tags(body):
    return len(re.findall(r'class="govuk-tag">\s*Unread\s*<', body))


def test_a_person_sees_only_their_own_notices(client, login_as, make_user):
    me, someone_else = login_as("auditor"), make_user()
    mine = tell(me, subject="Immediate Response acknowledged: case MINE-1")
    theirs = tell(someone_else, subject="Immediate Response raised: case THEIRS-1")
    body = client.get("/notices").get_data(as_text=True)
    assert "case MINE-1" in body and "THEIRS-1" not in body and "Showing 1 notice" in body
    assert client.get(f"/notices/{mine.id}").status_code == 200
    assert client.get(f"/notices/{theirs.id}").status_code == 404
    assert Notice.get_by_id(theirs.id).read_at is None, "someone else's notice stays unread"


def test_unread_notices_are_marked_and_counted_and_opening_one_reads_it(client, login_as):
    me = login_as("senior-leader")
    first, _ = tell(me), tell(me, subject="Immediate Response overdue: case TEST-00001")
    body = client.get("/notices").get_data(as_text=True)
    assert navigation_item(body) == "Notices (2 unread)"
    assert unread_tags(body) == 2 and body.count("govuk-!-font-weight-bold") == 2

    page = client.get(f"/notices/{first.id}").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Immediate Response raised: case TEST-00001</h1>' in page
    assert '<a class="govuk-link" href="/immediate-responses/7">Open the Immediate Response</a>' in page
    assert navigation_item(page) == "Notices (1 unread)", "it is read as it is opened"
    assert Notice.get_by_id(first.id).read_at is not None
    assert unread_tags(client.get("/notices").get_data(as_text=True)) == 1
    assert Event.select().count() == 0, "opening a notice is not an event"


def test_a_notice_about_anything_else_links_to_it_plainly(client, login_as, make_case):
    me = login_as("qa-officer")
    case = make_case()
    notice = tell(me, subject="Case changed", link=f"/cases/{case.id}")
    assert f'href="/cases/{case.id}">Open it</a>' in client.get(f"/notices/{notice.id}").get_data(as_text=True)


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_mark_all_as_read(client, login_as):
    me = login_as("moderator")
    tell(me), tell(me)
    body = client.get("/notices").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    response = client.post("/notices/read-all", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/notices"
    body = client.get("/notices").get_data(as_text=True)
    assert "Marked 2 notices as read" in body and not unread_tags(body) and "Mark all as read" not in body
    assert navigation_item(body) == "Notices"
    assert Notice.select().where(Notice.read_at.is_null()).count() == 0
    [event] = Event.select()
    assert (event.user_id, event.action, event.record_type) == (me.id, "marked all notices read", "User")


REFUSED = "Could not connect to the mail server mail.example.org:25: [Errno 111] Connection refused"


@pytest.mark.parametrize("role", ["team-manager", "qa-officer"])
def test_the_list_says_in_plain_words_whether_each_notice_was_emailed_and_why_only_to_qa_officers(
    client, login_as, role
):
    me = login_as(role)
    sent, waiting, in_service = tell(me), tell(me), tell(me)
    now = utcnow()
    Notice.update(email_status="sent", sent_at=now).where(Notice.id == sent.id).execute()
    Notice.update(last_error=REFUSED, attempts=1).where(Notice.id == waiting.id).execute()
    Notice.update(email_status="not-sent", last_error=notices.NO_SERVER).where(Notice.id == in_service.id).execute()
    plain = ["Waiting to be sent: it could not be emailed yet, and will be tried again", "Sent "]
    plain.append("Not sent: this notice is in the service only")
    why = [f"Why: {REFUSED}", f"Why: {notices.NO_SERVER}"]
    for url in ("/notices", f"/notices/{waiting.id}"):
        body = " ".join(client.get(url).get_data(as_text=True).split())
        everything = url == "/notices"
        assert all(said in body for said in (plain if everything else plain[:1]))
        if role == "qa-officer":  # who see to the mail settings
            assert all(said in body for said in (why if everything else why[:1]))
        else:
            assert "Errno" not in body and "MAIL_SERVER" not in body and "Why:" not in body


def test_with_no_notices_the_page_says_so(client, login_as):
    login_as("auditor")
    body = client.get("/notices").get_data(as_text=True)
    assert "No notices found" in body and "Mark all as read" not in body
    assert navigation_item(body) == "Notices"


def test_the_navigation_counts_unread_notices_in_one_query(client, login_as, count_queries):
    me = login_as("auditor")
    tell(me)
    few = count_queries(lambda: client.get("/"))
    for _ in range(30):
        tell(me)
    assert count_queries(lambda: client.get("/")) == few
    assert navigation_item(client.get("/").get_data(as_text=True)) == "Notices (31 unread)"
