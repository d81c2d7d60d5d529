"""The calibration figures (services/calibration.py) on moderations a person can check by hand, and weighted
kappa checked against scikit-learn on moderation rows and against a published example."""

import datetime
import random

import pytest
from sklearn.metrics import cohen_kappa_score

from models import AuditTemplate
from services.calibration import Filters, GroupRow, Tally, by_auditor, by_domain, by_month, by_team, grade_changes
from services.kappa import weighted_kappa
from tests.moderated import GRADE, STEP, ModeratedAudits, small_template

JANUARY, FEBRUARY = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)

# Seven moderated audits on a template of two domains: the overall judgement, then Assessment, then Planning.
# Auditor A's five audits (team 1); auditor B's two, the first of team 1, the second of team 2.
BY_HAND = [
    ("A", 1, JANUARY, ["G>RI", "G>G", "G>RI"]),
    ("A", 1, JANUARY, ["G>G", "O>G", "G>G"]),
    ("A", 1, JANUARY, ["G>RI", "G>I", "RI>RI"]),
    ("A", 1, JANUARY, ["RI>RI", "G>RI", "RI>RI"]),
    ("A", 1, FEBRUARY, ["G>G", "G>RI", "O>O"]),
    ("B", 1, FEBRUARY, ["RI>G", "I>RI", "RI>RI"]),
    ("B", 2, FEBRUARY, ["G>G", "G>O", "G>G"]),
]


@pytest.fixture
def by_hand(make_user, make_team, make_service_area):
    """The audits of BY_HAND, and some that must not count: one still being moderated, one drawn before the
    period, and one on another template."""
    template = small_template()
    people = {"A": make_user(name="Avery Auditor"), "B": make_user(name="Blake Auditor")}
    teams = {1: make_team(name="Team One"), 2: make_team(name="Team Two")}
    moderated = ModeratedAudits(make_user(roles=("qa-officer",)), template)
    moderated.add((people[who], teams[team], month, grades, "submitted") for who, team, month, grades in BY_HAND)
    not_counted = [
        (people["A"], teams[1], JANUARY, ["O>I", "O>I", "O>I"], "in-progress"),
        (people["A"], teams[1], datetime.date(2025, 12, 1), ["O>I", "O>I", "O>I"], "submitted"),
    ]
    moderated.add(not_counted)
    sefton = ModeratedAudits(moderated.drawn_by, AuditTemplate.current())
    sefton.add([(people["B"], teams[2], JANUARY, ["O>I"] * 8, "submitted")])
    return Filters(JANUARY, FEBRUARY, template_id=template.id), teams


def test_the_grade_change_table_counts_every_grade_from_the_auditors_to_the_moderated(by_hand):
    filters, _ = by_hand
    changes = grade_changes(filters)
    table = {auditor: [changes.cell(GRADE[auditor], GRADE[moderated]) for moderated in GRADE] for auditor in GRADE}
    assert table == {"O": [1, 1, 0, 0], "G": [1, 6, 5, 1], "RI": [0, 1, 4, 0], "I": [0, 0, 1, 0]}
    assert changes.total == 21
    assert changes.agreement.text == "52% (11 of 21)"
    moves = {label: share.count for label, share in changes.moves()}
    assert moves == {
        "Moderated to a better grade by one step": 3,
        "Moderated to a better grade by two or more steps": 0,
        "Moderated to a worse grade by one step": 6,
        "Moderated to a worse grade by two or more steps": 1,
        "Not changed": 11,
    }


def test_agreement_by_domain_ends_with_the_overall_judgement(by_hand):
    filters, _ = by_hand
    rows = [(name, tally.agreement.text) for name, tally in by_domain(filters)]
    assert rows == [
        ("Assessment", "14% (1 of 7)"),
        ("Planning", "86% (6 of 7)"),
        ("Overall judgement", "57% (4 of 7)"),
    ]


def test_auditors_and_teams_show_agreement_signed_change_and_what_it_suggests(by_hand):
    filters, _ = by_hand
    auditors = [(r.name, r.audits, r.tally.agreement.text, r.tally.change, r.reading_text) for r in by_auditor(filters)]
    assert auditors == [
        ("Avery Auditor", 5, "53% (8 of 15)", 8, "Grades more generously than moderators"),
        ("Blake Auditor", 2, "50% (3 of 6)", -3, "Fewer than 5 moderations: read with care"),
    ]
    teams = [(r.name, r.audits, r.tally.agreement.text, r.tally.change, r.reading_text) for r in by_team(filters)]
    assert teams == [
        ("Team One", 6, "50% (9 of 18)", 6, ""),
        ("Team Two", 1, "67% (2 of 3)", -1, "Fewer than 5 moderations: read with care"),
    ]


def test_the_trend_counts_the_share_of_grades_changed_each_month(by_hand):
    filters, _ = by_hand
    months = [(row.month, row.overall.changed.text, row.grades.changed.text) for row in by_month(filters)]
    assert months == [(JANUARY, "50% (2 of 4)", "50% (6 of 12)"), (FEBRUARY, "33% (1 of 3)", "44% (4 of 9)")]


