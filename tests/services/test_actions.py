"""Short titles for actions, on plain strings."""

import pytest

from services.actions import short_title


@pytest.mark.parametrize(
    "what, title",
    [
        (
            "Update the case summary with the contingency plan and who holds parental responsibility",
            "Update the case summary with the contingency plan and who…",
        ),
        ("Arrange a family group meeting", "Arrange a family group meeting"),
        ("Update the chronology. Add the dates of both school moves.", "Update the chronology"),
        ("Arrange a core group meeting! Invite the GP.", "Arrange a core group meeting!"),
        (
            "Speak to the school, e.g. the head of year. Then update the plan.",
            "Speak to the school, e.g. the head of year",
        ),
        ("Urgent. Hold a strategy discussion with the police.", "Urgent. Hold a strategy discussion with the police"),
        ("1. Update the genogram. 2. Share it.", "1. Update the genogram"),
        ("  Visit   the child\n\nat   school\talone  ", "Visit the child at school alone"),
        (
            "Update the case summary with the contingency plan, who holds parental responsibility and contacts",
            "Update the case summary with the contingency plan…",
        ),
    ],
)
def test_the_title_is_the_first_sentence_cut_at_a_clause_or_word(what, title):
    assert short_title(what) == title


def test_a_title_of_exactly_the_limit_is_not_cut():
    assert short_title("x" * 60) == "x" * 60


def test_a_long_single_word_is_cut_with_an_ellipsis():
    assert short_title("x" * 100) == "x" * 59 + "…"


def test_a_long_word_is_cut_rather_than_leave_a_title_of_one_short_word():
    assert short_title("See https://example.org/" + "a" * 80) == ("See https://example.org/" + "a" * 80)[:59] + "…"


@pytest.mark.parametrize(
    "what",
    [
        "Update the case summary with the contingency plan and who holds parental responsibility " * 3,
        "word " * 40,
        "y" * 200,
        ". " * 50,
    ],
)
def test_titles_are_never_longer_than_the_limit_nor_empty(what):
    for limit in (20, 40, 60):
        title = short_title(what, limit=limit)
        assert 0 < len(title) <= limit


def test_blank_text_has_a_blank_title():
    assert short_title(" \n ") == ""
