"""The command-line tasks an administrator runs."""

import datetime
import os
import pathlib
import shutil
import stat
import subprocess

import pytest
from peewee import SqliteDatabase

from app import create_app
from blueprints import commands
from models import ROLES, Audit, Case, Event, ImmediateResponse, Notice, Team, User, db, utcnow
from services import auditor_pool, demo, demo_export, demo_governance, jobs, notices, retention, table_files
from services.audits import months_before
from services.dates import uk_today

# What run-jobs says of each job before the notices, when it had nothing to do.
NOTHING_ELSE_TO_DO = (
    "No Immediate Response was newly overdue.\nNo audit or action was owed a reminder.\n"
    "No import of cases was left unapplied.\nNothing was newly past its time to keep, nor due to be removed.\n"
)


def test_create_user_reads_the_password_from_standard_input(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "First.QA@Example.gov.uk",
            "--name",
            "First QA",
            "--role",
            "qa-officer",
            "--password-stdin",
        ],
        input="a long enough first password\n",
    )
    assert result.exit_code == 0, result.output
    user = User.by_email("first.qa@example.gov.uk")
    assert user.roles == ["qa-officer"] and user.password_hash.startswith("$argon2")
    again = runner.invoke(
        args=["create-user", "first.qa@example.gov.uk", "--name", "X", "--role", "auditor", "--password-stdin"],
        input="a long enough first password\n",
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_create_user_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "a@example.gov.uk", "--name", "A", "--role", "auditor", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code != 0 and "at least" not in result.output and "between 12" in result.output
    assert User.select().count() == 0


def test_load_demo_fills_an_empty_database_and_prints_the_sign_ins(app):
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    assert "qa.officer@demo.example.org" in result.output and demo.DEMO_PASSWORD in result.output
    assert Team.select().count() == 8 and Case.select().count() == 302
    assert 28 <= User.select().count() <= 32
    for role in ROLES:
        assert User.with_role(role).count() >= 1
    assert all(audit.auditor.team_id != audit.case.team_id for audit in Audit.select())
    assert Event.select().count() > 300
    pool = auditor_pool.pool(months_before(uk_today().replace(day=1), -1))
    assert any(member.away for member in pool) and any(not member.quota_is_usual for member in pool)


def test_the_demo_has_a_case_past_its_time_for_retention_to_remove_and_one_on_hold_it_keeps(app):
    """As a QA officer would see it: the dry run lists the expired case alone, given notice three weeks ago (they were
    told), to go in a week; the jobs keep it until then, and with no notice to give remove it, its audit with it; the
    held case, closed as long ago, stays; every other closed case has a day it closed, within its time."""
    runner = app.test_cli_runner()
    runner.invoke(args=["load-demo"])
    policy, today = retention.Policy.of(app.config), uk_today()
    due = list(retention.cases_due(policy, today))
    assert [(case.reference, case.removal_on) for case in due] == [
        (demo_governance.EXPIRED, today + datetime.timedelta(days=7))
    ]
    qa_officer = User.by_email("qa.officer@demo.example.org")
    assert Notice.select().where(Notice.recipient == qa_officer, Notice.link == "/retention").count() == 1
    assert [case.reference for case in retention.cases_held()] == [demo_governance.HELD]
    assert not Case.select().where(~Case.is_open & Case.closed_on.is_null()).exists()
    expired = Case.get(Case.reference == demo_governance.EXPIRED)
    assert Audit.select().where(Audit.case == expired).count() == 1
    assert "Nothing was newly past its time to keep, nor due to be removed." in runner.invoke(args=["run-jobs"]).output
    assert Case.select().where(Case.reference == demo_governance.EXPIRED).exists()
    app.config["RETENTION_NOTICE_DAYS"] = 0
    result = runner.invoke(args=["run-jobs"])
    assert f"Removed 1 case past its time: {demo_governance.EXPIRED}." in result.output
    assert not Case.select().where(Case.reference == demo_governance.EXPIRED).exists()
    assert not Audit.select().where(Audit.case == expired.id).exists()
    assert Case.select().where(Case.reference == demo_governance.HELD).exists()
    assert Case.select().count() == 301


def test_load_demo_refuses_a_database_that_holds_data(app, make_case):
    make_case()
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code != 0 and "already holds data" in result.output
    assert Case.select().count() == 1
    quiet = app.test_cli_runner().invoke(args=["load-demo", "--if-empty"])
    assert quiet.exit_code == 0 and Case.select().count() == 1


def test_the_demo_accounts_can_sign_in(app, client):
    app.test_cli_runner().invoke(args=["load-demo"])
    response = client.post("/sign-in", data={"email": "auditor@demo.example.org", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 303
    assert b"DEMO-" in client.get("/my-audits").data


def test_backup_writes_a_copy_that_holds_the_data(app, make_case, tmp_path):
    make_case(reference="KEEP-1")
    target = tmp_path / "backup.db"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    if not isinstance(db.obj, SqliteDatabase):
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    assert result.exit_code == 0, result.output
    import sqlite3

    assert sqlite3.connect(target).execute('SELECT reference FROM "case"').fetchall() == [("KEEP-1",)]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600, "a backup holds children's records: owner only"


def test_init_db_creates_a_database_only_its_owner_can_read(tmp_path, monkeypatch):
    monkeypatch.setenv("APP_ENV", "development")
    path = tmp_path / "new.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "test"})
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with db.connection_context():
        db.execute_sql("INSERT INTO service_area (name, version) VALUES ('Written through the WAL', 1)")
        files = [path, *tmp_path.glob("new.db-*")]
        assert len(files) >= 2, "the write-ahead log files exist while connected"
        modes = {file.name: stat.S_IMODE(os.stat(file).st_mode) for file in files}
        assert modes == {file.name: 0o600 for file in files}
    loose = tmp_path / "loose.db"
    loose.touch(mode=0o644)
    create_app({"DATABASE_URL": f"sqlite:///{loose}", "SECRET_KEY": "test"})
    assert stat.S_IMODE(os.stat(loose).st_mode) == 0o600, "an existing database is made owner-only too"


@pytest.mark.app_config(APP_ENV="production")
def test_load_demo_is_refused_in_production(app):
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code != 0 and "never loaded in production" in result.output
    assert User.select().count() == 0


def test_the_app_starts_where_files_have_no_owner_modes(tmp_path, monkeypatch):
    """On Windows there is no os.getuid, and the folder's permissions protect the database instead."""
    monkeypatch.delattr(os, "getuid")
    monkeypatch.setattr(os, "name", "nt")
    path = tmp_path / "windows.db"
    create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "test"})
    assert path.exists()


def test_run_jobs_emails_the_waiting_notices_and_says_so(app, mail_server, make_user):
    people = [make_user() for _ in range(3)]
    notices.notify(people, "Immediate Response raised: case TEST-1", "Open it.", "/immediate-responses/1")
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert result.exit_code == 0, result.output
    assert result.output == NOTHING_ELSE_TO_DO + "Sent 3 notices by email.\n"
    assert sorted(email["To"] for email in mail_server.messages) == sorted(person.email for person in people)
    again = app.test_cli_runner().invoke(args=["run-jobs"])
    assert again.exit_code == 0 and again.output == NOTHING_ELSE_TO_DO + "No notices were waiting to be emailed.\n"
    assert len(mail_server.messages) == 3


def test_run_jobs_says_what_will_be_tried_again(app, mail_server, make_user):
    notices.notify([make_user()], "Subject", "Body", "/")
    mail_server.stop()
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert result.exit_code == 0, "a notice to try again later is not a failure of the job"
    assert result.output.startswith(
        NOTHING_ELSE_TO_DO + "1 notice could not be sent and will be tried again: Could not connect"
    )
    assert Notice.get().email_status == "waiting"


def test_run_jobs_without_a_mail_server_keeps_notices_in_the_service(app, make_user):
    notices.notify([make_user()], "Subject", "Body", "/")
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert result.exit_code == 0
    assert result.output == (
        NOTHING_ELSE_TO_DO + "1 notice will not be emailed, as no mail server is set (MAIL_SERVER).\n"
    )
    assert Notice.get().email_status == "not-sent"


def test_run_jobs_runs_every_job_even_when_one_fails(app, mail_server, make_user, monkeypatch):
    def broken(config, now):
        raise RuntimeError("the database is away")

    monkeypatch.setattr(jobs, "JOBS", {"broken": broken, **jobs.JOBS})
    notices.notify([make_user()], "Subject", "Body", "/")
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert result.exit_code == 1
    assert result.stderr == "The broken job failed: the database is away\n"
    assert result.stdout == NOTHING_ELSE_TO_DO + "Sent 1 notice by email.\n"


def test_run_jobs_every_few_seconds_prints_only_what_it_did(app, mail_server, make_user, monkeypatch):
    naps = []

    def nap(seconds):
        naps.append(seconds)
        if len(naps) == 1:
            notices.notify([make_user()], "Subject", "Body", "/")
        else:
            raise KeyboardInterrupt  # stopped, by Ctrl-C

    monkeypatch.setattr(commands.time, "sleep", nap)
    result = app.test_cli_runner().invoke(args=["run-jobs", "--every", "60"])
    assert naps == [60, 60]
    assert result.output.startswith("Sent 1 notice by email.\n")
    assert "No notices were waiting" not in result.output


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_run_gives_the_emails_links_to_where_it_serves():
    root = pathlib.Path(__file__).resolve().parent.parent
    dry_run = ["make", "--dry-run", "--always-make", "run", "HOST=127.0.0.1", "PORT=5123"]
    commands = subprocess.run(dry_run, cwd=root, capture_output=True, text=True, check=True).stdout  # noqa: S603
    started = [line for line in commands.splitlines() if "--app app run" in line]
    assert len(started) == 2, "the jobs, which send the emails, and the server"
    assert all("SERVICE_URL=http://127.0.0.1:5123 " in line for line in started)


def test_the_demo_dates_nothing_about_immediate_responses_after_the_day_it_is_loaded(app):
    day = datetime.date(2026, 12, 2)  # a day whose demo held audits submitted within the week before it
    demo.load(today=day)
    latest = min(utcnow(), datetime.datetime.combine(day, datetime.time.max))
    for response in ImmediateResponse.select():
        for step in ("raised_at", "acknowledged_at", "closed_at", "escalated_at"):
            assert (getattr(response, step) or latest) <= latest, f"{step} of {response.id} is after {day}"
    links = Notice.link.startswith("/immediate-responses/")
    assert Notice.select().where(links & (Notice.created_at > latest)).count() == 0
    assert ImmediateResponse.select().where(ImmediateResponse.status == "closed").count() > 0


def test_the_shipped_demo_export_is_the_demo_data_s_and_its_workbook_holds_the_same(app):
    """As the demo is loaded on the day the files are of, in a database of its own: the app's is left alone."""
    root = pathlib.Path(__file__).resolve().parent.parent
    written_csv, _ = demo_export.shipped_files()
    assert (root / "demo" / "open-cases.csv").read_bytes() == written_csv, "run write-demo-export again"
    assert demo.database_is_empty()
    csv_table = table_files.read_table((root / "demo" / "open-cases.csv").read_bytes())
    workbook = table_files.read_table((root / "demo" / "open-cases.xlsx").read_bytes())
    assert workbook == csv_table and len(csv_table.rows) == 273
