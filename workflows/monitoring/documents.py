"""Documents of the annual monitoring cycle (issue 14): DOC-5 «Аналитическая справка по итогам
мониторинга» and DOC-6 «Адресные рекомендации по итогам мониторинга» (a letter). The process
itself is built later on the kit; its kinds are registered now, so that the documents app names
no process. Indicator figures come as numerator/denominator or a value; shares are
printed «42,5 % (425 из 1000)», the change against the previous period in п.п."""

from __future__ import annotations

from decimal import Decimal

from documents import samples
from documents.grammar import Case, date_numeric, date_words, inflect_phrase, past_agreeing
from documents.kinds import (
    LETTER_REQUIRED,
    DocumentRequisites,
    KindSpec,
    Table,
    addressee_context,
    as_date,
    decimal_ru,
    is_blank,
    register,
)

REPORT_KIND = "monitoring_report"
RECOMMENDATIONS_KIND = "monitoring_recommendations"
PERCENT = "%"


def _indicator_value(row) -> Decimal:
    if not is_blank(row.get("numerator")) and not is_blank(row.get("denominator")):
        denominator = Decimal(str(row["denominator"]))
        if denominator == 0:
            return Decimal(0)
        share = Decimal(str(row["numerator"])) / denominator
        return share * 100 if row.get("unit", PERCENT) == PERCENT else share
    return Decimal(str(row["value"]))


def _value_text(value: Decimal, row) -> str:
    unit = row.get("unit", PERCENT)
    text = f"{decimal_ru(value)} {unit}"
    if not is_blank(row.get("numerator")) and not is_blank(row.get("denominator")):
        text += f" ({row['numerator']} из {row['denominator']})"
    return text


def _indicator(n: int, row) -> dict:
    value = _indicator_value(row)
    unit = row.get("unit", PERCENT)
    target = Decimal(str(row["target"]))
    lower_is_better = bool(row.get("lower_is_better"))
    achieved = value <= target if lower_is_better else value >= target
    points = "п.п." if unit == PERCENT else unit
    narrative = f"{row['name']} {past_agreeing(row['name'], 'составил')} {_value_text(value, row)}"
    dynamics = "—"
    if not is_blank(row.get("previous")):
        change = value - Decimal(str(row["previous"]))
        dynamics = ("+" if change > 0 else "") + decimal_ru(change)
        if change == 0:
            narrative += ", что соответствует уровню прошлого периода"
        else:
            direction = "выше" if change > 0 else "ниже"
            narrative += f", что на {decimal_ru(abs(change))} {points} {direction} уровня прошлого периода"
    narrative += f" (целевое значение – {decimal_ru(target)} {unit}, {'достигнуто' if achieved else 'не достигнуто'})."
    return {
        "n": n,
        "code": row.get("code", ""),
        "name": row["name"],
        "label": f"{row['code']} – {row['name']}" if row.get("code") else row["name"],
        "unit": unit,
        "target": decimal_ru(target),
        "previous": decimal_ru(row["previous"]) if not is_blank(row.get("previous")) else "—",
        "value": _value_text(value, row),
        "dynamics": dynamics,
        "status": "достигнуто" if achieved else "не достигнуто",
        "narrative": narrative,
    }


# --- DOC-5 -----------------------------------------------------------------------------------


def _report_title(data) -> str:
    return f"Аналитическая справка по итогам мониторинга за {data['period']}"


def _build_monitoring_report(data: dict, requisites: DocumentRequisites) -> dict:
    submitted, total = int(data["orgs_submitted"]), int(data["orgs_total"])
    share = decimal_ru(Decimal(submitted) * 100 / total) if total else "0"
    return {
        "subject": data.get("subject")
        or "состояния системы обеспечения профессионального развития педагогических работников",
        "territory_prepositional": inflect_phrase(data["territory"], Case.PREPOSITIONAL),
        "period": data["period"],
        "basis": data["basis"],
        "date_from": date_numeric(as_date(data["date_from"])),
        "date_to": date_numeric(as_date(data["date_to"])),
        "orgs_text": f"{submitted} из {total} ({share} %)",
        "teachers_count": str(data["teachers_count"]),
        "goals": list(data["goals"]),
        "sources": data.get("sources")
        or "данные мониторинга, данные официальной статистики, результаты диагностики профессиональных "
        "дефицитов педагогических работников",
        "indicators": [_indicator(n, row) for n, row in enumerate(data["indicators"], start=1)],
        "analysis": list(data["analysis"]),
        "conclusions": list(data["conclusions"]),
        "recommendations": list(data["recommendations"]),
        "measures": [
            {
                "n": n,
                "measure": row["measure"],
                "responsible": row["responsible"],
                "due": date_numeric(as_date(row["due"])),
            }
            for n, row in enumerate(data["measures"], start=1)
        ],
    }


SAMPLE_INDICATORS = [
    {
        "code": "IOM_SHARE",
        "name": "Доля педагогических работников, для которых разработаны ИОМ на основе результатов "
        "диагностики профессиональных дефицитов",
        "numerator": 425,
        "denominator": 1000,
        "previous": 35.2,
        "target": 40,
    },
    {
        "code": "RMA_MEMBERS",
        "name": "Доля членов РМА в общей численности учителей",
        "numerator": 48,
        "denominator": 1000,
        "previous": 5.1,
        "target": 5,
    },
    {
        "code": "DPP_FR",
        "name": "Доля педагогов, прошедших обучение по ДПП из федерального реестра",
        "numerator": 310,
        "denominator": 1000,
        "previous": 31,
        "target": 35,
    },
]


