"""Working days: Monday to Friday, less England and Wales bank holidays."""

import datetime
from functools import lru_cache

import holidays

# Salford 5.3 s.8 (seed 002): an audit is completed within 20 working days.
AUDIT_WORKING_DAYS = 20


@lru_cache(maxsize=64)
def _bank_holidays(year):
    # England and Wales share their bank holidays; Scotland and Northern Ireland differ.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start, count):
    """The date `count` working days after `start` (which itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def audit_due_on(allocated_on):
    return add_working_days(allocated_on, AUDIT_WORKING_DAYS)
