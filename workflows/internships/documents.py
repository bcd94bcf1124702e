"""Documents of the selection of sites: DOC-2 приказ «Об утверждении перечня региональных
стажировочных площадок» (issued by the ministry on the commission's decision), the protocol of the
expert commission (issued by the ЦНППМПР, its number and date go into the приказ's preamble), the
справка on the status given to each selected organization, DOC-4b справка о прохождении
стажировки, and the приказ on one site's status (renewal, probation, its lifting, revocation).
The kinds are registered here, so that the documents app names no process; the data
builders at the end turn a call, its decision and its applications into plain document data."""

from __future__ import annotations

import datetime as dt

from documents import samples
from documents.errors import MissingFieldsError
from documents.grammar import HOURS, Case, date_numeric, date_words, inflect_phrase, quantity
from documents.kinds import (
    DocumentRequisites,
    KindSpec,
    Table,
    as_date,
    by_sex,
    capitalize,
    control_clause,
    decimal_ru,
    holder_context,
    is_blank,
    name_of,
    plain,
    register,
)

SITES_ORDER_KIND = "internship_sites_order"
CERTIFICATE_KIND = "internship_certificate"
PROTOCOL_KIND = "internship_commission_protocol"
SITE_CERTIFICATE_KIND = "internship_site_certificate"
SITE_STATUS_ORDER_KIND = "internship_site_status_order"
KINDS = frozenset({SITES_ORDER_KIND, CERTIFICATE_KIND, PROTOCOL_KIND, SITE_CERTIFICATE_KIND, SITE_STATUS_ORDER_KIND})

# The kind of site in the words of the documents (adjective of «площадка»): the seeds name
# «стажировочных (менторских) площадок» (003:L939) and «инновационных и стажировочных» (003:L1468).
KIND_ADJECTIVES = {
    "internship": ("стажировочная", "стажировочной", "стажировочных"),
    "mentor": ("менторская", "менторской", "менторских"),
    "innovation": ("инновационная", "инновационной", "инновационных"),
}


def kind_words(kind: str | None) -> dict:
    """«региональной стажировочной площадки» (genitive singular) and «региональных стажировочных
    площадок» (genitive plural) for a kind of site; an unknown or missing kind reads «стажировочная»."""
    _, singular, plural = KIND_ADJECTIVES.get(kind or "internship", KIND_ADJECTIVES["internship"])
    return {
        "site_genitive": f"региональной {singular} площадки",
        "sites_genitive": f"региональных {plural} площадок",
    }


# --- DOC-2 -----------------------------------------------------------------------------------


def _sites_title(data) -> str:
    return f"Об утверждении перечня {kind_words(data.get('kind'))['sites_genitive']} на {data['period']} годы"


def _curator(value) -> str:
    if isinstance(value, str):
        return value
    text = name_of(value).surname_initials()
    return f"{text}, {value['position']}" if value.get("position") else text


def _site_rows(sites) -> list[dict]:
    """One row of the annex per programme of a site: a site with several programmes gets its number,
    name, term and curator on its first row only (the rows below continue it). A site given with
    its programme inline (theme, target_group, format, hours) is one row."""
    rows = []
    for n, site in enumerate(sites, start=1):
        programmes = site.get("programmes") or [
            {key: site[key] for key in ("theme", "target_group", "format", "hours")}
        ]
        term = f"с {date_numeric(as_date(site['status_from']))} по {date_numeric(as_date(site['status_to']))}"
        for index, programme in enumerate(programmes):
            first = index == 0
            rows.append(
                {
                    "n": n if first else "",
                    "organization": site["organization"] if first else "",
                    "municipality": site["municipality"] if first else "",
                    "theme": programme["theme"],
                    "target_group": programme["target_group"],
                    "format": programme["format"],
                    "hours": str(programme["hours"]),
                    "term": term if first else "",
                    "curator": _curator(site["curator"]) if first else "",
                }
            )
    return rows


