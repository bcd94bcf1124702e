"""The приказ «О принятии управленческих решений по результатам мониторинга» (001:L185-187), its
annex the plan of measures."""

from __future__ import annotations

from ..primitives import (
    CENTER,
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
    tag,
    text_paragraph,
)


def build_monitoring_decisions_order():
    document = new_document()
    order_head(
        document,
        ["О принятии управленческих решений по результатам мониторинга ", "{{ subject }}", " за ", "{{ period }}"],
    )
    text_paragraph(
        document,
        "По результатам мониторинга ",
        "{{ subject }}",
        " в ",
        "{{ territory_prepositional }}",
        " за ",
        "{{ period }}",
        "{{ report_ref }}",
        ", в целях достижения целевых значений показателей ",
        ("приказываю:", {"bold": True}),
    )
    text_paragraph(document, "1. Утвердить план мер по результатам мониторинга (приложение).")
    text_paragraph(document, "2. Ответственным исполнителям обеспечить выполнение мер в установленные сроки "
                   "и представить информацию о результатах.")
    tag(document, "{%p for d in decisions %}")
    text_paragraph(document, "{{ d.n }}. ", "{{ d.text }}")
    tag(document, "{%p endfor %}")
    text_paragraph(document, "{{ control_n }}. Контроль за исполнением настоящего приказа ", "{{ control_clause }}",
                   ".")
    signature(document)

    add_section(document, landscape=True)
    annex_stamp(document, "Приложение")
    para(document, "План мер по результатам мониторинга ", "{{ subject }}", " за ", "{{ period }}", bold=True,
         align=CENTER, after=6)
    widths = [12, 100, 40, 60, 35]
    grid = table(document, widths)
    header_row(grid, "№ п/п", "Мера (мероприятие, управленческое решение)", "Показатель",
               "Ответственный исполнитель", "Срок исполнения")
    numbered(grid, len(widths))
    row_tag(grid, "{%tr for m in measures %}")
    row(grid, "{{ m.n }}", "{{ m.title }}", "{{ m.indicator }}", "{{ m.responsible }}", "{{ m.due }}")
    row_tag(grid, "{%tr endfor %}")
    return document


LAYOUTS = {"monitoring_decisions_order": build_monitoring_decisions_order}
