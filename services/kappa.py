"""Agreement between auditors' and moderators' grades beyond what chance would give: linear-weighted Cohen's
kappa with a 95% confidence interval that allows for the grades of one audit going together.

An audit's grades are not independent of each other: a moderator who finds an audit thin tends to move several
of its grades at once. So the interval comes from how audits differ, not grades: a cluster-robust (sandwich)
standard error by the delta method, each audit a cluster (Cameron and Miller, "A Practitioner's Guide to
Cluster-Robust Inference", Journal of Human Resources 50(2), 2015). Kappa is a function of a few totals over
audits; its linearisation is a fixed combination of each audit's own totals, so its variance needs only the
sums of the products of those totals, which add up across audits: the database keeps them by month
(services/calibration_tallies.py) and the page adds them up for any period. With one grade an audit, the
standard error is that of Fleiss, Cohen and Everitt (1969) times the square root of m / (m - 1).

Each audit's totals, its "vector" (models.KAPPA_TOTALS): `o`, the sum over its grades of 3 - |auditor's step -
moderated step| (three times the linear weight, so that it stays a whole number); `r0`..`r3`, how many of its
grades the auditor gave at each step; `c0`..`c3`, how many the moderator left at each step (0 is Outstanding,
3 Inadequate)."""

import math
from dataclasses import dataclass, field
from statistics import NormalDist

from models import GRADE_STEPS
from models import KAPPA_PRODUCTS as PRODUCTS  # each pair of components once: ("o", "o"), ("o", "r0"), ...
from models import KAPPA_TOTALS as COMPONENTS

STEPS = len(GRADE_STEPS)
# Below this many audits the spread between audits says too little for an interval, or kappa to be read:
# cluster-robust errors are biased low with few clusters (Cameron and Miller 2015, s.VI), and a month of one
# service area can have only a handful of moderated audits.
FEWEST_AUDITS = 10

# Landis and Koch (1977), the usual words for a kappa's strength.
KAPPA_WORDS = [(0.8, "almost perfect"), (0.6, "substantial"), (0.4, "moderate"), (0.2, "fair"), (0.0, "slight")]
GRADE_WORDS = ["Outstanding", "Good", "Requires Improvement to be Good", "Inadequate"]


