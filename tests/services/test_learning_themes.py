"""Learning themes on the dashboard (services/learning_themes.py), checked against an example worked by hand."""

import datetime

import pytest

from models import Audit, DomainJudgement, LearningTheme, ProgrammeMonth, ThemeTag, ThemeTally
from services import dashboard_tallies, learning_themes
from services.dashboard import Filters, team_areas
from services.errors import RuleBroken
from tests.moderated import small_template

FOCUS = datetime.date(2026, 4, 1)

# The month each audit was allocated in, its Recording grade and its Planning grade, and whether its Recording finding
# is tagged "Chronologies". The focus month is April: before it, January to March; after it, May to July.
BY_HAND = [
    (datetime.date(2026, 1, 1), "requires-improvement", "good", True),
    (datetime.date(2026, 2, 1), "good", "inadequate", False),
    (datetime.date(2026, 3, 1), "inadequate", "good", False),
    (datetime.date(2026, 4, 1), "outstanding", "inadequate", False),  # the focus month itself: neither side
    (datetime.date(2026, 5, 1), "good", "inadequate", True),
    (datetime.date(2026, 6, 1), "outstanding", "requires-improvement", False),
    (datetime.date(2026, 7, 1), "requires-improvement", "good", False),
    (datetime.date(2026, 8, 1), "inadequate", "inadequate", False),  # after the window
]


@pytest.fixture
def by_hand(make_audit, make_user):
    qa = make_user(roles=("qa-officer",))
    template = small_template(("Recording", "Planning"))
    recording, planning = template.ordered_domains
    chronologies = LearningTheme.create(name="Chronologies")
    LearningTheme.create(name="Voice of the child")
    for month, recording_grade, planning_grade, tagged in BY_HAND:
        allocated = datetime.datetime.combine(month.replace(day=5), datetime.time(9))
        audit = make_audit(
            template=template, allocated_at=allocated, status="submitted", overall_grade="good",
            submitted_at=allocated + datetime.timedelta(days=10),
        )  # fmt: skip
        judged = DomainJudgement.create(audit=audit, domain=recording, grade=recording_grade)
        DomainJudgement.create(audit=audit, domain=planning, grade=planning_grade)
        if tagged:
            ThemeTag.create(judgement=judged, theme=chronologies, tagged_by=qa)
    ProgrammeMonth.create(month=FOCUS, audit_type="monthly", focus=chronologies)
    dashboard_tallies.rebuild()
    return template


def test_a_theme_s_grades_before_and_after_its_focus_month_are_those_worked_by_hand(by_hand):
    chronologies, voice = themes_of(Filters(datetime.date(2026, 1, 1), datetime.date(2026, 8, 1)))
    assert (chronologies.name, chronologies.tags, chronologies.domains) == ("Chronologies", 2, ("Recording",))
    assert chronologies.focus == FOCUS
    # Recording before (January to March): Requires Improvement, Good, Inadequate: 1 of 3 Good or better.
    # After (May to July): Good, Outstanding, Requires Improvement: 2 of 3. Planning is never tagged: not counted.
    assert chronologies.before.text == "33% (1 of 3)" and chronologies.after.text == "67% (2 of 3)"
    assert chronologies.change == 33 and chronologies.change_text == "+33 percentage points"
    assert chronologies.is_few, "three grades a side say little"
    assert (voice.tags, voice.domains, voice.focus, voice.change_text) == (0, (), None, "")


def test_only_the_tags_of_the_period_are_counted_and_a_later_focus_month_is_not_yet_one(by_hand):
    (chronologies, _) = themes_of(Filters(datetime.date(2026, 5, 1), datetime.date(2026, 8, 1)))
    assert chronologies.tags == 1 and chronologies.focus == FOCUS
    (chronologies, _) = themes_of(Filters(datetime.date(2026, 1, 1), datetime.date(2026, 3, 1)))
    assert chronologies.tags == 1 and chronologies.focus is None, "April is after the period"


def test_tagging_keeps_the_tally_and_refuses_a_save_over_someone_else_s(by_hand, make_user):
    audit = Audit.select().where(Audit.template == by_hand).order_by(Audit.allocated_at).first()
    qa, theme = make_user(roles=("qa-officer",)), LearningTheme.get(name="Voice of the child")
    before = learning_themes.tagged(audit)
    seen = learning_themes.fingerprint(before)
    judgement = DomainJudgement.get(audit=audit, domain=by_hand.ordered_domains[1])
    learning_themes.save(qa, audit, seen, before | {judgement.id: {theme.id}})
    assert learning_themes.tagged(audit)[judgement.id] == {theme.id}
    kept = sorted(row[1:] for row in learning_themes_tally())
    dashboard_tallies.rebuild()
    assert sorted(row[1:] for row in learning_themes_tally()) == kept
    with pytest.raises(RuleBroken, match="changed this audit's learning themes"):
        learning_themes.save(qa, audit, seen, {})
    assert learning_themes.tagged(audit)[judgement.id] == {theme.id}, "nothing saved"


def themes_of(filters):
    return learning_themes.figures(filters, team_areas())


def learning_themes_tally():
    return [row for row in ThemeTally.select().tuples() if row[-1]]
