"""The schema: created and upgraded by numbered migrations that keep existing data."""

import datetime
import os
from urllib.parse import urlparse

import psycopg
import pytest
from peewee import DatabaseError, SqliteDatabase, fn
from playhouse.migrations import Runner

from app import create_app
from models import (
    AccessRecord,
    Action,
    ActionReview,
    ActionStep,
    Audit,
    Case,
    DomainModeration,
    Event,
    EventTally,
    Moderation,
    User,
    db,
)
from services import calibration
from services.database import MIGRATIONS, backup_sqlite, migrate, open_database, pending_migrations

SQLITE_CHECKS = ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")


def test_init_db_upgrades_a_first_migration_database_with_its_rows_intact(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    database = open_database(url)
    runner = Runner(database, MIGRATIONS)
    first = runner.migrations()[0].name
    runner.up(target=first)
    database.execute_sql("INSERT INTO service_area (name, version) VALUES ('Front Door', 1)")
    database.execute_sql(
        'INSERT INTO "user" (name, email, job_role, active, session_token, created_at, version) '
        "VALUES ('Old User', 'old@example.gov.uk', 'IRO', 1, 'token', '2025-01-01 09:00:00', 1)"
    )
    database.execute_sql("INSERT INTO user_role (user_id, role) VALUES (1, 'auditor')")
    database.execute_sql("INSERT INTO team (name, service_area_id, manager_id, version) VALUES ('Team A', 1, 1, 1)")
    database.execute_sql(
        'INSERT INTO "case" (reference, initials, birth_year, team_id, worker_name, is_open, opened_on, version) '
        "VALUES ('OLD-1', 'AB', 2014, 1, 'Sam', 1, '2024-01-02', 1)"
    )
    database.close()
    assert pending_migrations(open_database(url))

    monkeypatch.setenv("APP_ENV", "development")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test"})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Applied" in result.output

    with db.connection_context():
        user = User.get(User.email == "old@example.gov.uk")
        assert user.roles == ["auditor"]
        case = Case.get(Case.reference == "OLD-1")
        assert case.team.manager == user and case.opened_on == datetime.date(2024, 1, 2)
        assert Audit.select().count() == 0
    assert pending_migrations(db.obj) == []
    again = app.test_cli_runner().invoke(args=["init-db"])
    assert "up to date" in again.output


def test_sqlite_connections_are_set_up_for_safety(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'safe.db'}")
    with database.connection_context():
        settings = {name: database.execute_sql(f"PRAGMA {name}").fetchone()[0] for name in SQLITE_CHECKS}
    assert settings == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2, "busy_timeout": 10000}


def test_backup_copies_a_live_sqlite_database(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'live.db'}")
    migrate(database)
    with database.connection_context():
        database.execute_sql("INSERT INTO service_area (name, version) VALUES ('Kept', 1)")
        backup_sqlite(str(tmp_path / "live.db"), str(tmp_path / "copy.db"))
    copy = open_database(f"sqlite:///{tmp_path / 'copy.db'}")
    with copy.connection_context():
        assert copy.execute_sql("SELECT name FROM service_area").fetchall() == [("Kept",)]


def test_audits_allocated_before_templates_existed_get_the_default_template_and_period(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    database = open_database(url)
    runner = Runner(database, MIGRATIONS)
    runner.up(target="0002_audit_allocation")
    database.execute_sql("INSERT INTO service_area (name, version) VALUES ('Area', 1)")
    database.execute_sql(
        'INSERT INTO "user" (name, email, job_role, active, session_token, created_at, version) '
        "VALUES ('Auditor', 'a@example.gov.uk', 'IRO', 1, 't', '2025-01-01 09:00:00', 1)"
    )
    database.execute_sql("INSERT INTO team (name, service_area_id, version) VALUES ('Team', 1, 1)")
    database.execute_sql(
        'INSERT INTO "case" (reference, initials, birth_year, team_id, worker_name, is_open, opened_on, version) '
        "VALUES ('OLD-1', 'AB', 2014, 1, 'Sam', 1, '2024-01-02', 1)"
    )
    database.execute_sql(
        "INSERT INTO audit (case_id, auditor_id, allocated_by_id, allocated_at, due_on, status, version) "
        "VALUES (1, 1, 1, '2026-08-31 10:00:00', '2026-09-28', 'allocated', 1)"
    )
    database.close()

    monkeypatch.setenv("APP_ENV", "development")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test"})
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with db.connection_context():
        audit = Audit.get()
        assert audit.template.name == "Sefton practice domains" and len(audit.template.ordered_domains) == 7
        assert (audit.period_start, audit.period_end) == (datetime.date(2026, 2, 28), datetime.date(2026, 8, 31))
        assert audit.due_on == datetime.date(2026, 9, 28)


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE event SET action = 'rewritten'",
        "UPDATE event SET fields = ''",
        "DELETE FROM event",
        "DELETE FROM event WHERE id = {id}",
    ],
)
def test_the_database_refuses_to_change_or_remove_events(app, make_user, change):
    """Plain SQL, as someone with the database open would type it, on SQLite and PostgreSQL."""
    user = make_user()
    event = Event.record(user, "changed", user, ["name"])
    with pytest.raises(DatabaseError, match="append-only"), db.atomic():
        db.execute_sql(change.format(id=event.id))
    with pytest.raises(DatabaseError, match="append-only"), db.atomic():
        Event.update(action="rewritten").execute()
    kept = Event.get_by_id(event.id)
    assert (kept.action, kept.fields) == ("changed", "name")


