"""The audit's rules on plain values: period, grade gap, submit checks, vague actions, case-note text."""

import datetime
from types import SimpleNamespace

import pytest

from services.actions import is_vague
from services.audits import (
    DISCUSSION_NEEDED,
    RAISE_BUTTON,
    RESPONSE_NEEDED,
    default_period,
    months_before,
    steps_better,
    submit_problems,
)
from services.case_note import case_note_text

TODAY = datetime.date(2026, 11, 23)


def judgement(name, grade="good", so_what="It made the child safer"):
    return SimpleNamespace(domain=SimpleNamespace(name=name), grade=grade, so_what=so_what)


def audit(**fields):
    values = {
        "overall_grade": "good",
        "overall_rationale": "Reasons",
        "grade_gap_reason": "",
        "discussion_on": TODAY - datetime.timedelta(days=3),
        "discussion_minutes": 60,
        "discussion_not_held": "",
        "immediate_concern": False,
        "supervised_recently": True,
        "exercise_id": None,
    } | fields
    return SimpleNamespace(**values)


def action(**fields):
    values = {
        "id": 1,
        "what": "Write the contingency plan",
        "owner_name": "Sam",
        "owner_role": "Social Worker",
        "due_on": TODAY + datetime.timedelta(days=7),
        "done_when": "It is on the record",
    } | fields
    return SimpleNamespace(**values)


@pytest.mark.parametrize(
    "day, expected",
    [
        (datetime.date(2026, 11, 23), datetime.date(2026, 5, 23)),
        (datetime.date(2026, 8, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2026, 3, 15), datetime.date(2025, 9, 15)),
    ],
)
def test_the_default_period_is_the_last_six_months(day, expected):
    assert months_before(day, 6) == expected
    assert default_period(day) == (expected, day)


@pytest.mark.parametrize(
    "overall, grades, steps",
    [
        ("good", ["good", "requires-improvement"], 1),
        ("outstanding", ["good", "requires-improvement"], 2),
        ("good", ["good", "inadequate", None], 2),
        ("inadequate", ["good"], 0),
        (None, ["good"], 0),
    ],
)
def test_how_many_grades_better_the_overall_judgement_is(overall, grades, steps):
    assert steps_better(overall, grades) == steps


def test_a_complete_audit_has_no_problems():
    assert submit_problems(audit(), [judgement("Assessment")], [], TODAY) == []


def test_every_domain_needs_a_grade_and_a_so_what_each_tied_to_its_field():
    problems = submit_problems(
        audit(), [judgement("Assessment", grade=None), judgement("Impact", so_what=" ")], [], TODAY
    )
    assert [(p.field, p.message) for p in problems] == [
        ("domains-0-grade", "Select a grade for Assessment"),
        ("domains-1-so_what", "Enter what difference this made to the child for Impact"),
    ]


def test_the_overall_judgement_and_reasons_are_needed():
    fields = [p.field for p in submit_problems(audit(overall_grade=None, overall_rationale=""), [], [], TODAY)]
    assert fields == ["overall_grade", "overall_rationale"]


@pytest.mark.parametrize(
    "discussion, needed",
    [
        ({"discussion_on": None, "discussion_minutes": None}, True),
        ({"discussion_minutes": None}, True),
        ({"discussion_on": None}, True),
        ({"discussion_on": None, "discussion_minutes": None, "discussion_not_held": "  "}, True),
        ({"discussion_on": None, "discussion_minutes": None, "discussion_not_held": "Off sick; twice"}, False),
        ({}, False),
    ],
)
def test_the_practitioner_discussion_or_why_it_did_not_happen_is_needed(discussion, needed):
    """Sefton guide s.3.3: the discussion is a key element; its date and length, or why not."""
    problems = submit_problems(audit(**discussion), [judgement("Assessment")], [], TODAY)
    assert [(p.field, p.message) for p in problems] == ([("discussion_on", DISCUSSION_NEEDED)] if needed else [])


@pytest.mark.parametrize("grade", ["requires-improvement", "inadequate"])
def test_an_audit_graded_ri_or_inadequate_needs_an_action(grade):
    problems = submit_problems(audit(overall_grade=grade), [judgement("A", grade=grade)], [], TODAY)
    assert [p.field for p in problems] == ["actions"]
    assert submit_problems(audit(overall_grade=grade), [judgement("A", grade=grade)], [action()], TODAY) == []


def test_every_action_must_be_complete_and_in_the_future():
    problems = submit_problems(audit(), [], [action(owner_role=""), action(id=2, due_on=TODAY)], TODAY)
    assert [p.field for p in problems] == ["action-1", "action-2"]


def test_a_large_grade_gap_needs_a_reason_and_a_confirmation():
    judgements = [judgement("A", grade="inadequate")]
    fields = [p.field for p in submit_problems(audit(), judgements, [], TODAY)]
    assert fields == ["grade_gap_reason", "confirm_grade_gap"]
    explained = audit(grade_gap_reason="The domain is historic")
    assert submit_problems(explained, judgements, [], TODAY, confirmed_gap=True) == []


@pytest.mark.parametrize(
    "text, vague",
    [
        ("Update case summary", True),
        ("update the chronology.", True),
        ("Update genogram", True),
        ("Review the plan", True),
        ("Speak to the school", True),
        ("Update the case summary as soon as possible please", True),
        ("Update the chronology with the dates of both care proceedings and the school moves", False),
        ("Update the case summary with the contingency plan, who holds parental responsibility and contacts", False),
        ("Arrange a family group meeting with mum and grandmother before the next review", False),
    ],
)
def test_vague_actions_are_spotted(text, vague):
    assert is_vague(text) is vague


def test_case_note_text_is_plain_with_numbered_actions_and_uk_dates():
    case = SimpleNamespace(reference="MOS-1")
    auditor = SimpleNamespace(name="Alex Auditor", job_role="Team Manager")
    record = SimpleNamespace(
        case=case,
        auditor=auditor,
        overall_grade="requires-improvement",
        period_start=datetime.date(2026, 5, 23),
        period_end=TODAY,
        submitted_at=None,
        status="in-progress",
    )
    text = case_note_text(record, [action(), action(what="Hold a core group", due_on=datetime.date(2027, 1, 4))], TODAY)
    assert text.splitlines()[:4] == [
        "Case file audit of MOS-1, 23/11/2026",
        "Auditor: Alex Auditor, Team Manager",
        "Period audited: 23/05/2026 to 23/11/2026",
        "Overall judgement: Requires Improvement to be Good",
    ]
    assert "1. Write the contingency plan" in text and "2. Hold a core group" in text
    assert "   Who: Sam, Social Worker" in text and "   By: 04/01/2027" in text
    assert "<" not in text and "*" not in text


@pytest.mark.parametrize(
    "answers, needed",
    [
        ({"immediate_concern": True}, True),
        ({"supervised_recently": False}, True),
        ({"immediate_concern": None, "supervised_recently": None}, False),
        ({"immediate_concern": False, "supervised_recently": True}, False),
    ],
)
def test_an_immediate_response_must_be_raised_before_a_triggering_audit_is_submitted(answers, needed):
    problems = submit_problems(audit(**answers), [judgement("Assessment")], [], TODAY)
    assert [(p.field, p.message) for p in problems] == ([(RAISE_BUTTON, RESPONSE_NEEDED)] if needed else [])
    assert submit_problems(audit(**answers), [judgement("Assessment")], [], TODAY, response_raised=True) == []
