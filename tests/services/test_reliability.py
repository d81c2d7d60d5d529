"""Reliability exercises' rules on plain values and records: Krippendorff's alpha against the `krippendorff`
package and Krippendorff's own worked example, setting one up, its results, and what the discussion agreed."""

import datetime
import random
from types import SimpleNamespace

import krippendorff
import pytest

from models import Audit, AuditTemplate, DomainJudgement, Event, Notice, ReliabilityExercise
from services import audit_lists, records, reliability
from services.audits import GRADE_ORDER, submit_problems
from services.dates import uk_today
from services.errors import RuleBroken
from services.reliability import Comparison, ordinal_alpha

DUE = uk_today() + datetime.timedelta(days=28)
NAN = float("nan")

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), example C: four observers, twelve units,
# values 1 to 5 with some missing. Its published alpha for ordinal data is 0.815.
PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def triples(matrix):
    """A coders-by-units matrix (NaN for missing) as (unit, coder, value) triples, missing values as None."""
    return [
        (unit, coder, None if value != value else value)
        for coder, row in enumerate(matrix)
        for unit, value in enumerate(row)
    ]


def package_alpha(matrix):
    return krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal")


def random_matrix(seed, coders, units, missing):
    """Grades as ranks 0 (Outstanding) to 3 (Inadequate), mostly near each unit's own grade, some missing."""
    rng = random.Random(seed)
    truths = [rng.randint(0, 3) for _ in range(units)]
    return [
        [NAN if rng.random() < missing else min(3, max(0, truth + rng.choice([-1, 0, 0, 0, 1]))) for truth in truths]
        for _ in range(coders)
    ]


def test_krippendorffs_published_example_gives_his_ordinal_alpha():
    alpha = ordinal_alpha(triples(PUBLISHED))
    assert round(alpha.value, 3) == 0.815
    assert alpha.value == pytest.approx(package_alpha(PUBLISHED), abs=1e-12)


@pytest.mark.parametrize(
    "matrix",
    [
        [[0, 1, 1, 2, 3, 0, 1, 2], [0, 1, 2, 2, 3, 1, 1, 2]],
        [[0, 1, 1, 2, 3, 0, 1, 2], [3, 2, 2, 1, 0, 3, 2, 1]],
        [[1, 1, 2, 1, 1, 2, 1, 1], [1, 2, 2, 1, 1, 2, 1, 3], [1, 1, 2, 1, 2, 2, 1, 1]],
        [[1, NAN, 2, 3, 1], [1, 2, NAN, 3, 2], [NAN, 2, 2, 3, 1]],
        [[0, 0, 0, 1, NAN, 3], [0, 0, 1, 1, 2, NAN], [NAN, 0, 0, 1, 2, 3], [0, 1, 0, NAN, 2, 3]],
        random_matrix(1, 3, 8, 0.0),
        random_matrix(2, 5, 8, 0.2),
        random_matrix(3, 4, 30, 0.3),
        random_matrix(4, 8, 8, 0.1),
    ],
    ids=[
        "two-close",
        "two-opposed",
        "three-mostly-one-grade",
        "three-missing",
        "four-missing",
        "random-3x8",
        "random-5x8-missing",
        "random-4x30-missing",
        "random-8x8-missing",
    ],
)
def test_ordinal_alpha_matches_the_krippendorff_package(matrix):
    assert ordinal_alpha(triples(matrix)).value == pytest.approx(package_alpha(matrix), abs=1e-9)


def test_a_unit_only_one_person_graded_is_left_out_as_the_package_does():
    matrix = [[0, 1, 2, 3], [0, 2, 2, NAN]]
    assert ordinal_alpha(triples(matrix)).value == pytest.approx(package_alpha(matrix), abs=1e-12)
    assert ordinal_alpha(triples(matrix)) == ordinal_alpha(triples([[0, 1, 2], [0, 2, 2]]))


def test_alpha_is_one_for_complete_agreement_and_below_zero_for_systematic_disagreement():
    assert ordinal_alpha(triples([[0, 1, 2, 3], [0, 1, 2, 3]])).value == pytest.approx(1)
    assert ordinal_alpha(triples([[0, 1, 2, 3], [3, 2, 1, 0]])).value < 0


@pytest.mark.parametrize(
    "data, reason",
    [
        ([], "No domain was graded by two or more people"),
        ([(0, "a", 1), (1, "b", 2), (2, "a", None)], "No domain was graded by two or more people"),
        ([(0, "a", 1), (0, "b", 1), (1, "a", 1), (1, "b", 1)], "Everyone gave the same grade throughout"),
    ],
    ids=["nothing", "nobody-shares-a-unit", "no-variation"],
)
def test_alpha_that_cannot_be_worked_out_is_none_with_the_reason(data, reason):
    alpha = ordinal_alpha(data)
    assert alpha.value is None and reason in alpha.reason and alpha.reading == alpha.reason