def test_the_filters_choose_the_service_area_template_and_months(by_hand):
    filters, teams = by_hand
    one_area = Filters(JANUARY, FEBRUARY, service_area_id=teams[1].service_area_id, template_id=filters.template_id)
    assert grade_changes(one_area).total == 18  # not team two's audit
    assert grade_changes(Filters(JANUARY, FEBRUARY)).total == 21 + 8  # the audit on the Sefton template too
    assert grade_changes(Filters(FEBRUARY, FEBRUARY, template_id=filters.template_id)).total == 9
    assert grade_changes(Filters(datetime.date(2025, 12, 1), JANUARY, template_id=filters.template_id)).total == 15


@pytest.mark.parametrize(
    "audits, change, reading",
    [
        (5, 3, "generous"),  # +0.5 over 6 grades
        (5, -3, "severe"),
        (5, 2, None),
        (4, 6, "few"),
        (0, 0, "few"),
    ],
)
def test_a_leaning_is_marked_only_from_half_a_step_over_five_moderations(audits, change, reading):
    assert GroupRow("Someone", audits, Tally(grades=6, agreed=3, change=change)).reading == reading


def random_pairs(seed, count, agreeing):
    """`count` (auditor's grade, moderated grade) pairs: the moderator keeps the grade with chance `agreeing`,
    else moves it one step (or, now and then, two)."""
    chooser = random.Random(seed)
    codes = list(GRADE)
    pairs = []
    for _ in range(count):
        auditor = chooser.choices(codes, weights=[1, 5, 3, 1])[0]
        step = STEP[auditor]
        if chooser.random() >= agreeing:
            step = min(3, max(0, step + chooser.choice([-2, -1, -1, 1, 1, 1, 2])))
        pairs.append(f"{auditor}>{codes[step]}")
    return pairs


@pytest.mark.parametrize("seed, audits, agreeing", [(1, 12, 0.7), (2, 40, 0.4), (3, 60, 0.9), (4, 25, 0.0)])
def test_weighted_kappa_is_scikit_learns_on_moderated_grades(make_user, make_team, seed, audits, agreeing):
    template = small_template()
    moderated = ModeratedAudits(make_user(roles=("qa-officer",)), template)
    pairs = random_pairs(seed, audits * 3, agreeing)
    auditor, team = make_user(), make_team()
    moderated.add((auditor, team, JANUARY, pairs[n * 3 : n * 3 + 3], "submitted") for n in range(audits))
    kappa = weighted_kappa(grade_changes(Filters(JANUARY, JANUARY, template_id=template.id)).matrix())
    auditors_steps = [STEP[pair.split(">")[0]] for pair in pairs]
    moderated_steps = [STEP[pair.split(">")[1]] for pair in pairs]
    # The four grades are always the scale, even where a data set leaves one out.
    expected = cohen_kappa_score(auditors_steps, moderated_steps, weights="linear", labels=[0, 1, 2, 3])
    assert kappa.value == pytest.approx(expected, abs=1e-12)
    assert kappa.low <= kappa.value <= kappa.high


def test_the_interval_is_the_published_one_for_a_worked_example():
    # Hout, Duncan and Sobel (1987) via Agresti (1990): husbands' and wives' answers on a four-point scale,
    # the `SexualFun` table of R's vcd package, whose Kappa() gives weighted kappa 0.2374 with standard error
    # 0.07832 and 95% limits 0.08388 to 0.3909 by the Fleiss, Cohen and Everitt (1969) formula.
    kappa = weighted_kappa([[7, 7, 2, 3], [2, 8, 3, 7], [1, 5, 4, 9], [2, 8, 9, 14]])
    assert kappa.value == pytest.approx(0.2374, abs=5e-5)
    assert kappa.standard_error == pytest.approx(0.07832, abs=5e-6)
    assert (kappa.low, kappa.high) == (pytest.approx(0.08388, abs=5e-6), pytest.approx(0.3909, abs=5e-5))
    assert kappa.text == "0.24 (95% confidence interval 0.08 to 0.39)"
    assert kappa.strength == "fair"


def test_the_interval_narrows_with_more_data():
    table = [[3, 2, 0, 0], [1, 10, 3, 0], [0, 2, 6, 1], [0, 0, 1, 2]]
    small, large = weighted_kappa(table), weighted_kappa([[count * 10 for count in row] for row in table])
    assert small.value == pytest.approx(large.value)
    assert large.high - large.low < small.high - small.low
    assert large.low < large.value < large.high


def test_full_agreement_has_kappa_one_and_no_spread():
    kappa = weighted_kappa([[2, 0, 0, 0], [0, 5, 0, 0], [0, 0, 3, 0], [0, 0, 0, 0]])
    assert (kappa.value, kappa.low, kappa.high) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    "table, reason",
    [
        ([[0] * 4] * 4, "no grades have been moderated"),
        ([[0, 0, 0, 0], [0, 9, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], "every grade, the auditors' and the moderators'"),
    ],
)
def test_kappa_that_cannot_be_worked_out_says_why(table, reason):
    kappa = weighted_kappa(table)
    assert kappa.value is None and reason in kappa.text
