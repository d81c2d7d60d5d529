"""The month's audit plan: which open cases to audit this month, and who audits each.

The cases are drawn at random within each service area, in proportion to its open cases or equally (seed 002
s.7: Salford stratifies the open-case list by service area), leaving out closed cases, cases with an audit not
yet submitted, and cases audited or allocated in the last months (seed 000 s.4.4: 12 months; seed 003 s.4: 6 to
8). Each drawn case then goes to an auditor available that month, within their quota, never to someone who
works in or manages the case's team, nor to someone of the case's service area where their rule says so (seed
003 s.4; seed 004 2.3.1; seed 000 s.5.2-5.3), the load spread evenly (services/sharing.py).

The rules are pure functions of their inputs and a recorded seed, checked with hypothesis
(tests/services/test_audit_plan.py), as the moderation draw's are: the same cases, seed and rule version give
the same plan again."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from services import sharing

# Changed whenever `draw` or `allocate` would pick differently from the same inputs.
RULE_VERSION = 1

LEFT_OUT = {
    "closed": "Closed",
    "open-audit": "Has an audit not yet submitted",
    "recent": "Audited or allocated too recently",
}
UNPLACED = {
    "rules": "Every available auditor works in or manages the case's team, or is kept from its service area",
    "quotas": "Every auditor who may take it has reached their quota for the month",
}


@dataclass(frozen=True)
class Candidate:
    """An open-case list's case, with what the draw needs to know of it."""

    case_id: int
    service_area_id: int
    team_id: int
    is_open: bool = True
    has_open_audit: bool = False
    last_allocated_on: datetime.date | None = None  # of its latest audit, if any


def left_out(candidate, since):
    """Why the case may not be drawn, a code of LEFT_OUT, or None if it may: `since` is the first day of the
    exclusion window (a case whose latest audit was allocated on or after it was audited too recently)."""
    if not candidate.is_open:
        return "closed"
    if candidate.has_open_audit:
        return "open-audit"
    if candidate.last_allocated_on is not None and candidate.last_allocated_on >= since:
        return "recent"
    return None


def strata_sizes(counts, size, equal=False):
    """How many to draw from each stratum ({stratum: how many cases it holds}): `size` shared in proportion to
    the strata's cases, the places left by rounding down going to the largest remainders; or, `equal`, the same
    number from each, what a small stratum cannot take shared among the others. Never more than a stratum holds,
    nor in all more than there are."""
    total = sum(counts.values())
    if size >= total:
        return dict(counts)
    if not equal:
        sizes = {stratum: size * n // total for stratum, n in counts.items()}
        by_remainder = sorted(counts, key=lambda stratum: (-(size * counts[stratum] % total), stratum))
        for stratum in by_remainder[: size - sum(sizes.values())]:
            sizes[stratum] += 1
        return sizes
    # The most any stratum gives: the highest level that every stratum filled to it, or emptied below it, stays
    # within the size; the places left go one each to the strata holding more, in their order.
    level = 0
    while sum(min(n, level + 1) for n in counts.values()) <= size:
        level += 1
    sizes = {stratum: min(n, level) for stratum, n in counts.items()}
    more = sorted(stratum for stratum, n in counts.items() if n > level)
    for stratum in more[: size - sum(sizes.values())]:
        sizes[stratum] += 1
    return sizes


@dataclass(frozen=True)
class Draw:
    """The cases drawn ({case id: its stratum, the service area}) and how many were left out, by why."""

    picked: dict
    left_out: Counter = field(default_factory=Counter)


def draw(candidates, size, seed, since, equal=False, rule_version=RULE_VERSION):
    """Draw `size` cases from `candidates` (Candidate), stratified by service area (see strata_sizes), leaving
    out those `left_out` says may not be drawn."""
    if rule_version != RULE_VERSION:
        raise ValueError(f"Only rule version {RULE_VERSION} is known")
    reasons, strata = Counter(), {}
    for candidate in sorted(candidates, key=lambda candidate: candidate.case_id):
        reason = left_out(candidate, since)
        if reason:
            reasons[reason] += 1
        else:
            strata.setdefault(candidate.service_area_id, []).append(candidate.case_id)
    sizes = strata_sizes({stratum: len(cases) for stratum, cases in strata.items()}, size, equal)
    # Reproducible on purpose: the seed is recorded and shown, so nothing about it is secret.
    rng = random.Random(f"audit-plan-draw:{rule_version}:{seed}")  # noqa: S311
    picked = {}
    for stratum in sorted(strata):
        picked |= dict.fromkeys(rng.sample(strata[stratum], sizes[stratum]), stratum)
    return Draw(picked, reasons)


@dataclass(frozen=True)
class Auditor:
    """An auditor available in the month, with their quota and the teams and service area they are kept from."""

    user_id: int
    quota: int
    teams: frozenset = frozenset()  # the team they work in and those they manage
    service_area_id: int | None = None
    not_own_area: bool = False  # kept from their own service area too (Heads of Service, SDMs)


def kept_from(auditor, team_id, service_area_id):
    """Whether the rules keep `auditor` from a case of this team and service area."""
    if team_id in auditor.teams:
        return True
    return auditor.not_own_area and auditor.service_area_id == service_area_id


@dataclass(frozen=True)
class Allocation:
    """An auditor for each drawn case ({case id: user id}), and why each case left without one was
    ({case id: a code of UNPLACED})."""

    auditors: dict
    unplaced: dict


def allocate(cases, auditors, seed, load=None, rule_version=RULE_VERSION):
    """Share `cases` ((case id, team id, service area id)) among `auditors` (Auditor), each within their quota
    counting what they hold already (`load`, {user id: audits}), none to an auditor the rules keep from it; a
    case is left without an auditor only when no sharing within the rules and quotas could place it."""
    if rule_version != RULE_VERSION:
        raise ValueError(f"Only rule version {RULE_VERSION} is known")
    by_id = {auditor.user_id: auditor for auditor in auditors}
    items = [
        (case_id, {user_id for user_id, auditor in by_id.items() if kept_from(auditor, team_id, area_id)})
        for case_id, team_id, area_id in cases
    ]
    capacity = {user_id: auditor.quota for user_id, auditor in by_id.items()}
    namespace = f"audit-plan-allocate:{rule_version}"
    chosen = sharing.share(items, sorted(by_id), load or {}, seed, namespace, capacity=capacity)
    unplaced = {
        case_id: "quotas" if any(capacity[user_id] for user_id in by_id if user_id not in kept) else "rules"
        for case_id, kept in items
        if chosen[case_id] is None
    }
    return Allocation({case: user for case, user in chosen.items() if user is not None}, unplaced)
