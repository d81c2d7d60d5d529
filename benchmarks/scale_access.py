"""Who has looked at a council's children's records at Leeds scale (issue 19), for scale_data.py: each audit opened
about twelve times by its auditor while they write it and once they have, its record downloaded as Word, and the
audit and its case opened by a QA officer; about 14 rows an audit (some 340,000 at 24,000 audits), each at its time."""

import datetime

from bulk import insert_all

from models import AccessRecord

AUDITOR_VIEWS = (8, 16)  # the auditor's views of an audit, fewest and most


def build_access(rng, council):
    """The record of who has looked, for every audit, oldest first, as the service writes it."""
    views = []
    for audit in council.audits:
        started = audit["allocated_at"]
        finished = audit.get("submitted_at") or council.now
        span = datetime.timedelta(seconds=max((finished - started).total_seconds(), 60))

        def at(share, started=started, span=span):
            return started + span * share

        path = f"/audits/{audit['id']}"
        looks = [(at(rng.random()), audit["auditor"], "Audit", audit["id"], "page", path)
                 for _ in range(rng.randint(*AUDITOR_VIEWS))]  # fmt: skip
        looks.append(
            (at(0.0), rng.choice(council.qa_officers), "Case", audit["case"], "page", f"/cases/{audit['case']}")
        )
        if audit.get("submitted_at"):
            looks.append((at(1.0), audit["auditor"], "Audit", audit["id"], "Word document", f"{path}/record.docx"))
            looks.append((at(1.0), rng.choice(council.qa_officers), "Audit", audit["id"], "page", path))
        views += [
            {"at": when, "user": user, "case_id": audit["case"], "record_type": kind_of_record, "record_id": record_id,
             "kind": kind, "path": address}
            for when, user, kind_of_record, record_id, kind, address in looks
        ]  # fmt: skip
    views.sort(key=lambda view: view["at"])
    insert_all(AccessRecord, views)