def test_the_database_refuses_to_replace_an_event(app, make_user):
    """An upsert, and on SQLite INSERT OR REPLACE, which deletes the row it replaces."""
    user = make_user()
    event = Event.record(user, "changed", user, ["name"])
    columns = "(id, at, action, record_type, record_id, fields) VALUES (%s, '2026-01-01', 'rewritten', 'User', 1, '')"
    changes = [f"INSERT INTO event {columns} ON CONFLICT (id) DO UPDATE SET action = 'rewritten'"]
    if isinstance(db.obj, SqliteDatabase):
        changes.append(f"INSERT OR REPLACE INTO event {columns}")
    for change in changes:
        with pytest.raises(DatabaseError, match="append-only"), db.atomic():
            db.execute_sql(change.replace("%s", str(event.id)))
    assert Event.get_by_id(event.id).action == "changed"


def looked_at(user, at):
    return AccessRecord.create(
        user=user, at=at, case_id=7, record_type="Case", record_id=7, kind="page", path="/cases/7"
    )


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE access_record SET user_id = {other}",
        "UPDATE access_record SET at = '2000-01-01'",
        "DELETE FROM access_record",
        "DELETE FROM access_record WHERE id = {id}",
    ],
)
def test_the_database_refuses_to_change_who_has_looked_or_remove_it_within_a_year(app, make_user, change):
    """Plain SQL, on SQLite and PostgreSQL: no row changes, and none less than a year old goes (retention removes
    older ones)."""
    user, other = make_user(), make_user()
    recent = looked_at(user, datetime.datetime.now(datetime.UTC).replace(tzinfo=None) - datetime.timedelta(days=364))
    with pytest.raises(DatabaseError, match="append-only"), db.atomic():
        db.execute_sql(change.format(id=recent.id, other=other.id))
    with pytest.raises(PermissionError):
        recent.save()
    kept = AccessRecord.get_by_id(recent.id)
    assert (kept.user_id, kept.at) == (user.id, recent.at)


def test_the_database_lets_retention_remove_who_has_looked_only_once_a_year_old(app, make_user):
    user = make_user()
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    old, recent = looked_at(user, now - datetime.timedelta(days=366)), looked_at(user, now - datetime.timedelta(days=1))
    with pytest.raises(DatabaseError, match="append-only"), db.atomic():
        AccessRecord.update(kind="x").where(AccessRecord.id == old.id).execute()
    with db.atomic():
        AccessRecord.delete().where(AccessRecord.id == old.id).execute()
    assert [access.id for access in AccessRecord.select()] == [recent.id]


def test_sqlite_transactions_start_as_writers(tmp_path):
    """In WAL mode a transaction that reads and then writes fails at once if another writer
    committed meanwhile; one that starts as a writer (BEGIN IMMEDIATE) waits instead."""
    url = f"sqlite:///{tmp_path / 'writers.db'}"
    first, second = open_database(url), open_database(url)
    migrate(first)
    with first.connection_context(), second.connection_context():
        with first.atomic():
            first.execute_sql("SELECT COUNT(*) FROM service_area")
            assert second.execute_sql("PRAGMA busy_timeout").fetchone()[0] > 0
            second.execute_sql("PRAGMA busy_timeout = 0")
            with pytest.raises(DatabaseError, match="locked"), second.atomic():
                second.execute_sql("SELECT COUNT(*) FROM service_area")  # refused before it reads


def tallies():
    return dict(EventTally.select(EventTally.record_type, EventTally.count).tuples())


def test_the_database_tallies_every_event_as_it_is_written(app, make_user, make_case):
    """The event log's page counts its events and lists its kinds of record from the tally."""
    user = make_user()
    Event.record(user, "changed", user, ["name"])
    make_case()  # a case, its team and service area, each created with its event
    db.execute_sql(
        "INSERT INTO event (at, action, record_type, record_id, fields) VALUES ('2026-01-01', 'x', 'Case', 1, '')"
    )
    counted = dict(Event.select(Event.record_type, fn.COUNT(Event.id)).group_by(Event.record_type).tuples())
    assert tallies() == counted and counted["Case"] >= 1


