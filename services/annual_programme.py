"""The annual audit programme (seed 003 s.5: Camden's runs from 1 April to 31 March): for each month, the type of
audit planned, its theme, the number of audits proposed and any other activity. Planning a month's audits starts
from its row (services/planning.py)."""

import datetime

from peewee import JOIN

from models import Flag, LearningTheme, ProgrammeMonth
from services import records

FIRST_MONTH = 4  # April: a council's year


def year_of(day):
    """The year of the programme that `day` falls in, by the year it starts (2026 for April 2026 to March 2027)."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def months_of(year):
    """The first days of the programme year's twelve months."""
    return [
        datetime.date(year + (month < FIRST_MONTH), month, 1)
        for month in (*range(FIRST_MONTH, 13), *range(1, FIRST_MONTH))
    ]


def rows(year):
    """Each month of the programme year with what is planned for it (None where nothing is): two queries."""
    months = months_of(year)
    planned = {
        row.month: row
        for row in ProgrammeMonth.select(ProgrammeMonth, Flag, LearningTheme)
        .join(Flag, JOIN.LEFT_OUTER)
        .switch(ProgrammeMonth)
        .join(LearningTheme, JOIN.LEFT_OUTER)
        .where(ProgrammeMonth.month.between(months[0], months[-1]))
    }
    return [(month, planned.get(month)) for month in months]


def of_month(month):
    return ProgrammeMonth.get_or_none(ProgrammeMonth.month == month)


def save(actor, month, row, expected_version, values):
    """Plan `month`: its row created, or changed if nobody changed it since `expected_version`."""
    if row is None:
        return records.create(actor, ProgrammeMonth, month=month, **values)
    return records.update(actor, row, expected_version, **values)
