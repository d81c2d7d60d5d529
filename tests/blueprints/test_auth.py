"""Signing in and out, session limits, and changing one's own password."""

import datetime
import time

import pytest

from models import Draft, Event, User
from tests.conftest import PASSWORD, sign_in_client


def sign_in(client, email, password=PASSWORD, next_url=None):
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_sign_in_with_the_right_password_reaches_the_home_page(client, make_user, get_page):
    user = make_user(roles=("auditor",), name="Robin Example")
    response = sign_in(client, user.email.upper())
    assert response.status_code == 303 and response.headers["Location"] == "/"
    home = get_page("/")
    assert b"Signed in as Robin Example" in home.data
    assert Event.select().where((Event.action == "signed in") & (Event.record_id == user.id)).exists()


@pytest.mark.parametrize("target", ["//evil.example.com/", "/\\evil.example.com", "https://evil.example.com/"])
def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client, make_user, target):
    user = make_user()
    assert sign_in(client, user.email, next_url="/my-audits").headers["Location"] == "/my-audits"
    client.post("/sign-out")
    assert sign_in(client, user.email, next_url=target).headers["Location"] == "/"


def test_a_wrong_password_is_refused_beside_the_field(client, make_user, get_page):
    user = make_user()
    response = sign_in(client, user.email, "not the password at all")
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.data
    assert b"<title>Error: Sign in" in response.data
    assert client.get("/").status_code == 302


def test_empty_sign_in_form_says_what_to_enter(client):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert b"Enter your email address" in response.data
    assert b"Enter your password" in response.data


def test_five_failures_lock_the_email_address_for_fifteen_minutes(client, make_user):
    user = make_user()
    for _ in range(5):
        sign_in(client, user.email, "wrong password here")
    response = sign_in(client, user.email)
    assert b"too many failed attempts" in response.data
    assert client.get("/").status_code == 302


def test_a_disabled_account_cannot_sign_in(client, make_user):
    user = make_user(active=False)
    assert b"Enter a correct email address and password" in sign_in(client, user.email).data


def test_a_session_replayed_after_sign_out_is_refused(client, make_user):
    user = make_user()
    sign_in(client, user.email)
    cookie = client.get_cookie("caseaudit_session").value
    assert client.post("/sign-out").status_code == 303
    client.set_cookie("caseaudit_session", cookie)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_disabled_user_is_signed_out_on_their_next_request(client, login_as):
    user = login_as("auditor")
    assert client.get("/my-audits").status_code == 200
    User.update(active=False).where(User.id == user.id).execute()
    assert client.get("/my-audits").status_code == 302


def test_disabling_through_the_users_page_ends_the_persons_sessions(app, login_as, make_user):
    other = app.test_client()
    person = make_user(roles=("auditor",))
    sign_in_client(other, person)
    assert other.get("/my-audits").status_code == 200
    client = app.test_client()
    sign_in_client(client, make_user(roles=("qa-officer",)))
    form = {
        "version": "1",
        "name": person.name,
        "email": person.email,
        "job_role": "IRO",
        "team": "",
        "roles": ["auditor"],
    }
    assert client.post(f"/admin/users/{person.id}/edit", data=form).status_code == 303
    assert other.get("/my-audits").status_code == 302
    User.update(active=True).where(User.id == person.id).execute()
    assert other.get("/my-audits").status_code == 302, "the old session must not come back with the account"


@pytest.mark.app_config(SESSION_IDLE_MINUTES=30)
def test_a_session_idle_for_longer_than_the_limit_is_ended_with_a_message(client, login_as):
    login_as("auditor")
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/my-audits", follow_redirects=True)
    assert b"the session timed out" in response.data
    assert client.get("/my-audits").status_code == 302


@pytest.mark.app_config(SESSION_MAX_HOURS=12)
def test_a_session_older_than_its_absolute_lifetime_is_ended(client, login_as):
    login_as("auditor")
    with client.session_transaction() as session:
        session["signed_in_at"] = time.time() - 12 * 3600 - 60
    assert client.get("/my-audits").status_code == 302


@pytest.mark.app_config(WTF_CSRF_ENABLED=True, SESSION_IDLE_MINUTES=30, SESSION_MAX_HOURS=12)
@pytest.mark.parametrize("clock, ago", [("last_seen", 31 * 60), ("signed_in_at", 12 * 3600 + 60)])
def test_a_post_without_a_form_token_from_an_expired_session_shows_nothing_of_the_record(
    client, make_user, make_audit, clock, ago
):
    auditor = make_user(roles=("auditor",))
    audit = make_audit(auditor=auditor)
    sign_in_client(client, auditor)
    with client.session_transaction() as session:
        session[clock] = time.time() - ago
    response = client.post(f"/audits/{audit.id}", data={"about_child": "Anything"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    body = response.get_data(as_text=True)
    assert audit.case.reference not in body and "csrf_token" not in body
    assert Draft.select().count() == 0
    assert client.get(f"/audits/{audit.id}").status_code == 302


@pytest.mark.app_config(SESSION_MAX_HOURS=12)
def test_the_session_cookie_lasts_no_longer_than_the_session_may(client, make_user):
    user = make_user()
    sign_in(client, user.email)
    now = datetime.datetime.now(datetime.UTC)
    assert client.get_cookie("caseaudit_session").expires <= now + datetime.timedelta(hours=12, minutes=1)
    with client.session_transaction() as session:
        session["signed_in_at"] = (now - datetime.timedelta(hours=11)).timestamp()
    assert client.get("/").status_code == 200
    expires = client.get_cookie("caseaudit_session").expires
    assert expires <= now + datetime.timedelta(hours=1, minutes=1), "a request late in the session does not extend it"


def test_changing_password_needs_the_current_one_and_signs_out(client, make_user):
    user = make_user()
    sign_in(client, user.email)
    wrong = client.post(
        "/account/password",
        data={
            "current_password": "nope",
            "new_password": "another long password",
            "confirm_password": "another long password",
        },
    )
    assert b"Your current password is not correct" in wrong.data
    short = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"}
    )
    assert b"New password must be between 12 and 200 characters" in short.data
    done = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "another long password",
            "confirm_password": "another long password",
        },
    )
    assert done.status_code == 303
    assert client.get("/").status_code == 302
    assert sign_in(client, user.email, "another long password").status_code == 303


def test_an_htmx_request_after_the_session_timed_out_is_sent_to_sign_in_whole(client, login_as):
    login_as("qa-officer")
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/admin/teams?q=x", headers={"HX-Request": "true", "Referer": "http://localhost/admin/teams"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/sign-in?next=/admin/teams"


def test_wrong_current_passwords_count_towards_the_lockout(client, login_as):
    login_as("auditor")
    data = {
        "current_password": "wrong",
        "new_password": "another long password",
        "confirm_password": "another long password",
    }
    for _ in range(5):
        client.post("/account/password", data=data)
    response = client.post("/account/password", data={**data, "current_password": PASSWORD})
    assert b"too many wrong passwords" in response.data
