"""Opening the database named by a URL, and bringing its schema up to date."""

import logging
import os
import sqlite3
from urllib.parse import urlparse

from peewee import SQL, PostgresqlDatabase, fn
from playhouse.migrations import Runner
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from models import db

logger = logging.getLogger(__name__)

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # A writer waits up to this long (ms) for another to finish, rather than failing.
    "busy_timeout": 10000,
    # With NORMAL in WAL mode the last commits can roll back after a power cut.
    "synchronous": "full",
    # So that INSERT OR REPLACE, which deletes the row it replaces, meets the event log's DELETE trigger.
    "recursive_triggers": 1,
    # Each connection keeps up to 32 MB of the pages it has read (2 MB unless set), so that the indexes every page
    # reads stay in the process rather than being read again through the operating system, which at six years of
    # a large council (a database of 440 MB) may have let them go since the last request.
    "cache_size": -32 * 1024,
}


# Connections are kept open between requests, rather than opened (and, on SQLite, set up with the
# pragmas above) for each one: a request takes one from the pool and gives it back when it ends.
POOL = {"max_connections": 32, "stale_timeout": 300, "timeout": 10}


def open_database(url):
    """A peewee database, with a pool of connections, for `sqlite:///path` or `postgresql://user:pass@host/name`."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///") :]
        owner_only(path)
        # Every transaction starts as a writer. In WAL mode one that reads first cannot become a
        # writer once another has committed, and fails at once with "database is locked";
        # BEGIN IMMEDIATE waits its turn (busy_timeout) instead.
        # A connection given back by one request's thread may be taken by another's: only ever one at a time.
        return PooledSqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False, **POOL
        )
    if parsed.scheme in ("postgres", "postgresql"):
        return PooledPostgresqlDatabase(
            parsed.path.lstrip("/"),
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname,
            port=parsed.port,
            **POOL,
        )
    raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgresql://, not {parsed.scheme}://")


# SQL that differs between the databases: what the day or the month of a timestamp is. Each as text, for a
# statement written out whole (`column` an alias's column, "a.allocated_at"), and as a peewee expression.


def on_postgresql():
    return isinstance(db.obj, PostgresqlDatabase)


def month_of(column):
    """SQL for the first day of the month of a timestamp column."""
    return f"CAST(date_trunc('month', {column}) AS DATE)" if on_postgresql() else f"strftime('%Y-%m-01', {column})"


def months_after(column, months):
    """SQL for the date `months` (SQL for a whole number) months after a date column's, the first of a month."""
    if on_postgresql():
        return f"CAST({column} + {months} * INTERVAL '1 month' AS DATE)"
    return f"date({column}, '+' || {months} || ' months')"


def day_of(column):
    """SQL for the day of a timestamp column."""
    return f"CAST({column} AS DATE)" if on_postgresql() else f"date({column})"


def month_start(column):
    """The first day of the month of a timestamp column, as a peewee expression."""
    # Written into the statement, not passed as a parameter: PostgreSQL could not tell that the grouping by
    # it is by the same expression as the column selected.
    if on_postgresql():
        return fn.date_trunc(SQL("'month'"), column).cast("date")
    return fn.strftime(SQL("'%Y-%m-01'"), column)


def day_start(column):
    """The day of a timestamp column, as a peewee expression."""
    return column.cast("date") if on_postgresql() else fn.date(column)


def migrate(database):
    """Apply every migration not yet applied; returns their names."""
    with database.connection_context():
        return Runner(database, MIGRATIONS).up()


def pending_migrations(database):
    with database.connection_context():
        return [m.name for m in Runner(database, MIGRATIONS).status() if not m.applied]


def owner_only(path):
    """Create the file at `path` if it is missing, readable and writable by its owner only, and
    make an existing one so: it holds children's records. SQLite gives its -wal and -shm files
    the database file's mode. (Windows has no such modes: there the folder's permissions decide.)"""
    if path == ":memory:":
        return
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if os.name != "posix":
        return
    if os.stat(path).st_uid != os.getuid():
        logger.warning("%s belongs to another account, so its mode was left as it is", path)
        return
    os.chmod(path, 0o600)


def backup_sqlite(path, target):
    """Copy a live SQLite database safely, with SQLite's online backup API, to a file only its owner can read."""
    owner_only(target)
    source = sqlite3.connect(path)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
