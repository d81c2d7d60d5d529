"""The house style of every Word document: A4, Arial, real Word heading styles (so the navigation pane works),
table header rows that repeat on every page, the council's name (and the case reference, on a case's) in the page
header, "Page 2 of 5" in the footer, and the author in the file's properties. Made once and opened for each document."""

import functools
import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from models import utcnow

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Arial"
A4 = (Cm(21), Cm(29.7))
UNUSED_PARTS = ("stylesWithEffects", "thumbnail", "customXml")


@functools.cache
def house_style(landscape):
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
    return save(document)


def house_document(case_reference, author, council_name, title, landscape=False):
    """A new document in the house style about the case (None: about the service), by `author`, with its title as
    the first line."""
    document = Document(io.BytesIO(house_style(landscape)))
    section = document.sections[0]
    header = section.header.paragraphs[0]
    about = f"    Case {case_reference}" if case_reference else ""
    header.text = f"{council_name}{about}    OFFICIAL-SENSITIVE"
    header.style.font.size = Pt(9)
    page_numbers(section.footer.paragraphs[0])
    properties(document, title, author)
    heading(document, title, 0)
    return document


# python-docx finds a style by its name by reading every style in the document, each time it styles
# a paragraph or table. The ids of the styles used are fixed in its template, so they are set directly.
HEADING_STYLE_IDS = {0: "Title", 1: "Heading1", 2: "Heading2", 3: "Heading3"}
TABLE_GRID_STYLE_ID = "TableGrid"
KEPT_TABLE_STYLE_IDS = ("TableNormal", TABLE_GRID_STYLE_ID)  # the default for tables, and ours


def heading(document, text, level):
    made = paragraph(document, text)
    made._p.style = HEADING_STYLE_IDS[level]
    return made


def paragraph(document, text):
    """A paragraph of `text`, as document.add_paragraph(text) makes it."""
    made = document.add_paragraph()
    if text:
        add_text(made._p, text)
    return made


def add_text(p, text):
    """A run of `text` at the end of the paragraph element `p`, as python-docx's own text setter makes it. That
    setter reads the text a character at a time, to turn tabs and line breaks into Word's: only text holding
    one needs it."""
    run = p.add_r()
    if any(character in text for character in "\t\n\r"):
        run.text = text
    elif text:
        run.add_t(text)


def field(paragraph, code, shown_before_layout):
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


def page_numbers(paragraph):
    paragraph.style.font.size = Pt(9)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("Page ")
    field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    field(paragraph, "NUMPAGES", "1")


def properties(document, title, author):
    """File properties that name the auditor, in place of the python-docx template's own."""
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = utcnow()
    properties.revision = 1
    properties.subject = properties.keywords = properties.category = properties.comments = ""


def repeat_header_row(tr):
    properties = tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def table(document, columns, rows):
    """A table with fixed column widths (name, cm) and a bold header row repeated on each page. Made whole at
    once, each cell reached from its row's XML: python-docx's rows and columns find their cells by laying out
    the whole table again, which took a third of the time of a document of small tables."""
    made = document.add_table(rows=1 + len(rows), cols=len(columns))
    made._tbl.tblStyle_val = TABLE_GRID_STYLE_ID
    made.autofit = False
    widths = [Cm(width) for _, width in columns]
    for grid_column, width in zip(made._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = width
    header, *body = made._tbl.tr_lst
    repeat_header_row(header)
    for tc, (name, _), width in zip(header.tc_lst, columns, widths, strict=True):
        tc.width = width
        _Cell(tc, made).paragraphs[0].add_run(name).bold = True
    for tr, values in zip(body, rows, strict=True):
        for tc, value, width in zip(tr.tc_lst, values, widths, strict=True):
            tc.width = width
            tc.clear_content()
            add_text(tc.add_p(), value)
    return made


def details(document, pairs):
    return table(document, [("Detail", 5.5), ("Record", 11.5)], pairs)


def paragraphs(document, label, text):
    heading(document, label, 3)
    for line in (text or "Not recorded.").splitlines() or ["Not recorded."]:
        paragraph(document, line)


def landscape_pages(document):
    """Go on in a new section of landscape pages (for a wide table), with the same header and footer."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4[1], A4[0]
    return section


def save(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
