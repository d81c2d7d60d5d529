"""The outbox of notices: written with the change they are about, emailed once each through a real SMTP
server (tests/mail.py), kept and tried again while the server is down, never lost."""

import datetime
import threading

import pytest

from models import Notice, db, utcnow
from services import notices
from services.notices import deliver, notify

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def person(make_user):
    return make_user(email="sam.manager@council.example.org")


def tell(*people, subject="Immediate Response raised: case TEST-00001", link="/immediate-responses/7"):
    notify(people, subject, "Sam Auditor raised an Immediate Response on case TEST-00001.", link)


def test_notify_writes_one_notice_for_each_active_person_once(make_user, person):
    other, disabled = make_user(), make_user(active=False)
    with db.atomic():
        written = notify([person, other, person, None, disabled], "Two\nlines", "Body", "/immediate-responses/1")
    assert written == 2
    assert sorted(notice.recipient_id for notice in Notice.select()) == sorted([person.id, other.id])
    assert {notice.subject for notice in Notice.select()} == {"Two lines"}
    assert all(notice.email_status == "waiting" and notice.read_at is None for notice in Notice.select())


def test_a_notice_is_kept_only_if_the_change_it_is_about_is(person):
    with db.atomic() as transaction:
        tell(person)
        transaction.rollback()
    assert Notice.select().count() == 0


@pytest.mark.app_config(SERVICE_URL="https://audit.council.example.org/")
def test_a_notice_is_emailed_once_to_its_recipient_with_the_link_to_the_rest(app, mail_server, person):
    tell(person)
    now = utcnow()
    delivery = deliver(app.config, now)
    assert str(delivery) == "Sent 1 notice by email."
    [email] = mail_server.messages
    assert email["To"] == "sam.manager@council.example.org"
    assert email["From"] == "Case file audit <caseaudit@council.example.org>"
    assert email["Subject"] == "Immediate Response raised: case TEST-00001"
    text = email.get_content()
    assert "Sam Auditor raised an Immediate Response on case TEST-00001." in text
    assert "Open the Immediate Response in the service" in text
    assert "https://audit.council.example.org/immediate-responses/7" in text
    assert text.rstrip().endswith("Case file audit\nExample Council")
    notice = Notice.get()
    assert (notice.email_status, notice.attempts, notice.last_error) == ("sent", 1, "")
    assert now <= notice.sent_at < now + MINUTE, "when it was sent, in the run that started at `now`"
    assert str(deliver(app.config, now + MINUTE)) == "No notices were waiting to be emailed."
    assert len(mail_server.messages) == 1


def test_without_a_service_url_the_email_names_the_page(app, mail_server, person):
    tell(person, link="/cases/3")
    deliver(app.config, utcnow())
    assert "Open it in the service (you may be asked to sign in): the page /cases/3 of Case file audit" in (
        mail_server.messages[0].get_content()
    )


