"""«Справка о результатах диагностики» of one teacher (003:L1494: «Подготовка аналитических
материалов (справки) о результатах диагностических процедур, о выявленных профессиональных
дефицитах»), issued by the ЦОПМКП that diagnosed, signed by its head. It lists the score and the
deficits of each area and the catalogue's programmes for the areas with deficits (programmes of
the teacher's subjects first, those in ФР ДПП first), and says until when the result is reused for
an ИОМ (the region's setting)."""

from __future__ import annotations

from documents import samples
from documents.grammar import Case, date_numeric, date_words, inflect_phrase
from documents.kinds import (
    DocumentRequisites,
    KindSpec,
    Table,
    as_date,
    by_sex,
    decimal_ru,
    holder_context,
    is_blank,
    name_of,
    register,
)

DIAGNOSIS_CERTIFICATE_KIND = "diagnosis_certificate"
PROGRAMMES_IN_CERTIFICATE = 5


def _title(data) -> str:
    return f"Справка о результатах диагностики: {name_of(data['person']).full()}"


def _build(data: dict, requisites: DocumentRequisites) -> dict:
    name = name_of(data["person"])
    areas = [
        {
            "label": row["label"],
            "score": decimal_ru(row["score"]) if not is_blank(row.get("score")) else "—",
            "deficits": "; ".join(row.get("deficits") or [])
            or ("не диагностировались" if is_blank(row.get("score")) else "не выявлены"),
        }
        for row in data["areas"]
    ]
    return {
        "title": _title(data),
        **holder_context(data),
        "municipality": data["municipality"],
        "diagnosed_on": date_words(as_date(data["diagnosed_on"])),
        "passed": by_sex(name, "прошел", "прошла"),
        "diagnosed_by_prepositional": inflect_phrase(data["diagnosed_by"], Case.PREPOSITIONAL),
        "instrument": data["instrument"],
        "areas": areas,
        "deficits_found": any(row.get("deficits") for row in data["areas"]),
        "programmes": [{"n": n, "text": text} for n, text in enumerate(data.get("programmes") or [], start=1)],
        "valid_until": date_numeric(as_date(data["valid_until"])),
    }


def _sample(organization=None) -> dict:
    return {
        "person": samples.person(0),
        "position": "учитель математики",
        "organization": "МАОУ «СОШ № 3»",
        "municipality": "Березниковский городской округ",
        "diagnosed_on": "2026-05-20",
        "diagnosed_by": "Центр оценки профессионального мастерства и квалификации педагогов",
        "instrument": "ФОС для процедуры диагностики профессиональных компетенций педагогических работников",
        "areas": [
            {"label": "Предметные компетенции", "score": 78, "deficits": []},
            {"label": "Методические компетенции", "score": 54.5, "deficits": ["формирующее оценивание"]},
            {"label": "Психолого-педагогические компетенции", "score": 61, "deficits": []},
            {"label": "Коммуникативные компетенции", "score": 83, "deficits": []},
            {"label": "ИТ-компетенции", "score": None, "deficits": []},
        ],
        "programmes": [
            "«Функциональная грамотность учителя: технологии развития креативного и критического мышления», "
            "ЦНППМПР, 18 ч (в ФР ДПП)"
        ],
        "valid_until": "2027-05-19",
        "executor": samples.EXECUTOR,
    }


DIAGNOSIS_CERTIFICATE_SPEC = register(
    KindSpec(
        kind=DIAGNOSIS_CERTIFICATE_KIND,
        label="Справка о результатах диагностики профессиональных компетенций",
        template_name="diagnosis_certificate.docx",
        file_label="Справка",
        required={
            "person": "ФИО педагогического работника",
            "position": "должность",
            "organization": "образовательная организация",
            "municipality": "муниципальное образование",
            "diagnosed_on": "дата диагностики",
            "diagnosed_by": "организация, проводившая диагностику",
            "instrument": "диагностический инструментарий",
            "valid_until": "срок использования результата",
        },
        tables={"areas": Table("результаты по областям компетенций", {"label": "область компетенций"})},
        build=_build,
        sample=_sample,
        title=_title,
    )
)
