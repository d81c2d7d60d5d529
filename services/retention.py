"""Retention (UK GDPR storage limitation; the council's Retention and Destruction of Records Procedure, seed 002): a
closed case's records are removed once they have been kept RECORD_RETENTION_YEARS after it closed, and the event log
and the record of who has looked lose their rows older than LOG_RETENTION_YEARS. A case on legal hold, a case within
its time and an open case are never removed, nor the log rows about a case on hold and its records. Nothing is
removed unseen: the first run of the periodic job that finds a case past its time gives it notice,
RETENTION_NOTICE_DAYS (30), telling the QA officers, and a later run removes it once that day has come, each case in
a transaction of its own, writing what it removed to the event log (counts and the case's reference, nothing about
the child). The dry run, which a QA officer reads meanwhile, lists the cases past their time by the same rule, each
with the day it will go; a hold or a case reopened ends its notice."""

import datetime
import operator
from collections import Counter
from dataclasses import dataclass
from functools import reduce

from peewee import fn

from models import AccessRecord, Case, Event, User, db, utcnow
from services import notices, records
from services.dates import long_date, uk_midnight

SHORTEST_YEARS = 1  # the database refuses to remove a log row less than a year old (migrations 0037 and 0038)
NOTICE_DAYS = 30  # unless RETENTION_NOTICE_DAYS says otherwise


def years_before(day, years):
    """The same day `years` earlier (the 28th of February for the 29th, in a year without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def last_day_kept(closed_on, years):
    """The last day a case closed on `closed_on` is within its time (see `is_due`): the same day `years` later, or
    the 29th of February after a 28th, which `years_before` takes back to the 28th too."""
    day = years_before(closed_on, -years)
    while not closed_on < years_before(day + datetime.timedelta(days=1), years):
        day += datetime.timedelta(days=1)
    return day


def is_due(is_open, closed_on, held_because, today, years):
    """Whether a case is past its time: closed, not on hold, and closed before the day `years` before `today`."""
    return not is_open and not held_because and closed_on is not None and closed_on < years_before(today, years)


@dataclass(frozen=True)
class Policy:
    """How long records are kept, in whole years, from the settings."""

    record_years: int
    log_years: int
    notice_days: int = NOTICE_DAYS

    @classmethod
    def of(cls, config):
        policy = cls(
            config["RECORD_RETENTION_YEARS"],
            config["LOG_RETENTION_YEARS"],
            config.get("RETENTION_NOTICE_DAYS", NOTICE_DAYS),
        )
        if min(policy.record_years, policy.log_years) < SHORTEST_YEARS:
            raise ValueError(
                f"RECORD_RETENTION_YEARS and LOG_RETENTION_YEARS must be at least {SHORTEST_YEARS}: the database "
                "keeps the logs a year whatever they say."
            )
        if policy.notice_days < 0:
            raise ValueError("RETENTION_NOTICE_DAYS must be 0 or more.")
        return policy

    def log_day(self, today):
        """Log rows written before this day began in the UK are past their time."""
        return years_before(today, self.log_years)

    def log_cutoff(self, today):
        """The moment the log day began, in UTC as the rows are written: never later than the same time
        `log_years` ago, before which the database lets a row go."""
        return uk_midnight(self.log_day(today))


def hold(actor, case, expected_version, reason):
    """Put the case on legal hold for `reason` (or give the hold a new reason): nothing of it is removed while held,
    and any notice of its removal ends."""
    changes = {"held_because": reason, "held_by": actor, "held_at": utcnow(), "removal_on": None}
    return records.update(actor, case, expected_version, **changes)


def release(actor, case, expected_version):
    """Release the case's legal hold: once past its time, it is given notice again, and then removed."""
    return records.update(actor, case, expected_version, held_because="", held_by=None, held_at=None)


def past_their_time(policy, today):
    """The condition on cases that `is_due` is, in SQL."""
    return (
        ~Case.is_open
        & (Case.held_because == "")
        & Case.closed_on.is_null(False)
        & (Case.closed_on < years_before(today, policy.record_years))
    )