def _sample_monitoring_report(organization=None) -> dict:
    return {
        "territory": samples.region_name(organization),
        "period": "2023/2024 учебный год",
        "basis": "Положение о мониторинге эффективности региональной системы научно-методического "
        "сопровождения, утвержденное приказом от 19.04.2023 № 26-01-06-000",
        "date_from": "2024-06-01",
        "date_to": "2024-07-15",
        "orgs_submitted": 112,
        "orgs_total": 120,
        "teachers_count": 1000,
        "goals": [
            "получение объективной информации о состоянии системы профессионального развития педагогических работников",
            "выявление факторов, влияющих на достижение показателей, и подготовка адресных рекомендаций",
        ],
        "indicators": SAMPLE_INDICATORS,
        "analysis": [
            "Наиболее частый дефицит по результатам диагностики – методическая компетенция (формирующее оценивание).",
            "В зоне риска – 8 образовательных организаций, не представивших данные в установленный срок.",
        ],
        "conclusions": ["Целевые значения достигнуты по двум показателям из трех."],
        "recommendations": [
            "Муниципальным методическим службам – включить в планы работы стажировки по формирующему "
            "оцениванию (см. адресные рекомендации)."
        ],
        "measures": [
            {
                "measure": "Подготовить приказ о проведении мониторинга на 2024/2025 учебный год",
                "responsible": "ЦНППМПР",
                "due": "2024-09-15",
            },
        ],
        "executor": samples.EXECUTOR,
    }


register(
    KindSpec(
        kind=REPORT_KIND,
        label="Аналитическая справка по итогам мониторинга",
        template_name="monitoring_report.docx",
        file_label="Аналитическая справка",
        required={
            "territory": "территория (муниципальное образование или регион)",
            "period": "период мониторинга",
            "basis": "основание проведения мониторинга",
            "date_from": "начало сбора данных",
            "date_to": "окончание сбора данных",
            "orgs_submitted": "число организаций, представивших данные",
            "orgs_total": "число организаций — участников мониторинга",
            "teachers_count": "численность педагогических работников",
            "goals": "цели мониторинга",
            "analysis": "анализ результатов",
            "conclusions": "выводы",
            "recommendations": "адресные рекомендации",
        },
        tables={
            "indicators": Table("показатели", {"name": "показатель", "target": "целевое значение"}),
            "measures": Table(
                "меры и управленческие решения", {"measure": "мера", "responsible": "ответственный", "due": "срок"}
            ),
        },
        build=_build_monitoring_report,
        sample=_sample_monitoring_report,
        title=_report_title,
    )
)


# --- letters: addressee block shared with DOC-7 -------------------------------------------------


# --- DOC-6 -----------------------------------------------------------------------------------


def _recommendations_title(data) -> str:
    return data.get("subject") or "О направлении адресных рекомендаций по итогам мониторинга"


def _build_monitoring_recommendations(data: dict, requisites: DocumentRequisites) -> dict:
    return {
        **addressee_context(data),
        "period": data["period"],
        "report_date": date_numeric(as_date(data["report_date"])),
        "report_number": data["report_number"],
        "items": [
            {
                "n": n,
                "problem": row["problem"],
                "value": str(row["value"]),
                "benchmark": str(row.get("benchmark") or "—"),
                "recommendation": row["recommendation"],
                "due": date_numeric(as_date(row["due"])),
                "responsible": row["responsible"],
            }
            for n, row in enumerate(data["items"], start=1)
        ],
        "reply_due": date_words(as_date(data["reply_due"])),
        "reply_email": data["reply_email"],
    }


def _sample_monitoring_recommendations(organization=None) -> dict:
    return {
        "addressee_position": "директор",
        "addressee_organization": "МАОУ «СОШ № 3»",
        "addressee_name": samples.person(6),
        "period": "2023/2024 учебный год",
        "report_date": "2024-07-25",
        "report_number": "14",
        "items": [
            {
                "problem": "Доля педагогов с ИОМ ниже средней по муниципалитету",
                "value": "18,0 %",
                "benchmark": "42,5 %",
                "recommendation": "Организовать диагностику профессиональных дефицитов и разработку ИОМ "
                "для педагогов, не имеющих ИОМ",
                "due": "2024-12-20",
                "responsible": "заместитель директора по УВР",
            },
            {
                "problem": "Нет педагогов, прошедших стажировку",
                "value": "0 %",
                "benchmark": "12,3 %",
                "recommendation": "Направить не менее двух педагогов на стажировку на региональные "
                "стажировочные площадки",
                "due": "2025-03-31",
                "responsible": "руководитель ШМО",
            },
        ],
        "reply_due": "2025-01-20",
        "reply_email": "monitoring@example.org",
        "letterhead": {
            "address_lines": ["ул. Примерная, д. 1,", "г. Пермь, 614000"],
            "phone": "(342) 200-00-00",
            "email": "cnppm@example.org",
        },
        "executor": samples.EXECUTOR,
    }


register(
    KindSpec(
        kind=RECOMMENDATIONS_KIND,
        label="Адресные рекомендации по итогам мониторинга",
        template_name="monitoring_recommendations.docx",
        file_label="Письмо",
        required={
            **LETTER_REQUIRED,
            "period": "период мониторинга",
            "report_date": "дата аналитической справки",
            "report_number": "номер аналитической справки",
            "reply_due": "срок ответа",
            "reply_email": "адрес для ответа",
        },
        tables={
            "items": Table(
                "рекомендации",
                {
                    "problem": "показатель / выявленная проблема",
                    "value": "значение",
                    "recommendation": "рекомендация",
                    "due": "срок",
                    "responsible": "ответственный",
                },
            )
        },
        build=_build_monitoring_recommendations,
        sample=_sample_monitoring_recommendations,
        title=_recommendations_title,
    )
)
