"""Dates written the UK way: one place for both forms; and the day it is in the UK."""

import datetime
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")


def uk_time(moment):
    """A time stored in UTC as it was in the UK (GMT or BST), without its time zone: for a spreadsheet's cell."""
    return moment.replace(tzinfo=datetime.UTC).astimezone(UK_TIME).replace(tzinfo=None)


def uk_today(now=None):
    """The date in the UK (GMT or BST) at `now`, a time in UTC as the database keeps it; by default, now.
    Whatever the server's own time zone, this is "today" wherever the service works out a date."""
    now = now or datetime.datetime.now(datetime.UTC)
    return now.replace(tzinfo=datetime.UTC).astimezone(UK_TIME).date()


def uk_midnight(day):
    """The moment `day` began in the UK (GMT or BST), in UTC as the database keeps times."""
    began = datetime.datetime.combine(day, datetime.time(), tzinfo=UK_TIME)
    return began.astimezone(datetime.UTC).replace(tzinfo=None)


def long_date(day):
    """14 November 2026"""
    return f"{day.day} {day:%B %Y}" if day else ""


def long_datetime(moment):
    """14 November 2026 at 14:32, in UK time (GMT or BST) from the UTC stored."""
    if not moment:
        return ""
    local = moment.replace(tzinfo=datetime.UTC).astimezone(UK_TIME)
    return f"{long_date(local)} at {local:%H:%M}"


def short_date(day):
    """14/11/2026, for plain text such as case notes"""
    return f"{day:%d/%m/%Y}" if day else ""


def month_code(month):
    """2026-11, as a month is written in addresses and filters."""
    return f"{month:%Y-%m}"


def parse_month(text):
    """The first day of the month written like 2026-11, or None (nor a month before 2000 or after 2100)."""
    try:
        month = datetime.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return None
    return month if 2000 <= month.year <= 2100 else None


def months_from(first, last):
    """Every month from `first` to `last` (each the first day of its month), oldest first."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_name(month):
    """November 2026"""
    return f"{month:%B %Y}"


def period_name(first, last):
    """The months from `first` to `last` as people say them: "January to June 2026", "November 2025 to April 2026",
    "May 2026"."""
    if first == last:
        return month_name(last)
    return f"{first:%B}{'' if first.year == last.year else f' {first.year}'} to {last:%B %Y}"
