"""A load test: many auditors at once signing in, reading pages and autosaving their own audits.

It builds a fresh SQLite database in a temporary folder, serves it with the production command
README.md documents (waitress), sends every request to 127.0.0.1 only, stops by itself, and
exits non-zero if any request failed. Run `.venv/bin/python benchmarks/load.py --help`."""

import argparse
import itertools
import pathlib
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from browsing import (  # noqa: E402
    Client,
    Results,
    autosave_problem,
    expect_status,
    form_fields,
    new_version,
    typed_autosave,
    with_version,
)
from serving import free_port, start_server, stop_server, wait_until_serving  # noqa: E402

from models import Audit, Case, User, db  # noqa: E402
from services import accounts, allocation, demo  # noqa: E402
from services.database import migrate, open_database  # noqa: E402
from services.dates import uk_today  # noqa: E402
from services.working_days import audit_due_on  # noqa: E402

THREADS = 4  # waitress threads, as README.md's "Running it for real" says
THINK_SECONDS = (0.5, 1.5)
SEED = 2026
ERRORS_SHOWN = 5
# How waitress-serve starts each record in its log ("ERROR:app:Exception on /audits/3 [POST]").
LOG_RECORD = re.compile(r"^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):", re.MULTILINE)


class Auditor:
    """One simulated auditor: signs in, then goes round the pages and autosaves their own audit."""

    def __init__(self, email, audit_id, port, results, seed):
        self.email = email
        self.audit_path = f"/audits/{audit_id}"
        self.client = Client(port, results)
        self.random = random.Random(seed)  # noqa: S311 - think times and typing, not secrets
        self.fields = []  # the audit form as last loaded or saved

    def sign_in(self, password):
        """Sign in with the form, as a person would; True if it worked."""
        page = self.client.fetch("GET", "/sign-in", "sign-in")
        if page is None:
            return False
        form = {"csrf_token": dict(form_fields(page))["csrf_token"], "email": self.email, "password": password}
        return self.client.fetch("POST", "/sign-in", "sign-in", expect_status(303), form) is not None

    def home(self):
        """Open the home page."""
        self.client.fetch("GET", "/", "read")

    def my_audits(self):
        """Open the list of their audits."""
        self.client.fetch("GET", "/my-audits", "read")

    def open_audit(self):
        """Open their audit, keeping its form as the browser would."""
        page = self.client.fetch("GET", self.audit_path, "read")
        if page is not None:
            self.fields = form_fields(page, "audit-form")

    def autosave(self):
        """Type a sentence into one of the audit's text boxes, then post the whole form as htmx does."""
        if not self.fields:
            return  # the audit page did not open, which is already counted as an error
        self.fields, headers = typed_autosave(self.fields, self.random, self.client.port, self.audit_path)
        answer = self.client.fetch("POST", self.audit_path, "autosave", autosave_problem, self.fields, headers)
        if answer is not None:
            # The answer carries the new version: the next save is based on it, as in the browser.
            self.fields = with_version(self.fields, new_version(answer))

    def steps(self):
        """What the auditor does next, for ever: home, My audits, their audit, then two to six autosaves."""
        while True:
            yield from (self.home, self.my_audits, self.open_audit)
            yield from [self.autosave] * self.random.randint(2, 6)

    def work(self, deadline, most_requests):
        """Think, then take the next step, until the deadline or `most_requests` have been sent."""
        try:
            for step in self.steps():
                time.sleep(min(self.random.uniform(*THINK_SECONDS), max(0, deadline - time.monotonic())))
                if time.monotonic() >= deadline or self.client.sent >= most_requests:
                    return
                step()
        finally:
            self.client.close()


