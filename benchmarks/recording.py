"""What recording who has looked (services/access_log.py) adds to each page of a child's record that the server
sends: the write its hook makes, measured on a dataset's database as the server finds it, in this process."""

import time

from models import User, db
from services import access_log
from services.database import open_database

ACCESS_TARGET_MS = 1.5  # the most it may add to a page's CPU time (issue 19)
WRITES = 300


def access_cost(database):
    """CPU ms (user and system, the fsync of each commit among it) of recording one page, the mean of WRITES, and
    the 50th percentile of ten batches of them, on the SQLite file `database`. Adds its rows to that file."""
    db.initialize(open_database(f"sqlite:///{database}"))
    batches = []
    with db.connection_context():
        user = User.select().order_by(User.id).first()
        looked = access_log.Looked("Audit", 1, 1)
        for _ in range(10):
            started = time.process_time()
            for _ in range(WRITES // 10):
                access_log.write(user, looked, "text/html", "/audits/1")
            batches.append((time.process_time() - started) * 1000 / (WRITES // 10))
    db.close_all()
    return sorted(batches)[len(batches) // 2]
