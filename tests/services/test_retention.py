"""Retention, for any history of cases, closures and legal holds (hypothesis): the dry run finds exactly the cases
past their time, the real run gives them notice and, once it has run out, removes exactly those and everything of
them, never a case on hold, within its time or open, and touches no other case; run again, it removes nothing more.
The logs lose only rows past their time."""

import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from models import AccessRecord, Action, Audit, Case, Event, EventTally, Notice, db
from services import retention
from services.dates import long_date
from services.retention import Policy, is_due, years_before

TODAY = datetime.date(2026, 12, 4)
DAY = datetime.timedelta(days=1)

# Each case: open or not, the days since it closed (around every year's boundary), on legal hold or not.
histories = st.lists(
    st.tuples(st.booleans(), st.integers(min_value=0, max_value=9 * 366), st.booleans()), min_size=1, max_size=6
)


@pytest.fixture
def case_with_records(make_case, make_audit):
    """A case as `history` says, with a submitted audit, its action and a view of it; returns the case."""

    def make(is_open, days_closed, held):
        case = make_case(
            is_open=is_open,
            closed_on=None if is_open else TODAY - datetime.timedelta(days=days_closed),
            held_because="Court proceedings" if held else "",
        )
        audit = make_audit(case=case, status="submitted", submitted_at=datetime.datetime(2019, 1, 7, 9))
        Action.create(
            audit=audit, what="Review the plan", owner_name="Sam", owner_role="Social Worker",
            due_on=datetime.date(2019, 2, 1), done_when="Reviewed",
        )  # fmt: skip
        AccessRecord.create(
            user=audit.auditor, case_id=case.id, record_type="Audit", record_id=audit.id, kind="page", path="/"
        )
        return case

    return make


def held_records(case_ids):
    return {
        "cases": Case.select().where(Case.id.in_(case_ids)).count(),
        "audits": Audit.select().where(Audit.case.in_(case_ids)).count(),
        "actions": Action.select().join(Audit).where(Audit.case.in_(case_ids)).count(),
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories, st.integers(min_value=1, max_value=8), st.sampled_from([0, 30]))
def test_retention_removes_exactly_the_cases_past_their_time(app, case_with_records, history, years, notice_days):
    with db.atomic() as everything:
        cases = [case_with_records(*entry) for entry in history]
        due = {
            case.id
            for case, (is_open, _, held) in zip(cases, history, strict=True)
            if is_due(is_open, case.closed_on, "hold" if held else "", TODAY, years)
        }
        references = sorted(case.reference for case in cases if case.id in due)
        kept = {case.id for case in cases} - due
        before = held_records(kept)
        policy = Policy(years, 6, notice_days)
        assert {case.id for case in retention.cases_due(policy, TODAY)} == due, "the dry run"
        noticed, removed, _ = retention.run(policy, TODAY)
        assert sorted(noticed) == references
        if notice_days:
            assert removed == [] and held_records(due)["cases"] == len(due), "nothing goes before its notice runs out"
            later = TODAY + datetime.timedelta(days=notice_days)
            assert all(
                retention.removal_day(case, policy, TODAY) == later for case in retention.cases_due(policy, TODAY)
            )
            _, removed, _ = retention.run(policy, later)
        assert sorted(removed) == references
        assert held_records(due) == {"cases": 0, "audits": 0, "actions": 0}
        assert held_records(kept) == before
        for case in Case.select().where(Case.id.in_([c.id for c in cases])):
            assert case.is_open or case.held_because or case.closed_on >= years_before(TODAY, years)
        assert AccessRecord.select().where(AccessRecord.case_id.in_(due)).count() == len(due), "kept as the logs are"
        last = TODAY + datetime.timedelta(days=notice_days)
        assert retention.run(policy, last)[1:] == ([], {"events": 0, "views": 0}), "run twice"
        everything.rollback()