def _build_internship_sites_order(data: dict, requisites: DocumentRequisites) -> dict:
    for number, site in enumerate(data["sites"], start=1):
        programmes = site.get("programmes")
        if programmes is None and any(is_blank(site.get(key)) for key in ("theme", "target_group", "format", "hours")):
            raise MissingFieldsError(
                "Приказ об утверждении перечня стажировочных площадок",
                [f"перечень стажировочных площадок, строка {number}: программа стажировки"],
            )
    sites = _site_rows(data["sites"])
    return {
        **kind_words(data.get("kind")),
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
                "programmes": [{"theme": theme, "target_group": target, "format": form, "hours": [36, 24, 18][index]}]
                + (
                    [
                        {
                            "theme": "Наставничество молодых педагогов",
                            "target_group": "молодые педагоги",
                            "format": "групповая",
                            "hours": 16,
                        }
                    ]
                    if index == 0
                    else []
                ),
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


# --- the protocol of the expert commission -------------------------------------------------


def _protocol_title(data) -> str:
    return f"Протокол заседания экспертной комиссии по отбору {kind_words(data.get('kind'))['sites_genitive']}"


def _build_protocol(data: dict, requisites: DocumentRequisites) -> dict:
    rows = [
        {
            "n": n,
            "organization": row["organization"],
            "municipality": row["municipality"],
            "rating": row["rating"],
            "decision": "рекомендовать" if row["selected"] else "не рекомендовать",
            "reason": row.get("reason") or "—",
        }
        for n, row in enumerate(data["results"], start=1)
    ]
    return {
        **kind_words(data.get("kind")),
        "call_title": data["call_title"],
        "members": list(data["commission"]),
        "applications_total": str(data["applications_total"]),
        "reviewed_total": str(data["reviewed_total"]),
        "pass_threshold": str(data["pass_threshold"]),
        "criteria": [f"{c['title']} (вес {c['weight']}, до {c['max_score']} баллов)" for c in data["criteria"]],
        "selected_total": str(sum(1 for row in data["results"] if row["selected"])),
        "results": rows,
    }


def _sample_protocol(organization=None) -> dict:
    return {
        "kind": "internship",
        "call_title": "Отбор региональных стажировочных площадок на 2027–2029 годы",
        "commission": [
            "Петрова-Водкина М.И., руководитель ЦНППМПР, председатель комиссии",
            "Белых С.К., методист ЦНППМПР",
            "Ким О.С., старший преподаватель ИРО",
        ],
        "applications_total": 4,
        "reviewed_total": 3,
        "pass_threshold": "60",
        "criteria": [dict(c) for c in _default_criteria()],
        "results": [
            {
                "organization": "МАОУ «СОШ № 11»",
                "municipality": "Березниковский городской округ",
                "rating": "84,50",
                "selected": True,
                "reason": "",
            },
            {
                "organization": "МБОУ «Гимназия № 2»",
                "municipality": "Кунгурский муниципальный округ",
                "rating": "71,00",
                "selected": True,
                "reason": "",
            },
            {
                "organization": "МБОУ «СОШ № 5»",
                "municipality": "Кунгурский муниципальный округ",
                "rating": "52,25",
                "selected": False,
                "reason": "не набран проходной балл (60 из 100)",
            },
            {
                "organization": "МАОУ «Лицей № 1»",
                "municipality": "Березниковский городской округ",
                "rating": "—",
                "selected": False,
                "reason": "экспертиза заявки не завершена к заседанию комиссии",
            },
        ],
    }


def _default_criteria():
    from .rules import DEFAULT_CRITERIA

    return DEFAULT_CRITERIA


register(
    KindSpec(
        kind=PROTOCOL_KIND,
        label="Протокол экспертной комиссии по отбору площадок",
        template_name="internship_commission_protocol.docx",
        file_label="Протокол",
        required={
            "call_title": "название отбора",
            "commission": "состав экспертной комиссии",
            "applications_total": "число поданных заявок",
            "reviewed_total": "число рассмотренных заявок",
            "pass_threshold": "проходной балл",
            "criteria": "критерии оценки",
        },
        tables={
            "results": Table(
                "результаты экспертизы",
                {
                    "organization": "образовательная организация",
                    "municipality": "муниципальное образование",
                    "rating": "рейтинг",
                },
            )
        },
        build=_build_protocol,
        sample=_sample_protocol,
        title=_protocol_title,
        number_format="{n}",
    )
)


# --- the справка on the status of a site ---------------------------------------------------


def _site_certificate_title(data) -> str:
    return f"Справка о присвоении статуса {kind_words(data.get('kind'))['site_genitive']}: {data['organization']}"


def _build_site_certificate(data: dict, requisites: DocumentRequisites) -> dict:
    return {
        **kind_words(data.get("kind")),
        "organization_dative": inflect_phrase(data["organization"], Case.DATIVE),
        "municipality_clause": f" ({data['municipality']})" if data.get("municipality") else "",
        "order_issuer_genitive": inflect_phrase(data["order_issuer"], Case.GENITIVE),
        "order_date": date_numeric(as_date(data["order_date"])),
        "order_number": data["order_number"],
        "order_title": data["order_title"],
        "status_from": date_numeric(as_date(data["status_from"])),
        "status_to": date_numeric(as_date(data["status_to"])),
        "programmes": [
            f"«{p['theme']}» ({p['target_group']}, {p['format']}, {quantity(int(p['hours']), HOURS)})"
            for p in data["programmes"]
        ],
    }


def _sample_site_certificate(organization=None) -> dict:
    return {
        "kind": "internship",
        "organization": "Муниципальное автономное общеобразовательное учреждение «Средняя школа № 11»",
        "municipality": "Березниковский городской округ",
        "order_issuer": "Министерство образования и науки Пермского края",
        "order_date": "2027-08-25",
        "order_number": "12/ОД",
        "order_title": "Об утверждении перечня региональных стажировочных площадок на 2027-2029 годы",
        "status_from": "2027-09-01",
        "status_to": "2029-08-31",
        "programmes": [
            {"theme": "Медиаобразование", "target_group": "учителя информатики", "format": "групповая", "hours": 36}
        ],
        "executor": samples.EXECUTOR,
    }


register(
    KindSpec(
        kind=SITE_CERTIFICATE_KIND,
        label="Справка о присвоении статуса площадки",
        template_name="internship_site_certificate.docx",
        file_label="Справка",
        required={
            "organization": "образовательная организация",
            "order_issuer": "орган, издавший приказ",
            "order_date": "дата приказа",
            "order_number": "номер приказа",
            "order_title": "заголовок приказа",
            "status_from": "начало срока статуса",
            "status_to": "окончание срока статуса",
            "programmes": "программы стажировки",
        },
        build=_build_site_certificate,
        sample=_sample_site_certificate,
        title=_site_certificate_title,
    )
)


# --- the приказ on one site's status ----------------------------------------------------------

STATUS_ORDER_HEADINGS = {
    "renew": "О продлении срока статуса {site_genitive}",
    "probation": "Об установлении испытательного срока {site_dative}",
    "lift": "О снятии испытательного срока с {site_genitive}",
    "revoke": "О досрочном прекращении статуса {site_genitive}",
}


def _status_words(kind) -> dict:
    words = kind_words(kind)
    singular = words["site_genitive"].removeprefix("региональной ").removesuffix(" площадки")
    return {**words, "site_dative": f"региональной {singular} площадке"}


def _status_order_title(data) -> str:
    heading = STATUS_ORDER_HEADINGS[data["action"]].format(**_status_words(data.get("kind")))
    return f"{heading}: {data['organization']}"


def _status_points(data: dict) -> list[str]:
    """The points of the приказ, by the change it makes (the register and the control close it)."""
    words = _status_words(data.get("kind"))
    site, organization = words["site_genitive"], inflect_phrase(data["organization"], Case.GENITIVE)
    place = f" ({data['municipality']})" if data.get("municipality") else ""
    given = f"приказом от {date_numeric(as_date(data['order_date']))} № {data['order_number']}"
    action = data["action"]
    if action == "renew":
        points = [
            f"Продлить срок статуса {site} {organization}{place}, присвоенного {given}, "
            f"по {date_numeric(as_date(data['new_status_to']))}.",
            "Руководителю площадки обеспечить реализацию программ стажировки и ежегодное представление "
            "отчета о деятельности площадки.",
        ]
    elif action == "probation":
        until = date_numeric(as_date(data["probation_until"]))
        points = [
            f"Установить испытательный срок до {until} для {site} {organization}{place} (статус присвоен {given}).",
            f"Руководителю {organization} устранить замечания, указанные в основании настоящего приказа, "
            f"и до {until} представить информацию об их устранении в {data['methodical_center']}.",
            "По итогам испытательного срока принять решение о снятии испытательного срока или о досрочном "
            "прекращении статуса площадки.",
        ]
    elif action == "lift":
        probation = (
            f" приказом от {date_numeric(as_date(data['probation_order_date']))} № {data['probation_order_number']}"
            if data.get("probation_order_number")
            else ""
        )
        points = [
            f"Снять испытательный срок, установленный{probation} для {site} {organization}{place}; "
            f"статус площадки сохранить по {date_numeric(as_date(data['status_to']))}.",
        ]
    else:
        points = [f"Прекратить досрочно статус {site} {organization}{place}, присвоенный {given}."]
    points.append(
        f"{capitalize(inflect_phrase(data['methodical_center'], Case.DATIVE))} внести изменения в реестр "
        "региональных инновационных и стажировочных площадок."
    )
    points.append(f"Контроль за исполнением настоящего приказа {control_clause(data.get('control'))}.")
    return points


def status_order_text(data: dict) -> dict:
    """The heading and the points of the приказ on a site's status, as the template prints them."""
    return {
        "heading": STATUS_ORDER_HEADINGS[data["action"]].format(**_status_words(data.get("kind"))),
        "points": [{"n": n, "text": text} for n, text in enumerate(_status_points(data), start=1)],
    }


def _build_site_status_order(data: dict, requisites: DocumentRequisites) -> dict:
    if data["action"] not in STATUS_ORDER_HEADINGS:
        raise MissingFieldsError("Приказ об изменении статуса площадки", ["изменение статуса"])
    missing = {
        "renew": [("new_status_to", "новый срок статуса")],
        "probation": [("probation_until", "испытательный срок до")],
        "lift": [("status_to", "срок статуса")],
    }.get(data["action"], [])
    absent = [label for key, label in missing if is_blank(data.get(key))]
    if absent:
        raise MissingFieldsError("Приказ об изменении статуса площадки", absent)
    return {
        **status_order_text(data),
        "regulation": data["regulation"],
        "proposer_genitive": inflect_phrase(data["proposer"], Case.GENITIVE),
        "reason": data["reason"].strip().rstrip("."),
    }


def _sample_site_status_order(organization=None) -> dict:
    return {
        "kind": "internship",
        "action": "probation",
        "organization": "Муниципальное автономное общеобразовательное учреждение «Средняя школа № 11»",
        "municipality": "Березниковский городской округ",
        "regulation": DEFAULT_REGULATION_TEXT,
        "proposer": "Центр непрерывного повышения профессионального мастерства педагогических работников",
        "methodical_center": "Центр непрерывного повышения профессионального мастерства педагогических работников",
        "reason": "годовой отчет площадки за 2027/2028 учебный год не представлен в установленный срок",
        "order_date": "2027-08-25",
        "order_number": "12/ОД",
        "status_to": "2030-08-31",
        "probation_until": "2029-03-01",
    }


DEFAULT_REGULATION_TEXT = "Положением о региональных инновационных и стажировочных площадках"

register(
    KindSpec(
        kind=SITE_STATUS_ORDER_KIND,
        label="Приказ об изменении статуса площадки",
        template_name="internship_site_status_order.docx",
        file_label="Приказ",
        required={
            "action": "изменение статуса",
            "organization": "образовательная организация",
            "regulation": "положение о площадках (в творительном падеже)",
            "proposer": "организация, внесшая представление",
            "methodical_center": "организация, ведущая реестр площадок",
            "reason": "основание",
            "order_date": "дата приказа о присвоении статуса",
            "order_number": "номер приказа о присвоении статуса",
        },
        build=_build_site_status_order,
        sample=_sample_site_status_order,
        title=_status_order_title,
        number_format="{n}/ОД",
    )
)


# --- data of the documents from the selection's records -------------------------------------

NOT_FINISHED_REASON = "экспертиза заявки не завершена ко дню заседания комиссии"


def _programmes_of(application) -> list[dict]:
    return [
        {"theme": p.theme, "target_group": p.target_group, "format": p.format, "hours": p.hours}
        for p in application.programmes.all()
    ]


def _municipality(organization) -> str:
    return organization.municipality.name if organization.municipality_id else "—"


def _display_rating(application) -> str:
    return f"{application.rating:.2f}".replace(".", ",") if application.rating is not None else "—"


def protocol_context(*, call, decision, applications) -> dict:
    """The protocol's data: every application of the call in the ranked order (reviewed ones by
    rating, unfinished after them), with the commission's decision and reason."""
    return {
        "kind": call.kind,
        "call_title": call.title,
        "commission": decision.commission_members(),
        "applications_total": len(applications),
        "reviewed_total": sum(1 for a in applications if a.rating is not None),
        "pass_threshold": decimal_ru(call.pass_threshold, 2),
        "criteria": list(call.criteria),
        "results": [
            {
                "organization": a.organization.short_name or a.organization.name,
                "municipality": _municipality(a.organization),
                "rating": _display_rating(a),
                "selected": bool(a.proposed_selected),
                "reason": a.decision_reason,
            }
            for a in applications
        ],
    }


def sites_order_context(*, call, decision, selected) -> dict:
    protocol = decision.protocol
    return {
        "kind": call.kind,
        "period": f"{call.status_from.year}-{call.status_to.year}",
        "regulation": decision.regulation,
        "protocol_date": protocol.issued_on,
        "protocol_number": protocol.number,
        "report_due": decision.report_due,
        "methodical_center": call.organizer.name,
        "sites": [
            {
                "organization": a.organization.name,
                "municipality": _municipality(a.organization),
                "programmes": _programmes_of(a),
                "status_from": call.status_from,
                "status_to": call.status_to,
                "curator": a.curator_text,
            }
            for a in selected
        ],
    }


def site_certificate_context(*, site, order) -> dict:
    application = site.application
    return {
        "kind": site.kind,
        "organization": site.organization.name,
        "municipality": site.organization.place,  # "" where the name says it: «… г. Березники»
        "order_issuer": order.organization.name,
        "order_date": order.issued_on.isoformat(),
        "order_number": order.number,
        "order_title": order.title,
        "status_from": site.status_from.isoformat(),
        "status_to": site.status_to.isoformat(),
        "programmes": _programmes_of(application),
    }


def internship_certificate_context(*, internship) -> dict:
    """DOC-4b for a recorded internship: the trainee, their school, the site, the programme."""
    person = internship.person
    programme = internship.programme
    return {
        "person": plain(person),
        "position": person.position,
        "organization": person.organization.name,
        "date_from": internship.date_from.isoformat(),
        "date_to": internship.date_to.isoformat(),
        "site": internship.site.organization.name,
        "program": programme.theme,
        "hours": programme.hours,
        "format": programme.format,
        "result": internship.result,
    }


def site_status_order_context(*, change, proposer, probation_order=None) -> dict:
    """The приказ on a site's status from the proposed change: the site, the приказ that gave the
    status, who proposed it, the new term or the probation's end (and, lifting it, the приказ that
    set it)."""
    site = change.site
    order = site.order
    call = site.application.call
    decision = getattr(call, "decision", None)
    return {
        "kind": site.kind,
        "action": change.kind,
        "organization": site.organization.name,
        "municipality": site.organization.place,
        "regulation": decision.regulation if decision is not None else DEFAULT_REGULATION_TEXT,
        "proposer": proposer.name,
        "methodical_center": call.organizer.name,
        "reason": change.reason,
        "order_date": order.issued_on.isoformat(),
        "order_number": order.number,
        "status_to": site.status_to.isoformat(),
        "new_status_to": change.new_status_to.isoformat() if change.new_status_to else "",
        "probation_until": change.probation_until.isoformat() if change.probation_until else "",
        "probation_order_date": probation_order.issued_on.isoformat() if probation_order else "",
        "probation_order_number": probation_order.number if probation_order else "",
    }
