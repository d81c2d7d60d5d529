"""One page of a long list, costing what the first page costs however far in it is.

A list's query is ordered by columns an index holds, ending with the record's id, all in the same
direction. A page is not found by skipping every row before it (OFFSET, which sorts and skips
thousands of rows on the last page of a big list) but by continuing from a row of the page beside
it (keyset paging): the next page is the rows after the last one shown, the previous page the rows
before the first one shown, and the last page the list read backwards. So the links a page offers
are to the first, previous, next and last pages, which is what GOV.UK's pagination shows.

A list whose length is bounded by a council's staff, not its records, is worked out whole and shown a page at a
time by its number (numbered_page).
"""

import math
from dataclasses import dataclass

from peewee import SQL, Ordering, Tuple, fn, prefetch

PER_PAGE = 25


@dataclass(frozen=True)
class Position:
    """Where in a list a page is, as its links say: its number (for showing only), and the row it
    continues after or comes before, or that it is the last page. With none of them: the first page."""

    number: int = 1
    after: int | None = None
    before: int | None = None
    last: bool = False


@dataclass
class Page:
    items: list
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    def window(self):
        """Page numbers to link to (the first, the last and those beside this one), None for a gap."""
        near = {1, self.number - 1, self.number, self.number + 1, self.pages}
        numbers = sorted(number for number in near if 1 <= number <= self.pages)
        shown = []
        for number in numbers:
            if shown and number - shown[-1] > 1:
                shown.append(None)
            shown.append(number)
        return shown

    def position_of(self, number):
        """How a link reaches page `number` of the window: from this page's first or last row
        (None for this page itself)."""
        if number == self.number:
            return None
        if number == 1:
            return Position()
        if number == self.pages:
            return Position(number, last=True)
        if number == self.number - 1:
            return Position(number, before=self.items[0].id)
        if number == self.number + 1:
            return Position(number, after=self.items[-1].id)
        raise ValueError(f"Page {number} is not beside page {self.number}")

    @property
    def first_item(self):
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_item(self):
        return self.first_item + len(self.items) - 1 if self.items else 0


def paginate(query, position=Position(), per_page=PER_PAGE, related=(), count=None):
    """The page of `query` at `position`, with the `related` queries prefetched (one query each).
    The total comes from `count` when given: a number, or the same filters on the list's own table
    without the joins that only add columns to show. A page beside another costs one more query, to
    read the row it continues from. When the list has changed meanwhile, so that the row is gone or
    fewer than a page lie beyond it, the first page (or the last, going forward) is shown instead."""
    total = count if isinstance(count, int) else (query.count() if count is None else counted(count))
    pages = max(1, math.ceil(total / per_page))
    keys = ordering(query)

    def first():
        return Page(fetch(query.limit(per_page), related), 1, total, per_page)

    def last():
        if pages == 1:
            return first()
        rows = backwards(query, keys).limit(total - (pages - 1) * per_page)
        return Page(fetch(rows, related, turned=True), pages, total, per_page)

    if position.last:
        return last()
    if position.after is None and position.before is None:
        return first()
    boundary = query.select(*(key for key, _ in keys)).where(query.model.id == (position.after or position.before))
    values = boundary.order_by().tuples().first()
    if values is None:
        return first()
    if position.after is not None:
        items = fetch(query.where(beyond(keys, values)).limit(per_page), related)
        if len(items) < per_page or pages == 1:
            return last()
        return Page(items, min(max(2, position.number), pages), total, per_page)
    items = fetch(backwards(query.where(beyond(keys, values, before=True)), keys).limit(per_page), related, turned=True)
    if len(items) < per_page:
        return first()
    return Page(items, min(max(1, position.number), pages), total, per_page)


class NumberedPage(Page):
    """A page of a list as long as a council's staff rather than its records, such as figures for each auditor,
    worked out whole and shown a page at a time: each link gives the page's number alone."""

    def position_of(self, number):
        return None if number == self.number else Position(number)


def numbered_page(rows, number, per_page=PER_PAGE):
    """Page `number` of `rows` (the last page if `number` is beyond it)."""
    number = min(max(1, number), max(1, math.ceil(len(rows) / per_page)))
    return NumberedPage(rows[(number - 1) * per_page : number * per_page], number, len(rows), per_page)


def counted(query):
    """How many rows a query on one table finds, counted as SQLite and PostgreSQL count fastest:
    COUNT(*) straight from the table (peewee's count() wraps the query as a subquery)."""
    return query.select(fn.COUNT(SQL("*"))).order_by().scalar()


def fetch(query, related, turned=False):
    """The rows of `query` with their `related` rows, turned round when read from the end."""
    items = list(prefetch(query, *related)) if related else list(query)
    return items[::-1] if turned else items


def ordering(query):
    """The (column, descending) pairs `query` is ordered by, checked to suit keyset paging."""
    keys = [
        (order.node, order.direction == "DESC") if isinstance(order, Ordering) else (order, False)
        for order in query._order_by or ()
    ]
    if not keys or keys[-1][0] is not query.model.id:
        raise ValueError("A paginated list must be ordered by columns ending with its own id")
    if len({descending for _, descending in keys}) != 1:
        raise ValueError("A paginated list must be ordered in one direction")
    return keys


def beyond(keys, values, before=False):
    """Rows after (or before) the row whose ordering columns hold `values`, in the list's order."""
    descending = keys[0][1] != before
    columns = Tuple(*(key for key, _ in keys))
    boundary = Tuple(*(key.db_value(value) for (key, _), value in zip(keys, values, strict=True)))
    return columns < boundary if descending else columns > boundary


def backwards(query, keys):
    """`query` read from its end (fetch turns the rows round again)."""
    return query.order_by(*(key.asc() if descending else key.desc() for key, descending in keys))
