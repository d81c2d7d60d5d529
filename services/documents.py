"""Word documents for the child's file: the audit record, its action plan, and the case-note text.

A4, real Word heading styles (so the navigation pane works), table header rows that
repeat on every page, the council's name and the case reference in the page header,
"Page 2 of 5" in the footer, and the auditor as the author in the file's properties."""

import functools
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from models import GRADES, Moderation, utcnow
from services import feedback, immediate_responses, moderations
from services.actions import short_title
from services.case_note import case_note_text
from services.dates import long_date as uk_date

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Arial"
A4 = (Cm(21), Cm(29.7))
# Leeds framework Appendix B (seed 000): the action plan's columns.
ACTION_PLAN_COLUMNS = [
    ("Title", 4.8),
    ("Action to be taken", 6.5),
    ("Action taken to date", 4.5),
    ("Responsible Officer", 3.8),
    ("Date completed", 2.6),
    ("Action approved by", 3.5),
]


UNUSED_PARTS = ("stylesWithEffects", "thumbnail", "customXml")


@functools.cache
def _house_style(landscape):
    """The house style's empty document, A4 (upright or landscape): made once, opened for each document."""
    document = Document()
    section = document.sections[0]
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[style_name]
        style.font.name = FONT
        fonts = style.element.rPr.rFonts
        fonts.set(qn("w:eastAsia"), FONT)
        # The template's headings name theme fonts, which win over a named font: remove them.
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        if style_name != "Normal":
            style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    document.styles["Normal"].font.size = Pt(11)
    # python-docx's template carries parts no document here uses, which each document would read and
    # compress again: every style once more for Word 2010 (stylesWithEffects, 440 KB; Word reads
    # styles.xml without it), python-docx's own thumbnail, and an empty custom XML item.
    for relationships in (document.part.rels, document.part.package.rels):
        for key, relationship in list(relationships.items()):
            if relationship.reltype.rsplit("/", 1)[-1] in UNUSED_PARTS:
                del relationships[key]
    # And about a hundred table styles (Light Shading to Colorful Grid, in every accent colour), 300 KB
    # of the 350 KB of styles: the tables here use Table Grid. Word keeps its own for anyone editing.
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in KEPT_TABLE_STYLE_IDS:
            styles.remove(style)
    return _save(document)


def _new_document(audit, council_name, title, landscape=False):
    return _house_document(audit.case.reference, audit.auditor.name, council_name, title, landscape)


def _house_document(case_reference, author, council_name, title, landscape=False):
    """A new document in the house style about the case, by `author`, with its title as the first line."""
    document = Document(io.BytesIO(_house_style(landscape)))
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{council_name}    Case {case_reference}    OFFICIAL-SENSITIVE"
    header.style.font.size = Pt(9)
    _page_numbers(section.footer.paragraphs[0])
    _properties(document, title, author)
    _heading(document, title, 0)
    return document


# python-docx finds a style by its name by reading every style in the document, each time it styles
# a paragraph or table. The ids of the styles used are fixed in its template, so they are set directly.
HEADING_STYLE_IDS = {0: "Title", 1: "Heading1", 2: "Heading2", 3: "Heading3"}
TABLE_GRID_STYLE_ID = "TableGrid"
KEPT_TABLE_STYLE_IDS = ("TableNormal", TABLE_GRID_STYLE_ID)  # the default for tables, and ours


def _heading(document, text, level):
    paragraph = _paragraph(document, text)
    paragraph._p.style = HEADING_STYLE_IDS[level]
    return paragraph


def _paragraph(document, text):
    """A paragraph of `text`, as document.add_paragraph(text) makes it."""
    paragraph = document.add_paragraph()
    if text:
        _add_text(paragraph._p, text)
    return paragraph


def _add_text(p, text):
    """A run of `text` at the end of the paragraph element `p`, as python-docx's own text setter makes it. That
    setter reads the text a character at a time, to turn tabs and line breaks into Word's: only text holding
    one needs it."""
    run = p.add_r()
    if any(character in text for character in "\t\n\r"):
        run.text = text
    elif text:
        run.add_t(text)


