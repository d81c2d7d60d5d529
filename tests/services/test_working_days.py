"""Working days skip weekends and England and Wales bank holidays."""

from datetime import date

import pytest

from services.working_days import add_working_days, audit_due_on, is_working_day


@pytest.mark.parametrize(
    "start, count, expected",
    [
        (date(2026, 11, 23), 1, date(2026, 11, 24)),  # Monday to Tuesday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday to Monday
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas Friday, Boxing Day substitute Monday 28th
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # Good Friday 26th and Easter Monday 29th
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_add_working_days(start, count, expected):
    assert add_working_days(start, count) == expected


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 8, 31))  # Summer bank holiday (England and Wales)
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday is not England's


def test_an_audit_is_due_twenty_working_days_after_allocation():
    # 2 Dec 2026 + 20 working days, skipping 25, 28 Dec and 1 Jan.
    assert audit_due_on(date(2026, 12, 2)) == date(2027, 1, 4)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)
