"""Notices: the outbox rows a change writes for the people it concerns (models.Notice), the list each
person reads theirs in, and emailing them.

A notice is written in the same transaction as the change it is about, so it exists if and only if
the change does. The job (`flask --app app run-jobs`, services/jobs.py) then emails the waiting ones.
It claims each with a conditional UPDATE, committed before the email goes, so that two runs at once
send each email once; a failure is tried again later, less and less often, and never dropped. A claim
runs from the moment it is made, however long the run has taken so far, and a run that failed to send
one changes it only while its claim is the one the notice holds."""

import datetime
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from time import monotonic

from peewee import SQL, fn

from models import Event, Notice, User, db

BATCH = 100  # the most one run emails, longest due first
CLAIM = datetime.timedelta(minutes=10)  # how long a run has to send a notice it claimed before another may
LONGEST_WAIT = 60  # minutes between tries of a notice that keeps failing, at most
SMTP_TIMEOUT = 30  # seconds

NO_SERVER = "No mail server is set (MAIL_SERVER), so this notice is in the service only."
NO_SENDER = "No sender address is set (MAIL_FROM), so no email can be sent."
ACCOUNT_DISABLED = "The account it is for is disabled, so it was not emailed."

# What the link of a notice opens, by the start of its path.
LINK_TEXTS = {
    "/immediate-responses/": "Open the Immediate Response",
    "/moderations/": "Open the moderation",
    "/moderations": "Open your moderations",
    "/audits/": "Open the audit",
    "/team-actions/": "Open the action",
    "/team-audits/": "Read the audit",
    "/action-reviews": "Open the four-month review",
    "/team-actions": "Open your team actions",
}


def notify(recipients, subject, body, link):
    """Write one notice for each distinct active person of `recipients` (Users; None is passed over),
    in the caller's transaction, so that it is kept if and only if the change it is about is. The
    `subject` and `body` are emailed: they hold no child's details beyond the case reference. `link`
    is the path in the service that says the rest. Returns how many were written."""
    people = {person.id: person for person in recipients if person is not None and person.active}
    subject = " ".join(subject.split())  # one line: an email's subject cannot hold a line break
    rows = [{"recipient": person_id, "subject": subject, "body": body, "link": link} for person_id in people]
    if rows:
        Notice.insert_many(rows).execute()
    return len(rows)


def link_text(link):
    """The words for a notice's link: what it opens."""
    return next((text for start, text in LINK_TEXTS.items() if link.startswith(start)), "Open it")


# The notices a person reads in the service.


def unread_count(user):
    """How many of `user`'s notices are unread: one COUNT, from the index of (recipient, read_at)."""
    unread = (Notice.recipient == user.id) & Notice.read_at.is_null()
    return Notice.select(fn.COUNT(SQL("*"))).where(unread).scalar()


def for_recipient(user):
    """`user`'s notices, newest first, with what their list shows (services/pagination.py pages it)."""
    return (
        Notice.select(
            *(Notice.id, Notice.created_at, Notice.subject, Notice.read_at),
            *(Notice.email_status, Notice.last_error, Notice.sent_at),
        )
        .where(Notice.recipient == user.id)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
    )


def counted(user):
    """The notices `for_recipient` finds, on the notice table alone: what a count needs."""
    return Notice.select(Notice.id).where(Notice.recipient == user.id)


def own(user):
    """The notices `user` may open: their own."""
    return Notice.select().where(Notice.recipient == user.id)


def mark_read(notice, now):
    """Mark the notice read, when its recipient first opens it. The notice keeps when (read_at): no event,
    as opening one changes nothing anyone else sees."""
    if notice.read_at is None:
        Notice.update(read_at=now).where((Notice.id == notice.id) & Notice.read_at.is_null()).execute()
        notice.read_at = now


def mark_all_read(user, now):
    """Mark every unread notice of `user` read, with an event, since none of them was opened; returns how many."""
    with db.atomic():
        marked = Notice.update(read_at=now).where((Notice.recipient == user.id) & Notice.read_at.is_null()).execute()
        if marked:
            Event.record(user, "marked all notices read", user)
    return marked


