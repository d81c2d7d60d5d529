"""Creating and changing records from forms, each in one transaction with its event; and saving a long
form (an audit, a moderation) with the rows it holds for each domain, as often as its author likes."""

import datetime

from peewee import IntegrityError

from models import GRADES, Event, StaleRecord, db
from services.dates import long_date
from services.errors import RuleBroken

STALE = (
    "Someone else changed this record after you opened this page, so your changes have not been saved. "
    "Check the record as it is now in another tab. Select save again to replace it with what is below."
)
DUPLICATE = "Another record with these details was saved at the same moment. Check the details and try again."


def refuse_unless_open(record, still_open, message):
    """Refuse (RuleBroken with `message`) a change to a record that is submitted, as it is in the database now:
    `still_open` is the condition on its row that says it is not. Inside a change's transaction, the update
    that changes nothing locks the row until the change is written, so a submission cannot come in between."""
    model = type(record)
    unchanged = model.update(version=model.version).where((model.id == record.id) & still_open)
    if record.is_submitted or not unchanged.execute():
        raise RuleBroken(message)


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


def save_with_rows(actor, record, expected_version, values, rows, row_values, row_fields, started=None):
    """Save a form's `values` on `record` and each of `rows` (saved or not yet: an audit's judgements) with its
    `row_values` (dicts of `row_fields`), in one transaction, if nobody saved it since `expected_version`;
    only what changed is written and logged, and `started` ((status before, status after)) moves the
    record's status on at its first change. Returns the names of what changed, or raises Stale."""
    model = type(record)
    changed = {name: value for name, value in values.items() if record.__data__.get(name) != value}
    changed_rows = [
        (row, given)
        for row, given in zip(rows, row_values, strict=True)
        if any(getattr(row, name) != given[name] for name in row_fields)
    ]
    names = list(changed) + [f"domain {row.domain.position}" for row, _ in changed_rows]
    if not names:
        return names
    updates = {getattr(model, name): value for name, value in changed.items()}
    if started and record.status == started[0]:
        updates[model.status] = changed["status"] = started[1]
    try:
        with db.atomic():
            record.save_version(expected_version, updates)
            for row, given in changed_rows:
                for name in row_fields:
                    setattr(row, name, given[name])
                row.save(force_insert=row.id is None)
            Event.record(actor, "changed", record, names)
    except StaleRecord as error:
        raise Stale(model.get_by_id(record.id).version) from error
    for name, value in changed.items():
        setattr(record, name, value)
    return names


def row_differences(record, rows, values, row_values, row_fields):
    """Where a form of `record` and its `rows` (as save_with_rows takes them) differs from what is saved now:
    (form field id, saved, typed), the rows' fields named as a list of subforms names them ("domains-0-grade")."""
    saved, typed = dict(record.__data__), dict(values)
    for index, (row, given) in enumerate(zip(rows, row_values, strict=False)):
        for name in row_fields:
            saved[f"domains-{index}-{name}"] = getattr(row, name)
            typed[f"domains-{index}-{name}"] = given[name]
    return differences(saved, typed)


def differences(saved, typed):
    """Where what was typed differs from what is saved now, both {form field id: value}:
    (form field id, saved, typed), each as a person reads it."""
    return [(name, shown(saved.get(name)), shown(value)) for name, value in typed.items() if saved.get(name) != value]


def shown(value):
    """A saved value as a person reads it: grades by name, yes or no, UK dates."""
    if value is None or value == "":
        return "Empty"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return long_date(value)
    return GRADES.get(value, value)
