"""Справки on the issuer's letterhead: one frame, a body per kind."""

from __future__ import annotations

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


# «Дана Голубеву Максиму Юрьевичу, учителю математики МАОУ «СОШ № 7»…» — how every справка opens
# (the fields come from documents.kinds.holder_context).
HOLDER = ("Дана ", "{{ person_dative }}", ", ", "{{ position_dative }}", " ", "{{ organization_genitive }}")


def _rma_certificate_body(document):
    text_paragraph(
        document,
        *HOLDER,
        "{{ municipality_clause }}",
        ", в том, что ",
        "{{ pronoun }}",
        " ",
        "{{ included }}",
        " в состав регионального методического актива ",
        "{{ territory_genitive }}",
        " ",
        "{{ direction_clause }}",
        " на основании приказа ",
        "{{ order_issuer_genitive }}",
        " от ",
        "{{ order_date }}",
        " № ",
        "{{ order_number }}",
        " «",
        "{{ order_title }}",
        "».",
    )


def _rma_criteria_statement_body(document):
    """What the person has on the check date, criterion by criterion (only those the region
    checks), against what 003:L953 requires."""
    text_paragraph(
        document,
        *HOLDER,
        "{{ municipality_clause }}",
        ", в том, что по состоянию на ",
        "{{ on_date }}",
        " сведения о ",
        "{{ pronoun_prepositional }}",
        " (заявка в региональный методический актив ",
        "{{ territory_genitive }}",
        " № ",
        "{{ application_number }}",
        " от ",
        "{{ application_date }}",
        ") таковы:",
        after=6,
    )
    # «Квалификационная», «соответствует» whole in their columns at 11 pt (LibreOffice's PDF)
    grid = table(document, [10, 38, 40, 45, 32], size=SMALL_PT + 1)
    header_row(grid, "№ п/п", "Критерий", "Требование", "Сведения о педагоге", "Отметка")
    row_tag(grid, "{%tr for c in criteria %}")
    row(grid, "{{ c.n }}", "{{ c.title }}", "{{ c.required }}", "{{ c.actual }}", "{{ c.mark }}")
    row_tag(grid, "{%tr endfor %}")
    text_paragraph(document, "{{ conclusion }}", before=6)


def _internship_certificate_body(document):
    text_paragraph(
        document,
        *HOLDER,
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


def _site_certificate_body(document):
    text_paragraph(
        document,
        "Дана ",
        "{{ organization_dative }}",
        "{{ municipality_clause }}",
        " в том, что приказом ",
        "{{ order_issuer_genitive }}",
        " от ",
        "{{ order_date }}",
        " № ",
        "{{ order_number }}",
        " «",
        "{{ order_title }}",
        "» организации присвоен статус ",
        "{{ site_genitive }}",
        " на срок с ",
        "{{ status_from }}",
        " по ",
        "{{ status_to }}",
        ".",
    )
    text_paragraph(document, "Программы стажировки:")
    tag(document, "{%p for p in programmes %}")
    text_paragraph(document, "– ", "{{ p }}", ".")
    tag(document, "{%p endfor %}")


def _iom_completion_body(document):
    text_paragraph(
        document,
        *HOLDER,
        "{{ municipality_clause }}",
        ", в том, что ",
        "{{ pronoun }}",
        " в период с ",
        "{{ period_from }}",
        " по ",
        "{{ period_to }}",
        " ",
        "{{ completed }}",
        " индивидуальный образовательный маршрут непрерывного развития профессионального мастерства "
        "(реестр ИОМ № ",
        "{{ route_number }}",
        " от ",
        "{{ registered_on }}",
        ") по теме «",
        "{{ theme }}",
        "» общим объемом ",
        "{{ total_hours }}",
        ".",
    )
    text_paragraph(document, "Выполнено мероприятий: ", "{{ done_count }}", " из ", "{{ activity_count }}", ".")
    tag(document, "{%p for a in activities %}")
    text_paragraph(document, "{{ a.n }}", ". ", "{{ a.text }}")
    tag(document, "{%p endfor %}")
    text_paragraph(document, "Подтвержденный результат: ", "{{ result }}", before=6)
    text_paragraph(document, "Куратор ИОМ: ", "{{ curator }}", ".")


def _diagnosis_certificate_body(document):
    """«Подготовка аналитических материалов (справки) о результатах диагностических процедур, о
    выявленных профессиональных дефицитах» (003:L1494): the results by area, the deficits, and the
    catalogue's programmes for the areas with deficits."""
    text_paragraph(
        document,
        *HOLDER,
        ", ",
        "{{ municipality }}",
        ", в том, что ",
        "{{ pronoun }}",
        " ",
        "{{ diagnosed_on }}",
        " ",
        "{{ passed }}",
        " диагностику профессиональных компетенций в ",
        "{{ diagnosed_by_prepositional }}",
        " (диагностический инструментарий: ",
        "{{ instrument }}",
        ").",
    )
    text_paragraph(document, "Результаты диагностики по областям компетенций:", before=6)
    grid = table(document, [62, 28, 75])
    header_row(grid, "Область компетенций", "Результат, %", "Выявленные профессиональные дефициты")
    row_tag(grid, "{%tr for a in areas %}")
    row(grid, "{{ a.label }}", "{{ a.score }}", "{{ a.deficits }}")
    row_tag(grid, "{%tr endfor %}")
    tag(document, "{%p if programmes %}")
    text_paragraph(
        document,
        "Для устранения выявленных дефицитов рекомендуются дополнительные профессиональные программы "
        "из каталога ДПП региона:",
        before=6,
    )
    tag(document, "{%p for p in programmes %}")
    text_paragraph(document, "{{ p.n }}", ". ", "{{ p.text }}", ".")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if not deficits_found %}")
    text_paragraph(document, "Профессиональных дефицитов по результатам диагностики не выявлено.", before=6)
    tag(document, "{%p endif %}")
    text_paragraph(
        document,
        "Результаты диагностики используются при построении индивидуального образовательного маршрута "
        "до ",
        "{{ valid_until }}",
        ".",
        size=SMALL_PT,
        before=6,
    )


LAYOUTS = {
    "iom_completion_certificate": lambda: build_certificate(_iom_completion_body),
    "rma_certificate": lambda: build_certificate(_rma_certificate_body),
    "rma_criteria_statement": lambda: build_certificate(_rma_criteria_statement_body),
    "internship_certificate": lambda: build_certificate(_internship_certificate_body),
    "internship_site_certificate": lambda: build_certificate(_site_certificate_body),
    "diagnosis_certificate": lambda: build_certificate(_diagnosis_certificate_body),
}
