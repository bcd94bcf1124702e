"""Приказы with an annex table: the list of a methodical asset, the list of internship sites; the
protocol of the commission that selects the sites (its results table is the annex's basis); the
приказ on one site's status (no annex)."""

from __future__ import annotations

from docx.shared import Mm

from ..primitives import (
    CENTER,
    LANDSCAPE_TEXT_WIDTH,
    LEFT,
    SMALL_PT,
    add_section,
    annex_stamp,
    empty,
    header_row,
    issuer_header,
    new_document,
    numbered,
    order_head,
    para,
    row,
    row_tag,
    signature,
    table,
    tag,
    text_paragraph,
)


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
    # Each header's longest word fits its column at the table's size («Квалификационная»,
    # «специальности» broke mid-word in 34 and 26 mm, still in 39 and 30).
    widths = [10, 45, 42, 44, 40, 33, 38]
    grid = table(document, widths)
    header_row(
        grid,
        "№ п/п",
        "Фамилия, имя, отчество",
        "Должность",
        "Образовательная организация",
        "Квалификационная категория",
        "Стаж работы по специальности, лет",
        "Результат диагностики, %: предметные / методические компетенции; дата",
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
    order_head(document, ["Об утверждении перечня ", "{{ sites_genitive }}", " на ", "{{ period }}", " годы"])
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
        "1. Присвоить статус ",
        "{{ site_genitive }}",
        " образовательным организациям согласно приложению к настоящему приказу.",
    )
    text_paragraph(
        document, "2. Утвердить перечень ", "{{ sites_genitive }}", " на ", "{{ period }}", " годы (приложение)."
    )
    text_paragraph(
        document,
        "3. Руководителям площадок обеспечить разработку и реализацию индивидуальных "
        "и групповых программ стажировки и представление отчета о деятельности площадки в срок до ",
        "{{ report_due }}",
    )
    text_paragraph(
        document,
        "4. ",
        "{{ methodical_center_dative }}",
        " внести сведения о площадках в реестр региональных инновационных и стажировочных площадок.",
    )
    text_paragraph(document, "5. Контроль за исполнением настоящего приказа ", "{{ control_clause }}", ".")
    signature(document)

    add_section(document, landscape=True)
    annex_stamp(document, "Приложение")
    para(
        document,
        "Перечень ",
        "{{ sites_genitive }}",
        " на ",
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


def build_internship_commission_protocol():
    """The protocol of the expert commission of a selection of sites: who sat, what was
    considered, the results by rating with the decision and its reason for each organization."""
    document = new_document()
    issuer_header(document)
    empty(document)
    para(document, ("ПРОТОКОЛ № ", {"bold": True}), ("{{ number }}", {"bold": True}), align=CENTER, size=14)
    para(
        document,
        "заседания экспертной комиссии по отбору ",
        "{{ sites_genitive }}",
        bold=True,
        align=CENTER,
        left=Mm(10),
        right=Mm(10),
    )
    empty(document)
    para(document, "{{ date_quoted }}", after=6)
    para(document, "Присутствовали:", bold=True)
    tag(document, "{%p for m in members %}")
    para(document, "{{ m }}", left=Mm(10))
    tag(document, "{%p endfor %}")
    empty(document)
    para(document, "Повестка:", bold=True)
    text_paragraph(
        document,
        "Об итогах экспертизы заявок образовательных организаций на присвоение статуса ",
        "{{ site_genitive }}",
        " (отбор «",
        "{{ call_title }}",
        "»).",
    )
    para(document, "Слушали:", bold=True, before=6)
    text_paragraph(
        document,
        "Председателя комиссии о результатах экспертизы. Подано заявок: ",
        "{{ applications_total }}",
        ", экспертиза завершена: ",
        "{{ reviewed_total }}",
        ". Заявки оценены экспертами по критериям:",
    )
    tag(document, "{%p for c in criteria %}")
    para(document, "– ", "{{ c }}", left=Mm(10))
    tag(document, "{%p endfor %}")
    text_paragraph(
        document,
        "Рейтинг заявки – взвешенная средняя оценка экспертов по 100-балльной шкале; проходной балл – ",
        "{{ pass_threshold }}",
        ".",
    )
    para(document, "Результаты экспертизы:", bold=True, before=6, after=6)
    widths = [10, 44, 34, 20, 35, 37]
    grid = table(document, widths)
    header_row(
        grid,
        "№ п/п",
        "Образовательная организация",
        "Муниципальное образование",
        "Рейтинг (из 100)",
        "Решение комиссии",
        "Основание (причина)",
    )
    row_tag(grid, "{%tr for r in results %}")
    row(
        grid,
        "{{ r.n }}",
        "{{ r.organization }}",
        "{{ r.municipality }}",
        "{{ r.rating }}",
        "{{ r.decision }}",
        "{{ r.reason }}",
    )
    row_tag(grid, "{%tr endfor %}")
    para(document, "Решили:", bold=True, before=6)
    text_paragraph(
        document,
        "1. Рекомендовать присвоить статус ",
        "{{ site_genitive }}",
        " образовательным организациям, получившим решение «рекомендовать» (",
        "{{ selected_total }}",
        ").",
    )
    text_paragraph(
        document,
        "2. Не рекомендовать присвоение статуса остальным организациям по основаниям, указанным в таблице.",
    )
    text_paragraph(document, "3. Направить протокол в министерство для подготовки приказа.")
    signature(document)
    return document


def build_rma_assessment_protocol():
    """The ведомость результатов оценки of the candidates for the РМА assessed on a date or in a
    period, issued by ЦОПМКП: landscape, one row per candidate, the pass marks that applied, the
    result and the totals."""
    document = new_document(landscape=True)
    issuer_header(document)
    empty(document)
    para(document, ("ВЕДОМОСТЬ № ", {"bold": True}), ("{{ number }}", {"bold": True}), align=CENTER, size=14)
    para(
        document,
        "результатов оценки предметных и методических компетенций кандидатов в региональный "
        "методический актив ",
        "{{ territory_genitive }}",
        bold=True,
        align=CENTER,
        left=Mm(20),
        right=Mm(20),
    )
    empty(document)
    para(document, "{{ date_quoted }}", "\t", "Дата (период) оценки: ", "{{ period }}", tab_right=LANDSCAPE_TEXT_WIDTH)
    empty(document)
    # Each header's longest word («Муниципальное», «(направление)», «Методические») fits its
    # column at 9 pt, a date at 10 pt (checked in LibreOffice's PDF).
    widths = [9, 36, 34, 28, 27, 20, 25, 27, 27, 19]
    grid = table(document, widths, size=SMALL_PT)
    header_row(
        grid,
        "№ п/п",
        "Фамилия, имя, отчество",
        "Образовательная организация",
        "Муниципальное образование",
        "Предмет (направление)",
        "Дата оценки",
        "Предметные компетенции, %",
        "Методические компетенции, %",
        "Проходной балл, %: предметные / методические",
        "Результат",
        size=SMALL_PT - 1,
    )
    numbered(grid, len(widths))
    row_tag(grid, "{%tr for c in candidates %}")
    row(
        grid,
        "{{ c.n }}",
        "{{ c.name }}",
        "{{ c.organization }}",
        "{{ c.municipality }}",
        "{{ c.subjects }}",
        "{{ c.date }}",
        "{{ c.subject_score }}",
        "{{ c.methodical_score }}",
        "{{ c.pass_marks }}",
        "{{ c.result }}",
    )
    row_tag(grid, "{%tr endfor %}")
    para(document, "{{ total_line }}", before=6)
    signature(document, LANDSCAPE_TEXT_WIDTH)
    return document


def build_internship_site_status_order():
    """A приказ on one site's status (renewal, probation, its lifting, revocation): the heading and
    the points are worded by the process (workflows/internships/documents.py), the basis after them."""
    document = new_document()
    order_head(document, ["{{ heading }}"])
    text_paragraph(
        document,
        "В соответствии с ",
        "{{ regulation }}",
        ", по представлению ",
        "{{ proposer_genitive }}",
        " ",
        ("приказываю:", {"bold": True}),
    )
    tag(document, "{%p for p in points %}")
    text_paragraph(document, "{{ p.n }}. ", "{{ p.text }}")
    tag(document, "{%p endfor %}")
    text_paragraph(document, "Основание: ", "{{ reason }}", ".")
    signature(document)
    return document


LAYOUTS = {
    "internship_site_status_order": build_internship_site_status_order,
    "rma_list_order": build_rma_list_order,
    "rma_assessment_protocol": build_rma_assessment_protocol,
    "internship_sites_order": build_internship_sites_order,
    "internship_commission_protocol": build_internship_commission_protocol,
}
