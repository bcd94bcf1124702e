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

HEADER_PT, BODY_PT = 8, 9


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
    # Widths and sizes where no header word breaks («Целево-е», «предыду-щий», «Динам-ика» broke at
    # 10 pt) and an indicator's row stays a few lines, so the table starts under its heading on
    # page 1 (it left half of page 1 blank) and no row is cut across pages.
    widths = [8, 45, 10, 18, 22, 24, 18, 20]
    grid = table(document, widths, size=BODY_PT)
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
        size=HEADER_PT,
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
        unsplit=True,
    )
    row_tag(grid, "{%tr endfor %}")
    empty(document)
    tag(document, "{%p for ind in indicators %}")
    text_paragraph(document, "{{ ind.narrative }}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p for chart in charts %}")
    para(document, "{{ chart.title }}", align=CENTER, bold=True, before=6, keep_next=True)
    para(document, "{{ chart.image }}", align=CENTER)
    tag(document, "{%p endfor %}")
    tag(document, "{%p if breakdown %}")
    para(document, "{{ breakdown_title }}", bold=True, before=6, after=6, keep_next=True)
    grid = table(document, [8, 40, 19, 28, 22, 20, 28], size=SMALL_PT)
    header_row(grid, "№", "{{ breakdown_unit }}", "Показатель", "Значение за отчетный период",
               "Значение за предыдущий период", "Динамика", "Статус", size=HEADER_PT)
    row_tag(grid, "{%tr for b in breakdown %}")
    row(grid, "{{ b.n }}", "{{ b.unit }}", "{{ b.code }}", "{{ b.value }}", "{{ b.previous }}", "{{ b.dynamics }}",
        "{{ b.status }}")
    row_tag(grid, "{%tr endfor %}")
    tag(document, "{%p endif %}")
    para(document, "5. Анализ результатов и факторы, влияющие на показатели", bold=True, before=6, keep_next=True)
    tag(document, "{%p for text in analysis %}")
    text_paragraph(document, "{{ text }}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p for zone in risk_zone %}")
    text_paragraph(document, "{{ zone.text }}")
    tag(document, "{%p endfor %}")
    for number, title, key in (
        (6, "Выводы", "conclusions"),
        (7, "Адресные рекомендации", "recommendations"),
    ):
        para(document, f"{number}. {title}", bold=True, before=6, keep_next=True)
        tag(document, f"{{%p for text in {key} %}}")
        text_paragraph(document, "{{ text }}")
        tag(document, "{%p endfor %}")
    para(document, "8. Меры и управленческие решения", bold=True, before=6, after=6, keep_next=True)
    tag(document, "{%p if measures %}")
    grid = table(document, [10, 95, 35, 25])
    header_row(grid, "№", "Мера (управленческое решение)", "Ответственный", "Срок")
    row_tag(grid, "{%tr for m in measures %}")
    row(grid, "{{ m.n }}", "{{ m.measure }}", "{{ m.responsible }}", "{{ m.due }}")
    row_tag(grid, "{%tr endfor %}")
    tag(document, "{%p else %}")
    text_paragraph(document, "{{ measures_note }}")
    tag(document, "{%p endif %}")
    signature(document)
    executor(document)
    return document


def build_monitoring_effectiveness():
    """«Анализ и оценка эффективности принятых мер … управленческих решений» (001:L190-200)."""
    document = new_document()
    issuer_header(document)
    empty(document)
    para(document, ("ОТЧЕТ", {"bold": True, "spacing": 1}), align=CENTER)
    para(document, "об анализе эффективности принятых мер и управленческих решений по результатам мониторинга ",
         "в ", "{{ territory_prepositional }}", " за ", "{{ period }}", align=CENTER, bold=True,
         left=Mm(10), right=Mm(10))
    empty(document)
    date_and_number(document)
    empty(document)
    para(document, "1. Основание", bold=True, keep_next=True)
    text_paragraph(document, "{{ basis }}")
    para(document, "2. Показатели до и после принятых мер", bold=True, before=6, after=6, keep_next=True)
    grid = table(document, [8, 49, 18, 26, 26, 18, 20], size=SMALL_PT)
    header_row(grid, "№", "Показатель", "Целевое значение", "До мер ({{ before_period }})",
               "После мер ({{ after_period }})", "Изменение", "Оценка", size=HEADER_PT)
    row_tag(grid, "{%tr for ind in indicators %}")
    row(grid, "{{ ind.n }}", "{{ ind.name }}", "{{ ind.target }}", "{{ ind.before }}", "{{ ind.after }}",
        "{{ ind.change }}", "{{ ind.verdict }}")
    row_tag(grid, "{%tr endfor %}")
    para(document, "3. Выполнение плана мер", bold=True, before=6, after=6, keep_next=True)
    grid = table(document, [8, 72, 30, 22, 38], size=SMALL_PT)
    header_row(grid, "№", "Мера", "Ответственный", "Срок", "Результат")
    row_tag(grid, "{%tr for m in measures %}")
    row(grid, "{{ m.n }}", "{{ m.title }} ({{ m.code }})", "{{ m.responsible }}", "{{ m.due }}", "{{ m.result }}")
    row_tag(grid, "{%tr endfor %}")
    text_paragraph(document, "Выполнено мер: ", "{{ measures_done }}", ".")
    para(document, "4. Выводы", bold=True, before=6, keep_next=True)
    tag(document, "{%p for text in conclusions %}")
    text_paragraph(document, "{{ text }}")
    tag(document, "{%p endfor %}")
    para(document, "5. Цели следующего цикла мониторинга", bold=True, before=6, keep_next=True)
    tag(document, "{%p for goal in next_goals %}")
    text_paragraph(document, "– ", "{{ goal }}", ";")
    tag(document, "{%p endfor %}")
    signature(document)
    executor(document)
    return document


LAYOUTS = {
    "monitoring_report": build_monitoring_report,
    "monitoring_effectiveness": build_monitoring_effectiveness,
}
