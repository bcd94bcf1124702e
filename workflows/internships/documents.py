"""Documents of the selection of internship (mentor) sites (issue 12): DOC-2 приказ «Об утверждении
перечня региональных стажировочных площадок» and DOC-4b справка о прохождении стажировки. The
process itself is built later on the kit; its kinds are registered now, so that the documents app
names no process."""

from __future__ import annotations

import datetime as dt

from documents import samples
from documents.grammar import HOURS, Case, date_numeric, date_words, inflect_phrase, quantity
from documents.kinds import (
    DocumentRequisites,
    KindSpec,
    Table,
    as_date,
    by_sex,
    capitalize,
    control_clause,
    holder_context,
    name_of,
    register,
)

SITES_ORDER_KIND = "internship_sites_order"
CERTIFICATE_KIND = "internship_certificate"


# --- DOC-2 -----------------------------------------------------------------------------------


def _sites_title(data) -> str:
    return f"Об утверждении перечня региональных стажировочных площадок на {data['period']} годы"


def _curator(value) -> str:
    if isinstance(value, str):
        return value
    text = name_of(value).surname_initials()
    return f"{text}, {value['position']}" if value.get("position") else text


def _build_internship_sites_order(data: dict, requisites: DocumentRequisites) -> dict:
    sites = [
        {
            "n": n,
            "organization": site["organization"],
            "municipality": site["municipality"],
            "theme": site["theme"],
            "target_group": site["target_group"],
            "format": site["format"],
            "hours": str(site["hours"]),
            "term": f"с {date_numeric(as_date(site['status_from']))} по {date_numeric(as_date(site['status_to']))}",
            "curator": _curator(site["curator"]),
        }
        for n, site in enumerate(data["sites"], start=1)
    ]
    return {
        "period": data["period"],
        "regulation": data["regulation"],
        "protocol_date": date_numeric(as_date(data["protocol_date"])),
        "protocol_number": data["protocol_number"],
        "report_due": date_words(as_date(data["report_due"])),
        "methodical_center_dative": capitalize(inflect_phrase(data["methodical_center"], Case.DATIVE)),
        "control_clause": control_clause(data.get("control")),
        "sites": sites,
    }


def _sample_internship_sites_order(organization=None) -> dict:
    themes = [
        ("Медиаобразование", "учителя информатики", "групповая"),
        ("Экспериментальная и проектная деятельность", "учителя физики и химии", "индивидуальная"),
        ("Применение высокотехнологичного оборудования центра «Точка роста»", "учителя биологии", "групповая"),
    ]
    sites = []
    for index, (theme, target, form) in enumerate(themes):
        sites.append(
            {
                "organization": f"МАОУ «СОШ № {index + 11}»",
                "municipality": ["Березниковский городской округ", "Кунгурский муниципальный округ"][index % 2],
                "theme": theme,
                "target_group": target,
                "format": form,
                "hours": [36, 24, 18][index],
                "status_from": "2024-09-01",
                "status_to": "2026-08-31",
                "curator": samples.person(index + 1, position="заместитель директора"),
            }
        )
    return {
        "period": "2024-2026",
        "regulation": (
            "Положением о региональных инновационных и стажировочных площадках, утвержденным приказом "
            f"от {date_words(dt.date(2023, 4, 19))} № 26-01-06-000"
        ),
        "protocol_date": "2024-08-20",
        "protocol_number": "3",
        "report_due": "2025-06-30",
        "methodical_center": ("Центр непрерывного повышения профессионального мастерства педагогических работников"),
        "sites": sites,
    }


register(
    KindSpec(
        kind=SITES_ORDER_KIND,
        label="Приказ об утверждении перечня стажировочных площадок",
        template_name="internship_sites_order.docx",
        file_label="Приказ",
        required={
            "period": "период (годы)",
            "regulation": "положение о площадках (в творительном падеже)",
            "protocol_date": "дата протокола экспертной комиссии",
            "protocol_number": "номер протокола экспертной комиссии",
            "report_due": "срок представления отчета",
            "methodical_center": "организация, ведущая реестр площадок",
        },
        tables={
            "sites": Table(
                "перечень стажировочных площадок",
                {
                    "organization": "образовательная организация",
                    "municipality": "муниципальное образование",
                    "theme": "тема (направление) стажировки",
                    "target_group": "целевая категория педагогов",
                    "format": "формат",
                    "hours": "объем, часов",
                    "status_from": "начало срока статуса",
                    "status_to": "окончание срока статуса",
                    "curator": "куратор площадки",
                },
            )
        },
        build=_build_internship_sites_order,
        sample=_sample_internship_sites_order,
        title=_sites_title,
        number_format="{n}/ОД",
    )
)


# --- DOC-4b ----------------------------------------------------------------------------------


def _internship_title(data) -> str:
    return f"Справка о прохождении стажировки: {name_of(data['person']).full()}"


def _build_internship_certificate(data: dict, requisites: DocumentRequisites) -> dict:
    return {
        **holder_context(data),
        "passed": by_sex(name_of(data["person"]), "прошел", "прошла"),
        "date_from": date_numeric(as_date(data["date_from"])),
        "date_to": date_numeric(as_date(data["date_to"])),
        "site_genitive": inflect_phrase(data["site"], Case.GENITIVE),
        "program": data["program"],
        "hours": quantity(int(data["hours"]), HOURS),
        "format": data["format"],
        "result": data["result"],
    }


def _sample_internship_certificate(organization=None) -> dict:
    return {
        "person": samples.person(3),
        "position": "учитель физики",
        "organization": "МБОУ «Средняя школа № 7»",
        "date_from": "2024-10-14",
        "date_to": "2024-10-25",
        "site": "Муниципальное автономное общеобразовательное учреждение «Средняя школа № 11»",
        "program": "Экспериментальная и проектная деятельность на оборудовании центра «Точка роста»",
        "hours": 24,
        "format": "индивидуальная",
        "result": "разработан цикл лабораторных работ для 8 класса",
        "executor": samples.EXECUTOR,
    }


register(
    KindSpec(
        kind=CERTIFICATE_KIND,
        label="Справка о прохождении стажировки",
        template_name="internship_certificate.docx",
        file_label="Справка",
        required={
            "person": "ФИО педагогического работника",
            "position": "должность",
            "organization": "образовательная организация",
            "date_from": "начало стажировки",
            "date_to": "окончание стажировки",
            "site": "стажировочная площадка",
            "program": "программа стажировки",
            "hours": "объем, часов",
            "format": "форма стажировки",
            "result": "результат стажировки",
        },
        build=_build_internship_certificate,
        sample=_sample_internship_certificate,
        title=_internship_title,
    )
)
