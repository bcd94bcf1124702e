"""DOC-1 «Об утверждении списка регионального методического актива» and DOC-2 «Об утверждении
перечня стажировочных площадок»: приказы with an annex table."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from ..grammar import Case, date_numeric, date_words, inflect_phrase
from ..kinds import (
    DocumentKind,
    DocumentRequisites,
    KindSpec,
    Table,
    as_date,
    capitalize,
    control_clause,
    decimal_ru,
    is_blank,
    name_of,
    register,
)
from . import samples

CATEGORY_LABELS = {
    "highest": "высшая",
    "first": "первая",
    "conformity": "соответствие занимаемой должности",
    "none": "без категории",
}


def category_label(value) -> str:
    return CATEGORY_LABELS.get(str(value), str(value))


# --- DOC-1 -----------------------------------------------------------------------------------


def _rma_title(data) -> str:
    return (
        f"Об утверждении списка регионального методического актива {data['territory_genitive']} "
        f"на {data['academic_year']} учебный год"
    )


def _diagnosis(member) -> str:
    if is_blank(member.get("diagnosis_score")):
        return "—"
    text = f"{decimal_ru(member['diagnosis_score'])} %"
    if not is_blank(member.get("diagnosis_date")):
        text += f", {date_numeric(as_date(member['diagnosis_date']))}"
    return text


def _build_rma_list_order(data: dict, requisites: DocumentRequisites) -> dict:
    members = sorted(
        data["members"],
        key=lambda m: (m["municipality"], m["subject"], m["last_name"], m["first_name"]),
    )
    groups = []
    counter = 0
    for municipality, in_municipality in groupby(members, key=lambda m: m["municipality"]):
        subjects = []
        for subject, in_subject in groupby(in_municipality, key=lambda m: m["subject"]):
            rows = []
            for member in in_subject:
                counter += 1
                rows.append(
                    {
                        "n": counter,
                        "name": name_of(member).full(),
                        "position": capitalize(member["position"]),
                        "organization": member["organization"],
                        "category": capitalize(category_label(member["category"])),
                        "experience": str(member["experience_years"]),
                        "diagnosis": _diagnosis(member),
                    }
                )
            subjects.append({"subject": subject, "members": rows})
        groups.append({"municipality": municipality, "subjects": subjects})
    coordinators = [
        {
            "n": n,
            "municipality": row["municipality"],
            "name": name_of(row).full(),
            "position": row["position"],
            "phone": row.get("phone") or "—",
        }
        for n, row in enumerate(sorted(data["coordinators"], key=lambda r: r["municipality"]), start=1)
    ]
    return {
        "territory_genitive": data["territory_genitive"],
        "academic_year": data["academic_year"],
        "basis": data["basis"],
        "methodical_center_dative": capitalize(inflect_phrase(data["methodical_center"], Case.DATIVE)),
        "control_clause": control_clause(data.get("control")),
        "member_groups": groups,
        "members_total": counter,
        "coordinators": coordinators,
    }


def _sample_rma_list_order(organization=None) -> dict:
    territory = samples.territory_genitive(organization)
    municipalities = ["Березниковский городской округ", "Кунгурский муниципальный округ"]
    subjects = ["Математика", "Русский язык и литература"]
    members = []
    for index in range(6):
        members.append(
            samples.person(
                index,
                position="учитель математики" if index % 2 == 0 else "учитель русского языка и литературы",
                organization=f"МАОУ «СОШ № {index + 3}»",
                municipality=municipalities[index % 2],
                subject=subjects[index % 2],
                category="highest",
                experience_years=7 + index,
                diagnosis_score=82.5 + index,
                diagnosis_date="2024-03-15",
            )
        )
    coordinators = [
        samples.person(
            6,
            municipality=municipalities[0],
            position="методист МАУ «Центр сопровождения образования»",
            phone="8 (3424) 00-00-01",
        ),
        samples.person(
            7,
            municipality=municipalities[1],
            position="заместитель начальника управления образования",
            phone="8 (34271) 0-00-02",
        ),
    ]
    return {
        "territory_genitive": territory,
        "academic_year": "2024/2025",
        "basis": (
            "Концепцией создания и развития региональной системы научно-методического сопровождения "
            f"педагогических работников и управленческих кадров {territory}, утвержденной приказом "
            f"от {date_words(dt.date(2022, 6, 10))} № 26-01-06-000"
        ),
        "methodical_center": ("Центр непрерывного повышения профессионального мастерства педагогических работников"),
        "control": samples.person(4, position="заместитель министра"),
        "members": members,
        "coordinators": coordinators,
    }


register(
    KindSpec(
        kind=DocumentKind.RMA_LIST_ORDER,
        template_name="rma_list_order.docx",
        file_label="Приказ",
        required={
            "territory_genitive": "территория (в родительном падеже: «Пермского края»)",
            "academic_year": "учебный год",
            "basis": "основание (в творительном падеже: «Концепцией …, утвержденной приказом …»)",
            "methodical_center": "организация, обеспечивающая методическое сопровождение РМА",
        },
        tables={
            "members": Table(
                "список членов РМА",
                {
                    "last_name": "фамилия",
                    "first_name": "имя",
                    "position": "должность",
                    "organization": "образовательная организация",
                    "municipality": "муниципальное образование",
                    "subject": "предмет (направление)",
                    "category": "квалификационная категория",
                    "experience_years": "стаж работы по специальности",
                },
            ),
            "coordinators": Table(
                "муниципальные координаторы РМА",
                {
                    "municipality": "муниципальное образование",
                    "last_name": "фамилия",
                    "first_name": "имя",
                    "position": "должность, организация",
                },
            ),
        },
        build=_build_rma_list_order,
        sample=_sample_rma_list_order,
        title=_rma_title,
        number_format="{n}/ОД",
    )
)


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
        kind=DocumentKind.INTERNSHIP_SITES_ORDER,
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