def _field(paragraph, code, shown_before_layout):
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in as they lay out the pages;
    until then it reads `shown_before_layout`."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown_before_layout
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_numbers(paragraph):
    paragraph.style.font.size = Pt(9)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")


def _properties(document, title, author):
    """File properties that name the auditor, in place of the python-docx template's own."""
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = utcnow()
    properties.revision = 1
    properties.subject = properties.keywords = properties.category = properties.comments = ""


def _repeat_header_row(tr):
    properties = tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _table(document, columns, rows):
    """A table with fixed column widths (name, cm) and a bold header row repeated on each page. Made whole at
    once, each cell reached from its row's XML: python-docx's rows and columns find their cells by laying out
    the whole table again, which took a third of the time of a document of small tables."""
    table = document.add_table(rows=1 + len(rows), cols=len(columns))
    table._tbl.tblStyle_val = TABLE_GRID_STYLE_ID
    table.autofit = False
    widths = [Cm(width) for _, width in columns]
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = width
    header, *body = table._tbl.tr_lst
    _repeat_header_row(header)
    for tc, (name, _), width in zip(header.tc_lst, columns, widths, strict=True):
        tc.width = width
        _Cell(tc, table).paragraphs[0].add_run(name).bold = True
    for tr, values in zip(body, rows, strict=True):
        for tc, value, width in zip(tr.tc_lst, values, widths, strict=True):
            tc.width = width
            tc.clear_content()
            _add_text(tc.add_p(), value)
    return table


def _details(document, pairs):
    return _table(document, [("Detail", 5.5), ("Record", 11.5)], pairs)


def _paragraphs(document, label, text):
    _heading(document, label, 3)
    for line in (text or "Not recorded.").splitlines() or ["Not recorded."]:
        _paragraph(document, line)


