"""Weighted kappa and its interval (services/kappa.py): the value against scikit-learn, the standard error against a
published example where every audit has one grade, and against a brute-force jackknife and bootstrap over audits
where an audit's grades go together; and plain words where there is too little to go on."""

import math
import random
import statistics

import pytest
from scipy.stats import t
from sklearn.metrics import cohen_kappa_score

from services.kappa import FEWEST_AUDITS, KappaSums, audit_vector, t_quantile, weighted_kappa


def sums_of(audits):
    """KappaSums of audits, each a list of (auditor's step, moderated step) pairs."""
    return sum((KappaSums.of(audit_vector(pairs)) for pairs in audits), KappaSums())


def plain_kappa(audits):
    """Linear-weighted kappa by scikit-learn, over every grade of `audits`: an independent computation."""
    pairs = [pair for audit in audits for pair in audit]
    return cohen_kappa_score(*zip(*pairs, strict=True), weights="linear", labels=[0, 1, 2, 3])


def clustered_audits(seed, count, grades=8):
    """Audits of `grades` grades each where the moderator tends to move a whole audit one way: most of an audit's
    grades moved by the same shift (often none), a few by a step of their own."""
    chooser = random.Random(seed)
    audits = []
    for _ in range(count):
        shift = chooser.choice([0, 0, 0, 1, 1, -1])
        audit = []
        for _ in range(grades):
            auditor = chooser.choices(range(4), weights=[1, 5, 3, 1])[0]
            moved = auditor + (shift if chooser.random() < 0.8 else chooser.choice([-1, 0, 1]))
            audit.append((auditor, min(3, max(0, moved))))
        audits.append(audit)
    return audits


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_value_is_scikit_learns(seed):
    audits = clustered_audits(seed, 40)
    assert weighted_kappa(sums_of(audits)).value == pytest.approx(plain_kappa(audits), abs=1e-12)


def test_with_one_grade_an_audit_the_error_is_the_published_one_for_independent_grades():
    # Hout, Duncan and Sobel (1987) via Agresti (1990): 91 couples' answers on a four-point scale, the
    # `SexualFun` table of R's vcd package, whose Kappa() gives weighted kappa 0.2374 with standard error 0.07832
    # by the Fleiss, Cohen and Everitt (1969) formula. Each couple is a cluster of one: the cluster-robust error is
    # that one times the small-sample correction, the square root of m / (m - 1).
    table = [[7, 7, 2, 3], [2, 8, 3, 7], [1, 5, 4, 9], [2, 8, 9, 14]]
    couples = [[(i, j)] for i in range(4) for j in range(4) for _ in range(table[i][j])]
    kappa = weighted_kappa(sums_of(couples))
    assert kappa.value == pytest.approx(0.2374, abs=5e-5)
    assert kappa.standard_error == pytest.approx(0.07832 * math.sqrt(91 / 90), abs=5e-6)
    margin = t.ppf(0.975, 90) * kappa.standard_error
    assert (kappa.low, kappa.high) == (pytest.approx(kappa.value - margin), pytest.approx(kappa.value + margin))
    assert kappa.text == "0.24 (95% confidence interval 0.08 to 0.39)"
    assert kappa.strength == "fair"


@pytest.mark.parametrize("seed", [4, 5])
def test_the_error_of_clustered_grades_is_the_jackknife_and_bootstraps_over_audits(seed):
    audits = clustered_audits(seed, 150)
    kappa = weighted_kappa(sums_of(audits))
    # Leave each audit out in turn (Efron and Stein's delete-one jackknife, each audit one unit).
    left_out = [plain_kappa(audits[:n] + audits[n + 1 :]) for n in range(len(audits))]
    centre = statistics.fmean(left_out)
    jackknife = math.sqrt((len(audits) - 1) / len(audits) * sum((value - centre) ** 2 for value in left_out))
    assert kappa.standard_error == pytest.approx(jackknife, rel=0.03)
    # Resample whole audits, with replacement, many times.
    chooser = random.Random(seed)
    resampled = [plain_kappa(chooser.choices(audits, k=len(audits))) for _ in range(800)]
    assert kappa.standard_error == pytest.approx(statistics.stdev(resampled), rel=0.1)


def test_clustered_grades_give_a_wider_interval_than_taking_every_grade_as_independent():
    audits = clustered_audits(6, 150)
    clustered = weighted_kappa(sums_of(audits))
    independent = weighted_kappa(sums_of([[pair] for audit in audits for pair in audit]))
    assert clustered.value == pytest.approx(independent.value)
    assert clustered.high - clustered.low > 1.5 * (independent.high - independent.low)


def test_the_interval_narrows_with_more_audits():
    small, large = weighted_kappa(sums_of(clustered_audits(7, 30))), weighted_kappa(sums_of(clustered_audits(7, 600)))
    assert large.high - large.low < (small.high - small.low) / 2
    assert large.low < large.value < large.high


def test_the_t_quantile_is_scipys_from_the_fewest_audits_on():
    for freedom in (FEWEST_AUDITS - 1, 12, 30, 100, 2000):
        assert t_quantile(0.975, freedom) == pytest.approx(t.ppf(0.975, freedom), abs=5e-4)


@pytest.mark.parametrize(
    "audits, reason",
    [
        ([], "Not worked out: no grades have been moderated"),
        # Eight grades, all agreeing, of one audit: the "1.00 (1.00 to 1.00)".
        ([[(1, 1)] * 4 + [(2, 2)] * 4], "Not worked out: 1 audit moderated, and it takes at least 10"),
        (clustered_audits(8, FEWEST_AUDITS - 1), "Not worked out: 9 audits moderated, and it takes at least 10"),
        # Every auditor's grade Good, the moderators' spread: the issue's "0.00 (0.00 to 0.00)".
        ([[(1, 1), (1, 2), (1, 0)]] * 20, "the auditors gave every grade as Good, so there is no spread"),
        ([[(0, 2), (1, 2), (3, 2)]] * 20, "the moderators gave every grade as Requires Improvement to be Good"),
    ],
    ids=["nothing", "one audit", "nine audits", "auditors one-sided", "moderators one-sided"],
)
def test_kappa_on_too_little_or_one_sided_data_says_why_instead_of_a_figure(audits, reason):
    kappa = weighted_kappa(sums_of(audits))
    assert kappa.value is None and kappa.low is None
    assert kappa.text.startswith(reason) or reason in kappa.text
    assert "0.00" not in kappa.text and "1.00" not in kappa.text


def test_full_agreement_on_enough_audits_gives_kappa_one_without_an_interval():
    kappa = weighted_kappa(sums_of([[(0, 0), (1, 1), (2, 2), (3, 3)]] * FEWEST_AUDITS))
    assert (kappa.value, kappa.low, kappa.high) == (1.0, None, None)
    assert (
        kappa.text
        == "1.00: every grade was left as the auditor gave it, so there is no spread to give an interval from."
    )
