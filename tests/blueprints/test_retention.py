"""Retention's dry run for QA officers, legal holds on cases, and the periodic job removing what is past its time."""

import datetime
import html

from models import Case, Event
from services import retention
from services.dates import long_date as uk_date
from services.dates import uk_today


def text(response):
    return html.unescape(response.get_data(as_text=True))


def long_closed(make_case, years=7, **fields):
    return make_case(is_open=False, closed_on=uk_today() - datetime.timedelta(days=366 * years), **fields)


def test_a_qa_officer_checks_what_the_next_run_would_remove(client, login_as, make_case, get_page):
    login_as("qa-officer")
    due, recent, still_open = long_closed(make_case), long_closed(make_case, years=2), make_case()
    page = text(get_page("/retention"))
    assert "kept for 6 years after it closed" in page and "Showing 1 case" in page
    assert due.reference in page and recent.reference not in page and still_open.reference not in page
    assert "No case is on legal hold" in page
    notice_ends = uk_date(uk_today() + datetime.timedelta(days=30))
    assert f"Not yet given notice: from {notice_ends} if the next run is today" in page
    assert f"Past its time: to be removed, with everything of it, from {notice_ends}, once the next run" in text(
        get_page(f"/cases/{due.id}")
    ), "the case's own page says so too"
    kept_until = uk_date(retention.last_day_kept(recent.closed_on, 6))
    assert f"Kept until {kept_until}, 6 years after it closed" in text(get_page(f"/cases/{recent.id}"))
    assert "Kept while it is open, and for 6 years after it closes" in text(get_page(f"/cases/{still_open.id}"))


def test_a_case_on_legal_hold_is_kept_and_released_after_asking(client, login_as, make_case, get_page, app):
    qa_officer = login_as("qa-officer", name="Quinn Qa")
    case = long_closed(make_case)
    form = text(get_page(f"/cases/{case.id}/legal-hold"))
    assert "Why the case's records must be kept" in form
    empty = client.post(f"/cases/{case.id}/legal-hold", data={"version": case.version, "held_because": " "})
    assert "Enter why the case's records must be kept" in text(empty)
    saved = client.post(f"/cases/{case.id}/legal-hold", data={"version": case.version, "held_because": "Court case"})
    assert saved.status_code == 303
    held = Case.get_by_id(case.id)
    assert (held.held_because, held.held_by_id) == ("Court case", qa_officer.id)
    assert Event.get(Event.action == "changed", Event.record_type == "Case").fields == "held_at, held_because, held_by"
    page = text(get_page(f"/cases/{case.id}"))
    assert "Court case (Quinn Qa" in page and "Kept while it is on legal hold" in page
    due, held_list = text(get_page("/retention")).split(">Cases on legal hold</h2>")
    assert "No cases found" in due and case.reference not in due
    assert "1 case is on legal hold, kept however long ago it closed, with the log rows about it" in held_list
    assert 'href="/retention/legal-holds"' in held_list
    held_page = text(get_page("/retention/legal-holds"))
    assert case.reference in held_page and "Court case" in held_page and "Quinn Qa" in held_page
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert result.exit_code == 0 and Case.get_or_none(Case.id == case.id) is not None, "kept while on hold"
    confirm = text(get_page(f"/cases/{case.id}/legal-hold/release"))
    assert "This cannot be undone" in confirm
    stale = client.post(f"/cases/{case.id}/legal-hold/release", data={"version": case.version})
    assert "Someone else changed this record after you opened this page" in text(stale)
    assert Case.get_by_id(case.id).held_because == "Court case"
    assert client.post(f"/cases/{case.id}/legal-hold/release", data={"version": held.version}).status_code == 303
    assert Case.get_by_id(case.id).held_because == ""
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert f"Gave notice of removal to 1 case past its time: {case.reference}." in result.output
    notice_ends = uk_today() + datetime.timedelta(days=30)
    assert f"From {uk_date(notice_ends)}" in text(get_page("/retention"))
    assert f"from {uk_date(notice_ends)}, unless put on legal hold" in text(get_page(f"/cases/{case.id}"))
    Case.update(removal_on=uk_today()).where(Case.id == case.id).execute()  # as if thirty days had passed
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert f"Removed 1 case past its time: {case.reference}." in result.output
    assert Case.get_or_none(Case.id == case.id) is None


def test_closing_a_case_by_hand_dates_it_and_opening_it_again_clears_the_date(client, login_as, make_case):
    login_as("qa-officer")
    case = make_case()
    fields = {
        "reference": case.reference, "initials": case.initials, "birth_year": case.birth_year, "team": case.team_id,
        "worker_name": case.worker_name, "opened_on": ["1", "1", "2025"],
    }  # fmt: skip
    client.post(f"/cases/{case.id}/edit", data=fields | {"version": case.version})
    closed = Case.get_by_id(case.id)
    assert (closed.is_open, closed.closed_on) == (False, uk_today())
    client.post(f"/cases/{case.id}/edit", data=fields | {"version": closed.version, "is_open": "y"})
    assert Case.get_by_id(case.id).closed_on is None
