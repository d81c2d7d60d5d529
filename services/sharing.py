"""Sharing records out among people fairly (moderations among moderators, a month's audits among auditors): a
pure function of its inputs and a recorded seed, so the same inputs give the same shares again."""

import random
from collections import Counter


def share(items, people, load, seed, namespace, capacity=None):
    """A person for each of `items` ((item id, ids of people who may not take it)), from `people` (ids), spread
    evenly given how many each has already (`load`): the items with fewest people free to take them first,
    each to the least loaded of those free, ties broken by the seed within `namespace` (a rule's name and
    version). With `capacity` ({person: the most they may hold, counting `load`}), nobody takes more than theirs,
    and the least loaded is the one with the smallest share of it. Returns {item id: person id, or None where
    nobody may take it}."""
    load = Counter({person: load.get(person, 0) for person in people})
    # Reproducible on purpose: the seed is recorded and shown, so nothing about it is secret.
    rng = random.Random(f"{namespace}:{seed}")  # noqa: S311

    def room(person):
        return capacity is None or load[person] < capacity.get(person, 0)

    def loaded(person):
        return load[person] if capacity is None else load[person] / capacity[person]

    free = {item: [p for p in sorted(people) if p not in excluded] for item, excluded in items}
    chosen = {}
    for item in sorted(free, key=lambda item: (len(free[item]), item)):
        open_to = [person for person in free[item] if room(person)]
        if not open_to:
            chosen[item] = None
            continue
        least = min(loaded(person) for person in open_to)
        person = rng.choice([p for p in open_to if loaded(p) == least])
        load[person] += 1
        chosen[item] = person
    if capacity is not None:
        placed_after_all(chosen, free, load, room)
    return chosen


def placed_after_all(chosen, free, load, room):
    """Place each item left without a person, where moving items already placed to other people free to take
    them makes room (an augmenting path, as in bipartite matching): so an item is left out only when no
    sharing within everyone's capacity could place it."""
    holding = {}
    for item, person in chosen.items():
        if person is not None:
            holding.setdefault(person, []).append(item)

    def place(item, visited):
        for person in free[item]:
            if person in visited:
                continue
            visited.add(person)
            if room(person):
                load[person] += 1
                return person
            for other in list(holding.get(person, ())):
                moved_to = place(other, visited)
                if moved_to is not None:
                    holding[person].remove(other)
                    holding.setdefault(moved_to, []).append(other)
                    chosen[other] = moved_to
                    return person
        return None

    for item in sorted(item for item, person in chosen.items() if person is None):
        person = place(item, set())
        if person is not None:
            chosen[item] = person
            holding.setdefault(person, []).append(item)
