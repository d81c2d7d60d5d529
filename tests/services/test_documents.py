"""The Word documents, read back with python-docx."""

import datetime
import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from models import Action, DomainJudgement, utcnow
from services import documents, team_actions
from services.dates import long_date, uk_today
from services.feedback import AuditFeedback

NO_FEEDBACK = AuditFeedback(family=[], iro=[])


@pytest.fixture
def filled_audit(make_audit):
    audit = make_audit(overall_grade="requires-improvement", overall_rationale="Drift in the plan.\nNo contingency.")
    audit.about_child = "A seven year old who lives with her grandmother."
    audit.save()
    for domain in audit.template.ordered_domains:
        DomainJudgement.create(
            audit=audit,
            domain=domain,
            grade="good",
            evidence=f"Evidence for {domain.name}",
            so_what=f"So what for {domain.name}",
        )
    for number in (1, 2):
        Action.create(
            audit=audit,
            what=f"Specific action number {number} for the child's plan",
            owner_name="Sam Worker",
            owner_role="Social Worker",
            due_on=datetime.date(2027, 1, number),
            done_when="Uploaded to the record",
        )
    return audit


def read(content):
    return Document(io.BytesIO(content))


def test_the_audit_record_has_every_domain_under_real_headings(filled_audit):
    document = read(
        documents.audit_record(
            filled_audit,
            filled_audit.judgements(),
            filled_audit.ordered_actions(),
            NO_FEEDBACK,
            [],
            "Westshire Council",
        )
    )
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Title", f"Case file audit: {filled_audit.case.reference}") in headings
    assert [text for style, text in headings if style == "Heading 1"] == [
        "Case details",
        "Practice domains",
        "Feedback from the practitioner",
        "Feedback from the child, young person, parents and carers",
        "Feedback from the IRO or CP chair",
        "Safeguarding",
        "Overall judgement",
        "Actions",
    ]
    domains = [text for style, text in headings if style == "Heading 2"]
    assert domains[0] == "1. Help, Protection and Stability" and len(domains) == 7
    assert "Heading 3" in {style for style, _ in headings}
    assert {table.style.name for table in document.tables} == {"Table Grid"}
    body = "\n".join(p.text for p in document.paragraphs)
    for domain in filled_audit.template.ordered_domains:
        assert f"Evidence for {domain.name}" in body and f"So what for {domain.name}" in body
    assert "A seven year old who lives with her grandmother." in body
    assert "Requires Improvement to be Good" in body and "Drift in the plan." in body


def test_the_audit_record_is_a4_with_the_council_and_case_in_the_header(filled_audit):
    document = read(
        documents.audit_record(filled_audit, filled_audit.judgements(), [], NO_FEEDBACK, [], "Westshire Council")
    )
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    header = section.header.paragraphs[0].text
    assert "Westshire Council" in header and filled_audit.case.reference in header
    assert filled_audit.case.initials not in header


def test_the_action_plan_has_the_leeds_appendix_b_columns_and_the_due_date_in_its_own(filled_audit):
    document = read(documents.action_plan(filled_audit, filled_audit.ordered_actions(), "Westshire Council"))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "Title",
        "Action to be taken",
        "Action taken to date",
        "Responsible Officer",
        "Due by",
        "Date completed",
        "Action approved by",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [[cell.text for cell in row.cells] for row in table.rows[1:]][0] == [
        "Audit action 1",
        "Specific action number 1 for the child's plan\nDone when: Uploaded to the record",
        "",
        "Sam Worker, Social Worker",
        "1 January 2027",
        "",
        "",
    ]
    assert table.rows[2].cells[0].text == "Audit action 2" and table.rows[2].cells[4].text == "2 January 2027"
    assert abs(table.columns[1].width - Cm(7.0)) < Cm(0.05)
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


def test_file_names_carry_no_personal_data_beyond_the_case_reference(filled_audit):
    name = documents.file_name("record", filled_audit)
    assert name == f"record-{filled_audit.case.reference}.docx"


def test_every_style_is_arial_with_no_theme_font_to_override_it(filled_audit):
    document = read(
        documents.audit_record(filled_audit, filled_audit.judgements(), [], NO_FEEDBACK, [], "Westshire Council")
    )
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:ascii")) == "Arial" and fonts.get(qn("w:asciiTheme")) is None, name


KINDS = ["record", "action-plan", "case-note"]


def document_of_kind(kind, audit):
    return documents.for_audit(kind, audit, "Westshire Council", datetime.date(2026, 11, 23))


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_is_numbered_with_word_page_and_numpages_fields(filled_audit, kind):
    document = read(document_of_kind(kind, filled_audit))
    [section] = document.sections
    assert not section.different_first_page_header_footer and not section.footer.is_linked_to_previous
    [paragraph] = section.footer.paragraphs
    fields = [field.get(qn("w:instr")).strip() for field in paragraph._p.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "".join(text.text for text in paragraph._p.iter(qn("w:t"))) == "Page 1 of 1"
    style = paragraph.style
    assert style.font.size == Pt(9) and (style.font.name or style.base_style.font.name) == "Arial"


@pytest.mark.parametrize("kind", KINDS)
def test_the_file_properties_name_the_auditor_and_nothing_of_python_docx(filled_audit, kind):
    content = document_of_kind(kind, filled_audit)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        for name in package.namelist():
            assert b"python-docx" not in package.read(name), name
    properties = read(content).core_properties
    assert properties.author == properties.last_modified_by == filled_audit.auditor.name
    assert properties.title.endswith(filled_audit.case.reference)
    assert properties.revision == 1
    assert (properties.comments, properties.subject, properties.keywords, properties.category) == ("", "", "", "")
    assert properties.created == properties.modified
    assert abs(properties.created.replace(tzinfo=None) - utcnow()) < datetime.timedelta(minutes=1)


def test_the_action_plan_fills_what_was_done_when_it_was_completed_and_who_approved_it(make_sent_action):
    action = make_sent_action()
    rules, today = team_actions.DEFAULT_RULES, uk_today()
    manager, service_manager = action.team.manager, action.team.service_manager
    team_actions.take(manager, action, "done", 1, {"text": "The chronology now shows both meetings."}, rules, today)
    team_actions.take(manager, action, "signed-off", 2, {}, rules, today)
    team_actions.take(service_manager, action, "authorised", 3, {}, rules, today)
    audit = action.audit
    document = read(documents.action_plan(audit, audit.ordered_actions(), "Westshire Council"))
    row = [cell.text for cell in document.tables[0].rows[1].cells]
    on = long_date(today)
    assert row[2] == (
        f"Sent to the team manager {on}\nDone {on}: The chronology now shows both meetings.\nSigned off {on}\n"
        f"Authorised {on}"
    )
    assert row[5:] == [on, service_manager.name]
