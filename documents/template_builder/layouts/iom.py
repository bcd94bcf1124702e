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

PLAN_HEADER_PT = 9
YOUNG = "Молодой педагог (до 35 лет, первые 3 года работы)"


def build_iom():
    document = new_document(landscape=True)
    para(document, "{{ issuer_name }}", align=CENTER, size=TABLE_PT, after=12)
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
    # Two label–value pairs to a row: the landscape width holds them, and the eight rows of a
    # two-column block took the room page 1 needs to start the plan (it left the foot of page 1
    # blank and began on page 2).
    grid = table(document, [60, 66, 60, 66])
    for pairs in (
        ("Фамилия, имя, отчество", "{{ teacher_name }}", "Должность", "{{ position }}"),
        ("Образовательная организация", "{{ organization }}", "Муниципальное образование", "{{ municipality }}"),
        ("Преподаваемый предмет", "{{ subject }}", "Квалификационная категория", "{{ category }}"),
        ("Педагогический стаж", "{{ experience }}", YOUNG, "{{ is_young }}"),
    ):
        row(grid, *pairs)
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
    para(document, "5. План реализации ИОМ", bold=True, before=6, after=6, keep_next=True)
    # The heading is kept with the table, whose header row repeats on every page and is never
    # split: the heading, the header and the first lines of the first activity must fit at the
    # foot of page 1, or the page is left blank there. In 9 pt, in columns where no header word
    # breaks, the header is four lines (it was seven, with «наставничеств-о», «неформально-е»).
    # «Дефицит» and «Организация» hold 9 pt words like «образовательные», «Минпросвещения» whole
    # (at 27 mm they broke); «Мероприятие», «Форма отчетности» gave the room.
    widths = [8, 31, 31, 31, 30, 31, 15, 20, 27, 28]
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
        size=PLAN_HEADER_PT,
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
