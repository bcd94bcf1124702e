"""Documents of individual educational routes (issue 13): DOC-3 «Индивидуальный образовательный
маршрут» with its «Лист согласования ИОМ», numbered in the «Реестр ИОМ» register of the region's
ЦНППМПР (the issuer; the school's director approves it, «УТВЕРЖДАЮ» — the signatory), and the
справка о выполнении ИОМ [inferred: DOMAIN §2(b)], issued by the ЦНППМПР when the curator confirms
the result. The context builders below read a route (services.py calls them); the kinds are
registered on import, so that the documents app names no process."""

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
from workflows.core.calendar import local_date

IOM_KIND = "iom"
NO_SCORE = "—"  # a deficit named without a diagnosis score


def _iom_title(data) -> str:
    return f"Индивидуальный образовательный маршрут: {name_of(data['teacher']).full()}"


def _yes_no(value) -> str:
    return "да" if value in (True, "да", "yes", 1, "1", "true") else "нет"


def _mark(item) -> str:
    """The «Отметка о выполнении» cell: «выполнено 22.11.2024; удостоверение (файл
    «udost.pdf»)…» or «не выполнено: причина»; empty while the activity is planned."""
    status = item.get("status") or ("done" if not is_blank(item.get("done_on")) else "")
    if status == "skipped":
        return f"не выполнено: {item.get('skip_reason') or 'причина не указана'}"
    if status != "done":
        return ""
    text = "выполнено" + (f" {date_numeric(as_date(item['done_on']))}" if not is_blank(item.get("done_on")) else "")
    evidence = [
        part
        for part in (
            item.get("note"),
            f"файл «{item['evidence_file']}»" if item.get("evidence_file") else "",
            f"ссылка: {item['evidence_link']}" if item.get("evidence_link") else "",
        )
        if part
    ]
    return f"{text}; подтверждение: {'; '.join(evidence)}" if evidence else text


def _build_iom(data: dict, requisites: DocumentRequisites) -> dict:
    items = []
    total = 0
    for n, item in enumerate(data["items"], start=1):
        hours = int(item["hours"])
        total += hours
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
                "done": _mark(item),
            }
        )
    competences = [
        {
            "competence": row["competence"],
            "score": decimal_ru(row["score"]) if row["score"] != NO_SCORE else NO_SCORE,
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
    if isinstance(tutor, str):
        tutor_text = tutor
    elif tutor.get("position"):
        tutor_text = f"{name_of(tutor).full()}, {tutor['position']}"
    else:
        tutor_text = name_of(tutor).full()
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
        "diagnosis_date": NO_SCORE
        if data["diagnosis_date"] == NO_SCORE
        else date_numeric(as_date(data["diagnosis_date"])),
        "diagnosis_organization": data["diagnosis_organization"],
        "competences": competences,
        "goal": data["goal"],
        "planned_results": data["planned_results"],
        "items": items,
        "total_hours": quantity(total, HOURS),
        "tutor": tutor_text,
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
                "status": "done",
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
                "status": "skipped",
                "skip_reason": "площадка перенесла стажировку на следующий учебный год",
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
                "status": "done",
                "done_on": "2025-04-17",
                "note": "открытый урок проведён для ШМО",
                "evidence_link": "https://school3.example.org/shmo/open-lesson",
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
        number_format="{n}/ИОМ",
    )
)


# --- a route as the documents read it --------------------------------------------------------


def _person_data(person) -> dict:
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "sex": person.sex,
    }


def _curator(route) -> dict:
    user = route.curator
    person = getattr(user, "person", None) if user is not None else None
    from orgstructure.models import Role

    position = ""
    if route.curator_role:
        position = {Role.RMA_MEMBER: "региональный методист (член РМА)", Role.CNPPM_METHODIST: "методист ЦНППМПР"}.get(
            route.curator_role, Role(route.curator_role).label
        )
    if person is not None:
        return {**_person_data(person), "position": position}
    # a curator with no teacher record: the name as the account holds it (no declension needed)
    name = " ".join(part for part in (user.last_name, user.first_name) if part) if user else ""
    return ", ".join(part for part in (name or (user.username if user else "—"), position) if part)


