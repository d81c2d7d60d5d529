"""One page of a long list: two queries whatever the list's length."""

import math
from dataclasses import dataclass

from peewee import prefetch

PER_PAGE = 25


@dataclass
class Page:
    items: list
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    def window(self, around=2):
        """Page numbers to link to: the first, the last and those near this one, None for a gap."""
        numbers = [n for n in range(1, self.pages + 1) if n in (1, self.pages) or abs(n - self.number) <= around]
        shown = []
        for number in numbers:
            if shown and number - shown[-1] > 1:
                shown.append(None)
            shown.append(number)
        return shown

    @property
    def first_item(self):
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_item(self):
        return min(self.number * self.per_page, self.total)


def paginate(query, number, per_page=PER_PAGE, related=()):
    """Page `number` (from 1, clamped to the pages there are) of a peewee query,
    with the `related` queries prefetched (one query each)."""
    total = query.count()
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, number), pages)
    page_query = query.paginate(number, per_page)
    items = list(prefetch(page_query, *related)) if related else list(page_query)
    return Page(items=items, number=number, total=total, per_page=per_page)