def test_a_case_is_removed_only_once_its_notice_has_run_out_and_a_hold_ends_the_notice(
    case_with_records, make_user, make_case
):
    qa_officer = make_user(roles=("qa-officer",))
    case = case_with_records(False, 7 * 366, False)
    policy = Policy(6, 6, 30)
    assert retention.run(policy, TODAY) == ([case.reference], [], {"events": 0, "views": 0})
    notice = Notice.get(Notice.recipient == qa_officer)
    assert notice.subject == "1 case past its time to keep, to be removed from 3 January 2027"
    assert case.reference in notice.body and notice.link == "/retention"
    assert Event.get(Event.action.startswith("given notice")).record_id == case.id
    assert retention.run(policy, TODAY + datetime.timedelta(days=29)) == ([], [], {"events": 0, "views": 0})
    case = Case.get_by_id(case.id)
    case = retention.hold(qa_officer, case, case.version, "A claim is open")
    assert Case.get_by_id(case.id).removal_on is None
    case = retention.release(qa_officer, case, case.version)
    later = TODAY + datetime.timedelta(days=40)
    assert retention.run(policy, later) == ([case.reference], [], {"events": 0, "views": 0}), "a new notice"
    assert retention.run(policy, later + datetime.timedelta(days=30))[1] == [case.reference]
    assert not Case.select().where(Case.id == case.id).exists()


def test_a_case_held_after_the_run_listed_it_is_kept_whole(case_with_records):
    """The run lists what to remove first, then removes each case in turn: one put on hold (or reopened) meanwhile
    is kept, with everything of it, as the QA officer was promised when putting it on hold."""
    case = case_with_records(False, 10 * 366, False)
    policy = Policy(6, 6, 0)
    before = held_records([case.id])
    Case.update(held_because="Court proceedings").where(Case.id == case.id).execute()
    assert retention.remove_case(case, policy, TODAY) is None
    assert held_records([case.id]) == before and before["actions"] == 1
    assert not Event.select().where(Event.action.startswith("removed by retention")).exists()


def test_each_case_removed_is_written_to_the_event_log_without_the_child_s_details(case_with_records):
    case = case_with_records(False, 7 * 366, False)
    retention.run(Policy(6, 6, 0), TODAY)
    event = Event.get(Event.action.startswith("removed by retention"))
    assert event.action == f"removed by retention: case {case.reference}"
    assert (event.record_type, event.record_id, event.user_id) == ("Case", case.id, None)
    assert "1 Action" in event.fields and "1 Audit" in event.fields and "1 Case" in event.fields
    assert case.initials not in event.fields + event.action


def test_the_logs_lose_only_their_rows_past_their_time(app, make_user):
    user = make_user()
    now = datetime.datetime.combine(TODAY, datetime.time(12))
    old, recent = now - datetime.timedelta(days=3 * 366), now - datetime.timedelta(days=400)
    for at in (old, recent):
        Event.create(user=user, action="changed", record_type="Case", record_id=1, at=at)
        AccessRecord.create(user=user, at=at, case_id=1, record_type="Case", record_id=1, kind="page", path="/")
    tally = EventTally.get_by_id("Case").count
    policy = Policy(6, 2)
    assert retention.logs_due(policy, TODAY) == {"events": 1, "views": 1}
    assert retention.remove_logs(policy, TODAY) == {"events": 1, "views": 1}
    assert [row.at for row in AccessRecord.select()] == [recent]
    assert not Event.select().where(Event.at == old).exists()
    assert EventTally.get_by_id("Case").count == tally - 1
    assert retention.remove_logs(policy, TODAY) == {"events": 0, "views": 0}


def test_a_legal_hold_keeps_the_logs_of_the_case_and_its_records(app, case_with_records):
    held, other = case_with_records(False, 10 * 366, True), case_with_records(False, 10 * 366, False)
    held_audit, other_audit = Audit.get(Audit.case == held), Audit.get(Audit.case == other)
    old = datetime.datetime.combine(TODAY, datetime.time(12)) - datetime.timedelta(days=3 * 366)
    user = held_audit.auditor
    for case, audit in ((held, held_audit), (other, other_audit)):
        for record_type, record_id in (("Case", case.id), ("Audit", audit.id), ("Action", audit.actions[0].id)):
            Event.create(user=user, action="changed", record_type=record_type, record_id=record_id, at=old)
        AccessRecord.create(
            user=user, at=old, case_id=case.id, record_type="Audit", record_id=audit.id, kind="page", path="/"
        )
    AccessRecord.create(user=user, at=old, record_type="Case", kind="CSV", path="/cases.csv")  # a list, no case
    Event.create(action="removed by retention: the logs", record_type="Event", at=old)  # about no record
    policy = Policy(6, 2)
    assert retention.logs_due(policy, TODAY) == {"events": 4, "views": 2}
    assert retention.remove_logs(policy, TODAY) == {"events": 4, "views": 2}
    kept = {(event.record_type, event.record_id) for event in Event.select().where(Event.at == old)}
    assert kept == {("Case", held.id), ("Audit", held_audit.id), ("Action", held_audit.actions[0].id)}
    assert [view.case_id for view in AccessRecord.select().where(AccessRecord.at == old)] == [held.id]


