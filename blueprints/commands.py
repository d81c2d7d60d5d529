"""Command-line tasks: `flask --app app init-db`, `create-user`, `load-demo`, `run-jobs`, `write-demo-export`."""

import pathlib
import sys
import time

import click
from flask import Blueprint, current_app
from peewee import SqliteDatabase

from forms.auth import MAX_PASSWORD_LENGTH
from models import ROLES, User, db, utcnow
from services import accounts, demo, demo_export, jobs
from services.database import backup_sqlite, migrate

bp = Blueprint("commands", __name__, cli_group=None)


@bp.cli.command("init-db")
def init_db():
    """Create the database, or bring it up to date. Never loses data."""
    applied = migrate(db.obj)
    click.echo(f"Applied {len(applied)} migrations: {', '.join(applied)}" if applied else "The database is up to date.")


@bp.cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def backup(target):
    """Copy the live SQLite database to TARGET safely (for PostgreSQL use pg_dump)."""
    if not isinstance(db.obj, SqliteDatabase):
        raise click.ClickException("This database is PostgreSQL: back it up with pg_dump instead.")
    backup_sqlite(db.obj.database, target)
    click.echo(f"Backed up the database to {target}")


@bp.cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice(list(ROLES)), help="Repeat for several."
)
@click.option("--job-role", default="QA Officer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
def create_user(email, name, roles, job_role, password_stdin):
    """Create an account, such as the first QA officer of a new database. With passwords turned off (PASSWORD_SIGN_IN=0)
    it has none: the person signs in with their council account."""
    if not current_app.config["PASSWORD_SIGN_IN"]:
        password = None
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if password is not None and not accounts.MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise click.ClickException(
            f"The password must be between {accounts.MIN_PASSWORD_LENGTH} and {MAX_PASSWORD_LENGTH} characters."
        )
    with db.connection_context():
        if User.by_email(email):
            raise click.ClickException(f"An account with the email address {email} already exists.")
        user = accounts.create_user(None, list(roles), password, name=name, email=email, job_role=job_role)
    click.echo(f"Created {user.name} <{user.email}> with roles: {', '.join(user.roles)}")


@bp.cli.command("load-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing, without failing, if the database already holds data.")
def load_demo(if_empty):
    """Fill an empty database with clearly fictional demo data (never in production)."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("Demo data, with its published passwords, is never loaded in production.")
    with db.connection_context():
        if not demo.database_is_empty():
            if not if_empty:
                raise click.ClickException("The database already holds data, so no demo data was loaded.")
            if demo.is_demo_database():
                click.echo(demo.sign_in_text())
            return
        demo.load()
    click.echo(demo.sign_in_text())


@bp.cli.command("run-jobs")
@click.option(
    "--every",
    type=click.IntRange(min=1),
    metavar="SECONDS",
    help="Run them again every SECONDS until stopped, printing only what was done (as `make run` does).",
)
def run_jobs(every):
    """Run the periodic jobs once: email the notices waiting to go. Schedule it every few minutes."""
    while True:
        with db.connection_context():
            outcomes = jobs.run_jobs(current_app.config, utcnow())
        for outcome in outcomes.values():
            if outcome or not every:
                click.echo(str(outcome), err=outcome.failed)
        if not every:
            break
        time.sleep(every)
    if any(outcome.failed for outcome in outcomes.values()):
        raise SystemExit(1)


@bp.cli.command("write-demo-export")
@click.argument("folder", type=click.Path(file_okay=False, writable=True), default="demo")
def write_demo_export(folder):
    """Write the demo council's open-case export (CSV and Excel), for trying the import, from the demo data as
    loaded on the day the repository's are of (services/demo_export.py), in a database of its own: the app's is
    left alone. The repository ships them in demo/."""
    path = pathlib.Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    written_csv, written_xlsx = demo_export.shipped_files()
    (path / "open-cases.csv").write_bytes(written_csv)
    (path / "open-cases.xlsx").write_bytes(written_xlsx)
    click.echo(f"Wrote {path / 'open-cases.csv'} and {path / 'open-cases.xlsx'}.")
