"""Documents of the РМА process: the data of DOC-1 (приказ «Об утверждении списка регионального
методического актива»), DOC-4a (справка о включении в состав РМА) and the справка об отказе.

The documents app owns templates, numbering and rendering; this module only turns applications
into the plain data a kind expects. The справка об отказе is not one of the seven shipped kinds:
it is registered here, through the documents registry; its template is
documents/templates/rma_refusal.docx, built with the others by documents/template_builder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from documents.grammar import Case, date_numeric, inflect_phrase
from documents.kinds import (
    DocumentKind,
    DocumentRequisites,
    KindSpec,
    Table,
    as_date,
    by_sex,
    name_of,
    register,
)
from orgstructure.models import Organization, OrganizationKind, Role

REFUSAL_KIND = "rma_refusal"
REFUSAL_LABEL = "Справка об отказе во включении в состав РМА"
DEFAULT_BASIS = (
    "Концепцией создания и развития региональной системы научно-методического сопровождения "
    "педагогических работников и управленческих кадров {territory}"
)


class IssuerMissing(Exception):
    """The region has no organization of the kind that issues the document."""


def regional_organization(region_id, kind: str) -> Organization:
    organization = (
        Organization.objects.filter(region_id=region_id, kind=kind)
        .select_related("region", "parent")
        .order_by("id")
        .first()
    )
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
    return ", ".join(sorted(subject.name for subject in application.subjects.all())) or "—"


def _diagnosis_score(application):
    if application.subject_score is None or application.methodical_score is None:
        return None
    return float((application.subject_score + application.methodical_score) / 2)


def _coordinators(region_id) -> list[dict]:
    """Приложение 2: the municipal РМА coordinators of the region (DOC-1, 003:L799)."""
    from orgstructure.models import Membership

    rows = []
    memberships = (
        Membership.objects.filter(role=Role.RMA_MUNI_COORDINATOR, is_active=True, organization__region_id=region_id)
        .select_related("user", "user__person", "organization__municipality")
        .order_by("organization__municipality__name", "id")
    )
    for membership in memberships:
        user = membership.user
        person = getattr(user, "person", None) if hasattr(user, "person") else None
        organization = membership.organization
        name = person_data(person) if person else {"last_name": user.last_name, "first_name": user.first_name}
        rows.append(
            {
                **name,
                "municipality": organization.municipality.name if organization.municipality else "—",
                "position": f"муниципальный координатор РМА, {organization.short_name or organization.name}",
                "phone": "",
            }
        )
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
                "diagnosis_score": _diagnosis_score(application),
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
        "municipality": organization.municipality.name if organization.municipality else "",
        "territory_genitive": territory_genitive(organization.region),
        "direction": subjects_text(application),
        "order_issuer": order.organization.name,
        "order_date": order.issued_on.isoformat(),
        "order_number": order.number,
    }


def refusal_context(*, application) -> dict:
    person = application.person
    organization = person.organization
    return {
        "person": person_data(person),
        "position": person.position,
        "organization": organization.name,
        "territory_genitive": territory_genitive(organization.region),
        "application_number": str(application.pk),
        "application_date": application.submitted_at.date().isoformat(),
        "check_date": application.check_date.isoformat(),
        "reasons": [{"code": item["code"], "text": item["message"]} for item in application.refusals],
    }


# --- the справка об отказе as a document kind --------------------------------------------------


@dataclass(frozen=True)
class _RmaKindSpec(KindSpec):
    """A kind registered by this app: DocumentKind (a closed list in the documents app) does not
    name it, so the label is carried here."""

    own_label: str = ""

    @property
    def label(self) -> str:
        return self.own_label


def _refusal_title(data) -> str:
    return f"Справка об отказе во включении в состав РМА: {name_of(data['person']).full()}"


def _build_refusal(data: dict, requisites: DocumentRequisites) -> dict:
    name = name_of(data["person"])
    return {
        "title": _refusal_title(data),
        "person_dative": name.full(Case.DATIVE),
        "position_dative": inflect_phrase(data["position"], Case.DATIVE),
        "organization_genitive": inflect_phrase(data["organization"], Case.GENITIVE),
        "pronoun": by_sex(name, "он", "она"),
        "included": by_sex(name, "включен", "включена"),
        "territory_genitive": data["territory_genitive"],
        "application_number": data["application_number"],
        "application_date": date_numeric(as_date(data["application_date"])),
        "check_date": date_numeric(as_date(data["check_date"])),
        "reasons": [{"n": n, "text": reason["text"]} for n, reason in enumerate(data["reasons"], start=1)],
    }


def _sample_refusal(organization=None) -> dict:
    return {
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
    _RmaKindSpec(
        kind=REFUSAL_KIND,
        template_name="rma_refusal.docx",
        file_label="Справка",
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
        own_label=REFUSAL_LABEL,
    )
)

# Re-exported for services: the shipped kinds this process issues.
LIST_ORDER_KIND = DocumentKind.RMA_LIST_ORDER
CERTIFICATE_KIND = DocumentKind.RMA_CERTIFICATE