def test_upgrading_tallies_the_events_already_logged(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'logged.db'}"
    database = open_database(url)
    Runner(database, MIGRATIONS).up(target="0006_list_indexes")
    for record_type in ("Audit", "Audit", "Case"):
        database.execute_sql(
            "INSERT INTO event (at, action, record_type, record_id, fields) VALUES ('2026-01-01', 'created', ?, 1, '')",
            (record_type,),
        )
    database.close_all()
    monkeypatch.setenv("APP_ENV", "development")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test"})
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with db.connection_context():
        assert tallies() == {"Audit": 2, "Case": 1}


def test_upgrading_gives_the_draws_made_before_due_dates_by_the_end_of_the_next_month(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'drawn.db'}")
    runner = Runner(database, MIGRATIONS)
    runner.up(target="0013_moderation_and_reliability_exercises")
    database.execute_sql(
        'INSERT INTO "user" (name, email, job_role, active, session_token, created_at, version) '
        "VALUES ('QA', 'qa@example.gov.uk', 'QA officer', 1, 'token', '2026-01-01 09:00:00', 1)"
    )
    for number, drawn_at in enumerate(["2026-11-03 10:00:00", "2027-01-05 10:00:00"], start=1):
        database.execute_sql(
            "INSERT INTO moderation_draw (month, round, seed, rule_version, percentage, population, drawn_by_id, "
            "drawn_at) VALUES ('2026-10-01', ?, 1, 1, 30, '[]', 1, ?)",
            (number, drawn_at),
        )
    migrate(database)
    with database.connection_context():
        due = [row[0] for row in database.execute_sql("SELECT due_on FROM moderation_draw ORDER BY round")]
    assert due == ["2026-11-30", "2027-02-28"], "a draw for late audits has the same time from when it was drawn"


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it yet: a SQLite file, or a new PostgreSQL database when DATABASE_URL says so."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'empty.db'}"
    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/')}_upgrade"
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


AUDIT_TEXT = [
    "about_child",
    "discussion_not_held",
    "practitioner_view",
    "practitioner_differently",
    "overall_rationale",
    "grade_gap_reason",
]


def add_row(database, table, **values):
    """Insert a row with plain SQL, as the schema of an earlier migration holds it; returns its id."""
    places = ", ".join([database.param] * len(values))
    sql = f'INSERT INTO "{table}" ({", ".join(values)}) VALUES ({places}) RETURNING id'  # noqa: S608 - test's own
    return database.execute_sql(sql, tuple(values.values())).fetchone()[0]


def test_upgrading_keeps_the_moderations_and_tallies_those_submitted_for_calibration(empty_database_url, monkeypatch):
    """On SQLite, and on PostgreSQL when DATABASE_URL names one: the figures before migration 0017 were counted
    from the moderations themselves; after it, from tallies it fills, which migration 0020 adds up for every
    service area together and splits into auditors' and teams'."""
    database = open_database(empty_database_url)
    Runner(database, MIGRATIONS).up(target="0013_moderation_and_reliability_exercises")
    month, now = datetime.date(2026, 3, 1), datetime.datetime(2026, 4, 2, 9, 0)
    with database.connection_context():
        area = add_row(database, "service_area", name="Fostering", version=1)
        person = {"job_role": "IRO", "active": True, "session_token": "t", "created_at": now, "version": 1}
        auditor = add_row(database, "user", name="Ash Auditor", email="ash@example.gov.uk", **person)
        team = add_row(database, "team", name="Fostering East", service_area_id=area, version=1)
        template, first, second = database.execute_sql(
            "SELECT t.id, MIN(d.id), MAX(d.id) FROM audit_template t JOIN template_domain d ON d.template_id = t.id "
            "WHERE t.name = 'Sefton practice domains' GROUP BY t.id"
        ).fetchone()
        draw = add_row(
            database, "moderation_draw", month=month, round=1, seed=1, rule_version=1, percentage=30,
            population="[]", drawn_by_id=auditor, drawn_at=now,
        )  # fmt: skip
        for number, (status, overall, domains) in enumerate(
            [
                ("submitted", ("good", "requires-improvement"), [("good", "good"), ("good", "requires-improvement")]),
                ("submitted", ("good", "good"), [("outstanding", "good"), ("good", "good")]),
                ("in-progress", ("good", None), [("good", None), ("good", None)]),
            ]
        ):
            case = add_row(
                database, "case", reference=f"OLD-{number}", initials="AB", birth_year=2014, team_id=team,
                worker_name="Sam", is_open=True, opened_on=month, version=1,
            )  # fmt: skip
            audit = add_row(
                database, "audit", case_id=case, auditor_id=auditor, allocated_by_id=auditor, allocated_at=now,
                due_on=month, status="moderated", template_id=template, overall_grade=overall[0],
                submitted_at=now, version=1, **dict.fromkeys(AUDIT_TEXT, ""),
            )  # fmt: skip
            moderation = add_row(
                database, "moderation", audit_id=audit, draw_id=draw, chosen_because="random", status=status,
                auditor_grade=overall[0], grade=overall[1], version=1, overall_reason="", actions_comment="",
                message="",
            )  # fmt: skip
            for domain, (auditor_grade, grade) in zip((first, second), domains, strict=True):
                add_row(
                    database, "domain_moderation", moderation_id=moderation, domain_id=domain,
                    auditor_grade=auditor_grade, grade=grade, reason="",
                )  # fmt: skip
    database.close_all()

    monkeypatch.setenv("APP_ENV", "development")
    app = create_app({"DATABASE_URL": empty_database_url, "SECRET_KEY": "test"})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with db.connection_context():
        assert Moderation.select().count() == 3 and DomainModeration.select().count() == 6
        every_area, one_area = calibration.Filters(month, month), calibration.Filters(month, month, area)
        shown = calibration.figures(every_area)
        assert shown["changes"].agreement.text == "50% (3 of 6)"
        assert shown["auditors"].few == 1
        for filters in (every_area, one_area):  # the rows for every service area (migration 0020), and for one
            assert [(row.name, row.audits, row.tally.change) for row in calibration.by_auditor(filters)] == [
                ("Ash Auditor", 2, 3)
            ]
            assert [(row.name, row.audits) for row in calibration.by_team(filters)] == [("Fostering East", 2)]
        assert [(name, tally.agreement.text) for name, tally in shown["domains"]][-1] == (
            "Overall judgement",
            "50% (1 of 2)",
        )
        assert repr(calibration.figures(one_area)) == repr(shown)
    db.close_all()