def cases_due(policy, today):
    """The dry run: the cases past their time, the longest closed first, each with the day from which it will be
    removed (`removal_on`; empty until a run gives it notice)."""
    return (
        Case.select(Case.id, Case.reference, Case.closed_on, Case.removal_on)
        .where(past_their_time(policy, today))
        .order_by(Case.closed_on, Case.id)
    )


def removal_day(case, policy, today):
    """The day the case will be removed: its notice's, or, if no run has given it one yet, the one the next run
    (taken as today's) would."""
    return case.removal_on or today + datetime.timedelta(days=policy.notice_days)


def outlook(case, policy, today):
    """What retention will do with the case, for its page: kept while open, kept until a day, or removed from one."""
    if case.held_because:
        return "Kept while it is on legal hold, however long ago it closed"
    if case.is_open:
        return f"Kept while it is open, and for {policy.record_years} years after it closes"
    if case.closed_on is None:
        return "Kept: the day it closed is not known"
    if is_due(case.is_open, case.closed_on, case.held_because, today, policy.record_years):
        day = long_date(removal_day(case, policy, today))
        given = "" if case.removal_on else ", once the next run of the periodic jobs gives notice"
        return f"Past its time: to be removed, with everything of it, from {day}{given}, unless put on legal hold"
    kept_until = last_day_kept(case.closed_on, policy.record_years)
    return f"Kept until {long_date(kept_until)}, {policy.record_years} years after it closed, then given notice"


def past_time(count):
    """1 case past its time, 2 cases past their time."""
    return "1 case past its time" if count == 1 else f"{count} cases past their time"


def give_notice(policy, today):
    """Give each case newly past its time notice of its removal, telling the QA officers, and end the notice of any
    no longer past it (held, reopened, or closed again later). Returns the cases given notice."""
    past = past_their_time(policy, today)
    with db.atomic():
        Case.update(removal_on=None).where(Case.removal_on.is_null(False) & ~past).execute()
        new = list(Case.select(Case.id, Case.reference).where(past & Case.removal_on.is_null()).order_by(Case.id))
        if not new:
            return new
        day = today + datetime.timedelta(days=policy.notice_days)
        Case.update(removal_on=day).where(Case.id.in_([case.id for case in new])).execute()
        Event.insert_many(
            [
                {"action": f"given notice of removal by retention from {long_date(day)}", "record_type": "Case",
                 "record_id": case.id, "fields": "removal_on"}
                for case in new
            ]
        ).execute()  # fmt: skip
        notices.notify(
            User.with_role("qa-officer"),
            f"{past_time(len(new))} to keep, to be removed from {long_date(day)}",
            f"{past_time(len(new))} to keep, closed more than {policy.record_years} years ago, will be removed with "
            f"everything of {'it' if len(new) == 1 else 'them'} from {long_date(day)}: "
            f"{', '.join(case.reference for case in new)}. Check the Retention page, and put a legal hold on any case "
            "whose records must be kept.",
            "/retention",
        )
    return new


def cases_held():
    """The cases on legal hold, with who put each on hold and why."""
    return (
        Case.select(Case, User)
        .join(User, on=(Case.held_by == User.id))
        .where(Case.held_because != "")
        .order_by(Case.held_at, Case.id)
    )


def kinds_of(cases):
    """Each kind of record that can be part of `cases` (as `contents` takes them), with the condition that finds its
    records by whichever path (an audit of the case, or of a reliability exercise of it): {model: condition}."""
    found = {}
    for model, query in contents(cases):
        found[model] = found[model] | query if model in found else query
    return found


