"""Rows in bulk for the benchmarks' data (scale_data.py, scale_areas.py, scale_actions.py): inserted (or updated)
through the project's models a batch at a time, with filler text of a realistic length."""

from peewee import chunked

from models import db
from services.audits import GRADE_ORDER

BATCH = 500
FULL_LISTS = 30  # rows enough to fill more than one page of 25, whatever the size
WORDS = (
    "the child was seen alone and their wishes are recorded the plan names who does what by when "
    "supervision shows the risks were reviewed school attendance has improved since the core group met "
    "the chronology is up to date and the contingency plan is clear to the family and every professional"
).split()


def sentence(rng, words):
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def insert(model, rows):
    """Insert `rows` (dicts) in batches; returns the new ids in order. A row may leave out a column another
    sets: it gets the column's default, or NULL."""
    ids = []
    for batch in chunked(rows, BATCH):
        query = model.insert_many(batch, fields=columns(model, batch))
        ids += [row[0] for row in query.returning(model.id).tuples().execute()]
    return ids


def insert_all(model, rows):
    """Insert `rows` (dicts), as `insert` does, when their ids are not needed: peewee's statement for one row,
    run for every row, each value as the model's field stores it. Much quicker than peewee writing out
    each batch's statement, value by value, for the hundreds of thousands of event-log rows."""
    if not rows:
        return
    fields = columns(model, rows)
    given = {field.name for field in fields}  # by name: a field's == builds an expression
    fields += [f for f in model._meta.sorted_fields if f.default is not None and f.name not in given]
    missing = object()

    def value(row, field):
        given = row.get(field.name, missing)
        if given is missing:
            given = field.default() if callable(field.default) else field.default
        return field.db_value(given)

    values = [tuple(value(row, field) for field in fields) for row in rows]
    sql, _ = model.insert_many(values[:1], fields=fields).sql()  # a mark for each value: one row's statement
    cursor = db.cursor()
    for batch in chunked(values, BATCH * 10):
        cursor.executemany(sql, batch)


def update_all(model, rows):
    """Set columns of rows already inserted: `rows` (dicts) each with the row's "id" and the same other columns,
    one UPDATE statement run for every row, as `insert_all` inserts them."""
    if not rows:
        return
    fields = sorted((model._meta.fields[name] for name in rows[0] if name != "id"), key=lambda f: f._sort_key)
    sql, _ = model.update({field: None for field in fields}).where(model.id == 0).sql()  # peewee's column order
    values = [(*(field.db_value(row[field.name]) for field in fields), row["id"]) for row in rows]
    cursor = db.cursor()
    for batch in chunked(values, BATCH * 10):
        cursor.executemany(sql, batch)


def columns(model, rows):
    """Every column any of `rows` sets: peewee would otherwise take only the first row's."""
    return [getattr(model, name) for name in dict.fromkeys(name for row in rows for name in row)]


def event(at, user, action, record_type, record_id, fields=""):
    """An event-log row, as models.Event.record writes it."""
    return {
        "at": at,
        "user": user,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "fields": fields,
    }


def near(rng, grade):
    """A grade around `grade` (an audit's overall grade, or what several people agree on): the same, or one
    step either side."""
    index = GRADE_ORDER.index(grade) + rng.choices((0, -1, 1), weights=(6, 2, 2))[0]
    return GRADE_ORDER[min(max(index, 0), len(GRADE_ORDER) - 1)]
