"""Subject access: a QA officer gathers everything the service holds about one child as a zip of Word documents and a
CSV index, read back here file by file."""

import csv
import datetime
import html
import io
import zipfile

import docx

from models import (
    AccessRecord,
    Action,
    ActionFollowUp,
    ActionReview,
    Audit,
    Case,
    DomainJudgement,
    DomainModeration,
    Draft,
    Event,
    LearningTheme,
    Moderation,
    Reflection,
    ReliabilityExercise,
    ThemeTag,
)
from services import retention, subject_access
from services.dates import uk_today
from services.subject_access_files import (
    ABOUT,
    BEFORE_SENDING,
    CASE_FILE,
    FILES,
    INDEX,
    NOT_IN_IT,
    RECORD_NAMES,
    VIEWS_FILE,
)
from tests.conftest import sign_in_client


def every_kind_of_record(ids, make_flag, marker):
    """To the records make_ids gives a case, add one of each kind it leaves out, each text holding `marker`."""
    case = Case.get_by_id(ids["case_id"])
    audit = Audit.get_by_id(ids["audit_id"])
    case.set_flags([make_flag(name=f"Flag {marker}").id])
    domain = audit.template.ordered_domains[0]
    judgement = DomainJudgement.create(
        audit=audit, domain=domain, grade="good", evidence=f"Evidence {marker}", so_what=f"So what {marker}"
    )
    theme = LearningTheme.create(name=f"Theme {marker}")
    ThemeTag.create(judgement=judgement, theme=theme, tagged_by=audit.auditor)
    Reflection.create(audit=audit, practitioner=audit.auditor, takes_from=f"Takes {marker}")
    ActionFollowUp.create(
        audit=audit,
        action=ids["earlier_action_id"],
        achieved="partly",
        difference=f"Difference {marker}",
        recorded_by=audit.auditor,
    )
    earlier = Action.get_by_id(ids["earlier_action_id"]).audit
    ActionReview.create(audit=earlier, team=case.team, due_on=datetime.date(2026, 5, 5), comment=f"Review {marker}")
    DomainModeration.create(
        moderation=ids["moderation_id"], domain=domain, auditor_grade="good", agrees=False, grade="inadequate",
        reason=f"Reason {marker}",
    )  # fmt: skip
    Moderation.update(message=f"Message {marker}").where(Moderation.id == ids["moderation_id"]).execute()
    Action.update(what=f"Further {marker}").where(Action.id == ids["further_action_id"]).execute()
    ReliabilityExercise.update(agreed=f"Agreed {marker}").where(ReliabilityExercise.id == ids["exercise_id"]).execute()
    Draft.create(audit=audit, user=audit.auditor, field="form", text=f"Draft {marker}")
    return case


