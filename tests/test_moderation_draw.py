"""Properties of the monthly moderation draw and of assigning moderators, for any month (hypothesis)."""

import math

from hypothesis import given
from hypothesis import strategies as st

from models import GRADES
from services.moderation_draw import ALWAYS_SAMPLED, assign, sample

grades = st.sampled_from(list(GRADES))
months = st.lists(grades, max_size=120).map(
    lambda month: [(audit_id, grade) for audit_id, grade in enumerate(month, 1)]
)
seeds = st.integers(min_value=0, max_value=2**31 - 1)
percentages = st.integers(min_value=1, max_value=100)


@given(months, seeds, percentages)
def test_every_good_and_outstanding_audit_is_sampled(month, seed, percentage):
    picked = sample(month, seed, percentage)
    assert {audit_id for audit_id, grade in month if grade in ALWAYS_SAMPLED} <= set(picked)
    assert all(
        picked[audit_id] == ("good-or-outstanding" if grade in ALWAYS_SAMPLED else "random")
        for audit_id, grade in month
        if audit_id in picked
    )


@given(months, seeds, percentages)
def test_the_sample_is_the_percentage_rounded_up_unless_good_and_outstanding_take_more(month, seed, percentage):
    picked = sample(month, seed, percentage)
    target = math.ceil(len(month) * percentage / 100)
    always = sum(1 for _, grade in month if grade in ALWAYS_SAMPLED)
    assert len(picked) == max(target, always)
    assert set(picked) <= {audit_id for audit_id, _ in month}, "only the month's audits, each once (a dict)"


@given(months, seeds, percentages)
def test_the_same_seed_gives_the_same_sample_whatever_the_order(month, seed, percentage):
    assert sample(month, seed, percentage) == sample(list(reversed(month)), seed, percentage)


@given(st.lists(grades, min_size=20, max_size=60), st.integers(min_value=0, max_value=10**6))
def test_different_seeds_draw_different_samples_of_a_large_enough_month(grade_list, seed):
    month = [(audit_id, "inadequate") for audit_id, _ in enumerate(grade_list, 1)]
    samples = {tuple(sorted(sample(month, seed + step, 30))) for step in range(5)}
    assert len(samples) > 1, "the seed decides the random part"


@given(months, months, seeds, seeds, percentages)
def test_a_draw_for_late_audits_keeps_every_earlier_pick_and_completes_the_sample(first, late, seed, late_seed, pct):
    late = [(audit_id + 1000, grade) for audit_id, grade in late]
    earlier = sample(first, seed, pct)
    later = sample(late, late_seed, pct, month_size=len(first) + len(late), already=len(earlier))
    assert not set(earlier) & set(later), "no audit twice"
    whole = earlier | later
    assert set(earlier) <= set(whole), "nothing drawn before is removed"
    assert {audit_id for audit_id, grade in first + late if grade in ALWAYS_SAMPLED} <= set(whole)
    month_size = len(first) + len(late)
    assert len(whole) >= min(math.ceil(month_size * pct / 100), month_size)


people = st.integers(min_value=1, max_value=12)


@given(st.lists(st.tuples(people, people), max_size=80), st.sets(people, min_size=1, max_size=8), seeds)
def test_a_moderator_is_never_the_auditor_or_the_team_manager(audits, moderators, seed):
    """Each audit here is (auditor, team manager): either may also hold the moderator role."""
    chosen = assign([(number, set(pair)) for number, pair in enumerate(audits)], sorted(moderators), {}, seed)
    for number, pair in enumerate(audits):
        assert chosen[number] not in pair
        assert chosen[number] is None or chosen[number] in moderators
        assert (chosen[number] is None) == (moderators <= set(pair)), "someone takes it whenever someone may"


@given(st.integers(min_value=0, max_value=80), st.sets(people, min_size=1, max_size=8), seeds)
def test_moderations_are_spread_evenly_between_the_moderators(count, moderators, seed):
    """Auditors and team managers (ids over 100) who are not moderators: everyone may take everything."""
    audits = [(number, {101 + number % 7, 201 + number % 3}) for number in range(count)]
    chosen = assign(audits, sorted(moderators), {}, seed)
    loads = [list(chosen.values()).count(moderator) for moderator in moderators]
    assert max(loads) - min(loads) <= 1


@given(st.dictionaries(people, st.integers(min_value=0, max_value=5), min_size=2, max_size=6), seeds)
def test_the_month_s_earlier_moderations_count_towards_the_spread(earlier, seed):
    moderators = sorted(earlier)
    audits = [(number, set()) for number in range(5 * len(moderators) + 2)]  # enough to even out any start
    chosen = assign(audits, moderators, earlier, seed)
    loads = [earlier[moderator] + list(chosen.values()).count(moderator) for moderator in moderators]
    assert max(loads) - min(loads) <= 1
