"""Creating and changing records from forms, each in one transaction with its event."""

from peewee import IntegrityError

from models import Event, StaleRecord, db
from services.errors import RuleBroken

STALE = (
    "Someone else changed this record after you opened this page, so your changes have not been saved. "
    "Check the record as it is now, then make your changes again."
)
DUPLICATE = "Another record with these details was saved at the same moment. Check the details and try again."


def create(actor, model, links=None, **values):
    """Create a record. `links(record)` saves its many-to-many links in the same
    transaction and returns the names of what it changed."""
    try:
        with db.atomic():
            record = model.create(**values)
            fields = list(values) + (links(record) if links else [])
            Event.record(actor, "created", record, fields)
    except IntegrityError as error:
        raise RuleBroken(DUPLICATE) from error
    return record


def update(actor, record, expected_version, links=None, **values):
    """Save `values` on `record` if nobody changed it since `expected_version`."""
    model = type(record)
    # Compare stored values: a foreign key's is the id, whether given an id or a record.
    changed = [name for name, value in values.items() if record.__data__.get(name) != getattr(value, "id", value)]
    for name, value in values.items():
        setattr(record, name, value)
    try:
        with db.atomic():
            record.save_version(expected_version, [getattr(model, name) for name in values])
            changed += links(record) if links else []
            Event.record(actor, "changed", record, changed)
    except StaleRecord as error:
        raise RuleBroken(STALE) from error
    except IntegrityError as error:
        raise RuleBroken(DUPLICATE) from error
    return record
