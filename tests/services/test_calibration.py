"""The calibration figures (services/calibration.py) on moderations a person can check by hand, weighted kappa
checked against scikit-learn on moderation rows (services/kappa.py's own tests check its interval), and the
tallies they are added up from kept as moderations are submitted."""

import datetime
import random

import pytest
from sklearn.metrics import cohen_kappa_score

from models import AuditTemplate, DomainJudgement, Moderation
from services import calibration_tallies, moderation_draw, moderations
from services.calibration import (
    Filters,
    GroupRow,
    Tally,
    by_auditor,
    by_domain,
    by_month,
    by_team,
    figures,
    grade_changes,
)
from services.dates import months_from, uk_today
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


def test_the_trend_shows_every_month_of_the_period_drawn_one_with_none_moderated_as_a_gap(make_user, make_team):
    """As the dashboard shows every month of its period; but not the months before the first draw or after the
    last, which a period typed as 2000 to 2100 would have by the hundred."""
    moderated = ModeratedAudits(make_user(roles=("qa-officer",)), small_template())
    auditor, team = make_user(), make_team()
    april = datetime.date(2026, 4, 1)
    grades = ["G>RI", "G>G", "G>G"]
    moderated.add((auditor, team, month, grades, "submitted") for month in (JANUARY, datetime.date(2026, 3, 1)))
    moderated.add([(auditor, team, april, grades, "in-progress")])
    months = by_month(Filters(datetime.date(2000, 1, 1), datetime.date(2100, 12, 1)))
    assert [(row.month, row.grades.changed.text) for row in months] == [
        (JANUARY, "33% (1 of 3)"),
        (FEBRUARY, "None moderated"),
        (datetime.date(2026, 3, 1), "33% (1 of 3)"),
        (april, "None moderated"),
    ]
    assert [row.month for row in by_month(Filters(FEBRUARY, april))] == [FEBRUARY, datetime.date(2026, 3, 1), april]


def test_the_filters_choose_the_service_area_template_and_months(by_hand):
    filters, teams = by_hand
    one_area = Filters(JANUARY, FEBRUARY, service_area_id=teams[1].service_area_id, template_id=filters.template_id)
    assert grade_changes(one_area).total == 18  # not team two's audit
    assert grade_changes(Filters(JANUARY, FEBRUARY)).total == 21 + 8  # the audit on the Sefton template too
    assert grade_changes(Filters(FEBRUARY, FEBRUARY, template_id=filters.template_id)).total == 9
    assert grade_changes(Filters(datetime.date(2025, 12, 1), JANUARY, template_id=filters.template_id)).total == 15


@pytest.mark.parametrize(
    "first, last",
    [
        (datetime.date(2024, 1, 1), datetime.date(2024, 12, 1)),  # twelve months
        (datetime.date(2024, 8, 1), datetime.date(2025, 7, 1)),  # twelve months across the turn of a year
        (datetime.date(2023, 11, 1), datetime.date(2026, 3, 1)),  # months, then twice twelve
        (datetime.date(2023, 12, 1), datetime.date(2025, 1, 1)),  # a month, then twelve
        (datetime.date(2024, 2, 1), datetime.date(2024, 11, 1)),  # fewer than twelve
        (datetime.date(2024, 12, 1), datetime.date(2024, 12, 1)),  # one month
    ],
)
def test_auditors_and_teams_over_years_add_up_as_month_by_month(make_user, make_team, first, last):
    """Their figures are kept for the twelve months to each month as well as by the month (models.GroupTally): a
    period adds up its twelve months' rows back from its end and the rest of its months', and comes to what adding
    up each of its months would."""
    template = small_template()
    moderated = ModeratedAudits(make_user(roles=("qa-officer",)), template)
    auditors, teams = [make_user(name="Avery Auditor"), make_user(name="Blake Auditor")], [make_team(), make_team()]
    months = [(2023, 11), (2023, 12), (2024, 1), (2024, 7), (2024, 12), (2025, 1), (2025, 6), (2026, 1), (2026, 3)]
    pairs = random_pairs(5, len(months) * 2 * 3, 0.6)
    moderated.add(
        (auditors[n % 2], teams[n // 2 % 2], datetime.date(*months[n // 2], 1), pairs[n * 3 : n * 3 + 3], "submitted")
        for n in range(len(months) * 2)
    )
    for kind, rows_of in (("auditors", by_auditor), ("teams", by_team)):
        expected = {}
        for month in months_from(first, last):
            for row in rows_of(Filters(month, month, template_id=template.id)):
                audits, tally = expected.get(row.name, (0, Tally()))
                expected[row.name] = (audits + row.audits, tally + row.tally)
        found = {row.name: (row.audits, row.tally) for row in rows_of(Filters(first, last, template_id=template.id))}
        assert found == expected and found, kind


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
    kappa = figures(Filters(JANUARY, JANUARY, template_id=template.id))["kappa"]
    auditors_steps = [STEP[pair.split(">")[0]] for pair in pairs]
    moderated_steps = [STEP[pair.split(">")[1]] for pair in pairs]
    # The four grades are always the scale, even where a data set leaves one out.
    expected = cohen_kappa_score(auditors_steps, moderated_steps, weights="linear", labels=[0, 1, 2, 3])
    assert kappa.value == pytest.approx(expected, abs=1e-12)
    assert kappa.low <= kappa.value <= kappa.high


def test_submitting_a_moderation_adds_its_grades_to_the_figures_as_working_them_all_out_again_would(
    make_audit, make_user
):
    """The tallies are kept by services/moderations.submit, in its transaction; rebuilding them from every
    submitted moderation gives the same figures."""
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    month = uk_today(now).replace(day=1)
    qa, moderator = make_user(roles=("qa-officer",)), make_user(roles=("moderator",))
    for overall, domain_grade in [("good", "good"), ("good", "outstanding"), ("outstanding", "good")]:
        audit = make_audit(status="submitted", submitted_at=now, overall_grade=overall, overall_rationale="Why")
        for domain in AuditTemplate.current().ordered_domains:
            DomainJudgement.create(audit=audit, domain=domain, grade=domain_grade, evidence="Seen", so_what="So")
    moderation_draw.draw(qa, month, 30, now)
    this_month = Filters(month, month)
    assert grade_changes(this_month).total == 0, "drawn, not yet moderated"
    for number, moderation in enumerate(Moderation.select().order_by(Moderation.id)):
        moderations.reassign(qa, moderation, moderator, moderation.version)
        moderation = Moderation.get_by_id(moderation.id)
        rows = moderations.domains(moderation)
        domain_values = [
            {"agrees": index != number, "grade": None if index != number else "inadequate", "reason": "Thin"}
            for index, _ in enumerate(rows)
        ]
        values = {"agrees": True, "grade": None, "overall_reason": "", "actions_addressed": "yes"}
        moderations.save(moderator, moderation, moderation.version, values | {"message": ""}, domain_values)
        moderations.submit(moderator, Moderation.get_by_id(moderation.id), month)
    kept, rows = figures(this_month), tally_rows()
    assert kept["changes"].total == 3 * 8 and kept["changes"].agreement.text == "88% (21 of 24)"
    calibration_tallies.rebuild()
    assert tally_rows() == rows and figures(this_month) == kept


def tally_rows():
    """Every row of the tallies, without its id: for each service area and for every service area together (an
    empty service area)."""
    return [sorted((row[1:] for row in model.select().tuples()), key=repr) for model in calibration_tallies.MODELS]
