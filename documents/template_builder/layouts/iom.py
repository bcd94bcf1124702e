"""The individual educational route (landscape plan with an approval sheet)."""

from __future__ import annotations

from ..primitives import (
    CENTER,
    JUSTIFY,
    SMALL_PT,
    TABLE_PT,
    empty,
    header_row,
    new_document,
    page_break,
    para,
    row,
    row_tag,
    table,
)


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
    para(document, "на период с ", "{{ period_from }}", " по ", "{{ period_to }}", align=CENTER)
    para(document, "Реестр ИОМ: № ", "{{ number }}", " от ", "{{ date_numeric }}", align=CENTER, after=12)

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


LAYOUTS = {
    "iom": build_iom,
}
