"""The rules of an audit: its period, the checks before it is submitted, and the grade-gap rule."""

import calendar
import datetime
from dataclasses import dataclass

from models import GRADES

GRADE_ORDER = list(GRADES)  # best first
# Camden programme s.6 (seed 003): an audit graded RI or Inadequate must set out improvements.
NEEDS_ACTIONS = {"requires-improvement", "inadequate"}
DISCUSSION_NEEDED = (
    "Enter the date of the discussion with the practitioner and how long it took, or why it did not happen"
)

# The id of the button that raises one, which the message links to.
RAISE_BUTTON = "raise-immediate-response"
RESPONSE_NEEDED = (
    "Raise an Immediate Response: the safeguarding answers say one is needed before the audit is submitted"
)


def months_before(day, months):
    """The same day `months` earlier, or the last day of that month if it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def default_period(allocated_on):
    """Sefton guide s.3.2 (seed 001): practice in the last six months."""
    return months_before(allocated_on, 6), allocated_on


def steps_better(overall, grades):
    """How many grades the overall judgement is above the worst graded domain (0 if not above)."""
    ranked = [GRADE_ORDER.index(grade) for grade in grades if grade]
    if not overall or not ranked:
        return 0
    return max(0, max(ranked) - GRADE_ORDER.index(overall))


def response_triggers(audit):
    """Why the audit's saved safeguarding answers say an Immediate Response is needed, as trigger codes
    (models.ImmediateResponse.TRIGGERS)."""
    found = []
    if audit.immediate_concern:
        found.append("safeguarding")
    if audit.supervised_recently is False:
        found.append("no-supervision")
    return found


@dataclass
class Problem:
    """Something that stops an audit being submitted; `field` is the id of the field to fix."""

    field: str
    message: str


def domains_done(judgements):
    """How many domains have what submitting needs: a grade and a "so what"."""
    return sum(1 for judgement in judgements if is_done(judgement))


def is_done(judgement):
    return bool(judgement.grade and judgement.so_what.strip())


def submit_problems(audit, judgements, actions, today, confirmed_gap=False, response_raised=False):
    """Everything that stops this audit being submitted, in the order of the form; `response_raised`
    says whether an Immediate Response has been raised from it."""
    problems = []
    # Sefton guide s.3.2: "Please score every section", and answer the "so what" question.
    for index, judgement in enumerate(judgements):
        name = judgement.domain.name
        if not judgement.grade:
            problems.append(Problem(f"domains-{index}-grade", f"Select a grade for {name}"))
        if not judgement.so_what.strip():
            problems.append(
                Problem(f"domains-{index}-so_what", f"Enter what difference this made to the child for {name}")
            )
    # A reliability exercise (seed 002 s.9) compares the grades and their reasons: nothing else is asked for.
    if audit.exercise_id:
        return problems + overall_problems(audit)
    # Sefton guide s.3.3: the discussion with the practitioner is a key element of the audit.
    if not (audit.discussion_on and audit.discussion_minutes) and not audit.discussion_not_held.strip():
        problems.append(Problem("discussion_on", DISCUSSION_NEEDED))
    # Sefton guide s.3.1: a child who may be unsafe needs an Immediate Response, whatever else the audit says.
    if response_triggers(audit) and not response_raised:
        problems.append(Problem(RAISE_BUTTON, RESPONSE_NEEDED))
    problems += overall_problems(audit)
    if audit.overall_grade in NEEDS_ACTIONS and not actions:
        grade = GRADES[audit.overall_grade]
        message = f"Add at least one action: an audit graded {grade} must set out what will improve"
        problems.append(Problem("actions", message))
    problems += action_problems(actions, today)
    gap = steps_better(audit.overall_grade, [j.grade for j in judgements])
    if gap >= 2 and not audit.grade_gap_reason.strip():
        problems.append(
            Problem(
                "grade_gap_reason",
                "Explain why the overall judgement is "
                f"{gap} grades better than the lowest domain grade, or change the judgement",
            )
        )
    if gap >= 2 and not confirmed_gap:
        problems.append(Problem("confirm_grade_gap", "Confirm that the overall judgement is right"))
    return problems


def overall_problems(audit):
    """What stops the overall judgement being submitted: its grade and its reasons."""
    problems = []
    if not audit.overall_grade:
        problems.append(Problem("overall_grade", "Select the overall judgement"))
    if not audit.overall_rationale.strip():
        problems.append(Problem("overall_rationale", "Enter the reasons for the overall judgement"))
    return problems


def action_problems(actions, today):
    """What stops a form's SMART actions being submitted: each complete, and not yet due."""
    problems = []
    for number, action in enumerate(actions, start=1):
        if not all(
            [action.what.strip(), action.owner_name.strip(), action.owner_role.strip(), action.done_when.strip()]
        ):
            problems.append(
                Problem(
                    f"action-{action.id}", f"Complete action {number}: it needs what, who, by when and how we will know"
                )
            )
        elif action.due_on <= today:
            problems.append(
                Problem(f"action-{action.id}", f"Change the date of action {number}: it must be after today")
            )
    return problems
