"""DOC-4 справки on the issuer's letterhead: (a) о включении в состав регионального
методического актива, (b) о прохождении стажировки. «Дана кому?» — the name and the position in
the dative, the organization in the genitive."""

from __future__ import annotations

from ..grammar import Case, date_numeric, date_words, inflect_phrase, quantity
from ..kinds import (
    DocumentKind,
    DocumentRequisites,
    KindSpec,
    as_date,
    by_sex,
    name_of,
    register,
)
from . import samples
from .iom import HOURS


def _holder(data: dict) -> dict:
    """«Петровой-Водкиной Марии Ильиничне, учителю математики МАОУ «СОШ № 3»»."""
    name = name_of(data["person"])
    return {
        "person_dative": name.full(Case.DATIVE),
        "position_dative": inflect_phrase(data["position"], Case.DATIVE),
        "organization_genitive": inflect_phrase(data["organization"], Case.GENITIVE),
        "pronoun": by_sex(name, "он", "она"),
        "name": name,
    }


# --- DOC-4a ----------------------------------------------------------------------------------


def _rma_title(data) -> str:
    return f"Справка о включении в состав РМА: {name_of(data['person']).full()}"


def _build_rma_certificate(data: dict, requisites: DocumentRequisites) -> dict:
    holder = _holder(data)
    return {
        **{key: value for key, value in holder.items() if key != "name"},
        "included": by_sex(holder["name"], "включен", "включена"),
        "municipality": data["municipality"],
        "territory_genitive": data["territory_genitive"],
        "direction": data["direction"],
        "order_issuer_genitive": inflect_phrase(data["order_issuer"], Case.GENITIVE),
        "order_date": date_words(as_date(data["order_date"])),
        "order_number": data["order_number"],
        "order_title": data.get("order_title")
        or f"Об утверждении списка регионального методического актива {data['territory_genitive']}",
    }


def _sample_rma_certificate(organization=None) -> dict:
    return {
        "person": samples.person(0),
        "position": "учитель математики",
        "organization": "Муниципальное автономное общеобразовательное учреждение «Средняя школа № 3»",
        "municipality": "Березниковский городской округ",
        "territory_genitive": samples.territory_genitive(organization),
        "direction": "Математика",
        "order_issuer": "Министерство образования и науки " + samples.territory_genitive(organization),
        "order_date": "2024-08-30",
        "order_number": "26-01-06-000",
        "executor": samples.EXECUTOR,
    }


register(
    KindSpec(
        kind=DocumentKind.RMA_CERTIFICATE,
        template_name="rma_certificate.docx",
        file_label="Справка",
        required={
            "person": "ФИО педагогического работника",
            "position": "должность",
            "organization": "образовательная организация",
            "municipality": "муниципальное образование",
            "territory_genitive": "регион (в родительном падеже)",
            "direction": "направление (предмет)",
            "order_issuer": "орган, издавший приказ о включении в РМА",
            "order_date": "дата приказа о включении в РМА",
            "order_number": "номер приказа о включении в РМА",
        },
        build=_build_rma_certificate,
        sample=_sample_rma_certificate,
        title=_rma_title,
    )
)


# --- DOC-4b ----------------------------------------------------------------------------------


def _internship_title(data) -> str:
    return f"Справка о прохождении стажировки: {name_of(data['person']).full()}"


def _build_internship_certificate(data: dict, requisites: DocumentRequisites) -> dict:
    holder = _holder(data)
    return {
        **{key: value for key, value in holder.items() if key != "name"},
        "passed": by_sex(holder["name"], "прошел", "прошла"),
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
        kind=DocumentKind.INTERNSHIP_CERTIFICATE,
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
