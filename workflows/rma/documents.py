"""Documents of the РМА process: its three document kinds — DOC-1 (приказ «Об утверждении списка
регионального методического актива»), DOC-4a (справка о включении в состав РМА) and the
уведомление об отказе (a letter to the applicant, not a справка «для предъявления по месту
требования») — registered in the documents registry (RmaConfig.ready imports this module), and the
functions that turn applications into the plain data a kind expects.

The documents app owns templates (documents/templates/<kind>.docx, built by
documents/template_builder), numbering and rendering; it announces issued and failed documents
through documents.signals, which receivers.py turns into the application's history.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from documents import samples
from documents.grammar import Case, date_numeric, date_words, inflect_phrase
from documents.kinds import (
    DocumentRequisites,
    KindSpec,
    Table,
    addressee_context,
    as_date,
    by_sex,
    capitalize,
    category_label,
    control_clause,
    decimal_ru,
    holder_context,
    is_blank,
    name_of,
    register,
)
from orgstructure import access
from orgstructure.models import Organization, OrganizationKind, Role
from orgstructure.selectors import regional_body
from workflows.core.calendar import local_date

LIST_ORDER_KIND = "rma_list_order"
CERTIFICATE_KIND = "rma_certificate"
REFUSAL_KIND = "rma_refusal"
CRITERIA_KIND = "rma_criteria_statement"
PROTOCOL_KIND = "rma_assessment_protocol"
DEFAULT_BASIS = (
    "Концепцией создания и развития региональной системы научно-методического сопровождения "
    "педагогических работников и управленческих кадров {territory}"
)


class IssuerMissing(Exception):
    """The region has no organization of the kind that issues the document."""


def regional_organization(region_id, kind: str) -> Organization:
    organization = regional_body(region_id, kind)
    if organization is None:
        label = OrganizationKind(kind).label
        raise IssuerMissing(f"В регионе не заведена организация вида «{label}»: документ выпустить некому")
    return organization


def territory_genitive(region) -> str:
    return inflect_phrase(region.name, Case.GENITIVE)


def person_data(person) -> dict:
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "sex": person.sex,
    }


def subjects_text(application) -> str:
    return ", ".join(subject_names(application)) or "—"


def subject_names(application) -> list[str]:
    return sorted(subject.name for subject in application.subjects.all())


def _coordinators(region_id) -> list[dict]:
    """Приложение 2: the municipal РМА coordinators of every municipality of the region (DOC-1,
    003:L799) — full name (from the person record where the account has one), the position and
    the phone they hold in that role (Membership.position / .phone), «не назначен» where a
    municipality has none yet, so the annex never silently drops a municipality."""
    from orgstructure.models import Membership, Municipality

    by_municipality: dict[int, list[dict]] = {}
    memberships = (
        Membership.objects.filter(role=Role.RMA_MUNI_COORDINATOR, is_active=True, organization__region_id=region_id)
        .select_related("user", "user__person", "organization__municipality")
        .order_by("organization__municipality__name", "user__last_name", "id")
    )
    for membership in memberships:
        user = membership.user
        person = access.own_person(user)
        organization = membership.organization
        name = person_data(person) if person else {"last_name": user.last_name, "first_name": user.first_name}
        where = organization.short_name or organization.name
        position = membership.position or "муниципальный координатор РМА"
        by_municipality.setdefault(organization.municipality_id, []).append(
            {
                **name,
                "municipality": organization.municipality.name if organization.municipality else "—",
                "position": f"{position}, {where}",
                "phone": membership.phone,
            }
        )
    rows = []
    for municipality in Municipality.objects.filter(region_id=region_id).order_by("name"):
        rows.extend(
            by_municipality.pop(municipality.pk, None)
            or [
                {
                    "last_name": "не назначен",
                    "first_name": "—",
                    "municipality": municipality.name,
                    "position": "—",
                    "vacant": True,
                }
            ]
        )
    for rest in by_municipality.values():  # a coordinator of an organization without a municipality
        rows.extend(rest)
    return rows


def list_order_context(*, rma_list, applications, on_date: dt.date) -> dict:
    """The data of DOC-1 for an approved batch. `applications` come with person → organization →
    municipality and subjects prefetched (one query each, whatever the size of the batch)."""
    from .models import RmaRegionSettings

    region = rma_list.region
    territory = territory_genitive(region)
    settings_row = RmaRegionSettings.for_region(region.pk)
    basis = rma_list.basis or settings_row.order_basis or DEFAULT_BASIS.format(territory=territory)
    methodical_center = regional_organization(region.pk, OrganizationKind.CNPPMPR)
    members = []
    for application in applications:
        person = application.person
        organization = person.organization
        experience = person.specialty_experience_on(on_date)
        members.append(
            {
                **person_data(person),
                "position": person.position,
                "organization": organization.short_name or organization.name,
                "municipality": organization.municipality.name if organization.municipality else "—",
                "subject": subjects_text(application),
                "category": person.category_on(on_date),
                "experience_years": experience.years,
                "subject_score": _score(application.subject_score),
                "methodical_score": _score(application.methodical_score),
                "diagnosis_date": application.assessed_on.isoformat() if application.assessed_on else None,
            }
        )
    return {
        "territory_genitive": territory,
        "academic_year": rma_list.academic_year,
        "basis": basis,
        "methodical_center": methodical_center.name,
        "members": members,
        "coordinators": _coordinators(region.pk),
    }


def certificate_context(*, application, order) -> dict:
    """The data of DOC-4a for one admitted member, after the приказ has its number."""
    person = application.person
    organization = person.organization
    return {
        "person": person_data(person),
        "position": person.position,
        "organization": organization.name,
        "municipality": organization.place,
        "territory_genitive": territory_genitive(organization.region),
        "direction": subject_names(application) or ["—"],
        "order_issuer": order.organization.name,
        "order_date": order.issued_on.isoformat(),
        "order_number": order.number,
    }


def refusal_context(*, application) -> dict:
    person = application.person
    organization = person.organization
    return {
        "addressee_organization": organization.short_name or organization.name,
        "person": person_data(person),
        "position": person.position,
        "organization": organization.name,
        "territory_genitive": territory_genitive(organization.region),
        "application_number": str(application.pk),
        "application_date": application.submitted_at.date().isoformat(),
        "check_date": application.check_date.isoformat(),
        "reasons": [{"code": item["code"], "text": item["message"]} for item in application.refusals],
    }


def criteria_statement_context(*, application, on_date: dt.date, criteria) -> dict:
    """The data of the справка о соответствии критериям: each criterion the region checks with what
    the person has on `on_date` (rules.criteria_facts — the formal check's own functions)."""
    from . import rules

    person = application.person
    organization = person.organization
    return {
        "person": person_data(person),
        "position": person.position,
        "organization": organization.name,
        "municipality": organization.place,
        "territory_genitive": territory_genitive(organization.region),
        "application_number": str(application.pk),
        "application_date": local_date(application.submitted_at, organization.region.timezone).isoformat(),
        "on_date": on_date.isoformat(),
        "criteria": [
            {"title": fact.title, "required": fact.required, "actual": fact.actual, "met": fact.met}
            for fact in rules.criteria_facts(person, on_date, criteria)
        ],
    }


# --- the kinds ---------------------------------------------------------------------------------


def _list_order_title(data) -> str:
    return (
        f"Об утверждении списка регионального методического актива {data['territory_genitive']} "
        f"на {data['academic_year']} учебный год"
    )


def _score(value):
    return None if value is None else float(value)


def _diagnosis(member) -> str:
    """The annex's diagnosis cell: both scores, in the order the column header names them, then
    the date — «84,5 / 80; 15.03.2024» under «Результат диагностики, %: предметные / методические
    компетенции; дата» (no unexplained mean of the two); «—» for a score not recorded."""
    scores = [member.get("subject_score"), member.get("methodical_score")]
    if all(is_blank(score) for score in scores):
        return "—"
    text = " / ".join("—" if is_blank(score) else decimal_ru(score) for score in scores)
    if not is_blank(member.get("diagnosis_date")):
        text += f"; {date_numeric(as_date(member['diagnosis_date']))}"
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
            "name": "не назначен" if row.get("vacant") else name_of(row).full(),
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
                subject_score=82.5 + index,
                methodical_score=78.0 + index,
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


LIST_ORDER_SPEC = register(
    KindSpec(
        kind=LIST_ORDER_KIND,
        label="Приказ об утверждении списка РМА",
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
        title=_list_order_title,
        number_format="{n}/ОД",
    )
)


def _certificate_title(data) -> str:
    return f"Справка о включении в состав РМА: {name_of(data['person']).full()}"


def direction_clause(direction) -> str:
    """«по направлению «Математика»», «по направлениям «Математика», «Физика»» — each subject in
    its own quotes (a list, or a string from a справка issued before subjects were a list)."""
    names = [direction] if isinstance(direction, str) else list(direction)
    quoted = ", ".join(f"«{name}»" for name in names)
    return f"по направлени{'ю' if len(names) == 1 else 'ям'} {quoted}"


def _build_rma_certificate(data: dict, requisites: DocumentRequisites) -> dict:
    municipality = data.get("municipality") or ""
    return {
        **holder_context(data),
        "included": by_sex(name_of(data["person"]), "включен", "включена"),
        "municipality_clause": f", {municipality}" if municipality else "",
        "territory_genitive": data["territory_genitive"],
        "direction_clause": direction_clause(data["direction"]),
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
        "direction": ["Математика", "Физика"],
        "order_issuer": "Министерство образования и науки " + samples.territory_genitive(organization),
        "order_date": "2024-08-30",
        "order_number": "26-01-06-000",
        "executor": samples.EXECUTOR,
    }


CERTIFICATE_SPEC = register(
    KindSpec(
        kind=CERTIFICATE_KIND,
        label="Справка о включении в состав РМА",
        template_name="rma_certificate.docx",
        file_label="Справка",
        required={
            "person": "ФИО педагогического работника",
            "position": "должность",
            "organization": "образовательная организация",
            "territory_genitive": "регион (в родительном падеже)",
            "direction": "направление (предмет)",
            "order_issuer": "орган, издавший приказ о включении в РМА",
            "order_date": "дата приказа о включении в РМА",
            "order_number": "номер приказа о включении в РМА",
        },
        build=_build_rma_certificate,
        sample=_sample_rma_certificate,
        title=_certificate_title,
    )
)


# --- the уведомление об отказе ------------------------------------------------------------------


def _refusal_title(data) -> str:
    return f"Уведомление об отказе во включении в состав РМА: {name_of(data['person']).full()}"


def _build_refusal(data: dict, requisites: DocumentRequisites) -> dict:
    """A letter to the applicant: addressed to them by name, «Уважаемая …!», the reasons."""
    return {
        **addressee_context(
            {
                "addressee_position": data["position"],
                "addressee_organization": data.get("addressee_organization") or data["organization"],
                "addressee_name": data["person"],
            }
        ),
        "subject": "Об отказе во включении в состав регионального методического актива",
        "territory_genitive": data["territory_genitive"],
        "application_number": data["application_number"],
        "application_date": date_numeric(as_date(data["application_date"])),
        "check_date": date_numeric(as_date(data["check_date"])),
        "reasons": [{"n": n, "text": reason["text"]} for n, reason in enumerate(data["reasons"], start=1)],
    }


def _sample_refusal(organization=None) -> dict:
    return {
        "addressee_organization": "МАОУ «СОШ № 7»",
        "person": {"last_name": "Зайцев", "first_name": "Лев", "middle_name": "Ильич", "sex": "m"},
        "position": "учитель физики",
        "organization": "Муниципальное автономное общеобразовательное учреждение «Средняя школа № 7»",
        "territory_genitive": "Пермского края",
        "application_number": "15",
        "application_date": "2026-11-22",
        "check_date": "2026-11-22",
        "reasons": [
            {
                "code": "experience_too_short",
                "text": "стаж по специальности 4 года 11 месяцев на 22.11.2026, требуется не менее 5 лет",
            }
        ],
    }


REFUSAL_SPEC = register(
    KindSpec(
        kind=REFUSAL_KIND,
        label="Уведомление об отказе во включении в состав РМА",
        template_name="rma_refusal.docx",
        file_label="Уведомление",
        required={
            "person": "ФИО педагогического работника",
            "position": "должность",
            "organization": "образовательная организация",
            "territory_genitive": "регион (в родительном падеже)",
            "application_number": "номер заявки",
            "application_date": "дата заявки",
            "check_date": "дата проверки критериев",
        },
        tables={"reasons": Table("основания отказа", {"text": "основание"})},
        build=_build_refusal,
        sample=_sample_refusal,
        title=_refusal_title,
        # The reasons of a refusal are personal data (152-ФЗ): seen only where the application is.
        artefact_model="rma.RmaApplication",
    )
)

# --- the справка о соответствии критериям (on request) ------------------------------------------


def _criteria_title(data) -> str:
    return f"Справка о соответствии критериям включения в РМА: {name_of(data['person']).full()}"


def _build_criteria_statement(data: dict, requisites: DocumentRequisites) -> dict:
    name = name_of(data["person"])
    municipality = data.get("municipality") or ""
    rows = [
        {
            "n": n,
            "title": row["title"],
            "required": row["required"],
            "actual": capitalize(row["actual"]),
            "mark": "соответствует" if row["met"] else "не соответствует",
        }
        for n, row in enumerate(data["criteria"], start=1)
    ]
    met = all(row["met"] for row in data["criteria"])
    return {
        **holder_context(data),
        "pronoun_prepositional": by_sex(name, "нём", "ней"),
        "municipality_clause": f", {municipality}" if municipality else "",
        "territory_genitive": data["territory_genitive"],
        "on_date": date_words(as_date(data["on_date"])),
        "application_number": data["application_number"],
        "application_date": date_numeric(as_date(data["application_date"])),
        "criteria": rows,
        "conclusion": (
            f"На указанную дату {by_sex(name, 'он', 'она')} соответствует "
            f"{'критерию' if len(rows) == 1 else 'всем критериям'} включения в состав регионального "
            "методического актива, установленным в регионе."
            if met
            else "На указанную дату выполнены не все критерии включения в состав регионального методического "
            "актива, установленные в регионе (см. таблицу)."
        ),
    }


def _sample_criteria_statement(organization=None) -> dict:
    return {
        "person": samples.person(1),
        "position": "учитель физики",
        "organization": "Муниципальное автономное общеобразовательное учреждение «Средняя школа № 3»",
        "municipality": "Березниковский городской округ",
        "territory_genitive": samples.territory_genitive(organization),
        "application_number": "12",
        "application_date": "2026-03-10",
        "on_date": "2026-03-10",
        "criteria": [
            {
                "title": "Квалификационная категория",
                "required": "высшая квалификационная категория",
                "actual": "высшая квалификационная категория, установлена 12.05.2023, действует до 11.05.2028 "
                "включительно",
                "met": True,
            },
            {
                "title": "Образование",
                "required": "высшее педагогическое образование",
                "actual": "Высшее — специалитет, педагогическое",
                "met": True,
            },
            {
                "title": "Стаж работы по специальности",
                "required": "не менее 5 лет",
                "actual": "7 лет 3 месяца",
                "met": True,
            },
        ],
        "executor": samples.EXECUTOR,
    }


CRITERIA_SPEC = register(
    KindSpec(
        kind=CRITERIA_KIND,
        label="Справка о соответствии критериям включения в РМА",
        template_name="rma_criteria_statement.docx",
        file_label="Справка о соответствии критериям",
        required={
            "person": "ФИО педагогического работника",
            "position": "должность",
            "organization": "образовательная организация",
            "territory_genitive": "регион (в родительном падеже)",
            "application_number": "номер заявки",
            "application_date": "дата заявки",
            "on_date": "дата, на которую указаны сведения",
        },
        tables={
            "criteria": Table(
                "критерии региона",
                {"title": "критерий", "required": "требование", "actual": "сведения о педагоге"},
            )
        },
        build=_build_criteria_statement,
        sample=_sample_criteria_statement,
        title=_criteria_title,
        artefact_model="rma.RmaCriteriaStatement",
    )
)

# --- the протокол (ведомость) результатов оценки по кандидатам ------------------------------------


def assessment_protocol_context(*, protocol, applications) -> dict:
    """The data of the ведомость: one row per candidate assessed in the period, with both scores,
    the pass marks that applied on the day (kept on the application) and the result by
    rules.assessment_check. `applications` come with person → organization → municipality and
    subjects prefetched."""
    from . import rules

    rows = []
    for application in applications:
        person = application.person
        organization = person.organization
        marks = rules.PassMarks(subject=application.subject_pass_mark, methodical=application.methodical_pass_mark)
        rows.append(
            {
                "application_id": application.pk,
                **person_data(person),
                "organization": organization.short_name or organization.name,
                "municipality": organization.municipality.name if organization.municipality else "—",
                "subjects": subject_names(application) or ["—"],
                "assessed_on": application.assessed_on.isoformat(),
                "subject_score": _score(application.subject_score),
                "methodical_score": _score(application.methodical_score),
                "subject_pass_mark": _score(marks.subject),
                "methodical_pass_mark": _score(marks.methodical),
                "passed": not rules.assessment_check(application.subject_score, application.methodical_score, marks),
            }
        )
    return {
        "territory_genitive": territory_genitive(protocol.region),
        "date_from": protocol.date_from.isoformat(),
        "date_to": protocol.date_to.isoformat(),
        "candidates": rows,
    }


def _period(data) -> str:
    date_from, date_to = as_date(data["date_from"]), as_date(data["date_to"])
    if date_from == date_to:
        return date_numeric(date_from)
    return f"с {date_numeric(date_from)} по {date_numeric(date_to)}"


def _protocol_title(data) -> str:
    return f"Ведомость результатов оценки кандидатов в РМА {data['territory_genitive']} ({_period(data)})"


def _build_assessment_protocol(data: dict, requisites: DocumentRequisites) -> dict:
    candidates = sorted(
        data["candidates"], key=lambda c: (c["assessed_on"], c["municipality"], c["last_name"], c["first_name"])
    )
    rows = []
    for n, candidate in enumerate(candidates, start=1):
        name = name_of(candidate)
        rows.append(
            {
                "n": n,
                "name": name.full(),
                "organization": candidate["organization"],
                "municipality": candidate["municipality"],
                "subjects": ", ".join(candidate["subjects"]),
                "date": date_numeric(as_date(candidate["assessed_on"])),
                "subject_score": decimal_ru(candidate["subject_score"]),
                "methodical_score": decimal_ru(candidate["methodical_score"]),
                "pass_marks": f"{decimal_ru(candidate['subject_pass_mark'])} / "
                f"{decimal_ru(candidate['methodical_pass_mark'])}",
                "result": by_sex(name, "прошёл", "прошла")
                if candidate["passed"]
                else by_sex(name, "не прошёл", "не прошла"),
            }
        )
    passed = sum(1 for candidate in candidates if candidate["passed"])
    return {
        "territory_genitive": data["territory_genitive"],
        "period": _period(data),
        "candidates": rows,
        "total_line": f"Оценено кандидатов: {len(rows)}, прошли оценку: {passed}, не прошли: {len(rows) - passed}.",
    }


def _sample_assessment_protocol(organization=None) -> dict:
    candidates = []
    for index, (subject, methodical) in enumerate([(84.5, 80), (72, 65.5), (91, 88), (70, 70)]):
        candidates.append(
            {
                "application_id": index + 1,
                **samples.person(index),
                "organization": f"МАОУ «СОШ № {index + 3}»",
                "municipality": ["Березники", "Кунгур"][index % 2],
                "subjects": [["Математика"], ["Физика", "Математика"]][index % 2],
                "assessed_on": "2026-03-15",
                "subject_score": subject,
                "methodical_score": methodical,
                "subject_pass_mark": 70.0,
                "methodical_pass_mark": 70.0,
                "passed": subject >= 70 and methodical >= 70,
            }
        )
    return {
        "territory_genitive": samples.territory_genitive(organization),
        "date_from": "2026-03-15",
        "date_to": "2026-03-15",
        "candidates": candidates,
    }


PROTOCOL_SPEC = register(
    KindSpec(
        kind=PROTOCOL_KIND,
        label="Ведомость результатов оценки кандидатов в РМА",
        template_name="rma_assessment_protocol.docx",
        file_label="Ведомость оценки",
        required={
            "territory_genitive": "регион (в родительном падеже)",
            "date_from": "начало периода оценки",
            "date_to": "конец периода оценки",
        },
        tables={
            "candidates": Table(
                "кандидаты",
                {
                    "last_name": "фамилия",
                    "first_name": "имя",
                    "organization": "образовательная организация",
                    "assessed_on": "дата оценки",
                    "subject_score": "предметные компетенции, %",
                    "methodical_score": "методические компетенции, %",
                    "subject_pass_mark": "проходной балл (предметные)",
                    "methodical_pass_mark": "проходной балл (методические)",
                },
            )
        },
        build=_build_assessment_protocol,
        sample=_sample_assessment_protocol,
        title=_protocol_title,
        artefact_model="rma.RmaAssessmentProtocol",
    )
)

KINDS = frozenset({LIST_ORDER_KIND, CERTIFICATE_KIND, REFUSAL_KIND, CRITERIA_KIND, PROTOCOL_KIND})
