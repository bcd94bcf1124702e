"""The analytical report (аналитическая справка) of a monitoring cycle."""

from __future__ import annotations

from docx.shared import Mm

from ..primitives import (
    CENTER,
    SMALL_PT,
    date_and_number,
    empty,
    executor,
    header_row,
    issuer_header,
    new_document,
    para,
    row,
    row_tag,
    signature,
    table,
    tag,
    text_paragraph,
)


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


LAYOUTS = {
    "monitoring_report": build_monitoring_report,
}