def school_signatory(route) -> dict | None:
    """The director of the teacher's school approves the ИОМ («УТВЕРЖДАЮ»); None: the issuer's head."""
    school = route.person.organization
    if school.head_name and school.head_position:
        return {"full_name": school.head_name, "position": school.head_position}
    return None


def _deficit_text(deficit) -> str:
    """The «Дефицит (задача)» cell: the deficit and, when set, the task the route sets for it."""
    return f"{deficit.description} (задача: {deficit.goal})" if deficit.goal else deficit.description


def route_context(route) -> dict:
    """DOC-3 data of a route (its deficits, plan and «Лист согласования»)."""
    from .rules import EDUCATION_TYPE

    person = route.person
    today = route.registered_on
    diagnosis = getattr(route, "diagnosis", None)
    deficits = list(route.deficits.all())
    by_area: dict[str, list] = {}
    for deficit in deficits:
        by_area.setdefault(deficit.area, []).append(deficit)
    from .rules import CompetencyArea

    scores = {}
    if diagnosis is not None:
        scores = {row.area: row.score for row in diagnosis.scores.all()}
    competences = []
    for area in CompetencyArea:
        found = by_area.get(area.value, [])
        score = scores.get(area.value)
        if score is None:
            score = next((d.score for d in found if d.score is not None), None)
        if score is None and not found:
            continue
        competences.append(
            {
                "competence": area.label,
                "score": score if score is not None else NO_SCORE,
                "deficit": "; ".join(d.description for d in found),
            }
        )
    items = []
    for activity in route.activities.all():
        provider = activity.provider.short_name or activity.provider.name if activity.provider_id else ""
        if activity.mentor_id:
            provider = f"наставник {activity.mentor.full_name}" + (f", {provider}" if provider else "")
        items.append(
            {
                "deficit": _deficit_text(activity.deficit) if activity.deficit_id else "—",
                "activity": activity.title,
                "form": activity.get_kind_display() + (" (ФР ДПП)" if activity.in_federal_register else ""),
                "edu_type": EDUCATION_TYPE.get(activity.kind, ""),
                "provider": provider or activity.provider_text,
                "hours": activity.hours,
                "due": activity.due_on,
                "report_form": activity.expected_result,
                "status": activity.status,
                "done_on": activity.done_on if activity.status == "done" else None,
                "note": activity.note if activity.status == "done" else "",
                "evidence_file": activity.evidence_name if activity.status == "done" and activity.evidence else "",
                "evidence_link": activity.evidence_link if activity.status == "done" else "",
                "skip_reason": activity.skip_reason if activity.status == "skipped" else "",
            }
        )
    approvals = [
        {
            "role": row.position,
            "name": row.name,
            "decision": row.get_decision_display(),
            "comment": row.comment,
            "date": local_date(row.decided_at, person.organization.region.timezone),  # the region's day, not UTC's
        }
        for row in route.approvals.all()
    ]
    experience = person.specialty_experience_on(today).years if today else 0
    subjects = ", ".join(subject.name for subject in person.subjects.all()) or "—"
    return {
        "teacher": _person_data(person),
        "position": person.position,
        "subject": subjects,
        "organization": person.organization.short_name or person.organization.name,
        "municipality": person.organization.municipality.name if person.organization.municipality_id else "—",
        "category": person.category_on(today) if today else person.category,
        "experience_years": experience,
        "is_young": person.is_young_teacher(today) if today else False,
        "period_from": route.period_from,
        "period_to": route.period_to,
        "diagnosis_date": diagnosis.diagnosed_on if diagnosis is not None else NO_SCORE,
        "diagnosis_organization": (diagnosis.organization.short_name or diagnosis.organization.name)
        if diagnosis is not None
        else "диагностика не проводилась; дефициты названы в запросе и при разработке маршрута",
        "competences": competences,
        "goal": route.goal,
        "planned_results": route.planned_results or "—",
        "items": items,
        "tutor": _curator(route),
        "approvals": approvals,
    }


# --- справка о выполнении ИОМ ----------------------------------------------------------------

COMPLETION_KIND = "iom_completion_certificate"


def _completion_title(data) -> str:
    return f"Справка о выполнении ИОМ: {name_of(data['person']).full()}"


