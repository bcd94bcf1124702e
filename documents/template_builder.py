"""Builds the shipped .docx templates in documents/templates/ with python-docx.

    python -m documents.template_builder        # rewrites every template
    python -m documents.template_builder iom    # one kind

The .docx files are committed; this script is how they were made, so a change of layout is a
reviewable diff here rather than an opaque binary. An administrator may instead upload a version
edited in Word or LibreOffice (see services.template_upload); it keeps the same placeholders.

Layout follows Russian official documents (ГОСТ Р 7.0.97-2016 practice): A4, margins 30 mm left,
15 mm right, 20 mm top and bottom, Times New Roman 14 pt, single spacing, paragraph indent
1.25 cm, justified text; tables in 12 pt (10 pt where they are wide); page numbers at the top
centre from the second page. Placeholders are docxtpl (Jinja2) tags, each in a run of its own:
`{{ … }}` for text, `{%p … %}` for paragraph loops and conditions, `{%tr … %}` for table rows.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

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


def row(grid, *cells, bold=False, italic=False, align=LEFT, merge=False, header=False, size=None):
    """Append a row. A cell is a string or a list of pieces; `merge` spans one cell across."""
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
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)
        for cell in new_row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
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


# --- the seven documents -----------------------------------------------------------------------


def build_rma_list_order():
    document = new_document()
    order_head(
        document,
        [
            "Об утверждении списка регионального методического актива ",
            "{{ territory_genitive }}",
            " на ",
            "{{ academic_year }}",
            " учебный год",
        ],
    )
    text_paragraph(
        document,
        "В соответствии с ",
        "{{ basis }}",
        ", в целях формирования и организации деятельности регионального методического актива, "
        "на основании результатов диагностики профессиональных компетенций педагогических работников ",
        ("приказываю:", {"bold": True}),
    )
    text_paragraph(
        document,
        "1. Утвердить прилагаемый список регионального методического актива ",
        "{{ territory_genitive }}",
        " (далее – РМА) (приложение 1).",
    )
    text_paragraph(document, "2. Утвердить муниципальных координаторов РМА (приложение 2).")
    text_paragraph(
        document,
        "3. ",
        "{{ methodical_center_dative }}",
        " обеспечить методическое сопровождение деятельности РМА и ведение реестра РМА.",
    )
    text_paragraph(
        document,
        "4. Рекомендовать руководителям органов местного самоуправления, осуществляющих управление "
        "в сфере образования, и руководителям образовательных организаций создать условия для "
        "участия членов РМА в мероприятиях по научно-методическому сопровождению педагогических "
        "работников.",
    )
    text_paragraph(document, "5. Контроль за исполнением настоящего приказа ", "{{ control_clause }}", ".")
    signature(document)

    add_section(document, landscape=True)
    annex_stamp(document, "Приложение 1")
    para(
        document,
        "Список регионального методического актива ",
        "{{ territory_genitive }}",
        " на ",
        "{{ academic_year }}",
        " учебный год",
        bold=True,
        align=CENTER,
        after=6,
    )
    widths = [12, 54, 50, 47, 34, 26, 29]
    grid = table(document, widths)
    header_row(
        grid,
        "№ п/п",
        "Фамилия, имя, отчество",
        "Должность",
        "Образовательная организация",
        "Квалификационная категория",
        "Стаж работы по специальности, лет",
        "Результат диагностики (%, дата)",
    )
    numbered(grid, len(widths))
    row_tag(grid, "{%tr for group in member_groups %}")
    row(grid, "{{ group.municipality }}", merge=True, bold=True, align=CENTER)
    row_tag(grid, "{%tr for block in group.subjects %}")
    row(grid, "{{ block.subject }}", merge=True, italic=True, align=LEFT)
    row_tag(grid, "{%tr for m in block.members %}")
    row(
        grid,
        "{{ m.n }}",
        "{{ m.name }}",
        "{{ m.position }}",
        "{{ m.organization }}",
        "{{ m.category }}",
        "{{ m.experience }}",
        "{{ m.diagnosis }}",
    )
    row_tag(grid, "{%tr endfor %}")
    row_tag(grid, "{%tr endfor %}")
    row_tag(grid, "{%tr endfor %}")
    para(document, "Всего членов РМА: ", "{{ members_total }}", before=6)

    add_section(document, landscape=True)
    annex_stamp(document, "Приложение 2")
    para(document, "Муниципальные координаторы регионального методического актива", bold=True, align=CENTER, after=6)
    widths = [12, 62, 62, 70, 46]
    grid = table(document, widths)
    header_row(
        grid, "№ п/п", "Муниципальное образование", "ФИО координатора", "Должность, организация", "Контактный телефон"
    )
    row_tag(grid, "{%tr for c in coordinators %}")
    row(grid, "{{ c.n }}", "{{ c.municipality }}", "{{ c.name }}", "{{ c.position }}", "{{ c.phone }}")
    row_tag(grid, "{%tr endfor %}")
    return document


def build_internship_sites_order():
    document = new_document()
    order_head(document, ["Об утверждении перечня региональных стажировочных площадок на ", "{{ period }}", " годы"])
    text_paragraph(
        document,
        "В соответствии с ",
        "{{ regulation }}",
        ", на основании решения экспертной комиссии (протокол от ",
        "{{ protocol_date }}",
        " № ",
        "{{ protocol_number }}",
        ") ",
        ("приказываю:", {"bold": True}),
    )
    text_paragraph(
        document,
        "1. Присвоить статус региональной стажировочной площадки образовательным "
        "организациям согласно приложению к настоящему приказу.",
    )
    text_paragraph(
        document, "2. Утвердить перечень региональных стажировочных площадок на ", "{{ period }}", " годы (приложение)."
    )
    text_paragraph(
        document,
        "3. Руководителям стажировочных площадок обеспечить разработку и реализацию индивидуальных "
        "и групповых программ стажировки и представление отчета о деятельности площадки в срок до ",
        "{{ report_due }}",
    )
    text_paragraph(
        document,
        "4. ",
        "{{ methodical_center_dative }}",
        " внести сведения о стажировочных площадках в реестр региональных инновационных и стажировочных площадок.",
    )
    text_paragraph(document, "5. Контроль за исполнением настоящего приказа ", "{{ control_clause }}", ".")
    signature(document)

    add_section(document, landscape=True)
    annex_stamp(document, "Приложение")
    para(
        document,
        "Перечень региональных стажировочных площадок на ",
        "{{ period }}",
        " годы",
        bold=True,
        align=CENTER,
        after=6,
    )
    widths = [10, 36, 36, 38, 28, 24, 14, 30, 36]
    grid = table(document, widths, size=SMALL_PT + 1)
    header_row(
        grid,
        "№ п/п",
        "Наименование образовательной организации",
        "Муниципальное образование",
        "Тема (направление) стажировки",
        "Целевая категория педагогов",
        "Формат (индивидуальная/ групповая)",
        "Объем, часов",
        "Срок присвоения статуса",
        "Куратор площадки",
    )
    numbered(grid, len(widths))
    row_tag(grid, "{%tr for s in sites %}")
    row(
        grid,
        "{{ s.n }}",
        "{{ s.organization }}",
        "{{ s.municipality }}",
        "{{ s.theme }}",
        "{{ s.target_group }}",
        "{{ s.format }}",
        "{{ s.hours }}",
        "{{ s.term }}",
        "{{ s.curator }}",
    )
    row_tag(grid, "{%tr endfor %}")
    return document


def build_iom():
    document = new_document(landscape=True)
    para(document, "{{ issuer_name }}", align=CENTER, size=TABLE_PT)
    empty(document)
    para(document, "ИНДИВИДУАЛЬНЫЙ ОБРАЗОВАТЕЛЬНЫЙ МАРШРУТ", bold=True, align=CENTER)
    para(
        document,
        "непрерывного развития профессионального мастерства педагогического работника",
        bold=True,
        align=CENTER,
    )
    para(document, "на период с ", "{{ period_from }}", " по ", "{{ period_to }}", align=CENTER, after=12)

    para(document, "1. Сведения о педагогическом работнике", bold=True, after=6, keep_next=True)
    grid = table(document, [90, 162])
    for label, value in (
        ("Фамилия, имя, отчество", "{{ teacher_name }}"),
        ("Должность", "{{ position }}"),
        ("Преподаваемый предмет", "{{ subject }}"),
        ("Образовательная организация", "{{ organization }}"),
        ("Муниципальное образование", "{{ municipality }}"),
        ("Квалификационная категория", "{{ category }}"),
        ("Педагогический стаж", "{{ experience }}"),
        ("Молодой педагог (до 35 лет, первые 3 года работы)", "{{ is_young }}"),
    ):
        row(grid, label, value)
    para(
        document, "2. Результаты диагностики профессиональных дефицитов", bold=True, before=12, after=6, keep_next=True
    )
    para(document, "Дата диагностики: ", "{{ diagnosis_date }}")
    para(document, "Организация, проводившая диагностику: ", "{{ diagnosis_organization }}", after=6)
    grid = table(document, [90, 40, 122])
    header_row(grid, "Компетенция", "Результат, %", "Выявленный дефицит")
    row_tag(grid, "{%tr for c in competences %}")
    row(grid, "{{ c.competence }}", "{{ c.score }}", "{{ c.deficit }}")
    row_tag(grid, "{%tr endfor %}")
    para(document, ("3. Цель ИОМ: ", {"bold": True}), "{{ goal }}", before=12, align=JUSTIFY)
    para(document, ("4. Планируемые результаты: ", {"bold": True}), "{{ planned_results }}", before=6, align=JUSTIFY)
    para(document, "5. План реализации ИОМ", bold=True, before=12, after=6, keep_next=True)
    widths = [9, 28, 40, 28, 26, 28, 15, 22, 28, 28]
    grid = table(document, widths, size=SMALL_PT)
    header_row(
        grid,
        "№",
        "Дефицит (задача)",
        "Мероприятие / образовательный модуль",
        "Форма (курсы ПК, стажировка, наставничество…)",
        "Вид образования (формальное/ неформальное/ информальное)",
        "Организация / ресурс",
        "Объем, часов",
        "Срок",
        "Форма отчетности (продукт)",
        "Отметка о выполнении",
    )
    row_tag(grid, "{%tr for i in items %}")
    row(
        grid,
        "{{ i.n }}",
        "{{ i.deficit }}",
        "{{ i.activity }}",
        "{{ i.form }}",
        "{{ i.edu_type }}",
        "{{ i.provider }}",
        "{{ i.hours }}",
        "{{ i.due }}",
        "{{ i.report_form }}",
        "{{ i.done }}",
    )
    row_tag(grid, "{%tr endfor %}")
    para(document, "Общий объем: ", "{{ total_hours }}", before=6)
    para(document, "Тьютор / региональный методист (куратор ИОМ): ", "{{ tutor }}", before=6)

    page_break(document)
    para(document, "ЛИСТ СОГЛАСОВАНИЯ ИОМ", bold=True, align=CENTER)
    para(document, "{{ teacher_name }}", align=CENTER, after=12)
    widths = [62, 48, 38, 52, 26, 26]
    grid = table(document, widths)
    header_row(grid, "Должность", "ФИО", "Решение (согласовано / на доработку)", "Замечания", "Подпись", "Дата")
    row_tag(grid, "{%tr for a in approvals %}")
    row(grid, "{{ a.role }}", "{{ a.name }}", "{{ a.decision }}", "{{ a.comment }}", "", "{{ a.date }}")
    row_tag(grid, "{%tr endfor %}")
    empty(document, 2)
    para(document, ("УТВЕРЖДАЮ:", {"bold": True}))
    para(document, "{{ approver_position }}", " ______________ ", "{{ signatory_name }}")
    para(document, "«___» ____________ 20___ г.")
    return document


def build_certificate(body):
    document = new_document()
    letterhead(document, addressee=False)
    empty(document)
    para(document, ("СПРАВКА", {"bold": True, "spacing": 2}), align=CENTER, size=16, after=12)
    body(document)
    text_paragraph(document, "Справка выдана для предъявления по месту требования.", before=6)
    signature(document, stamp=True)
    executor(document)
    return document


def _rma_certificate_body(document):
    text_paragraph(
        document,
        "Дана ",
        "{{ person_dative }}",
        ", ",
        "{{ position_dative }}",
        " ",
        "{{ organization_genitive }}",
        ", ",
        "{{ municipality }}",
        ", в том, что ",
        "{{ pronoun }}",
        " ",
        "{{ included }}",
        " в состав регионального методического актива ",
        "{{ territory_genitive }}",
        " по направлению «",
        "{{ direction }}",
        "» на основании приказа ",
        "{{ order_issuer_genitive }}",
        " от ",
        "{{ order_date }}",
        " № ",
        "{{ order_number }}",
        " «",
        "{{ order_title }}",
        "».",
    )


def _internship_certificate_body(document):
    text_paragraph(
        document,
        "Дана ",
        "{{ person_dative }}",
        ", ",
        "{{ position_dative }}",
        " ",
        "{{ organization_genitive }}",
        ", в том, что ",
        "{{ pronoun }}",
        " в период с ",
        "{{ date_from }}",
        " по ",
        "{{ date_to }}",
        " ",
        "{{ passed }}",
        " стажировку на базе стажировочной площадки ",
        "{{ site_genitive }}",
        " по программе «",
        "{{ program }}",
        "» в объеме ",
        "{{ hours }}",
        ".",
    )
    text_paragraph(document, "Форма стажировки: ", "{{ format }}", ".")
    text_paragraph(document, "Результат стажировки: ", "{{ result }}", ".")


def build_monitoring_report():
    document = new_document()
    issuer_header(document)
    empty(document)
    para(document, ("АНАЛИТИЧЕСКАЯ СПРАВКА", {"bold": True, "spacing": 1}), align=CENTER)
    para(
        document,
        "по итогам мониторинга ",
        "{{ subject }}",
        " в ",
        "{{ territory_prepositional }}",
        " за ",
        "{{ period }}",
        align=CENTER,
        bold=True,
        left=Mm(10),
        right=Mm(10),
    )
    empty(document)
    date_and_number(document)
    empty(document)
    para(document, "1. Общие сведения", bold=True, keep_next=True)
    text_paragraph(document, "Основание проведения мониторинга: ", "{{ basis }}", ".")
    text_paragraph(document, "Сроки проведения: с ", "{{ date_from }}", " по ", "{{ date_to }}", ".")
    text_paragraph(document, "Количество образовательных организаций, представивших данные: ", "{{ orgs_text }}", ".")
    text_paragraph(document, "Численность педагогических работников: ", "{{ teachers_count }}", ".")
    para(document, "2. Цели мониторинга", bold=True, before=6, keep_next=True)
    tag(document, "{%p for goal in goals %}")
    text_paragraph(document, "– ", "{{ goal }}", ";")
    tag(document, "{%p endfor %}")
    para(document, "3. Показатели, методы сбора и обработки информации", bold=True, before=6, keep_next=True)
    text_paragraph(document, "Источники информации: ", "{{ sources }}", ". Показатели мониторинга:")
    tag(document, "{%p for ind in indicators %}")
    text_paragraph(document, "{{ ind.label }}", ";")
    tag(document, "{%p endfor %}")
    para(document, "4. Результаты мониторинга", bold=True, before=6, after=6, keep_next=True)
    widths = [8, 44, 12, 16, 18, 30, 15, 22]
    grid = table(document, widths, size=SMALL_PT)
    header_row(
        grid,
        "№",
        "Показатель",
        "Ед. изм.",
        "Целевое значение",
        "Значение за предыдущий период",
        "Значение за отчетный период",
        "Динамика (+/–)",
        "Статус",
    )
    row_tag(grid, "{%tr for ind in indicators %}")
    row(
        grid,
        "{{ ind.n }}",
        "{{ ind.name }}",
        "{{ ind.unit }}",
        "{{ ind.target }}",
        "{{ ind.previous }}",
        "{{ ind.value }}",
        "{{ ind.dynamics }}",
        "{{ ind.status }}",
    )
    row_tag(grid, "{%tr endfor %}")
    empty(document)
    tag(document, "{%p for ind in indicators %}")
    text_paragraph(document, "{{ ind.narrative }}")
    tag(document, "{%p endfor %}")
    for number, title, key in (
        (5, "Анализ результатов и факторы, влияющие на показатели", "analysis"),
        (6, "Выводы", "conclusions"),
        (7, "Адресные рекомендации", "recommendations"),
    ):
        para(document, f"{number}. {title}", bold=True, before=6, keep_next=True)
        tag(document, f"{{%p for text in {key} %}}")
        text_paragraph(document, "{{ text }}")
        tag(document, "{%p endfor %}")
    para(document, "8. Меры и управленческие решения", bold=True, before=6, after=6, keep_next=True)
    grid = table(document, [10, 95, 35, 25])
    header_row(grid, "№", "Мера (управленческое решение)", "Ответственный", "Срок")
    row_tag(grid, "{%tr for m in measures %}")
    row(grid, "{{ m.n }}", "{{ m.measure }}", "{{ m.responsible }}", "{{ m.due }}")
    row_tag(grid, "{%tr endfor %}")
    signature(document)
    executor(document)
    return document


def build_letter(body):
    document = new_document()
    letterhead(document, addressee=True)
    para(document, "{{ title }}", bold=True, right=Mm(80))
    empty(document)
    para(document, "{{ salutation }}", align=CENTER, after=6)
    body(document)
    signature(document)
    executor(document)
    return document


def _recommendations_body(document):
    text_paragraph(
        document,
        "По итогам мониторинга за ",
        "{{ period }}",
        " (аналитическая справка от ",
        "{{ report_date }}",
        " № ",
        "{{ report_number }}",
        ") направляем адресные рекомендации:",
        after=6,
    )
    widths = [7, 30, 18, 19, 42, 21, 28]
    grid = table(document, widths, size=SMALL_PT)
    header_row(
        grid,
        "№",
        "Показатель / выявленная проблема",
        "Значение в ОО / МО",
        "Среднее по МО / региону",
        "Рекомендация",
        "Срок",
        "Ответственный",
    )
    row_tag(grid, "{%tr for r in items %}")
    row(
        grid,
        "{{ r.n }}",
        "{{ r.problem }}",
        "{{ r.value }}",
        "{{ r.benchmark }}",
        "{{ r.recommendation }}",
        "{{ r.due }}",
        "{{ r.responsible }}",
    )
    row_tag(grid, "{%tr endfor %}")
    text_paragraph(
        document,
        "Информацию о принятых мерах просим направить в срок до ",
        "{{ reply_due }}",
        " на адрес ",
        "{{ reply_email }}",
        ".",
        before=6,
    )


def _deadline_notice_body(document):
    text_paragraph(
        document,
        "Информируем, что по состоянию на ",
        "{{ as_of }}",
        "{{ violator }}",
        " ",
        "{{ items_intro }}",
        ":",
        after=6,
    )
    widths = [8, 44, 32, 30, 24, 27]
    grid = table(document, widths, size=SMALL_PT)
    header_row(grid, "№", "Мероприятие (задача)", "Ответственный", "Установленный срок", "Просрочка", "Текущий статус")
    row_tag(grid, "{%tr for i in items %}")
    row(grid, "{{ i.n }}", "{{ i.task }}", "{{ i.responsible }}", "{{ i.due }}", "{{ i.overdue }}", "{{ i.status }}")
    row_tag(grid, "{%tr endfor %}")
    text_paragraph(document, "Основание: ", "{{ basis }}", ".", before=6)
    text_paragraph(document, "Просим в срок до ", "{{ new_due }}", " ", "{{ request }}", ".")


BUILDERS = {
    "rma_list_order": build_rma_list_order,
    "internship_sites_order": build_internship_sites_order,
    "iom": build_iom,
    "rma_certificate": lambda: build_certificate(_rma_certificate_body),
    "internship_certificate": lambda: build_certificate(_internship_certificate_body),
    "monitoring_report": build_monitoring_report,
    "monitoring_recommendations": lambda: build_letter(_recommendations_body),
    "deadline_notice": lambda: build_letter(_deadline_notice_body),
}


def _set_core_properties(document, name):
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


def build(kind: str, directory: Path = TEMPLATES_DIR) -> Path:
    document = BUILDERS[kind]()
    _set_core_properties(document, kind)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{kind}.docx"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_reproducible_zip(buffer.getvalue()))
    return path


def _reproducible_zip(data: bytes) -> bytes:
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


def main(argv=None):
    kinds = (argv if argv is not None else sys.argv[1:]) or list(BUILDERS)
    for kind in kinds:
        print(build(kind))


if __name__ == "__main__":
    main()