def test_a_comparison_says_the_most_common_grade_ties_and_the_spread():
    tied = Comparison("Assessment", ["good", "inadequate", None, "good", "inadequate"])
    assert tied.most_common == ["good", "inadequate"]
    assert (tied.best, tied.worst, tied.steps) == ("good", "inadequate", 2)
    same = Comparison("Assessment", ["good", "good"])
    assert same.most_common == ["good"] and same.steps == 0


@pytest.fixture
def people(make_user):
    qa = make_user(roles=("qa-officer",))
    return {
        "qa": qa,
        "participants": [
            make_user(roles=("auditor",)),
            make_user(roles=("qa-officer",)),
            make_user(roles=("moderator",)),
        ],
    }


def test_an_exercise_audit_is_submitted_with_only_its_grades_so_whats_and_overall_judgement():
    """Seed 002 s.9 compares judgements: no discussion, safeguarding answers, actions or grade-gap reason."""
    domains = [
        SimpleNamespace(domain=SimpleNamespace(name=f"Domain {n}"), grade="good", so_what="Safer") for n in (1, 2)
    ]
    part = SimpleNamespace(
        exercise_id=7,
        overall_grade="inadequate",
        overall_rationale="Reasons",
        grade_gap_reason="",
        discussion_on=None,
        discussion_minutes=None,
        discussion_not_held="",
        immediate_concern=True,
        supervised_recently=False,
    )
    assert submit_problems(part, domains, [], uk_today()) == []
    domains[1].so_what, part.overall_rationale = "", " "
    assert [problem.field for problem in submit_problems(part, domains, [], uk_today())] == [
        "domains-1-so_what",
        "overall_rationale",
    ]


def test_setting_one_up_makes_an_audit_each_with_events_and_notices_in_one_go(make_case, people):
    case = make_case()
    ids = [person.id for person in people["participants"]]
    exercise = reliability.set_up(people["qa"], case, AuditTemplate.current(), ids, DUE, uk_today())
    audits = list(Audit.select().where(Audit.exercise == exercise).order_by(Audit.id))
    assert [audit.auditor_id for audit in audits] == ids
    assert {(a.case_id, a.allocated_by_id, a.due_on, a.period_end) for a in audits} == {
        (case.id, people["qa"].id, DUE, uk_today())
    }
    assert Event.select().where(Event.record_type == "ReliabilityExercise").count() == 1
    assert Event.select().where(Event.record_type == "Audit").count() == 3
    notices = list(Notice.select().order_by(Notice.id))
    assert [notice.recipient_id for notice in notices] == ids
    assert notices[0].subject == f"Reliability exercise: audit case {case.reference}"
    # Emailed: the case reference, and nothing else about the child.
    assert "with 2 others" in notices[0].body and case.reference in notices[0].body
    assert all(detail not in notices[0].body for detail in (case.worker_name, str(case.birth_year), case.team.name))
    assert notices[0].link == f"/audits/{audits[0].id}"
    # Not the case's open audit: the programme can still allocate one.
    assert Audit.open_for_case(case) is None


@pytest.mark.parametrize(
    "who, due_on, field, message",
    [
        (lambda p, _: [p[0].id], DUE, "participants", "Select at least two people to take part"),
        (lambda p, _: [p[0].id, p[0].id], DUE, "participants", "Select at least two people to take part"),
        (lambda p, _: [p[0].id, 2**31 - 2], DUE, "participants", "Select the people taking part from the list"),
        (lambda p, _: [p[0].id, 10**20], DUE, "participants", "Select the people taking part from the list"),
        (lambda p, other: [p[0].id, other.id], DUE, "participants", "cannot take part"),
        (lambda p, _: [p[0].id, p[1].id], uk_today(), "due_on", "The date the exercise is due must be in the future"),
    ],
    ids=["one", "the-same-twice", "unknown", "too-large", "team-manager-only", "due-today"],
)
def test_a_set_up_that_breaks_a_rule_saves_nothing(make_case, make_user, people, who, due_on, field, message):
    other = make_user(roles=("team-manager",))
    with pytest.raises(RuleBroken) as refused:
        reliability.set_up(
            people["qa"], make_case(), AuditTemplate.current(), who(people["participants"], other), due_on, uk_today()
        )
    assert any(name == field and message in text for name, text in refused.value.problems)
    assert ReliabilityExercise.select().count() == 0 and Audit.select().count() == 0 and Notice.select().count() == 0


def test_someone_disabled_cannot_take_part(make_case, make_user, people):
    gone = make_user(roles=("auditor",), active=False)
    with pytest.raises(RuleBroken, match=f"{gone.name} cannot take part"):
        reliability.set_up(
            people["qa"], make_case(), AuditTemplate.current(), [people["qa"].id, gone.id], DUE, uk_today()
        )


def submit(audit, grades, overall):
    """Grade and submit an exercise audit directly."""
    for domain, grade in zip(audit.template.ordered_domains, grades, strict=True):
        DomainJudgement.create(audit=audit, domain=domain, grade=grade, so_what="So what")
    Audit.update(status="submitted", submitted_at=datetime.datetime.now(), overall_grade=overall).where(
        Audit.id == audit.id
    ).execute()