def build_database(path, users):
    """A fresh database with the demo data and `users` new auditors, each with an audit of a case of their own.
    Returns their password and each one's (email, audit id)."""
    db.initialize(open_database(f"sqlite:///{path}"))
    migrate(db.obj)
    password = secrets.token_urlsafe(16)
    today = uk_today()
    with db.connection_context():
        demo.load(today)
        qa_officer = User.by_email(f"qa.officer@{demo.DOMAIN}")
        free_cases = Case.select().where(Case.is_open & Case.id.not_in(Audit.select(Audit.case))).order_by(Case.id)
        cases = list(free_cases.limit(users))
        if len(cases) < users:
            sys.exit(f"The demo data has {len(cases)} open cases without an audit: use --users {len(cases)} or fewer.")
        auditors = []
        for number, case in enumerate(cases, start=1):
            # IROs belong to no team, so any team's case can be theirs to audit independently.
            auditor = accounts.create_user(
                qa_officer,
                ["auditor"],
                password,
                name=f"Load Auditor {number}",
                email=f"load.auditor{number}@load.example.org",
                job_role="IRO",
            )
            audit = allocation.allocate(qa_officer, case, auditor.id, audit_due_on(today), today)
            auditors.append((auditor.email, audit.id))
    return password, auditors


def run_load(auditors, password, port, seconds):
    """Sign everyone in, then let them work for `seconds`; returns the results and how long the work took."""
    results = Results()
    people = [Auditor(email, audit_id, port, results, SEED + n) for n, (email, audit_id) in enumerate(auditors)]
    # A hard cap besides the deadline: nobody can send more than one request per shortest think.
    most_requests = int(seconds / THINK_SECONDS[0]) + 1
    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        outcomes = pool.map(lambda person: person.sign_in(password), people)
        signed_in = [person for person, ok in zip(people, outcomes, strict=True) if ok]
        started = time.monotonic()
        deadline = started + seconds
        list(pool.map(lambda person: person.work(deadline, most_requests), signed_in))
    return results, time.monotonic() - started


def percentiles(seconds):
    """The 50th, 95th and 99th percentile of `seconds`, in milliseconds, as text."""
    if len(seconds) < 2:
        return "too few requests to tell"
    cuts = statistics.quantiles([s * 1000 for s in seconds], n=100, method="inclusive")
    return f"p50 {cuts[49]:.1f}, p95 {cuts[94]:.1f}, p99 {cuts[98]:.1f}"


def first_traceback(log):
    """The first record in the server's log that holds a traceback, whole, or "" if there is none."""
    starts = [0, *(match.start() for match in LOG_RECORD.finditer(log)), len(log)]
    records = (log[start:end] for start, end in itertools.pairwise(starts))
    return next((record.rstrip() for record in records if "Traceback" in record), "")


def report(results, users, elapsed, log):
    """Print the figures, then the first errors and the server's first traceback if there were any."""
    reads, saves = results.seconds["read"], results.seconds["autosave"]
    requests = len(reads) + len(saves)
    for error in results.errors[:ERRORS_SHOWN]:
        print(f"error: {error}")
    traceback = first_traceback(log)
    if traceback:
        print("first traceback in the server's log:\n" + traceback)
    print(f"users: {users}")
    print(f"seconds: {elapsed:.1f}")
    print(f"requests: {requests}")
    print(f"requests per second: {requests / elapsed:.1f}")
    print(f"errors: {len(results.errors)}")
    print(f"latency ms overall: {percentiles(reads + saves)}")
    print(f"latency ms reads: {percentiles(reads)}")
    print(f"latency ms autosaves: {percentiles(saves)}")
    print(f"latency ms sign-ins: {percentiles(results.seconds['sign-in'])}")


def parse_options():
    """The command line's options, checked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="auditors working at once (default 50)")
    parser.add_argument("--seconds", type=float, default=180, help="how long they work (default 180)")
    parser.add_argument("--threads", type=int, default=THREADS, help=f"waitress threads (default {THREADS})")
    options = parser.parse_args()
    if options.users < 1 or options.seconds <= 0 or options.threads < 1:
        parser.error("--users, --seconds and --threads must be more than 0")
    return options


def main():
    """Build the data, serve it, run the load, report, and stop the server whatever happens."""
    options = parse_options()
    with tempfile.TemporaryDirectory(prefix="caseaudit-load-") as directory:
        directory = pathlib.Path(directory)
        database, log_path = directory / "load.db", directory / "server.log"
        password, auditors = build_database(database, options.users)
        with open(log_path, "w") as log:
            port = free_port()
            server = start_server(database, port, options.threads, log)
            try:
                wait_until_serving(server, port, log_path)
                results, elapsed = run_load(auditors, password, port, options.seconds)
            finally:
                stop_server(server)
        report(results, options.users, elapsed, log_path.read_text())
    sys.exit(1 if results.errors else 0)


if __name__ == "__main__":
    main()
