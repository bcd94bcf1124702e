"""Letters with an addressee: one frame, a body per kind."""

from __future__ import annotations

from docx.shared import Mm

from ..primitives import (
    CENTER,
    SMALL_PT,
    empty,
    executor,
    header_row,
    letterhead,
    new_document,
    para,
    row,
    row_tag,
    signature,
    table,
    tag,
    text_paragraph,
)


def build_letter(body, subject="{{ title }}"):
    document = new_document()
    letterhead(document, addressee=True)
    para(document, subject, bold=True, right=Mm(80))
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
    # 8 pt header, 9 pt body: at 10 pt «Значени-е в ОО» and «Ответственны-й» broke (seen in PDF)
    widths = [7, 34, 18, 19, 40, 20, 27]
    grid = table(document, widths, size=9)
    header_row(
        grid,
        "№",
        "Показатель / выявленная проблема",
        "Значение в ОО / МО",
        "Среднее по МО / региону",
        "Рекомендация",
        "Срок",
        "Ответственный",
        size=8,
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


def _rma_refusal_body(document):
    text_paragraph(
        document,
        "Сообщаем, что по результатам проверки Вашей заявки от ",
        "{{ application_date }}",
        " № ",
        "{{ application_number }}",
        " на соответствие формальным критериям включения в состав регионального методического актива ",
        "{{ territory_genitive }}",
        " на ",
        "{{ check_date }}",
        " Вы не можете быть включены в состав регионального методического актива по следующим основаниям:",
    )
    tag(document, "{%p for reason in reasons %}")
    text_paragraph(document, "{{ reason.n }}", ". ", "{{ reason.text }}", ".")
    tag(document, "{%p endfor %}")
    text_paragraph(
        document,
        "Заявка может быть подана повторно после устранения указанных оснований. Решение об отказе может "
        "быть пересмотрено муниципальным координатором регионального методического актива при наличии "
        "оснований, изложенных письменно.",
        before=6,
    )


LAYOUTS = {
    "monitoring_recommendations": lambda: build_letter(_recommendations_body),
    "deadline_notice": lambda: build_letter(_deadline_notice_body),
    "rma_refusal": lambda: build_letter(_rma_refusal_body, subject="{{ subject }}"),
}