def test_results_set_the_submitted_grades_side_by_side_and_measure_them(make_case, people):
    exercise = reliability.set_up(
        people["qa"], make_case(), AuditTemplate.current(), [p.id for p in people["participants"]], DUE, uk_today()
    )
    first, second, third = reliability.audits_of(exercise)
    assert reliability.results(exercise).alpha.value is None
    submit(first, ["good"] * 7, "good")
    one = reliability.results(exercise)
    assert len(one.audits) == 1 and len(one.waiting) == 2 and "at least two people" in one.alpha.reason
    submit(second, ["good"] * 6 + ["requires-improvement"], "requires-improvement")
    two = reliability.results(exercise)
    assert [c.name for c in two.comparisons][-1] == "Overall judgement" and len(two.comparisons) == 8
    assert two.comparisons[-1].grades == ["good", "requires-improvement"]
    matrix = [[1] * 7 + [1], [1] * 6 + [2, 2]]
    assert two.alpha.value == pytest.approx(package_alpha(matrix))
    assert [audit.id for audit in two.waiting] == [third.id]


def test_what_was_agreed_is_saved_with_a_version_check(make_case, people):
    exercise = reliability.set_up(
        people["qa"], make_case(), AuditTemplate.current(), [p.id for p in people["participants"]], DUE, uk_today()
    )
    reliability.record_agreed(people["qa"], exercise, 1, "Assessment is Good where the plan is reviewed on time.")
    stale = ReliabilityExercise.get_by_id(exercise.id)
    stale.version = 1
    with pytest.raises(records.Stale):
        reliability.record_agreed(people["qa"], stale, 1, "Something else")
    assert ReliabilityExercise.get_by_id(exercise.id).agreed.startswith("Assessment is Good")


def test_an_exercises_audits_are_left_out_of_the_programmes_lists(make_case, make_audit, people):
    case = make_case()
    programme = make_audit(case=case)
    reliability.set_up(people["qa"], case, AuditTemplate.current(), [p.id for p in people["participants"]], DUE)
    assert [audit.id for audit in audit_lists.search()] == [programme.id]
    assert audit_lists.counted().count() == 1
    assert [audit.id for audit in audit_lists.for_case(case)] == [programme.id]
    mine = people["participants"][0]
    assert [audit.exercise_id is not None for audit in audit_lists.for_auditor(mine)] == [True]
    assert audit_lists.counted_for_auditor(mine).count() == 1


def exercise_of(people, make_case, template):
    return reliability.set_up(
        people["qa"], make_case(), template, [p.id for p in people["participants"]], DUE, uk_today()
    )


def test_each_domains_alpha_pools_the_finished_exercises_on_the_template_as_the_package_does(make_case, people):
    """Each exercise's case is one unit of a domain; an exercise someone has still to submit is left out."""
    template = AuditTemplate.current()
    rng = random.Random(15)
    ranks = []  # each exercise: each participant's ranks for the seven domains, then the overall judgement
    for _ in range(6):
        truth = [rng.randint(0, 3) for _ in range(8)]
        given = [[min(3, max(0, t + rng.choice([-1, 0, 0, 1]))) for t in truth] for _ in range(3)]
        for audit, grades in zip(reliability.audits_of(exercise_of(people, make_case, template)), given, strict=True):
            submit(audit, [GRADE_ORDER[rank] for rank in grades[:7]], GRADE_ORDER[grades[7]])
        ranks.append(given)
    under_way = exercise_of(people, make_case, template)
    submit(reliability.audits_of(under_way)[0], ["inadequate"] * 7, "outstanding")
    submit(reliability.audits_of(under_way)[1], ["outstanding"] * 7, "inadequate")
    last = ReliabilityExercise.select().order_by(ReliabilityExercise.id.desc()).offset(1).first()
    by_domain = reliability.results(last).by_domain
    assert [row.name for row in by_domain] == [d.name for d in template.ordered_domains] + ["Overall judgement"]
    for part, row in enumerate(by_domain):
        # The package's reliability data: coders (each exercise's first, second and third person) by units (cases).
        matrix = [[case[coder][part] for case in ranks] for coder in range(3)]
        assert row.cases == 6 and row.alpha.value == pytest.approx(package_alpha(matrix), abs=1e-12)


def test_a_domains_alpha_on_too_few_cases_or_one_grade_throughout_says_why(make_case, people):
    template = AuditTemplate.current()
    first = exercise_of(people, make_case, template)
    for audit in reliability.audits_of(first):
        submit(audit, ["good"] * 6 + ["requires-improvement"], "good")
    one = reliability.results(first).by_domain
    assert one[0].alpha.value is None and one[0].cases == 1
    assert one[0].alpha.reason == "Not worked out: 1 case graded by two or more people so far, and it takes at least 5."
    for _ in range(4):
        for audit in reliability.audits_of(exercise_of(people, make_case, template)):
            submit(audit, ["good"] * 6 + ["inadequate"], "good")
    five = reliability.results(first).by_domain
    assert five[0].cases == 5 and "everyone gave the same grade in every case" in five[0].alpha.reason
    assert five[6].alpha.value is not None, "Requires Improvement in one case, Inadequate in the others"