def read_zip(content):
    """The zip's files: each Word document's text (paragraphs, tables, page headers) and the index's rows."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    texts = {}
    for name in archive.namelist():
        if name.endswith(".docx"):
            document = docx.Document(io.BytesIO(archive.read(name)))
            lines = [p.text for p in document.paragraphs]
            lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
            lines += [p.text for section in document.sections for p in section.header.paragraphs]
            texts[name] = "\n".join(lines)
    index = list(csv.reader(io.StringIO(archive.read(INDEX).decode("utf-8-sig"))))
    return texts, index


def test_the_zip_holds_every_record_of_the_child_and_nothing_of_any_other(
    client, make_user, make_ids, make_flag, get_page
):
    qa_officer = make_user(roles=("qa-officer",), name="Quinn Qa")
    ids, others = make_ids(), make_ids()
    case = every_kind_of_record(ids, make_flag, "Kestrel")
    other = every_kind_of_record(others, make_flag, "Heron")
    sign_in_client(client, qa_officer)
    get_page(f"/audits/{ids['audit_id']}")
    get_page(f"/audits/{others['audit_id']}")

    # What the zip must list, as the database holds it before the gathering's own event and view.
    records = {("Case", case.id)} | {
        (model.__name__, record.id)
        for model, query in retention.contents(case)
        for record in model.select(model.id).where(query)
    }
    names = RECORD_NAMES
    changes = {("Event", e.id) for e in Event.select() if (e.record_type, e.record_id) in records}
    looks = {("AccessRecord", a.id) for a in AccessRecord.select().where(AccessRecord.case_id == case.id)}
    assert changes and looks
    response = get_page(f"/cases/{case.id}/subject-access.zip")
    today = uk_today()
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=subject-access-{case.reference}-{today:%Y-%m-%d}.zip"
    )
    texts, (header, *rows) = read_zip(response.data)
    everything = "\n".join([*texts.values(), *(",".join(row) for row in rows)])

    # Each audit's record (the audit walked, the earlier one, the reliability exercise's two), with an action plan
    # where it set actions; the Immediate Response; the case; who has looked; and the note.
    audits = [f"02-audit-{number:02d}-" for number in range(1, 5)]
    assert [sum(name.startswith(stem) for name in texts) for stem in audits] == [2, 2, 1, 1]
    assert ABOUT in texts and CASE_FILE in texts and VIEWS_FILE in texts
    assert sum(name.startswith("03-immediate-response-01-") for name in texts) == 1
    for typed in (
        "Evidence Kestrel", "So what Kestrel", "Theme Kestrel", "Takes Kestrel", "Difference Kestrel",
        "Review Kestrel", "Reason Kestrel", "Message Kestrel", "Further Kestrel", "Agreed Kestrel", "Flag Kestrel",
        "Less shouting at home", "Drifting", "A specific test action", "An earlier action", "Must happen",
    ):  # fmt: skip
        assert typed in everything, typed
    views = texts[VIEWS_FILE]
    assert f"Audit {ids['audit_id']} (page)" in views and "Quinn Qa" in views
    assert "gathered for subject access" not in everything, "the gathering is logged after it is written"

    # The index names every record of the child, by kind and number: those the retention of the case would remove,
    # its changes in the event log and its views; and nothing of the other child's.
    listed = {(row[1], int(row[2])) for row in rows}
    assert listed == {(names.get(kind, kind), number) for kind, number in records | changes | looks}
    assert header == subject_access.INDEX_HEADER
    not_included = [row for row in rows if row[1] == RECORD_NAMES["Draft"]]
    assert not_included and not_included[0][0].startswith("Not included")
    assert "Draft Kestrel" not in everything
    assert "Heron" not in everything and other.reference not in everything

    gathered = Event.get(Event.action == "gathered for subject access")
    assert (gathered.user_id, gathered.record_type, gathered.record_id) == (qa_officer.id, "Case", case.id)
    download = AccessRecord.select().order_by(AccessRecord.id.desc()).first()
    assert (download.case_id, download.kind) == (case.id, "zip of Word documents")


def test_a_case_with_nothing_but_itself_gives_its_details_and_the_note(client, login_as, make_case):
    login_as("qa-officer")
    case = make_case(is_open=False, closed_on=datetime.date(2025, 1, 31))
    response = client.get(f"/cases/{case.id}/subject-access.zip")
    texts, (_, *rows) = read_zip(response.data)
    assert sorted(texts) == [
        ABOUT,
        CASE_FILE,
        VIEWS_FILE,
    ]
    assert rows == [[CASE_FILE, "Case", str(case.id), ""]]
    assert "31 January 2025" in texts[CASE_FILE]
    assert "Nobody has looked yet." in texts[VIEWS_FILE]
    assert BEFORE_SENDING in texts[ABOUT]


def test_the_page_before_says_what_the_zip_will_hold(client, login_as, make_audit, get_page):
    login_as("qa-officer")
    audit = make_audit()
    case_page = get_page(f"/cases/{audit.case_id}").get_data(as_text=True)
    assert f'href="/cases/{audit.case_id}/subject-access"' in case_page
    page = html.unescape(get_page(f"/cases/{audit.case_id}/subject-access").get_data(as_text=True))
    assert f"Subject access: case {audit.case.reference}" in page
    assert NOT_IN_IT in page and BEFORE_SENDING in page
    assert f'href="/cases/{audit.case_id}/subject-access.zip"' in page
    for name, _ in FILES:
        assert name in page
    views = AccessRecord.select().where(AccessRecord.case_id == audit.case_id).count()
    assert subject_access.counts_of(audit.case) == {"Case": 1, "Audit": 1, "View or download": views}
    assert "Records of this child, by kind" in page


def test_only_a_qa_officer_may_gather_and_nobody_gathers_a_case_that_is_not_there(client, login_as, make_case):
    case = make_case()
    login_as("auditor", "moderator", "senior-leader", "team-manager", "service-manager", "practitioner")
    assert client.get(f"/cases/{case.id}/subject-access").status_code == 403
    assert client.get(f"/cases/{case.id}/subject-access.zip").status_code == 403
    login_as("qa-officer")
    assert client.get("/cases/2000000000/subject-access.zip").status_code == 404
    assert not Event.select().where(Event.action == "gathered for subject access").exists()
    assert not AccessRecord.select().exists()
