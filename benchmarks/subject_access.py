"""How long gathering everything held about one child takes (services/subject_access.py) for a case with 20 audits
at Leeds scale (issue 19: under 5 s): on a copy of a dataset, the most audited case is given the audits of others
until it has 20, with their Immediate Responses; then a QA officer downloads
its zip through the app, in this process, REPEAT times. Prints the median wall and CPU time beside the target.

Run on its own with the path of a dataset scale_data.py built (which it leaves as it is):
    .venv/bin/python benchmarks/subject_access.py /tmp/bench/audits-24000.db"""

import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from peewee import fn  # noqa: E402

from app import create_app  # noqa: E402
from models import Audit, Case, ImmediateResponse, User, db  # noqa: E402
from services.database import backup_sqlite, migrate, open_database  # noqa: E402

SUBJECT_ACCESS_TARGET_S = 5
AUDITS = 20
REPEAT = 5


def case_with_audits(count=AUDITS):
    """The case with the most audits, given every audit of the next most audited cases (with their Immediate
    Responses), a case at a time, until it has `count`: each case's audits move together, so that an audit's follow-up
    of an earlier audit's action stays within the case."""
    by_case = (
        Audit.select(Audit.case, fn.COUNT(Audit.id).alias("audits"))
        .group_by(Audit.case)
        .order_by(fn.COUNT(Audit.id).desc(), Audit.case)
        .limit(count * 10)
        .tuples()
    )
    (case_id, have), *others = list(by_case)
    moved = []
    for other, audits in others:
        if have + audits <= count:
            moved.append(other)
            have += audits
        if have == count:
            break
    with db.atomic():
        Audit.update(case=case_id).where(Audit.case.in_(moved)).execute()
        ImmediateResponse.update(case=case_id).where(ImmediateResponse.case.in_(moved)).execute()
    return Case.get_by_id(case_id)


def subject_access_seconds(database, repeat=REPEAT):
    """Median (wall, CPU) seconds of a QA officer's download of the zip for a case with AUDITS audits, on a copy of
    the SQLite file `database`, and the case's number of audits."""
    with tempfile.TemporaryDirectory() as directory:
        working = pathlib.Path(directory) / "subject-access.db"
        backup_sqlite(database, working)
        built = open_database(f"sqlite:///{working}")
        migrate(built)  # data built by an earlier version gains the newer migrations
        built.close_all()
        app = create_app({"DATABASE_URL": f"sqlite:///{working}", "SECRET_KEY": "benchmark-" * 7, "TESTING": True})
        with app.app_context():
            case = case_with_audits()
            audits = Audit.select().where(Audit.case == case).count()
            qa_officer = User.with_role("qa-officer").order_by(User.id).first()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = qa_officer.get_id()
            session["_fresh"] = True
            session["signed_in_at"] = session["last_seen"] = time.time()
        walls, cpus = [], []
        for _ in range(repeat):
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/cases/{case.id}/subject-access.zip")
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            if response.status_code != 200:
                sys.exit(f"The zip answered {response.status_code}")
        db.close_all()
    return statistics.median(walls), statistics.median(cpus), audits


def report(wall, cpu, audits):
    ok = wall < SUBJECT_ACCESS_TARGET_S
    print(
        f"Subject access zip for a case with {audits} audits: {wall:.2f} s ({cpu:.2f} s CPU), median of {REPEAT}; "
        f"target under {SUBJECT_ACCESS_TARGET_S} s  {'ok' if ok else 'MISSED'}"
    )
    return ok


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(0 if report(*subject_access_seconds(sys.argv[1])) else 1)