@dataclass(frozen=True)
class Kappa:
    """Linear-weighted Cohen's kappa with its 95% confidence interval; `value` None with the `reason` why, and
    no interval (`low` None) with the reason where nothing varies to give one."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    standard_error: float | None = None
    reason: str = ""

    @property
    def strength(self):
        if self.value is None:
            return ""
        if self.value == 0:
            return "slight"  # 0 to 0.20 is slight; only below 0 is poor
        return next((words for floor, words in KAPPA_WORDS if self.value > floor), "poor")

    @property
    def text(self):
        if self.value is None:
            return self.reason
        if self.low is None:
            return f"{self.value:.2f}: {self.reason}"
        return f"{self.value:.2f} (95% confidence interval {self.low:.2f} to {self.high:.2f})"


def audit_vector(pairs):
    """One audit's totals (COMPONENTS) from its grades as (auditor's step, moderated step) pairs."""
    o = sum(STEPS - 1 - abs(i - j) for i, j in pairs)
    rows = [sum(1 for i, _ in pairs if i == step) for step in range(STEPS)]
    columns = [sum(1 for _, j in pairs if j == step) for step in range(STEPS)]
    return (o, *rows, *columns)


@dataclass(frozen=True)
class KappaSums:
    """What kappa and its interval need, added over audits: how many audits, the sums of their vectors
    (`totals`, in COMPONENTS' order) and of the products of each pair of their components (`products`, in
    PRODUCTS' order)."""

    audits: int = 0
    totals: tuple = (0,) * len(COMPONENTS)
    products: tuple = field(default=(0,) * len(PRODUCTS))

    @classmethod
    def of(cls, vector):
        """One audit's sums, from its vector."""
        value = dict(zip(COMPONENTS, vector, strict=True))
        return cls(1, tuple(vector), tuple(value[a] * value[b] for a, b in PRODUCTS))

    def __add__(self, other):
        return KappaSums(
            self.audits + other.audits,
            tuple(map(sum, zip(self.totals, other.totals, strict=True))),
            tuple(map(sum, zip(self.products, other.products, strict=True))),
        )


def weighted_kappa(sums):
    """Cohen's (1968) kappa with linear weights over the four grades, from KappaSums, with its 95% interval:
    kappa ± t(0.975, audits - 1) × the cluster-robust standard error (with the usual m / (m - 1) correction;
    t rather than the normal for the few-clusters case, as Cameron and Miller advise)."""
    value = dict(zip(COMPONENTS, sums.totals, strict=True))
    grades = sum(value[f"r{i}"] for i in range(STEPS))
    if grades == 0:
        return Kappa(reason="Not worked out: no grades have been moderated for these filters.")
    if sums.audits < FEWEST_AUDITS:
        return Kappa(
            reason=f"Not worked out: {sums.audits} audit{'s' if sums.audits != 1 else ''} moderated, and it takes "
            f"at least {FEWEST_AUDITS} for the figure to say anything about how far moderators and auditors agree."
        )
    rows = [value[f"r{i}"] / grades for i in range(STEPS)]
    columns = [value[f"c{j}"] / grades for j in range(STEPS)]
    for who, shares in (("auditors", rows), ("moderators", columns)):
        if max(shares) == 1:
            grade = GRADE_WORDS[shares.index(1)]
            return Kappa(
                reason=f"Not worked out: the {who} gave every grade as {grade}, so there is no spread of grades "
                "to measure agreement beyond chance against."
            )
    weight = [[1 - abs(i - j) / (STEPS - 1) for j in range(STEPS)] for i in range(STEPS)]
    observed = value["o"] / (STEPS - 1) / grades
    chance = sum(weight[i][j] * rows[i] * columns[j] for i in range(STEPS) for j in range(STEPS))
    kappa = (observed - chance) / (1 - chance)
    # The gradient of kappa with respect to the totals: an audit's share of kappa's error is this times its vector.
    by_row = [sum(weight[i][j] * columns[j] for j in range(STEPS)) for i in range(STEPS)]
    by_column = [sum(weight[i][j] * rows[i] for i in range(STEPS)) for j in range(STEPS)]
    alpha, beta = 1 / (1 - chance), (observed - 1) / (1 - chance) ** 2
    gradient = {"o": alpha / (STEPS - 1) / grades}
    gradient |= {f"r{i}": (beta * (by_row[i] - 2 * chance) - alpha * observed) / grades for i in range(STEPS)}
    gradient |= {f"c{j}": beta * by_column[j] / grades for j in range(STEPS)}
    spread = sum(
        (1 if a == b else 2) * gradient[a] * gradient[b] * product
        for (a, b), product in zip(PRODUCTS, sums.products, strict=True)
    )
    error = math.sqrt(max(spread * sums.audits / (sums.audits - 1), 0.0))
    if error < 1e-12:
        return Kappa(
            kappa,
            standard_error=0.0,
            reason="every grade was left as the auditor gave it, so there is no spread to give an interval from.",
        )
    margin = t_quantile(0.975, sums.audits - 1) * error
    return Kappa(kappa, max(kappa - margin, -1.0), min(kappa + margin, 1.0), error)


def t_quantile(p, freedom):
    """Student's t quantile, by the expansion of Abramowitz and Stegun 26.7.5 about the normal one: within
    0.0005 of the exact value from 9 degrees of freedom on, which is all kappa asks of it (FEWEST_AUDITS)."""
    z = NormalDist().inv_cdf(p)
    terms = [
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    ]
    return z + sum(term / freedom**power for power, term in enumerate(terms, start=1))