def test_upgrading_sends_the_actions_already_submitted_and_schedules_their_reviews(empty_database_url, monkeypatch):
    """On SQLite, and on PostgreSQL when DATABASE_URL names one: migration 0027 sends the actions of audits already
    submitted to their case's team as if on the day submitted, under the default 14 days, and 0029 makes their
    four-month reviews; an action of an audit still open stays unsent."""
    database = open_database(empty_database_url)
    Runner(database, MIGRATIONS).up(target="0026_annual_programme")
    now = datetime.datetime(2026, 3, 2, 16, 5)
    with database.connection_context():
        area = add_row(database, "service_area", name="Fostering", version=1)
        person = {"job_role": "IRO", "active": True, "session_token": "t", "created_at": now, "version": 1}
        auditor = add_row(database, "user", name="Ash Auditor", email="ash@example.gov.uk", **person)
        team = add_row(database, "team", name="Fostering East", service_area_id=area, version=1)
        template = database.execute_sql("SELECT MIN(id) FROM audit_template").fetchone()[0]
        actions = []
        for number, submitted_at in enumerate([now, None]):
            case = add_row(
                database, "case", reference=f"OLD-{number}", initials="AB", birth_year=2014, team_id=team,
                worker_name="Sam", worker_email="", is_open=True, opened_on=now.date(), version=1,
            )  # fmt: skip
            audit = add_row(
                database, "audit", case_id=case, auditor_id=auditor, allocated_by_id=auditor, allocated_at=now,
                due_on=now.date(), status="submitted" if submitted_at else "in-progress", template_id=template,
                submitted_at=submitted_at, audit_type="monthly", version=1, **dict.fromkeys(AUDIT_TEXT, ""),
            )  # fmt: skip
            actions.append(
                add_row(
                    database,
                    "action",
                    audit_id=audit,
                    source="audit",
                    what="Visit",
                    owner_name="Sam",
                    owner_role="Social Worker",
                    due_on=now.date(),
                    done_when="Seen",
                    vague_confirmed=False,
                    status="open",
                    created_at=now,
                    version=1,
                )  # fmt: skip
            )
    database.close_all()

    monkeypatch.setenv("APP_ENV", "development")
    app = create_app({"DATABASE_URL": empty_database_url, "SECRET_KEY": "test"})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with db.connection_context():
        sent, unsent = (Action.get_by_id(action_id) for action_id in actions)
        deadline = datetime.date(2026, 3, 16)
        assert (sent.team_id, sent.received_on, sent.deadline) == (team, now.date(), deadline)
        assert sent.list_order == deadline.toordinal() and sent.status == "open"
        assert [step.kind for step in ActionStep.select().where(ActionStep.action == sent.id)] == ["received"]
        assert (unsent.team_id, unsent.received_on, unsent.list_order) == (None, None, Action.NOT_SENT)
        [review] = ActionReview.select()
        assert (review.audit_id, review.team_id, review.due_on) == (sent.audit_id, team, datetime.date(2026, 7, 2))
    db.close_all()
