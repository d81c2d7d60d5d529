"""Fixtures: an app on a fresh database (SQLite, or PostgreSQL when DATABASE_URL
says so), a test client, signing in by role, and factories for records."""

import datetime
import itertools
import os
import shutil
import time
from urllib.parse import urlparse

import psycopg
import pytest
from flask.testing import FlaskClient

from app import create_app
from models import Action, Audit, AuditTemplate, Case, Flag, ServiceArea, Team, User, db, utcnow
from services import action_reviews, team_actions
from services.accounts import hash_password
from services.database import migrate, open_database
from services.dates import uk_today
from tests.every_record import make_ids  # noqa: F401 - a fixture, for every test
from tests.mail import MailServer
from tests.pages import check_page
from tests.plans import statements_run

PASSWORD = "a long enough test password"
_counter = itertools.count(1)


@pytest.fixture(scope="session")
def password_hash():
    return hash_password(PASSWORD)


@pytest.fixture(scope="session")
def blank_database(tmp_path_factory):
    """A migrated database to start each test from: a SQLite file to copy, or a PostgreSQL template database."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        template = PostgresTemplate(url)
        template.create()
        return template
    path = tmp_path_factory.mktemp("template") / "blank.db"
    database = open_database(f"sqlite:///{path}")
    migrate(database)
    database.close_all()  # so the file holds everything (a pooled connection stays open)
    return path


class PostgresTemplate:
    """A migrated PostgreSQL database that each test's database is copied from (CREATE DATABASE ... TEMPLATE)."""

    def __init__(self, url):
        self.url = url
        parsed = urlparse(url)
        self.name = parsed.path.lstrip("/")
        self.template_name = f"{self.name}_template"
        self.admin_url = parsed._replace(path="/postgres").geturl()

    def _recreate(self, name, template=None):
        # CREATE DATABASE cannot run inside a transaction, so this uses psycopg in autocommit mode.
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for attempt in range(20):
                try:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    break
                except psycopg.errors.InsufficientPrivilege:
                    # An autovacuum worker, the server's own, is in the database: FORCE may not end
                    # it, but it finishes within moments.
                    if attempt == 19:
                        raise
                    time.sleep(0.25)
            connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def create(self):
        self._recreate(self.template_name)
        database = open_database(urlparse(self.url)._replace(path=f"/{self.template_name}").geturl())
        migrate(database)
        database.close_all()  # a template database must have no connections to be copied

    def fresh_copy(self):
        self._recreate(self.name, template=self.template_name)
        return self.url


def database_url_for_test(blank_database, tmp_path):
    if isinstance(blank_database, PostgresTemplate):
        return blank_database.fresh_copy()
    path = tmp_path / "test.db"
    shutil.copy(blank_database, path)
    return f"sqlite:///{path}"


class CheckedClient(FlaskClient):
    """A test client that checks the structure of every whole HTML page it fetches (tests/pages.py). It reads each
    answer whole and closes it, as a server does before its next request: a download written as it is sent (a list
    as a CSV file) reads the database as it goes, and a test that left one half-read would leave it to be read later,
    amid another request."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        response = super().open(*args, **kwargs)
        request = response.request
        if response.mimetype == "text/html" and request.headers.get("HX-Request") != "true":
            check_page(response, request.path)
        return response


def make_app(blank_database, tmp_path, **config):
    app = create_app(
        {
            "TESTING": True,
            "APP_ENV": "test",
            "SECRET_KEY": "test secret key",
            "DATABASE_URL": database_url_for_test(blank_database, tmp_path),
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            **config,
        }
    )
    app.test_client_class = CheckedClient
    return app


@pytest.fixture
def app(blank_database, tmp_path, request):
    """The app on a fresh database; `@pytest.mark.app_config(KEY=value)` changes its settings."""
    marker = request.node.get_closest_marker("app_config")
    app = make_app(blank_database, tmp_path, **(marker.kwargs if marker else {}))
    yield app
    db.close_all()  # the pool's connections, given back by each request, end with the test


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client, make_user):
    """Sign the test client in as a new user with `role` (or given roles); returns the user."""

    def login(*roles, **user_fields):
        user = make_user(roles=roles or ("qa-officer",), **user_fields)
        sign_in_client(client, user)
        return user

    return login


def time_out(client):
    """Make the test client's session idle past its limit, as a person who left a form open too long."""
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60


