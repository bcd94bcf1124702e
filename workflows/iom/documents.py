"""Documents of individual educational routes (issue 13): DOC-3 «Индивидуальный образовательный
маршрут» with its «Лист согласования ИОМ». The ИОМ carries no register number; the director
approves it («УТВЕРЖДАЮ») — the signatory. The process itself is built later on the kit; its kind
is registered now, so that the documents app names no process."""

from __future__ import annotations

from documents import samples
from documents.grammar import HOURS, date_numeric, quantity
from documents.kinds import (
    DocumentRequisites,
    KindSpec,
    Table,
    as_date,
    capitalize,
    category_label,
    decimal_ru,
    is_blank,
    name_of,
    register,
)

IOM_KIND = "iom"


def _iom_title(data) -> str:
    return f"Индивидуальный образовательный маршрут: {name_of(data['teacher']).full()}"


def _yes_no(value) -> str:
    return "да" if value in (True, "да", "yes", 1, "1", "true") else "нет"


def _build_iom(data: dict, requisites: DocumentRequisites) -> dict:
    items = []
    total = 0
    for n, item in enumerate(data["items"], start=1):
        hours = int(item["hours"])
        total += hours
        done = item.get("done_on")
        items.append(
            {
                "n": n,
                "deficit": item["deficit"],
                "activity": item["activity"],
                "form": item["form"],
                "edu_type": item.get("edu_type") or "—",
                "provider": item.get("provider") or "—",
                "hours": str(hours),
                "due": date_numeric(as_date(item["due"])),
                "report_form": item.get("report_form") or "—",
                "done": f"выполнено {date_numeric(as_date(done))}" if not is_blank(done) else "",
            }
        )
    competences = [
        {
            "competence": row["competence"],
            "score": decimal_ru(row["score"]),
            "deficit": row.get("deficit") or "не выявлен",
        }
        for row in data["competences"]
    ]
    approvals = [
        {
            "role": row["role"],
            "name": name_of(row["name"]).surname_initials() if not isinstance(row["name"], str) else row["name"],
            "decision": row.get("decision") or "",
            "comment": row.get("comment") or "",
            "date": date_numeric(as_date(row["date"])) if not is_blank(row.get("date")) else "",
        }
        for row in data["approvals"]
    ]
    tutor = data["tutor"]
    return {
        "teacher_name": name_of(data["teacher"]).full(),
        "position": capitalize(data["position"]),
        "subject": data["subject"],
        "organization": data["organization"],
        "municipality": data["municipality"],
        "category": capitalize(category_label(data["category"])),
        "experience": quantity(int(data["experience_years"]), ("год", "года", "лет")),
        "is_young": _yes_no(data.get("is_young")),
        "period_from": date_numeric(as_date(data["period_from"])),
        "period_to": date_numeric(as_date(data["period_to"])),
        "diagnosis_date": date_numeric(as_date(data["diagnosis_date"])),
        "diagnosis_organization": data["diagnosis_organization"],
        "competences": competences,
        "goal": data["goal"],
        "planned_results": data["planned_results"],
        "items": items,
        "total_hours": quantity(total, HOURS),
        "tutor": f"{name_of(tutor).full()}, {tutor['position']}" if tutor.get("position") else name_of(tutor).full(),
        "approvals": approvals,
        "approver_position": requisites.signatory.position,
    }


