"""Agreement between two raters on an ordered scale beyond what chance would give: linear-weighted Cohen's
kappa with its confidence interval, for moderation (services/calibration.py) and any other pair of gradings."""

import math
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

# Landis and Koch (1977), the usual words for a kappa's strength.
KAPPA_WORDS = [(0.8, "almost perfect"), (0.6, "substantial"), (0.4, "moderate"), (0.2, "fair"), (0.0, "slight")]


@dataclass(frozen=True)
class Kappa:
    """Linear-weighted Cohen's kappa with its 95% confidence interval; `value` None with the `reason` why."""

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
        return f"{self.value:.2f} (95% confidence interval {self.low:.2f} to {self.high:.2f})"


def weighted_kappa(matrix):
    """Cohen's (1968) kappa with linear weights of a k × k table of counts (rows one rater's categories, columns
    the other's, in order), and its 95% interval from the large-sample standard error of Fleiss, Cohen and
    Everitt (1969, Psychological Bulletin 72(5) 323-327). Worked in exact fractions, so that a table where
    chance agreement is total is found exactly."""
    k = len(matrix)
    n = sum(map(sum, matrix))
    if n == 0:
        return Kappa(reason="Not worked out: no grades have been moderated for these filters.")
    p = [[Fraction(count, n) for count in row] for row in matrix]
    rows = [sum(row) for row in p]
    columns = [sum(p[i][j] for i in range(k)) for j in range(k)]
    weight = [[1 - Fraction(abs(i - j), k - 1) for j in range(k)] for i in range(k)]
    pairs = [(i, j) for i in range(k) for j in range(k)]
    observed = sum(weight[i][j] * p[i][j] for i, j in pairs)
    chance = sum(weight[i][j] * rows[i] * columns[j] for i, j in pairs)
    if chance == 1:
        return Kappa(
            reason="Not worked out: every grade, the auditors' and the moderators', was the same, "
            "so agreement beyond chance cannot be measured.",
        )
    kappa = (observed - chance) / (1 - chance)
    row_weight = [sum(columns[j] * weight[i][j] for j in range(k)) for i in range(k)]
    column_weight = [sum(rows[i] * weight[i][j] for i in range(k)) for j in range(k)]
    spread = sum(p[i][j] * (weight[i][j] - (row_weight[i] + column_weight[j]) * (1 - kappa)) ** 2 for i, j in pairs)
    variance = (spread - (kappa - chance * (1 - kappa)) ** 2) / (n * (1 - chance) ** 2)
    error = math.sqrt(max(float(variance), 0.0))
    z = NormalDist().inv_cdf(0.975)
    value = float(kappa)
    return Kappa(value, max(value - z * error, -1.0), min(value + z * error, 1.0), error)
