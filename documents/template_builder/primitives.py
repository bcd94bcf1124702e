"""Docx primitives of the template builder: page setup and styles of Russian official documents,
paragraphs and runs, fixed-layout tables, docxtpl tags in runs of their own, the blocks several
documents share (issuer header, date and number, signature, letterhead, annex stamp) and the
byte-reproducible save.

Layout follows Russian official documents (ГОСТ Р 7.0.97-2016 practice): A4, margins 30 mm left,
15 mm right, 20 mm top and bottom, Times New Roman 14 pt, single spacing, paragraph indent
1.25 cm, justified text; tables in 12 pt (10 pt where they are wide); page numbers at the top
centre from the second page. Placeholders are docxtpl (Jinja2) tags, each in a run of its own:
`{{ … }}` for text, `{%p … %}` for paragraph loops and conditions, `{%tr … %}` for table rows.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
SMALL_PT = 10
INDENT = Mm(12.5)
MARGINS = {"left": Mm(30), "right": Mm(15), "top": Mm(20), "bottom": Mm(20)}
PORTRAIT_TEXT_WIDTH = Mm(210 - 30 - 15)
LANDSCAPE_TEXT_WIDTH = Mm(297 - 30 - 15)

NUMBER_SIGN = "№\u00a0"  # never alone at the end of a line

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY



# --- low-level helpers -----------------------------------------------------------------------


def new_document(*, landscape: bool = False):
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "ru-RU")
    language.set(qn("w:eastAsia"), "ru-RU")
    r_pr.append(language)
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    paragraph_format.line_spacing = 1.0
    paragraph_format.widow_control = True
    section = document.sections[0]
    set_page(section, landscape=landscape)
    add_page_numbers(section)
    return document


def set_page(section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def add_section(document, *, landscape: bool):
    section = document.add_section(WD_SECTION.NEW_PAGE)
    set_page(section, landscape=landscape)
    return section


def add_page_numbers(section) -> None:
    """Page number at the top centre, none on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _first_paragraph(container):
    """A new table cell holds one empty paragraph: use it before adding more."""
    if hasattr(container, "_tc"):
        paragraphs = container.paragraphs
        if len(paragraphs) == 1 and not paragraphs[0].runs:
            return paragraphs[0]
    return container.add_paragraph()


def para(
    container,
    *pieces,
    align=None,
    bold=False,
    italic=False,
    size=None,
    first_line=None,
    left=None,
    right=None,
    before=0,
    after=0,
    keep_next=False,
    tab_right=None,
):
    """A paragraph of pieces: a string, or (text, {"bold": True, …}) for a run of its own."""
    paragraph = _first_paragraph(container)
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if first_line is not None:
        fmt.first_line_indent = first_line
    if left is not None:
        fmt.left_indent = left
    if right is not None:
        fmt.right_indent = right
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if keep_next:
        fmt.keep_with_next = True
    if tab_right is not None:
        fmt.tab_stops.add_tab_stop(tab_right, WD_TAB_ALIGNMENT.RIGHT)
    for piece in pieces:
        text, style = (piece, {}) if isinstance(piece, str) else piece
        run = paragraph.add_run(text.replace("№ ", NUMBER_SIGN))
        run.bold = style.get("bold", bold) or None
        run.italic = style.get("italic", italic) or None
        run.underline = style.get("underline") or None
        run_size = style.get("size", size)
        if run_size:
            run.font.size = Pt(run_size)
        if style.get("spacing"):
            _letter_spacing(run, style["spacing"])
    return paragraph


def _letter_spacing(run, points: float) -> None:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(int(points * 20)))
    run._r.get_or_add_rPr().append(spacing)


def tag(container, text):
    """A paragraph holding only a docxtpl block tag ({%p … %})."""
    return para(container, text)


def text_paragraph(container, *pieces, **kwargs):
    """Body text: justified, indented first line."""
    kwargs.setdefault("align", JUSTIFY)
    kwargs.setdefault("first_line", INDENT)
    return para(container, *pieces, **kwargs)


def empty(container, count=1, size=None):
    for _ in range(count):
        para(container, "", size=size)


def page_break(container):
    para(container, "").runs[0].add_break(WD_BREAK.PAGE)


def table(container, widths, *, borders=True, size=TABLE_PT):
    """A fixed-layout table; `widths` in mm."""
    grid = container.add_table(rows=0, cols=len(widths))
    if borders:
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    else:  # a layout table (signature, letterhead): its text lines up with the body text
        grid.alignment = WD_TABLE_ALIGNMENT.LEFT
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), "0")
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        grid._tbl.tblPr.append(margins)
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Mm(width)
    grid._profrost_widths = [Mm(w) for w in widths]
    grid._profrost_size = size
    return grid


