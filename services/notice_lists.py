"""The list of every notice sent (the outbox, models.Notice), for the QA team who see the event log: whether each was
read and emailed, newest first, by email status, the days it was written in and its recipient; and its rows as a
download. A notice's subject holds no child's details beyond the case reference; its body is not listed.

A page is read in order from the index of notices by when they were written, notice_created_at_id (created_at, id),
or of one email status's, notice_email_status_created_at_id (migration 0034), which its count reads too."""

import datetime

from models import Notice, User
from services.dates import UK_TIME, uk_time


def matching(email_status=None, first_day=None, last_day=None, recipient="", in_order=False):
    """The conditions, on the notice's own columns, for notices with this email status, written from `first_day` to
    `last_day` (days in the UK; either may be None), to someone whose name or email address holds the text
    `recipient`."""
    conditions = []
    if email_status:
        # A page and its count read the index of each status's notices by when they were written.
        conditions.append(Notice.email_status == email_status)
    if first_day:
        conditions.append(Notice.created_at >= day_starts(first_day))
    if last_day:
        conditions.append(Notice.created_at < day_starts(last_day + datetime.timedelta(days=1)))
    if recipient:
        # A page (`in_order`) reads the index of the list's order, skipping others' notices: through the index of
        # recipients, theirs would be sorted for every page (`+ 0` keeps that index out). A count uses it.
        people = User.select(User.id).where(User.name.contains(recipient) | User.email.contains(recipient))
        whose = Notice.recipient + 0 if in_order else Notice.recipient
        conditions.append(whose.in_(people))
    return conditions


def day_starts(day):
    """When `day` starts in the UK (GMT or BST), in UTC as the database keeps times."""
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=UK_TIME)
    return start.astimezone(datetime.UTC).replace(tzinfo=None)


def listing(**filters):
    """The notices the filters find (see `matching`), newest first, with their recipient: not their body."""
    query = Notice.select(
        *(Notice.id, Notice.created_at, Notice.subject, Notice.read_at, Notice.email_status, Notice.attempts),
        *(Notice.sent_at, Notice.last_error, User.id, User.name, User.email),
    ).join(User)
    conditions = matching(**filters, in_order=True)
    return (query.where(*conditions) if conditions else query).order_by(Notice.created_at.desc(), Notice.id.desc())


def counted(**filters):
    """The notices `listing` finds, on the notice table alone: what a count needs."""
    conditions = matching(**filters)
    query = Notice.select(Notice.id)
    return query.where(*conditions) if conditions else query


EXPORT_HEADER = [
    "Written",
    "Recipient",
    "Recipient's email address",
    "Subject",
    "Read",
    "Email",
    "Attempts",
    "Sent",
    "Last error",
]


def export_row(notice):
    """A notice of `listing` as a row of the list's download, its times as they were in the UK."""
    return [
        *(uk_time(notice.created_at), notice.recipient.name, notice.recipient.email, notice.subject),
        notice.read_at is not None,
        *(Notice.EMAIL_STATUSES[notice.email_status], notice.attempts),
        uk_time(notice.sent_at) if notice.sent_at else None,
        notice.last_error,
    ]