def sign_in_client(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["signed_in_at"] = session["last_seen"] = time.time()
        session.permanent = True


@pytest.fixture
def make_service_area(app):
    def make(**fields):
        return ServiceArea.create(**{"name": f"Service area {next(_counter)}", **fields})

    return make


@pytest.fixture
def make_team(app, make_service_area):
    def make(**fields):
        if "service_area" not in fields:
            fields["service_area"] = make_service_area()
        return Team.create(**{"name": f"Team {next(_counter)}", **fields})

    return make


@pytest.fixture
def make_user(app, password_hash):
    def make(roles=("auditor",), **fields):
        number = next(_counter)
        user = User.create(
            **{
                "name": f"Test Person {number}",
                "email": f"person{number}@example.gov.uk",
                "job_role": "Team Manager",
                "password_hash": password_hash,
                **fields,
            }
        )
        user.set_roles(roles)
        return user

    return make


@pytest.fixture
def make_case(app, make_team):
    def make(**fields):
        if "team" not in fields:
            fields["team"] = make_team()
        return Case.create(
            **{
                "reference": f"TEST-{next(_counter):05d}",
                "initials": "AB",
                "birth_year": 2015,
                "worker_name": "Sam Worker",
                "opened_on": datetime.date(2024, 3, 1),
                **fields,
            }
        )

    return make


@pytest.fixture
def make_flag(app):
    def make(**fields):
        return Flag.create(**{"name": f"Flag {next(_counter)}", **fields})

    return make


def date_parts(day):
    """A date as the three boxes of a GOV.UK date input post it."""
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def make_audit(app, make_case, make_user):
    def make(**fields):
        fields.setdefault("case", make_case())
        fields.setdefault("auditor", make_user(roles=("auditor",)))
        fields.setdefault("allocated_by", make_user(roles=("qa-officer",)))
        fields.setdefault("due_on", uk_today() + datetime.timedelta(days=28))
        fields.setdefault("template", AuditTemplate.current())
        fields.setdefault("period_start", uk_today() - datetime.timedelta(days=182))
        fields.setdefault("period_end", uk_today())
        return Audit.create(**fields)

    return make


@pytest.fixture
def make_sent_action(make_audit, make_case, make_team, make_user):
    """An action of a submitted audit, sent to the case's team on `sent_on` (today unless given) under `rules`, its
    four-month review scheduled: the team's manager and service manager, and the auditor, are those given or new ones.
    Loaded as its page loads it."""

    def make(manager=None, service_manager=None, auditor=None, sent_on=None, rules=team_actions.DEFAULT_RULES):
        sent_on = sent_on or uk_today()
        team = make_team(
            manager=manager or make_user(roles=("team-manager",)),
            service_manager=service_manager or make_user(roles=("service-manager",)),
        )
        audit = make_audit(
            case=make_case(team=team),
            auditor=auditor or make_user(roles=("auditor",)),
            status="submitted",
            submitted_at=utcnow(),
        )
        action = Action.create(
            audit=audit,
            what="Update the chronology with the strategy meeting of 3 March and the child protection conference",
            owner_name="Sam Worker",
            owner_role="Social Worker",
            due_on=sent_on + datetime.timedelta(days=10),
            done_when="The chronology shows both meetings",
        )
        team_actions.send_to_team(audit.auditor, audit, "audit", rules, sent_on)
        action_reviews.schedule(audit, sent_on)
        return team_actions.detailed().where(Action.id == action.id).get()

    return make


@pytest.fixture
def auditor(login_as):
    """The test client signed in as an auditor."""
    return login_as("auditor")


@pytest.fixture
def audit(make_audit, auditor):
    """An audit allocated to the signed-in auditor."""
    return make_audit(auditor=auditor)


@pytest.fixture
def get_page(client):
    """GET a page as the test client (which checks its structure), expecting `status`."""

    def get(url, status=200):
        response = client.get(url)
        assert response.status_code == status, f"{url} gave {response.status_code}"
        return response

    return get


@pytest.fixture
def mail_server(app):
    """A real SMTP server on 127.0.0.1 (tests/mail.py), and the app's MAIL_* settings pointing at it:
    `mail_server.messages` are the emails it was sent; `stop()` and `start()` take it down and up again."""
    server = MailServer()
    app.config.update(server.settings)
    yield server
    server.stop()


@pytest.fixture
def count_queries():
    """Call with a function; returns how many SQL queries it ran."""
    return lambda action: len(statements_run(action))
