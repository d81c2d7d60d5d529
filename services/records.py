"""Creating and changing records from forms, each in one transaction with its event."""

from peewee import IntegrityError

from models import Event, StaleRecord, db
from services.errors import RuleBroken

STALE = (
    "Someone else changed this record after you opened this page, so your changes have not been saved. "
    "Check the record as it is now in another tab. Select save again to replace it with what is below."
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


class Stale(RuleBroken):
    """A save refused because the record changed since the form was loaded; `current_version` is its version now."""

    def __init__(self, current_version):
        super().__init__(STALE)
        self.current_version = current_version


def update(actor, record, expected_version, links=None, **values):
    """Save `values` on `record` if nobody changed it since `expected_version`.

    Only what changed is written and logged; the record itself is changed only once saved."""
    model = type(record)
    # Compare stored values: a foreign key's is the id, whether given an id or a record.
    changed = {
        name: value for name, value in values.items() if record.__data__.get(name) != getattr(value, "id", value)
    }
    try:
        with db.atomic():
            fields = list(changed) + (links(record) if links else [])
            if fields:
                # Checked after the links are written, so a stale save rolls them back too.
                record.save_version(expected_version, {getattr(model, name): value for name, value in changed.items()})
                Event.record(actor, "changed", record, fields)
    except StaleRecord as error:
        raise Stale(model.get_by_id(record.id).version) from error
    except IntegrityError as error:
        raise RuleBroken(DUPLICATE) from error
    for name, value in changed.items():
        setattr(record, name, value)
    return record
