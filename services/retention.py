"""Retention (UK GDPR storage limitation; the council's Retention and Destruction of Records Procedure, seed 002): a
closed case's records are removed once they have been kept RECORD_RETENTION_YEARS after it closed, and the event log
and the record of who has looked lose their rows older than LOG_RETENTION_YEARS. A case on legal hold, a case within
its time and an open case are never removed. The periodic job removes each case in a transaction of its own, and
writes what it removed to the event log (counts and the case's reference, nothing about the child); the dry run,
which a QA officer reads first, finds the same by the same rule."""

import datetime
from collections import Counter
from dataclasses import dataclass

from peewee import fn

from models import AccessRecord, Case, Event, User, db, utcnow
from services import records

SHORTEST_YEARS = 1  # the database refuses to remove a log row less than a year old (migrations 0037 and 0038)


def years_before(day, years):
    """The same day `years` earlier (the 28th of February for the 29th, in a year without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def is_due(is_open, closed_on, held_because, today, years):
    """Whether a case is past its time: closed, not on hold, and closed before the day `years` before `today`."""
    return not is_open and not held_because and closed_on is not None and closed_on < years_before(today, years)


@dataclass(frozen=True)
class Policy:
    """How long records are kept, in whole years, from the settings."""

    record_years: int
    log_years: int

    @classmethod
    def of(cls, config):
        policy = cls(config["RECORD_RETENTION_YEARS"], config["LOG_RETENTION_YEARS"])
        if min(policy.record_years, policy.log_years) < SHORTEST_YEARS:
            raise ValueError(
                f"RECORD_RETENTION_YEARS and LOG_RETENTION_YEARS must be at least {SHORTEST_YEARS}: the database "
                "keeps the logs a year whatever they say."
            )
        return policy

    def log_cutoff(self, today):
        """Log rows written before this moment (midnight, UTC) are past their time."""
        return datetime.datetime.combine(years_before(today, self.log_years), datetime.time())


def hold(actor, case, expected_version, reason):
    """Put the case on legal hold for `reason` (or give the hold a new reason): nothing of it is removed while held."""
    return records.update(actor, case, expected_version, held_because=reason, held_by=actor, held_at=utcnow())


def release(actor, case, expected_version):
    """Release the case's legal hold: once past its time, the next run removes it."""
    return records.update(actor, case, expected_version, held_because="", held_by=None, held_at=None)


def cases_due(policy, today):
    """The cases past their time, the longest closed first: the same rule as `is_due`, in SQL."""
    return (
        Case.select(Case.id, Case.reference, Case.closed_on)
        .where(
            ~Case.is_open
            & (Case.held_because == "")
            & Case.closed_on.is_null(False)
            & (Case.closed_on < years_before(today, policy.record_years))
        )
        .order_by(Case.closed_on, Case.id)
    )


def cases_held():
    """The cases on legal hold, with who put each on hold and why."""
    return (
        Case.select(Case, User)
        .join(User, on=(Case.held_by == User.id))
        .where(Case.held_because != "")
        .order_by(Case.held_at, Case.id)
    )


def logs_due(policy, today):
    """How many rows of the event log and of the record of who has looked are past their time."""
    cutoff = policy.log_cutoff(today)
    return {
        "events": Event.select(fn.COUNT(Event.id)).where(Event.at < cutoff).scalar(),
        "views": AccessRecord.select(fn.COUNT(AccessRecord.id)).where(AccessRecord.at < cutoff).scalar(),
    }


def contents(case):
    """Every record that is part of `case`, as (model, query): those found by following the foreign keys that lead
    to it (peewee's walk for a recursive delete), the furthest from the case first, so that nothing is removed while
    a record that refers to it remains."""
    found = [(foreign_key.model, query) for query, foreign_key in case.dependencies(search_nullable=True)]
    models = {model for model, _ in found}

    def distance(model, path=()):
        parents = [parent for parent in model._meta.refs.values() if parent in models and parent not in path + (model,)]
        return 1 + max((distance(parent, path + (model,)) for parent in parents), default=0)

    return sorted(found, key=lambda pair: -distance(pair[0]))


def remove_case(case):
    """Remove the case and everything of it in one transaction, with an event saying how many of what went.
    Returns the counts by kind of record."""
    removed = Counter()
    with db.atomic():
        for model, query in contents(case):
            removed[model.__name__] += model.delete().where(query).execute()
        removed["Case"] += Case.delete().where(Case.id == case.id).execute()
        summary = ", ".join(f"{count} {name}" for name, count in sorted(removed.items()) if count)
        Event.create(
            action=f"removed by retention: case {case.reference}"[:255],
            record_type="Case",
            record_id=case.id,
            fields=summary[:255],
        )
    return removed


def remove_logs(policy, today):
    """Remove the log rows past their time in one transaction, writing how many went. Returns the counts."""
    cutoff = policy.log_cutoff(today)
    with db.atomic():
        counts = {
            "events": Event.delete().where(Event.at < cutoff).execute(),
            "views": AccessRecord.delete().where(AccessRecord.at < cutoff).execute(),
        }
        if any(counts.values()):
            Event.create(
                action="removed by retention: the logs",
                record_type="Event",
                fields=f"{counts['events']} events, {counts['views']} views written before {cutoff:%d %B %Y}",
            )
    return counts


def run(policy, today):
    """The periodic job's part: remove every case past its time, each on its own, then the logs. Returns what went:
    the cases' references and the log rows removed."""
    references = []
    for case in list(cases_due(policy, today)):
        remove_case(case)
        references.append(case.reference)
    return references, remove_logs(policy, today)
