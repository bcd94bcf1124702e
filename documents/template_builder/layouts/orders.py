"""Приказы with an annex table: the list of a methodical asset, the list of internship sites."""

from __future__ import annotations

from ..primitives import (
    CENTER,
    LEFT,
    SMALL_PT,
    add_section,
    annex_stamp,
    header_row,
    new_document,
    numbered,
    order_head,
    para,
    row,
    row_tag,
    signature,
    table,
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


LAYOUTS = {
    "rma_list_order": build_rma_list_order,
    "internship_sites_order": build_internship_sites_order,
}
