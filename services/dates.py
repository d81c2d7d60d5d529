"""Dates written the UK way: one place for both forms."""


def long_date(day):
    """14 November 2026"""
    return f"{day.day} {day:%B %Y}" if day else ""


def short_date(day):
    """14/11/2026, for plain text such as case notes"""
    return f"{day:%d/%m/%Y}" if day else ""
