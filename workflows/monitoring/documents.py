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
    target = None if is_blank(row.get("target")) else Decimal(str(row["target"]))
    lower_is_better = bool(row.get("lower_is_better"))
    achieved = None if target is None else (value <= target if lower_is_better else value >= target)
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
    if target is not None:
        verdict = "достигнуто" if achieved else "не достигнуто"
        narrative += f" (целевое значение – {decimal_ru(target)} {unit}, {verdict})."
    else:
        narrative += "."
    status = "—" if achieved is None else ("достигнуто" if achieved else "не достигнуто")
    return {
        "n": n,
        "code": row.get("code", ""),
        "name": row["name"],
        "label": f"{row['code']} – {row['name']}" if row.get("code") else row["name"],
        "unit": unit,
        "target": decimal_ru(target) if target is not None else "—",
        "previous": decimal_ru(row["previous"]) if not is_blank(row.get("previous")) else "—",
        "value": _value_text(value, row),
        "dynamics": dynamics,
        "status": status,
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
            for n, row in enumerate(data.get("measures") or [], start=1)
        ],
        "measures_note": data.get("measures_note")
        or "План мер по результатам мониторинга утверждается приказом о принятии управленческих решений.",
        "charts": [_chart(chart) for chart in data.get("charts") or []],
        "breakdown_title": data.get("breakdown_title") or "Результаты по муниципальным образованиям",
        "breakdown_unit": data.get("breakdown_unit") or "Муниципальное образование",
        "breakdown": [{"n": n, **row} for n, row in enumerate(data.get("breakdown") or [], start=1)],
        "risk_zone": [{"text": text} for text in data.get("risk_zone") or []],
    }


def _chart(chart: dict) -> dict:
    """A chart of the data ({title, unit, target, rows: [[label, value, previous]]}) drawn as a
    PNG inside the document (documents.charts, Pillow)."""
    from documents.charts import bar_chart

    def number(value):
        return None if is_blank(value) else Decimal(str(value))

    rows = [(str(label), number(value), number(previous)) for label, value, previous in chart["rows"]]
    target = number(chart.get("target"))
    return {"title": chart["title"], "image": bar_chart(rows, target=target, unit=chart.get("unit", PERCENT))}


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
        "charts": [
            {
                "title": "Доля педагогов с ИОМ по муниципальным образованиям, %",
                "target": 40,
                "rows": [["Город А", 47.5, 40.1], ["Город Б", 38.2, 30.0], ["Район В", 21.0, None]],
            }
        ],
        "breakdown": [
            {"unit": "Город А", "code": "IOM_SHARE", "value": "47,5 % (190 из 400)", "previous": "40,1",
             "dynamics": "+7,4", "status": "достигнуто"},
        ],
        "risk_zone": ["Ниже целевого значения по доле педагогов с ИОМ: Район В (21 %)."],
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
            "indicators": Table("показатели", {"name": "показатель"}),
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


# --- the приказ «О принятии управленческих решений по результатам мониторинга» --------------

DECISIONS_KIND = "monitoring_decisions_order"
EFFECTIVENESS_KIND = "monitoring_effectiveness"
DEFAULT_SUBJECT = "состояния системы обеспечения профессионального развития педагогических работников"


def _decisions_title(data) -> str:
    return f"О принятии управленческих решений по результатам мониторинга за {data['period']}"


def _build_decisions_order(data: dict, requisites: DocumentRequisites) -> dict:
    from documents.kinds import control_clause

    decisions = [{"n": n, "text": text} for n, text in enumerate(data.get("decisions") or [], start=3)]
    return {
        "subject": data.get("subject") or DEFAULT_SUBJECT,
        "period": data["period"],
        "territory_prepositional": inflect_phrase(data["territory"], Case.PREPOSITIONAL),
        "report_ref": f" (аналитическая справка {data['report_ref']})" if data.get("report_ref") else "",
        "decisions": decisions,
        "control_n": 3 + len(decisions),
        "control_clause": control_clause(data.get("control")),
        "measures": [
            {
                "n": n,
                "title": row["title"],
                "indicator": row["indicator"],
                "responsible": row["responsible"],
                "due": date_numeric(as_date(row["due"])),
            }
            for n, row in enumerate(data["measures"], start=1)
        ],
    }


