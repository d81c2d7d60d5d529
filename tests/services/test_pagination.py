"""Keyset pagination on plain rows: every row once, in order, and sensible pages when the list changes."""

import pytest

from models import Flag
from services.pagination import Position, paginate


@pytest.fixture
def flags(app):
    def make(count):
        if count:
            Flag.insert_many([{"name": f"Flag {number:03d}"} for number in range(count)]).execute()
        return Flag.ordered()

    return make


def names(page):
    return [flag.name for flag in page.items]


def test_next_and_previous_walk_every_row_once_in_order(flags):
    query = flags(60)
    first = paginate(query, Position(), per_page=25)
    second = paginate(query, first.position_of(2), per_page=25)
    third = paginate(query, second.position_of(3), per_page=25)
    assert [page.number for page in (first, second, third)] == [1, 2, 3]
    assert names(first) + names(second) + names(third) == [f"Flag {number:03d}" for number in range(60)]
    assert names(paginate(query, third.position_of(2), per_page=25)) == names(second)
    assert (third.first_item, third.last_item, third.total) == (51, 60, 60)


def test_a_page_whose_row_has_gone_starts_again_from_the_first(flags):
    query = flags(60)
    second = paginate(query, Position(2, after=25), per_page=25)
    Flag.delete().where(Flag.id == 25).execute()
    page = paginate(query, Position(2, after=25), per_page=25)
    assert page.number == 1 and names(page)[0] == "Flag 000" and len(page.items) == 25
    assert second.number == 2


def test_fewer_rows_beyond_the_row_than_a_page_show_the_last_page(flags):
    query = flags(60)
    link = paginate(query, Position(), per_page=25).position_of(2)  # after the 25th row
    Flag.delete().where(Flag.id > 40).execute()  # now 40 rows: two pages
    page = paginate(query, link, per_page=25)
    assert (page.number, page.first_item, page.last_item) == (2, 26, 40)
    assert names(page) == [f"Flag {number:03d}" for number in range(25, 40)]
    Flag.delete().where(Flag.id > 20).execute()  # now 20 rows: one page
    page = paginate(query, link, per_page=25)
    assert (page.number, page.first_item, page.last_item, len(page.items)) == (1, 1, 20, 20)


def test_a_page_before_a_row_with_too_few_before_it_is_the_first_page(flags):
    query = flags(60)
    Flag.delete().where(Flag.id <= 10).execute()
    page = paginate(query, Position(1, before=30), per_page=25)
    assert page.number == 1 and names(page)[0] == "Flag 010" and len(page.items) == 25


def test_an_empty_list_has_one_empty_page(flags):
    query = flags(0)
    for position in (Position(), Position(last=True), Position(2, after=1), Position(1, before=1)):
        page = paginate(query, position)
        assert (page.number, page.items, page.pages, page.first_item, page.last_item) == (1, [], 1, 0, 0)