def _build_completion(data: dict, requisites: DocumentRequisites) -> dict:
    from documents.kinds import by_sex, holder_context

    activities = []
    done = 0
    for n, item in enumerate(data["activities"], start=1):
        if item["status"] == "done":
            done += 1
            hours = quantity(int(item["hours"]), HOURS)
            text = f"{item['title']} ({hours}) — выполнено {date_numeric(as_date(item['done_on']))}"
        else:
            text = f"{item['title']} — не выполнено: {item.get('reason') or 'причина не указана'}"
        activities.append({"n": n, "text": text})
    total = sum(int(item["hours"]) for item in data["activities"] if item["status"] == "done")
    municipality = data["municipality"]
    where = f", {municipality}" if municipality and municipality not in data["organization"] else ""
    return {
        **holder_context(data),
        "municipality_clause": where,
        "completed": by_sex(name_of(data["person"]), "выполнил", "выполнила"),
        "period_from": date_numeric(as_date(data["period_from"])),
        "period_to": date_numeric(as_date(data["period_to"])),
        "route_number": data["route_number"],
        "registered_on": date_numeric(as_date(data["registered_on"])),
        "theme": data["theme"],
        "total_hours": quantity(total, HOURS),
        "done_count": str(done),
        "activity_count": str(len(activities)),
        "activities": activities,
        "result": data["result"],
        "curator": _curator_text(data["curator"]),
    }


def _curator_text(curator) -> str:
    if isinstance(curator, str):
        return curator
    text = name_of(curator).full()
    return f"{text}, {curator['position']}" if curator.get("position") else text


def _sample_completion(organization=None) -> dict:
    return {
        "person": samples.person(0),
        "position": "учитель математики",
        "organization": "МАОУ «СОШ № 3»",
        "municipality": "Березниковский городской округ",
        "period_from": "2024-09-01",
        "period_to": "2025-05-31",
        "route_number": "17/ИОМ",
        "registered_on": "2024-09-02",
        "theme": "Формирующее оценивание на уроках математики",
        "activities": [
            {
                "title": "Курсы «Функциональная грамотность учителя»",
                "hours": 18,
                "status": "done",
                "done_on": "2024-11-22",
            },
            {
                "title": "Стажировка на площадке МАОУ «СОШ № 11»",
                "hours": 24,
                "status": "skipped",
                "reason": "площадка перенесла стажировку на следующий год",
            },
        ],
        "result": "комплект заданий для формирующего оценивания (7 класс) применяется в работе ШМО",
        "curator": samples.person(2, position="региональный методист"),
        "executor": samples.EXECUTOR,
    }


register(
    KindSpec(
        kind=COMPLETION_KIND,
        label="Справка о выполнении ИОМ",
        template_name="iom_completion_certificate.docx",
        file_label="Справка",
        required={
            "person": "ФИО педагогического работника",
            "position": "должность",
            "organization": "образовательная организация",
            "municipality": "муниципальное образование",
            "period_from": "начало периода",
            "period_to": "окончание периода",
            "route_number": "номер в реестре ИОМ",
            "registered_on": "дата регистрации",
            "theme": "тема маршрута",
            "result": "подтвержденный результат",
            "curator": "куратор ИОМ",
        },
        tables={"activities": Table("мероприятия", {"title": "мероприятие", "status": "выполнение"})},
        build=_build_completion,
        sample=_sample_completion,
        title=_completion_title,
    )
)


def completion_context(route) -> dict:
    person = route.person
    return {
        "person": _person_data(person),
        "position": person.position,
        "organization": person.organization.short_name or person.organization.name,
        "municipality": person.organization.municipality.name if person.organization.municipality_id else "—",
        "period_from": route.period_from,
        "period_to": route.period_to,
        "route_number": route.number,
        "registered_on": route.registered_on,
        "theme": route.theme or route.goal,
        "activities": [
            {"title": a.title, "hours": a.hours, "status": a.status, "done_on": a.done_on, "reason": a.skip_reason}
            for a in route.activities.all()
        ],
        "result": route.result,
        "curator": _curator(route),
    }


# The справка о результатах диагностики registers its kind with the ИОМ app.
from .diagnostics import documents as diagnostics_documents  # noqa: E402, F401
