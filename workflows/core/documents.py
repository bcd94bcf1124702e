"""The document of the deadline machinery: DOC-7 «Уведомление о нарушении срока» (a letter) — what is
overdue, since when, on what basis, and by when it must be done. Days overdue are counted from the
due date to `as_of`. Registered in the documents registry from CoreConfig.ready: any process whose
task is overdue may issue it."""

from __future__ import annotations

from documents import samples
from documents.grammar import DAYS, Case, date_numeric, date_words, inflect_phrase, quantity
from documents.kinds import (
    LETTER_REQUIRED,
    DocumentRequisites,
    KindSpec,
    Table,
    addressee_context,
    as_date,
    is_blank,
    register,
)

DEADLINE_NOTICE_KIND = "deadline_notice"

SUBJECTS = (
    "О непредставлении сведений для мониторинга",
    "О нарушении срока выполнения мероприятия индивидуального образовательного маршрута",
    "О нарушении срока исполнения мероприятия плана («дорожной карты»)",
)


def _notice_title(data) -> str:
    return data.get("subject") or SUBJECTS[0]


def _build_deadline_notice(data: dict, requisites: DocumentRequisites) -> dict:
    as_of = as_date(data["as_of"])
    items = []
    for n, row in enumerate(data["items"], start=1):
        due = as_date(row["due"])
        items.append(
            {
                "n": n,
                "task": row["task"],
                "responsible": row.get("responsible") or "—",
                "due": date_numeric(due),
                "overdue": quantity(max((as_of - due).days, 0), DAYS),
                "status": row.get("status") or "не выполнено",
            }
        )
    return {
        **addressee_context(data),
        "as_of": date_numeric(as_of),
        "items_intro": (
            "не выполнено в установленный срок следующее мероприятие (задача)"
            if len(items) == 1
            else "не выполнены в установленный срок следующие мероприятия (задачи)"
        ),
        "items": items,
        "basis": data["basis"],
        "new_due": date_words(as_date(data["new_due"])),
        "request": data["request"],
        # «… по состоянию на 27.01.2025 в МБОУ «СШ № 7» не выполнено …»
        "violator": f" в {inflect_phrase(data['violator'], Case.PREPOSITIONAL)}"
        if not is_blank(data.get("violator"))
        else "",
    }


def _sample_deadline_notice(organization=None) -> dict:
    return {
        "addressee_position": "директор",
        "addressee_organization": "МБОУ «Средняя школа № 7»",
        "addressee_name": samples.person(5),
        "subject": SUBJECTS[0],
        "as_of": "2025-01-27",
        "violator": "МБОУ «Средняя школа № 7»",
        "items": [
            {
                "task": "Представление сведений для мониторинга системы профессионального развития "
                "педагогических работников за 2024 год",
                "responsible": "заместитель директора по УВР",
                "due": "2025-01-20",
                "status": "сведения не представлены",
            }
        ],
        "basis": "приказ управления образования от 10.12.2024 № 000/ОД «О проведении мониторинга», пункт 3",
        "new_due": "2025-02-03",
        "request": "представить сведения и пояснения о причинах нарушения срока",
        "letterhead": {"address_lines": ["ул. Примерная, д. 1,", "г. Березники, 618400"], "phone": "(3424) 00-00-00"},
        "executor": samples.EXECUTOR,
    }


DEADLINE_NOTICE_SPEC = register(
    KindSpec(
        kind=DEADLINE_NOTICE_KIND,
        label="Уведомление о нарушении срока",
        template_name="deadline_notice.docx",
        file_label="Уведомление",
        required={
            **LETTER_REQUIRED,
            "as_of": "дата, на которую выявлено нарушение",
            "basis": "основание (документ, пункт)",
            "new_due": "новый срок",
            "request": "что просим сделать",
        },
        tables={
            "items": Table("просроченные мероприятия", {"task": "мероприятие (задача)", "due": "установленный срок"})
        },
        build=_build_deadline_notice,
        sample=_sample_deadline_notice,
        title=_notice_title,
    )
)