def test_while_the_server_is_down_a_notice_waits_and_is_tried_again_less_and_less_often(app, mail_server, person):
    tell(person)
    mail_server.stop()
    now = utcnow()
    waits = []
    for _ in range(8):
        delivery = deliver(app.config, now)
        assert (delivery.sent, delivery.retrying) == (0, 1)
        notice = Notice.get()
        waits.append((notice.next_attempt_at - now) // MINUTE)
        assert deliver(app.config, notice.next_attempt_at - MINUTE / 2).retrying == 0, "not before its time"
        now = notice.next_attempt_at
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    assert (notice.email_status, notice.attempts) == ("waiting", 8)
    assert notice.last_error.startswith(f"Could not connect to the mail server 127.0.0.1:{mail_server.port}")
    assert "will be tried again: Could not connect to the mail server" in str(delivery)

    mail_server.start()
    assert deliver(app.config, now).sent == 1
    assert [email["To"] for email in mail_server.messages] == [person.email]
    assert Notice.get().email_status == "sent"


def test_when_the_server_is_down_every_due_notice_is_tried_at_once_and_kept(app, mail_server, make_user):
    people = [make_user() for _ in range(5)]
    tell(*people)
    mail_server.stop()
    assert deliver(app.config, utcnow()).retrying == 5
    assert {(notice.email_status, notice.attempts) for notice in Notice.select()} == {("waiting", 1)}


def test_a_refused_address_waits_and_the_other_emails_still_go(app, mail_server, person, make_user):
    other = make_user()
    mail_server.refused.add(person.email)
    tell(person, other)
    delivery = deliver(app.config, utcnow())
    assert (delivery.sent, delivery.retrying) == (1, 1)
    assert [email["To"] for email in mail_server.messages] == [other.email]
    refused = Notice.get(Notice.recipient == person)
    assert refused.email_status == "waiting" and refused.attempts == 1
    assert refused.last_error == f"The mail server refused the address {person.email}: 550 5.1.1 No such mailbox here"


def test_without_a_sender_address_notices_wait_and_say_why(app, mail_server, person):
    app.config["MAIL_FROM"] = ""
    tell(person)
    assert deliver(app.config, utcnow()).retrying == 1
    assert Notice.get().last_error == notices.NO_SENDER
    assert mail_server.messages == []


def test_a_notice_for_an_account_disabled_since_is_not_emailed(app, mail_server, person):
    tell(person)
    person.update(active=False).where(type(person).id == person.id).execute()
    delivery = deliver(app.config, utcnow())
    assert str(delivery) == "1 notice will not be emailed, as the account it is for is disabled."
    assert (Notice.get().email_status, Notice.get().last_error) == ("not-sent", notices.ACCOUNT_DISABLED)
    assert mail_server.messages == []


def test_without_a_mail_server_notices_are_in_the_service_only_and_say_why(app, make_user):
    assert app.config["MAIL_SERVER"] == ""
    tell(make_user(), make_user())
    delivery = deliver(app.config, utcnow())
    assert str(delivery) == "2 notices will not be emailed, as no mail server is set (MAIL_SERVER)."
    assert {(notice.email_status, notice.last_error) for notice in Notice.select()} == {
        ("not-sent", "No mail server is set (MAIL_SERVER), so this notice is in the service only.")
    }
    assert str(deliver(app.config, utcnow())) == "No notices were waiting to be emailed."


def test_a_notice_claimed_by_a_run_that_stopped_is_sent_once_its_claim_runs_out(app, mail_server, person):
    tell(person)
    now = utcnow()
    assert notices.claim(Notice.get().id, now)
    assert deliver(app.config, now + MINUTE).sent == 0, "another run is sending it"
    assert deliver(app.config, now + notices.CLAIM + MINUTE).sent == 1
    assert len(mail_server.messages) == 1


def test_a_run_takes_at_most_a_batch_longest_due_first(app, mail_server, make_user):
    people = [make_user() for _ in range(3)]
    for someone in people:
        tell(someone)
    assert deliver(app.config, utcnow(), batch=2).sent == 2
    assert [email["To"] for email in mail_server.messages] == [people[0].email, people[1].email]
    assert deliver(app.config, utcnow(), batch=2).sent == 1


def test_delivering_inside_a_transaction_is_refused(app, mail_server):
    with db.atomic(), pytest.raises(RuntimeError, match="outside a transaction"):
        deliver(app.config, utcnow())


def test_two_runs_at_once_send_each_email_exactly_once(app, mail_server, make_user):
    people = [make_user() for _ in range(30)]
    tell(*people)
    mail_server.delay = 0.005  # so that the two runs' claims interleave
    now = utcnow()
    start = threading.Barrier(2)
    deliveries, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            with db.connection_context():  # each thread its own connection from the pool
                deliveries.append(deliver(app.config, now))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(delivery.sent for delivery in deliveries) == 30
    assert all(delivery.sent for delivery in deliveries), "the two runs shared the work"
    assert sorted(email["To"] for email in mail_server.messages) == sorted(someone.email for someone in people)
    assert {(notice.email_status, notice.attempts) for notice in Notice.select()} == {("sent", 1)}


def test_a_run_slower_than_a_claim_lasts_does_not_let_another_run_send_its_emails_again(
    app, mail_server, person, make_user, monkeypatch
):
    other = make_user()
    tell(person, other)
    elapsed = [0.0]  # seconds since the first run started, on the runs' clock
    monkeypatch.setattr(notices, "monotonic", lambda: elapsed[0])
    send, start, second_run = notices.Mailer.send, utcnow(), []

    def slow(mailer, message):
        if message["To"] == other.email and not second_run:
            # A minute after the first run claimed its second notice, another run starts.
            elapsed[0] += 60
            second_run.append(None)
            second_run[0] = deliver(app.config, start + datetime.timedelta(seconds=elapsed[0]))
        send(mailer, message)
        elapsed[0] += (notices.CLAIM + MINUTE).total_seconds()  # each email takes longer than a claim lasts

    monkeypatch.setattr(notices.Mailer, "send", slow)
    assert deliver(app.config, start).sent == 2
    assert second_run[0].sent == 0, "the second notice was claimed when the first run came to it"
    assert [len(mail_server.to(someone.email)) for someone in (person, other)] == [1, 1]
    assert {(notice.email_status, notice.attempts) for notice in Notice.select()} == {("sent", 1)}


def test_a_run_whose_claim_ran_out_leaves_the_notice_to_the_run_that_claimed_it_since(app, mail_server, person):
    tell(person)
    notice, start = Notice.get(), utcnow()
    first = notices.claim(notice.id, start)
    later = start + notices.CLAIM + MINUTE
    assert notices.claim(notice.id, later), "the first run's claim ran out while its email was going"
    notices.failed(notice, first, TimeoutError("timed out"), later)
    assert deliver(app.config, later + 2 * MINUTE).sent == 0, "a third run waits for the second"
    assert Notice.get().attempts == 0
    assert mail_server.messages == []


def test_an_email_that_went_after_its_claim_ran_out_is_recorded_sent_and_not_sent_again(app, mail_server, person):
    tell(person)
    notice, start = Notice.get(), utcnow()
    assert notices.claim(notice.id, start)
    later = start + notices.CLAIM + MINUTE
    second = notices.claim(notice.id, later)
    notices.sent(notice, later)
    notices.failed(notice, second, TimeoutError("timed out"), later)
    assert (Notice.get().email_status, Notice.get().attempts) == ("sent", 1)
    assert deliver(app.config, later + notices.CLAIM + notices.CLAIM).sent == 0