def logs_past_their_time(policy, today):
    """The conditions on the event log's rows and on who has looked's that are past their time: written before the
    log day, and not about a case on legal hold or any record of one, which the hold keeps with the case. Only the
    kinds of record that rows past their time are about are looked for among the held cases' records: the periodic
    job removes rows as they come of age, so there are few of them, of few kinds, and a condition on every kind a
    case holds would take longer to write than to run."""
    cutoff = policy.log_cutoff(today)
    held = Case.select(Case.id).where(Case.held_because != "")
    aged = Event.at < cutoff
    # Read in the order they were written, so that the database finds them by when, not by kind through all rows.
    rows = Event.select(Event.record_type).where(aged).order_by(Event.at).alias("aged")
    kinds = {name for (name,) in Event.select(rows.c.record_type).from_(rows).distinct().tuples()}
    about_held = [(Event.record_type == "Case") & Event.record_id.in_(held)] + [
        (Event.record_type == model.__name__) & Event.record_id.in_(model.select(model.id).where(query))
        for model, query in kinds_of(held).items()
        if model.__name__ in kinds
    ]
    events = aged & (Event.record_id.is_null() | ~reduce(operator.or_, about_held))
    views = (AccessRecord.at < cutoff) & (AccessRecord.case_id.is_null() | AccessRecord.case_id.not_in(held))
    return events, views


def logs_due(policy, today):
    """How many rows of the event log and of the record of who has looked are past their time."""
    events, views = logs_past_their_time(policy, today)
    return {
        "events": Event.select(fn.COUNT(Event.id)).where(events).scalar(),
        "views": AccessRecord.select(fn.COUNT(AccessRecord.id)).where(views).scalar(),
    }


def contents(cases):
    """Every record that is part of `cases` (a case, or a query of the ids of several), as (model, query): those found
    by following the foreign keys that lead to a case, as peewee's walk for a recursive delete does (each record's
    children found from a query of its own kind, so several cases cost no more queries than one), the furthest from
    the case first, so that nothing is removed while a record that refers to it remains."""
    ids = [cases.id] if isinstance(cases, Case) else cases
    found, stack, seen = [], [(Case, None)], set()
    while stack:
        parent, parents = stack.pop()
        if parent in seen:
            continue
        seen.add(parent)
        for foreign_key, model in parent._meta.backrefs.items():
            query = foreign_key.in_(ids) if parents is None else foreign_key << parents
            found.append((model, query))
            stack.append((model, model.select(model._meta.primary_key).where(query)))
    models = {model for model, _ in found}

    def distance(model, path=()):
        parents = [parent for parent in model._meta.refs.values() if parent in models and parent not in path + (model,)]
        return 1 + max((distance(parent, path + (model,)) for parent in parents), default=0)

    return sorted(found, key=lambda pair: -distance(pair[0]))


def removable(policy, today):
    """The condition on cases the run removes: past their time, and their notice run out. With no notice to give,
    every case past its time goes, whatever notice it was given under an earlier setting."""
    past = past_their_time(policy, today)
    return past & (Case.removal_on <= today) if policy.notice_days else past


def remove_case(case, policy, today):
    """Remove the case and everything of it in one transaction, with an event saying how many of what went, if it is
    still to go when its own row is removed, last: a hold put on it, or the case reopened, since the run listed it
    keeps it whole. Returns the counts by kind of record, or None if it was kept."""
    removed = Counter()
    with db.atomic() as transaction:
        for model, query in contents(case):
            removed[model.__name__] += model.delete().where(query).execute()
        removed["Case"] += Case.delete().where((Case.id == case.id) & removable(policy, today)).execute()
        if not removed["Case"]:
            transaction.rollback()
            return None
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
    with db.atomic():
        events, views = logs_past_their_time(policy, today)
        counts = {
            "events": Event.delete().where(events).execute(),
            "views": AccessRecord.delete().where(views).execute(),
        }
        if any(counts.values()):
            Event.create(
                action="removed by retention: the logs",
                record_type="Event",
                fields=f"{counts['events']} events, {counts['views']} views written before "
                f"{long_date(policy.log_day(today))}",
            )
    return counts


def run(policy, today):
    """The periodic job's part: give notice to the cases newly past their time, remove every case whose notice has
    run out, each on its own, then the logs. Returns the references of the cases given notice and of those removed,
    and the log rows removed."""
    noticed = [case.reference for case in give_notice(policy, today)]
    due = list(Case.select(Case.id, Case.reference).where(removable(policy, today)).order_by(Case.closed_on, Case.id))
    removed = [case.reference for case in due if remove_case(case, policy, today) is not None]
    return noticed, removed, remove_logs(policy, today)