@pytest.mark.parametrize(
    "today, cutoff",
    [
        (datetime.date(2026, 12, 5), datetime.datetime(2025, 12, 5)),  # GMT: midnight in the UK is midnight UTC
        (datetime.date(2026, 7, 1), datetime.datetime(2025, 6, 30, 23)),  # BST: an hour before midnight UTC
    ],
)
def test_the_logs_are_kept_from_midnight_in_the_uk_never_less_than_their_years(today, cutoff):
    """In summer the UK's day begins at 23:00 UTC the day before: a cutoff at midnight UTC would reach rows less
    than a year old, which the database refuses to remove, failing the job."""
    policy = Policy(6, 1)
    assert (policy.log_day(today), policy.log_cutoff(today)) == (years_before(today, 1), cutoff)


@pytest.mark.parametrize("setting", ["RECORD_RETENTION_YEARS", "LOG_RETENTION_YEARS"])
def test_records_cannot_be_kept_less_than_a_year(setting):
    with pytest.raises(ValueError, match="at least 1"):
        Policy.of({"RECORD_RETENTION_YEARS": 6, "LOG_RETENTION_YEARS": 6, setting: 0})


def test_the_notice_cannot_be_shorter_than_none():
    with pytest.raises(ValueError, match="RETENTION_NOTICE_DAYS must be 0 or more"):
        Policy.of({"RECORD_RETENTION_YEARS": 6, "LOG_RETENTION_YEARS": 6, "RETENTION_NOTICE_DAYS": -1})
    assert Policy.of({"RECORD_RETENTION_YEARS": 6, "LOG_RETENTION_YEARS": 6}).notice_days == 30


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31)), st.integers(1, 8))
@example(datetime.date(2001, 2, 28), 3)  # kept on the 29th of February 2004 as well, which counts back to the 28th
@example(datetime.date(2000, 2, 29), 3)  # 2003 has no 29th: kept until the 28th
def test_a_closed_case_s_page_says_the_last_day_it_is_kept_and_then_when_it_goes(closed_on, years):
    policy, case = Policy(years, 6), Case(is_open=False, closed_on=closed_on, held_because="", removal_on=None)
    last_day = retention.last_day_kept(closed_on, years)
    assert not is_due(False, closed_on, "", last_day, years) and is_due(False, closed_on, "", last_day + DAY, years)
    assert retention.outlook(case, policy, last_day).startswith(f"Kept until {long_date(last_day)}, {years} years")
    goes = long_date(last_day + DAY + datetime.timedelta(days=30))
    assert retention.outlook(case, policy, last_day + DAY) == (
        f"Past its time: to be removed, with everything of it, from {goes}, once the next run of the periodic jobs "
        "gives notice, unless put on legal hold"
    )
    case.removal_on = TODAY
    assert f"from {long_date(TODAY)}, unless put on legal hold" in retention.outlook(case, policy, last_day + DAY)


def test_an_open_held_or_undated_case_s_page_says_it_is_kept():
    policy = Policy(6, 6)
    assert retention.outlook(Case(is_open=True, held_because=""), policy, TODAY) == (
        "Kept while it is open, and for 6 years after it closes"
    )
    held = Case(is_open=False, closed_on=datetime.date(2001, 1, 1), held_because="Court proceedings")
    assert retention.outlook(held, policy, TODAY) == "Kept while it is on legal hold, however long ago it closed"
    undated = Case(is_open=False, closed_on=None, held_because="")
    assert retention.outlook(undated, policy, TODAY) == "Kept: the day it closed is not known"
