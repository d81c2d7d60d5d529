"""The home page: what waits for the signed-in person, and where each of their roles goes next."""

import datetime

from services.dates import uk_today


def test_an_auditor_is_told_of_their_overdue_audit_and_when_the_next_is_due(get_page, make_audit, auditor):
    today = uk_today()
    make_audit(auditor=auditor, due_on=today - datetime.timedelta(days=3))
    make_audit(auditor=auditor, due_on=today + datetime.timedelta(days=9))
    make_audit(auditor=auditor, due_on=today + datetime.timedelta(days=20))
    make_audit(auditor=auditor, due_on=today - datetime.timedelta(days=30), submitted_at=datetime.datetime(2026, 1, 5))
    home = get_page("/").get_data(as_text=True)
    assert "1 audit overdue</a>: past its due date and not yet submitted" in home
    next_due = (today + datetime.timedelta(days=9)).strftime("%-d %B %Y")
    assert f"2 other audits to submit</a>, the next due by {next_due}" in home
    assert "Nothing is waiting for you." not in home


def test_an_audit_due_today_says_so(get_page, make_audit, login_as):
    manager = login_as("team-manager", "auditor")  # a team manager audits other teams' cases too
    make_audit(auditor=manager, due_on=uk_today())
    home = get_page("/").get_data(as_text=True)
    assert "1 audit to submit</a>, the next due today" in home
    assert "overdue" not in home


def test_a_submitted_audit_leaves_nothing_waiting(get_page, make_audit, auditor):
    make_audit(auditor=auditor, status="submitted", submitted_at=datetime.datetime(2026, 1, 5))
    assert "Nothing is waiting for you." in get_page("/").get_data(as_text=True)


def test_a_senior_leader_and_a_moderator_are_pointed_to_calibration(get_page, login_as):
    for roles in (("senior-leader",), ("moderator",)):
        login_as(*roles)
        home = get_page("/").get_data(as_text=True)
        assert 'href="/calibration"' in home, roles
        assert "will appear here as they are added" not in home
    assert 'href="/moderations"' in home