# Emailing them.


@dataclass
class Delivery:
    """What one run of `deliver` did."""

    sent: int = 0
    retrying: int = 0
    errors: list = field(default_factory=list)  # why those to try again failed
    not_sent: int = 0
    because: list = field(default_factory=list)  # why the others will not be emailed ("no mail server is set")

    @property
    def did_something(self):
        return bool(self.sent or self.retrying or self.not_sent)

    def __str__(self):
        said = []
        if self.sent:
            said.append(f"Sent {count(self.sent)} by email.")
        if self.retrying:
            errors = "; ".join(dict.fromkeys(error.rstrip(".") for error in self.errors))
            said.append(f"{count(self.retrying)} could not be sent and will be tried again: {errors}.")
        if self.not_sent:
            said.append(f"{count(self.not_sent)} will not be emailed, as {' and '.join(dict.fromkeys(self.because))}.")
        return " ".join(said) or "No notices were waiting to be emailed."


def count(number, noun="notice"):
    return f"{number} {noun}{'' if number == 1 else 's'}"


def deliver(config, now, batch=BATCH):
    """Email the waiting notices that are due (at most `batch`, longest due first) over one SMTP
    connection, with the MAIL_* settings of `config`; returns what it did (a Delivery). Without a mail
    server, every waiting notice is marked as in the service only, saying why."""
    # Each claim must be committed before its email goes, so that another run leaves that notice alone.
    if db.in_transaction():
        raise RuntimeError("Deliver notices outside a transaction: each claim must be committed before sending")
    if not config["MAIL_SERVER"]:
        marked = in_service_only(NO_SERVER)
        return Delivery(not_sent=marked, because=["no mail server is set (MAIL_SERVER)"])
    delivery = Delivery()
    clock = run_clock(now)
    with Mailer(config) as mailer:
        for notice_id in due(now, batch):
            claimed = claim(notice_id, clock())
            if not claimed:
                continue  # another run has it, or has sent it since
            notice = Notice.select(Notice, User).join(User).where(Notice.id == notice_id).get()
            if not notice.recipient.active:
                in_service_only(ACCOUNT_DISABLED, Notice.id == notice.id, Notice.claimed_until == claimed)
                delivery.not_sent += 1
                delivery.because.append("the account it is for is disabled")
                continue
            try:
                mailer.send(email_for(notice, config, clock()))
            except Exception as error:  # whatever stops an email is kept on its notice, to be seen and tried again
                delivery.retrying += 1
                delivery.errors.append(failed(notice, claimed, error, clock()))
            else:
                sent(notice, clock())
                delivery.sent += 1
    return delivery


def run_clock(now):
    """The time during a run that started at `now`: `now` and however long the run has taken since. Emails
    can be slow, so a run's later claims are made from the time they are made, not from its start."""
    started = monotonic()
    return lambda: now + datetime.timedelta(seconds=monotonic() - started)


def due(now, batch):
    """The ids of the waiting notices due to be tried that no run is sending, longest due first."""
    query = Notice.select(Notice.id).where(waiting_and_due(now)).order_by(Notice.next_attempt_at, Notice.id)
    return [notice.id for notice in query.limit(batch)]


def waiting_and_due(now):
    return (
        (Notice.email_status == "waiting")
        & (Notice.next_attempt_at <= now)
        & (Notice.claimed_until.is_null() | (Notice.claimed_until < now))
    )


def claim(notice_id, now):
    """Claim the notice for this run until CLAIM after `now` (the time as it is claimed), if it is still
    waiting, due and unclaimed; returns the claim (when it runs out), or None. The UPDATE checks all three
    as it writes (SQLite runs one writer at a time, from BEGIN IMMEDIATE; PostgreSQL's second UPDATE of a
    row waits for the first to commit, then checks again), so only one run claims it. The claim is the
    run's token too: another run can only claim the notice after it, so no two claims are equal."""
    claimed_until = now + CLAIM
    with db.atomic():
        claimed = Notice.update(claimed_until=claimed_until).where((Notice.id == notice_id) & waiting_and_due(now))
        return claimed_until if claimed.execute() == 1 else None