def _sample_decisions_order(organization=None) -> dict:
    return {
        "territory": samples.region_name(organization),
        "period": "2026 год",
        "report_ref": "от 25.03.2027 № 14",
        "decisions": ["Муниципальным методическим службам включить меры плана в планы работы на 2027 год."],
        "measures": [
            {"title": "Организовать диагностику профессиональных дефицитов педагогов, не имеющих ИОМ",
             "indicator": "IND-02", "responsible": "методист ММС", "due": "2027-12-20"},
        ],
    }


register(
    KindSpec(
        kind=DECISIONS_KIND,
        label="Приказ о принятии управленческих решений по результатам мониторинга",
        template_name="monitoring_decisions_order.docx",
        file_label="Приказ",
        required={"territory": "территория", "period": "период мониторинга"},
        tables={
            "measures": Table("план мер", {"title": "мера", "indicator": "показатель",
                                           "responsible": "ответственный", "due": "срок"}),
        },
        build=_build_decisions_order,
        sample=_sample_decisions_order,
        title=_decisions_title,
        number_format="{n}/ОД",
    )
)


# --- the effectiveness report (001:L190-200) ---------------------------------------------------


def _effectiveness_title(data) -> str:
    return f"Отчет об анализе эффективности принятых мер по результатам мониторинга за {data['period']}"


def _build_effectiveness(data: dict, requisites: DocumentRequisites) -> dict:
    measures = list(data.get("measures") or [])
    done = sum(1 for row in measures if row.get("done"))
    return {
        "territory_prepositional": inflect_phrase(data["territory"], Case.PREPOSITIONAL),
        "period": data["period"],
        "basis": data["basis"],
        "before_period": data["before_period"],
        "after_period": data["after_period"],
        "indicators": [{"n": n, **row} for n, row in enumerate(data["indicators"], start=1)],
        "measures": [
            {"n": n, "title": row["title"], "code": row["code"], "responsible": row["responsible"],
             "due": date_numeric(as_date(row["due"])), "result": row.get("result") or "не выполнена"}
            for n, row in enumerate(measures, start=1)
        ],
        "measures_done": f"{done} из {len(measures)}",
        "conclusions": list(data["conclusions"]),
        "next_goals": list(data.get("next_goals") or ["целевые значения всех показателей достигнуты"]),
    }


def _sample_effectiveness(organization=None) -> dict:
    return {
        "territory": samples.region_name(organization),
        "period": "2026 год",
        "basis": "Анализ и оценка эффективности принятых мер (мероприятий) и управленческих решений по "
        "результатам мониторинга (ежегодно до 31 августа).",
        "before_period": "2026 г.",
        "after_period": "I полугодие 2027 г.",
        "indicators": [
            {"name": "IND-03 Доля педагогов, освоивших ДПП из ФР ДПП", "target": "30", "before": "24 %",
             "after": "31 %", "change": "+7 п.п.", "verdict": "улучшение, цель достигнута"},
        ],
        "measures": [{"title": "Курсы по ДПП из ФР ДПП", "code": "IND-03", "responsible": "ЦНППМПР",
                      "due": "2026-12-20", "result": "обучено 40 педагогов", "done": True}],
        "conclusions": ["Меры по показателю IND-03 дали результат: целевое значение достигнуто."],
        "next_goals": ["IND-06: довести долю молодых педагогов в формах поддержки до 70 %"],
    }


register(
    KindSpec(
        kind=EFFECTIVENESS_KIND,
        label="Отчет об анализе эффективности принятых мер по результатам мониторинга",
        template_name="monitoring_effectiveness.docx",
        file_label="Отчет",
        required={"territory": "территория", "period": "период мониторинга", "basis": "основание",
                  "before_period": "период до мер", "after_period": "период после мер",
                  "conclusions": "выводы"},
        tables={"indicators": Table("показатели", {"name": "показатель"})},
        build=_build_effectiveness,
        sample=_sample_effectiveness,
        title=_effectiveness_title,
    )
)