def _save(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def audit_record(audit, judgements, actions, audit_feedback, responses_raised, council_name, moderation=None):
    """The full audit record for the child's file (`audit_feedback` as services.feedback.for_audit gives it,
    `responses_raised` the Immediate Responses raised from it, `moderation` its submitted moderation)."""
    case = audit.case
    document = _new_document(audit, council_name, f"Case file audit: {case.reference}")
    _heading(document, "Case details", 1)
    _details(
        document,
        [
            ("Case reference", case.reference),
            ("Child's initials", case.initials),
            ("Team", case.team.name),
            ("Allocated worker", case.worker_name),
            ("Auditor", f"{audit.auditor.name}, {audit.auditor.job_role}"),
            ("Period audited", f"{uk_date(audit.period_start)} to {uk_date(audit.period_end)}"),
            ("Due", uk_date(audit.due_on)),
            ("Submitted", uk_date(audit.submitted_at.date()) if audit.submitted_at else "Not yet submitted"),
            ("Audit template", f"{audit.template.name}, version {audit.template.version}"),
        ],
    )
    _heading(document, "Practice domains", 1)
    for number, judgement in enumerate(judgements, start=1):
        _heading(document, f"{number}. {judgement.domain.name}", 2)
        document.add_paragraph().add_run(f"Grade: {GRADES.get(judgement.grade, 'Not graded')}").bold = True
        if number == 1:
            _paragraphs(document, "About the child", audit.about_child)
        _paragraphs(document, "Evidence", judgement.evidence)
        _paragraphs(document, "So what? What difference has this made to the child?", judgement.so_what)

    _heading(document, "Feedback from the practitioner", 1)
    minutes = f"{audit.discussion_minutes} minutes" if audit.discussion_minutes else "Not recorded"
    _details(document, [("Date of discussion", uk_date(audit.discussion_on) or "Not recorded"), ("Length", minutes)])
    if audit.discussion_not_held:
        _paragraphs(document, "Why the discussion did not happen", audit.discussion_not_held)
    _paragraphs(document, "The practitioner's view of the grades", audit.practitioner_view)
    _paragraphs(document, "What they would do differently", audit.practitioner_differently)

    _heading(document, "Feedback from the child, young person, parents and carers", 1)
    _family_feedback(document, audit_feedback.family)

    _heading(document, "Feedback from the IRO or CP chair", 1)
    if not audit_feedback.iro:
        document.add_paragraph("None recorded.")
    for item in audit_feedback.iro:
        _heading(document, f"{item.name}, {item.role_label}", 2)
        _details(document, [("Given on", uk_date(item.given_on)), *_after_submission(item)])
        _paragraphs(document, "Their view of the plan's progress", item.plan_progress)
        _paragraphs(document, "Their view of the grades", item.grades_view)

    _heading(document, "Safeguarding", 1)
    answer = {True: "Yes", False: "No", None: "Not answered"}
    _details(
        document,
        [
            ("Is there an immediate safeguarding concern?", answer[audit.immediate_concern]),
            ("Discussed in supervision in the last 6 months?", answer[audit.supervised_recently]),
            (
                "Immediate Responses raised",
                "; ".join(f"{uk_date(r.raised_at)} ({r.status_label.lower()})" for r in responses_raised) or "None",
            ),
        ],
    )

    _heading(document, "Overall judgement", 1)
    document.add_paragraph().add_run(GRADES.get(audit.overall_grade, "Not given")).bold = True
    _paragraphs(document, "Reasons", audit.overall_rationale)
    if audit.grade_gap_reason:
        _paragraphs(document, "Why the overall judgement is above the lowest domain grade", audit.grade_gap_reason)

    _heading(document, "Actions", 1)
    _actions_table(document, actions, "No actions were set.")
    if moderation:
        _moderation(document, moderation)
    return _save(document)


def _actions_table(document, actions, none_text):
    if not actions:
        document.add_paragraph(none_text)
        return
    _table(
        document,
        [
            ("No.", 1.2),
            ("What needs to happen", 6.3),
            ("Who will do it", 3.5),
            ("By when", 2.6),
            ("How we will know", 3.4),
        ],
        [
            (str(n), a.what, f"{a.owner_name}, {a.owner_role}", uk_date(a.due_on), a.done_when)
            for n, a in enumerate(actions, start=1)
        ],
    )


def _moderation(document, moderation):
    """The moderator's view of each grade beside the auditor's, their comments and any further actions."""
    _heading(document, "Moderation", 1)
    moderator = moderation.moderator.name if moderation.moderator else "Not recorded"
    _details(document, [("Moderated by", moderator), ("Moderated on", uk_date(moderation.submitted_at.date()))])

    def moderated(agrees, grade):
        return f"{GRADES.get(grade, 'Not given')} ({'agreed' if agrees else 'changed'})"

    rows = [
        (row.domain.name, GRADES.get(row.auditor_grade, ""), moderated(row.agrees, row.grade), row.reason)
        for row in moderations.domains(moderation)
    ]
    rows.append(
        (
            "Overall judgement",
            GRADES.get(moderation.auditor_grade, ""),
            moderated(moderation.agrees, moderation.grade),
            moderation.overall_reason,
        )
    )
    _table(
        document,
        [("", 4.2), ("Auditor's grade", 3.4), ("Moderated grade", 3.8), ("Why the moderator disagrees", 5.6)],
        rows,
    )
    addressed = Moderation.ACTIONS_ADDRESSED.get(moderation.actions_addressed, "Not answered")
    _details(document, [("Have the audit's actions been addressed?", addressed)])
    _paragraphs(document, "Comments on the actions", moderation.actions_comment)
    _paragraphs(document, "Message to the auditor", moderation.message)
    _heading(document, "Further actions from moderation", 2)
    _actions_table(document, moderation.audit.ordered_actions("moderation"), "No further actions were set.")


def _after_submission(feedback_record):
    """The row that says feedback was recorded or changed once the audit was submitted, if it was."""
    return [("Recorded or changed", "After the audit was submitted")] if feedback_record.after_submission else []


def _family_feedback(document, family_feedback):
    """Each person's answers to the guide's questions, or why their feedback could not be gathered (seed 001 s.3.3)."""
    if not family_feedback:
        document.add_paragraph("None recorded.")
    for item in family_feedback:
        _heading(document, item.who, 2)
        if not item.gathered:
            last_attempt = uk_date(item.given_on) or "Not recorded"
            rows = [("Could not be gathered", item.not_gathered_label), ("Date of the last attempt", last_attempt)]
            _details(document, rows + _after_submission(item))
            _paragraphs(document, "What was tried", item.attempts)
            continue
        rows = [
            ("How they gave it", item.how_label),
            ("Given on", uk_date(item.given_on)),
            ("How helpful our work has been", item.helpfulness_label),
        ]
        _details(document, rows + _after_submission(item))
        for name, question in item.QUESTIONS.items():
            _paragraphs(document, question, getattr(item, name))
        _paragraphs(document, "The child's views, in their own words", item.child_views)


def action_plan(audit, actions, council_name):
    """The action plan in the columns of the Leeds framework's Appendix B, landscape."""
    document = _new_document(audit, council_name, f"Action plan: {audit.case.reference}", landscape=True)
    document.add_paragraph(
        f"Actions from the case file audit by {audit.auditor.name}, {audit.auditor.job_role}. "
        f"Overall judgement: {GRADES.get(audit.overall_grade, 'not yet given')}."
    )
    rows = [
        (
            f"{n}. {short_title(a.what)}",
            f"{a.what}\nBy {uk_date(a.due_on)}. Done when: {a.done_when}",
            "",
            f"{a.owner_name}, {a.owner_role}",
            "",
            "",
        )
        for n, a in enumerate(actions, start=1)
    ]
    _table(document, ACTION_PLAN_COLUMNS, rows)
    return _save(document)


def case_note(text, audit, council_name):
    """The case-note text as a Word document, for systems that take attachments."""
    document = _new_document(audit, council_name, f"Case note: audit of {audit.case.reference}")
    for line in text.splitlines():
        _paragraph(document, line)
    return _save(document)


def for_audit(kind, audit, council_name, today):
    """The Word document of this kind ("record", "action-plan" or "case-note") for the audit."""
    actions = audit.ordered_actions()
    if kind == "record":
        raised = immediate_responses.raised_for(audit)
        moderation = moderations.of_audit(audit) if audit.status == "moderated" else None
        return audit_record(
            audit, audit.judgements(), actions, feedback.for_audit(audit), raised, council_name, moderation
        )
    if kind == "action-plan":
        return action_plan(audit, actions, council_name)
    return case_note(case_note_text(audit, actions, today), audit, council_name)


def immediate_response(response, council_name):
    """The Immediate Response form for the child's file (seed 001 s.3.1), with each step taken so far."""
    case = response.case
    document = _house_document(case.reference, response.raised_by.name, council_name, "Immediate Response")
    _heading(document, "The concern", 1)
    _details(
        document,
        [
            ("Case reference", case.reference),
            ("Child's initials", case.initials),
            ("Team", case.team.name),
            ("Raised by", f"{response.raised_by.name}, {response.raised_by.job_role}"),
            ("Raised on", uk_date(response.raised_at)),
            ("Why it is needed", response.trigger_label),
            ("Who must act", f"{response.who_acts.name}, {response.who_acts.job_role}"),
            ("How urgent", response.urgency_label),
            ("To be acknowledged by", uk_date(response.due_on)),
            ("Already told", immediate_responses.told_summary(response)),
            ("Status", response.status_label),
        ],
    )
    _paragraphs(document, "What was found", response.found)
    _paragraphs(document, "What must happen now", response.must_happen)
    _heading(document, "Acknowledgement", 1)
    if response.acknowledged_at:
        _details(
            document,
            [("Acknowledged by", response.acknowledged_by.name), ("On", uk_date(response.acknowledged_at))],
        )
        _paragraphs(document, "Their response", response.response)
        _paragraphs(document, "The action they are taking", response.action_taking)
    else:
        document.add_paragraph("Not yet acknowledged.")
    if response.escalated_at:
        document.add_paragraph(
            f"Escalated on {uk_date(response.escalated_at)}: not acknowledged by {uk_date(response.due_on)}."
        )
    _heading(document, "Outcome", 1)
    if response.closed_at:
        _details(document, [("Closed by", response.closed_by.name), ("On", uk_date(response.closed_at))])
        _paragraphs(document, "The outcome", response.outcome)
    else:
        document.add_paragraph("Not yet closed.")
    return _save(document)


def file_name(kind, audit):
    """No personal data beyond the case reference in the name."""
    return f"{kind}-{audit.case.reference}.docx"
