"""Rules for allocating an audit, on plain values."""

import datetime

from services.allocation import allocation_problems

TODAY = datetime.date(2026, 11, 23)


def test_a_good_allocation_has_no_problems(make_case, make_user):
    assert (
        allocation_problems(make_case(), make_user(roles=("auditor",)), TODAY + datetime.timedelta(days=1), TODAY) == []
    )


def test_every_problem_is_named_with_its_field(make_case, make_user):
    case = make_case(is_open=False)
    colleague = make_user(roles=("team-manager",), team=case.team, active=False)
    problems = allocation_problems(case, colleague, TODAY, TODAY)
    assert [field for field, _ in problems] == [None, "auditor", "auditor", "due_on"]