def row(grid, *cells, bold=False, italic=False, align=LEFT, merge=False, header=False, size=None, unsplit=False):
    """Append a row. A cell is a string or a list of pieces; `merge` spans one cell across. A
    header row repeats on every page and never splits; `unsplit` keeps a data row whole too (a
    row of a few lines split across pages leaves one line of it alone at a page's foot)."""
    size = size or grid._profrost_size
    new_row = grid.add_row()
    for cell, width in zip(new_row.cells, grid._profrost_widths, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    targets = new_row.cells
    if merge:
        merged = new_row.cells[0].merge(new_row.cells[-1])
        targets = [merged]
    for cell, content in zip(targets, cells, strict=False):
        pieces = content if isinstance(content, list) else [content]
        para(cell, *pieces, bold=bold, italic=italic, align=align, size=size)
    if header:
        tr_pr = new_row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        tr_pr.append(repeat)
        for cell in new_row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if header or unsplit:
        new_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return new_row


def row_tag(grid, text):
    """A row holding only a docxtpl row tag ({%tr … %}); docxtpl drops the row itself."""
    return row(grid, text, merge=True)


def header_row(grid, *titles, size=None):
    size = size or min(grid._profrost_size, TABLE_PT - 1)
    return row(grid, *titles, bold=True, align=CENTER, header=True, size=size)


def numbered(grid, count):
    """The row «1 2 3 …» under a table's header, as in the seed tables."""
    return row(grid, *[str(n) for n in range(1, count + 1)], align=CENTER, header=True, size=SMALL_PT)


# --- blocks shared by several documents ------------------------------------------------------


def issuer_header(document):
    """The issuing body, CAPS, bold, centred, line by line (seed 002:L5–8)."""
    tag(document, "{%p for line in issuer_lines %}")
    para(document, "{{ line }}", align=CENTER, bold=True)
    tag(document, "{%p endfor %}")


def date_and_number(document, width=PORTRAIT_TEXT_WIDTH):
    """«22» июля 2021 г. on the left, № 668/ОД on the right."""
    para(document, "{{ date_quoted }}", "\t", "№ ", "{{ number }}", tab_right=width)


def order_head(document, title_pieces):
    issuer_header(document)
    empty(document)
    para(document, ("ПРИКАЗ", {"bold": True, "spacing": 3}), align=CENTER, size=16)
    empty(document)
    date_and_number(document)
    tag(document, "{%p if place %}")
    para(document, "{{ place }}", align=CENTER)
    tag(document, "{%p endif %}")
    empty(document)
    para(document, *title_pieces, bold=True, align=CENTER, left=Mm(10), right=Mm(10))
    empty(document)


def signature(document, width=PORTRAIT_TEXT_WIDTH, *, stamp=False):
    """Position (bold, may wrap over lines) on the left, «И.О. Фамилия» on the right."""
    empty(document, 2)
    text_width = round(width.mm)
    grid = table(document, [text_width - 55, 55], borders=False, size=BODY_PT)
    new_row = row(grid, "{{ signatory_position }}", [("{{ signatory_name }}", {})], bold=False)
    position_cell, name_cell = new_row.cells
    position_cell.paragraphs[0].runs[0].bold = True
    name_cell.paragraphs[0].alignment = RIGHT
    name_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    if stamp:
        para(document, "М.П.", before=12)


def executor(document):
    """«И.О. Фамилия, 8 (342) …» in small print at the end of the last page (seed 003:L40–41)."""
    tag(document, "{%p if executor_name %}")
    empty(document, 3, size=SMALL_PT)
    para(document, "Исп.: ", "{{ executor_name }}", size=SMALL_PT)
    para(document, "{{ executor_phone }}", size=SMALL_PT)
    tag(document, "{%p endif %}")


def annex_stamp(document, label, width=LANDSCAPE_TEXT_WIDTH):
    """Top-right «Приложение N к приказу … от … № …»."""
    left = width - Mm(85)
    para(document, label, left=left)
    para(document, "к приказу ", "{{ issuer_genitive }}", left=left)
    para(document, "от ", "{{ date_numeric }}", " № ", "{{ number }}", left=left)
    empty(document)


def letterhead(document, *, addressee: bool):
    """Letter format C (seed 003:L5–24): the sender's block on the left — parent body, name,
    address, phone, e-mail, codes, «дата № …», «На № … от …» — and the addressee on the right."""
    grid = table(document, [85, 10, 70], borders=False, size=TABLE_PT)
    left, _, right = row(grid).cells
    tag(left, "{%p if issuer_parent %}")
    para(left, "{{ issuer_parent }}", align=CENTER, size=TABLE_PT)
    tag(left, "{%p endif %}")
    tag(left, "{%p for line in issuer_lines_narrow %}")
    para(left, "{{ line }}", align=CENTER, bold=True, size=TABLE_PT)
    tag(left, "{%p endfor %}")
    tag(left, "{%p for line in letterhead_lines %}")
    para(left, "{{ line }}", align=CENTER, size=SMALL_PT)
    tag(left, "{%p endfor %}")
    para(left, "", size=SMALL_PT)
    para(left, ("{{ date_numeric }}", {"underline": True}), " № ", "{{ number }}", align=CENTER, size=TABLE_PT)
    if addressee:
        para(left, "На № ", "{{ reply_number }}", " от ", "{{ reply_date }}", align=CENTER, size=TABLE_PT)
        para(right, "", size=BODY_PT)
        tag(right, "{%p for line in addressee_lines %}")
        para(right, "{{ line }}", size=BODY_PT)
        tag(right, "{%p endfor %}")
    empty(document)


# --- reproducible output ----------------------------------------------------------------------


def set_core_properties(document, name):
    properties = document.core_properties
    properties.author = "Профрост"
    properties.title = name
    properties.language = "ru-RU"
    properties.comments = "Generated by documents/template_builder.py"
    properties.revision = 1
    # A fixed timestamp keeps the committed binaries reproducible.
    stamp = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    properties.created = stamp
    properties.modified = stamp
    properties.last_modified_by = "Профрост"


def reproducible_zip(data: bytes) -> bytes:
    """The same template gives the same bytes: fixed entry timestamps, so the committed binaries
    change only when the layout does."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()
