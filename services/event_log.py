"""Reading the event log: a page of it, how many events a filter finds, and its kinds of record.

The log grows by about 26 rows an audit (over 600,000 at six years of a big council), so nothing
here reads it whole: pages come from its indexes (migration 0006), and its size and kinds of record
from the tally the database keeps as each event is written (migration 0007)."""

from peewee import JOIN, fn

from models import Event, EventTally, User
from services.dates import uk_time


def matching(record_type="", record_id=None, user_id=None):
    """The conditions for events about this kind of record, this record, or by this person."""
    conditions = []
    if record_type:
        conditions.append(Event.record_type == record_type)
    if record_id is not None:
        conditions.append(Event.record_id == record_id)
    if user_id is not None:
        conditions.append(Event.user == user_id)
    return conditions


def search(**filters):
    """Events, newest first (the order they were written in), narrowed by the filters."""
    query = Event.select(
        *(Event.id, Event.at, Event.action, Event.record_type, Event.record_id, Event.fields),
        *(User.id, User.name),
    ).join(User, join_type=JOIN.LEFT_OUTER)
    conditions = matching(**filters)
    return (query.where(*conditions) if conditions else query).order_by(Event.id.desc())


EXPORT_HEADER = ["When", "Who", "What", "Record", "Record number", "Fields"]


def export_row(event):
    """An event as a row of the log's download: its time as it was in the UK."""
    who = event.user.name if event.user else "The system"
    return [uk_time(event.at), who, event.action, event.record_type, event.record_id, event.fields]


def total(record_type="", **filters):
    """How many events `search` finds: the tally's figure when no record or person is named, else
    the events themselves to count, from the log's indexes (services.pagination counts either)."""
    if any(value is not None for value in filters.values()):
        return Event.select(Event.id).where(*matching(record_type, **filters))
    tallies = EventTally.select(fn.SUM(EventTally.count))
    return (tallies.where(EventTally.record_type == record_type) if record_type else tallies).scalar() or 0


def record_types():
    """The kinds of record the log holds events about, by name."""
    return [tally.record_type for tally in EventTally.select(EventTally.record_type).order_by(EventTally.record_type)]
