"""Passwords and signing in, on plain values."""

import datetime
import statistics
import time

import pytest

from models import Event, FailedSignIn, User
from services import accounts
from services.errors import RuleBroken
from tests.conftest import PASSWORD


def test_passwords_are_hashed_with_argon2():
    hashed = accounts.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert accounts.password_matches(hashed, PASSWORD)
    assert not accounts.password_matches(hashed, "something else entirely")
    assert not accounts.password_matches(None, PASSWORD)


def test_sign_in_logs_success_and_clears_failures(make_user):
    user = make_user()
    with pytest.raises(RuleBroken):
        accounts.sign_in(user.email, "wrong")
    assert accounts.sign_in(f"  {user.email.upper()} ", PASSWORD) == user
    assert FailedSignIn.select().count() == 0
    assert [e.action for e in Event.select().order_by(Event.id)] == ["sign-in failed", "signed in"]


def test_lockout_lasts_fifteen_minutes_and_applies_to_unknown_addresses_too(app):
    now = datetime.datetime(2026, 11, 22, 9, 0)
    for minute in range(5):
        with pytest.raises(RuleBroken, match="correct email address"):
            accounts.sign_in("nobody@example.gov.uk", "guess", now + datetime.timedelta(minutes=minute))
    with pytest.raises(RuleBroken, match="too many failed attempts"):
        accounts.sign_in("nobody@example.gov.uk", "guess", now + datetime.timedelta(minutes=10))
    with pytest.raises(RuleBroken, match="correct email address"):
        accounts.sign_in("nobody@example.gov.uk", "guess", now + datetime.timedelta(minutes=20))


def test_updating_roles_and_disabling_ends_sessions(make_user):
    actor = make_user(roles=("qa-officer",))
    user = make_user(roles=("auditor",))
    token = user.session_token
    accounts.update_user(
        actor,
        user,
        1,
        ["auditor", "team-manager"],
        name=user.name,
        email=user.email,
        job_role="IRO",
        team=None,
        active=False,
    )
    saved = User.get_by_id(user.id)
    assert saved.roles == ["auditor", "team-manager"] and not saved.active and saved.session_token != token
    event = Event.get(Event.action == "changed")
    assert event.fields == "active, job_role, roles"


def test_refusing_an_address_with_an_account_takes_as_long_as_one_without(make_user):
    """The median of repeated attempts, taken in turns, so one slow moment on the machine does not decide it."""

    def time_refusal(email):
        started = time.perf_counter()
        with pytest.raises(RuleBroken):
            accounts.sign_in(email, "not the password")
        return time.perf_counter() - started

    known, unknown = [], []
    for number in range(9):
        known.append(time_refusal(make_user().email))
        unknown.append(time_refusal(f"nobody{number}@example.gov.uk"))
    known_median, unknown_median = statistics.median(known), statistics.median(unknown)
    assert abs(known_median - unknown_median) < 0.3 * max(known_median, unknown_median), (known, unknown)