def _sample_iom(organization=None) -> dict:
    teacher = samples.person(0)
    return {
        "teacher": teacher,
        "position": "учитель математики",
        "subject": "Математика",
        "organization": "МАОУ «СОШ № 3»",
        "municipality": "Березниковский городской округ",
        "category": "first",
        "experience_years": 4,
        "is_young": False,
        "period_from": "2024-09-01",
        "period_to": "2025-05-31",
        "diagnosis_date": "2024-05-20",
        "diagnosis_organization": "ЦНППМПР",
        "competences": [
            {"competence": "Предметная", "score": 78, "deficit": ""},
            {"competence": "Методическая", "score": 54.5, "deficit": "формирующее оценивание"},
            {"competence": "Психолого-педагогическая", "score": 61, "deficit": "работа с детьми с ОВЗ"},
            {"competence": "Коммуникативная", "score": 83, "deficit": ""},
            {"competence": "ИКТ-компетентность", "score": 70, "deficit": ""},
        ],
        "goal": "Устранение дефицитов в области формирующего оценивания и инклюзивного обучения",
        "planned_results": (
            "Разработан комплект заданий для формирующего оценивания по алгебре (7 класс); "
            "проведен открытый урок для ШМО"
        ),
        "items": [
            {
                "deficit": "Формирующее оценивание",
                "activity": "Курсы «Функциональная грамотность учителя: технологии развития критического мышления»",
                "form": "курсы ПК по ДПП из ФР ДПП",
                "edu_type": "формальное",
                "provider": "ЦНППМПР",
                "hours": 18,
                "due": "2024-11-30",
                "report_form": "удостоверение о ПК",
                "done_on": "2024-11-22",
            },
            {
                "deficit": "Формирующее оценивание",
                "activity": "Стажировка на площадке МАОУ «СОШ № 11»",
                "form": "стажировка",
                "edu_type": "неформальное",
                "provider": "МАОУ «СОШ № 11»",
                "hours": 24,
                "due": "2025-02-28",
                "report_form": "комплект заданий",
            },
            {
                "deficit": "Работа с детьми с ОВЗ",
                "activity": "Участие в работе ШМО, взаимопосещение уроков",
                "form": "горизонтальное обучение",
                "edu_type": "информальное",
                "provider": "ШМО учителей математики",
                "hours": 12,
                "due": "2025-04-30",
                "report_form": "открытый урок",
            },
        ],
        "tutor": samples.person(2, position="региональный методист"),
        "approvals": [
            {"role": "Педагогический работник", "name": teacher, "decision": "согласовано", "date": "2024-08-26"},
            {"role": "Руководитель ШМО", "name": samples.person(3), "decision": "согласовано", "date": "2024-08-27"},
            {
                "role": "Заместитель директора (методист)",
                "name": samples.person(4),
                "decision": "согласовано",
                "date": "2024-08-28",
            },
            {
                "role": "Региональный методист (РМА)",
                "name": samples.person(2),
                "decision": "согласовано",
                "comment": "рекомендована стажировка",
                "date": "2024-08-29",
            },
        ],
    }


IOM_SPEC = register(
    KindSpec(
        kind=IOM_KIND,
        label="Индивидуальный образовательный маршрут",
        template_name="iom.docx",
        file_label="ИОМ",
        required={
            "teacher": "ФИО педагогического работника",
            "position": "должность",
            "subject": "преподаваемый предмет",
            "organization": "образовательная организация",
            "municipality": "муниципальное образование",
            "category": "квалификационная категория",
            "experience_years": "педагогический стаж",
            "period_from": "начало периода",
            "period_to": "окончание периода",
            "diagnosis_date": "дата диагностики",
            "diagnosis_organization": "организация, проводившая диагностику",
            "goal": "цель ИОМ",
            "planned_results": "планируемые результаты",
            "tutor": "тьютор (куратор ИОМ)",
        },
        tables={
            "competences": Table("результаты диагностики", {"competence": "компетенция", "score": "результат, %"}),
            "items": Table(
                "план реализации ИОМ",
                {
                    "deficit": "дефицит (задача)",
                    "activity": "мероприятие",
                    "form": "форма",
                    "hours": "объем, часов",
                    "due": "срок",
                },
            ),
            "approvals": Table("лист согласования", {"role": "должность", "name": "ФИО"}),
        },
        build=_build_iom,
        sample=_sample_iom,
        title=_iom_title,
        numbered=False,
    )
)