def sent(notice, now):
    """Record the email sent, if the notice is still waiting. That takes no claim: even when this run's
    claim ran out while the email was going, and another run has claimed the notice since, the email has
    gone, and recording it is what stops another. The other run's `failed` then finds its claim gone and
    changes nothing, and its `sent` finds the notice sent already."""
    with db.atomic():
        Notice.update(
            email_status="sent", sent_at=now, attempts=Notice.attempts + 1, claimed_until=None, last_error=""
        ).where((Notice.id == notice.id) & (Notice.email_status == "waiting")).execute()


def failed(notice, claimed, error, now):
    """Keep the notice waiting, to be tried again after a wait that doubles with each try (1, 2, 4 ...
    minutes, up to an hour), if it is still this run's (`claimed`): when another run has claimed it since,
    that run says what becomes of it. Returns why it failed, as the notice keeps it."""
    attempts = notice.attempts + 1
    reason = why(error)
    wait = datetime.timedelta(minutes=min(2 ** (attempts - 1), LONGEST_WAIT))
    with db.atomic():
        Notice.update(
            attempts=Notice.attempts + 1, next_attempt_at=now + wait, claimed_until=None, last_error=reason
        ).where((Notice.id == notice.id) & (Notice.claimed_until == claimed)).execute()
    return reason


def why(error):
    """An error from sending an email, as a sentence for the notice and the job's output."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        [(address, (code, answer))] = error.recipients.items()
        return f"The mail server refused the address {address}: {code} {answer.decode(errors='replace')}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server answered {error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    return str(error) or type(error).__name__


def in_service_only(reason, *conditions):
    """Mark the waiting notices (those meeting `conditions`) as not to be emailed, saying why; returns how many."""
    with db.atomic():
        return (
            Notice.update(email_status="not-sent", claimed_until=None, last_error=reason)
            .where(Notice.email_status == "waiting", *conditions)
            .execute()
        )


def email_for(notice, config, now):
    """The email for a notice: its subject and body (which hold no child's details beyond the case
    reference), then where the rest is in the service, signed by the service and the council."""
    base = config["SERVICE_URL"].rstrip("/")
    where = f"{base}{notice.link}" if base else f"the page {notice.link} of {config['SERVICE_NAME']}"
    message = EmailMessage()
    message["Subject"] = notice.subject
    message["From"] = config["MAIL_FROM"]
    message["To"] = notice.recipient.email
    message["Date"] = format_datetime(now.replace(tzinfo=datetime.UTC), usegmt=True)
    # The same at every try, so that a mail system can tell a second copy from a new email.
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<notice-{notice.id}-{notice.created_at:%Y%m%d%H%M%S}@{domain}>"
    message.set_content(
        f"{notice.body}\n\n"
        f"{link_text(notice.link)} in the service (you may be asked to sign in): {where}\n\n"
        f"{config['SERVICE_NAME']}\n{config['COUNCIL_NAME']}\n"
    )
    return message


class Mailer:
    """One SMTP connection for a run, opened for its first email. When the server cannot be reached,
    the run's other emails fail at once with the same error, rather than each waiting to time out."""

    def __init__(self, config):
        self.config = config
        self.smtp = None
        self.unreachable = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def send(self, message):
        if self.unreachable is not None:
            raise self.unreachable
        if self.smtp is None:
            try:
                self.smtp = self.connect()
            except Exception as error:
                self.unreachable = error
                raise
        try:
            self.smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
            raise  # the server refused this email, and the connection is still good for the next
        except OSError:
            self.close()  # the connection is lost: the next email opens another
            raise

    def connect(self):
        """A connection to the mail server, secured (STARTTLS) and signed in to as the settings say."""
        config = self.config
        if not config["MAIL_FROM"]:
            raise MailUnavailable(NO_SENDER)
        server = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
        try:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT)
        except OSError as error:
            raise MailUnavailable(f"Could not connect to the mail server {server}: {error}") from error
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self):
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except OSError:
            self.smtp.close()  # the server has gone already
        self.smtp = None


class MailUnavailable(Exception):
    """The mail server cannot be used: a setting is missing, or it cannot be reached."""
