"""Writes of diagnosis results, each in one transaction with its audit event: a result entered by
hand, and the справка о результатах диагностики (issued by a worker after commit). The import of
a whole file is importing.py.

Who enters results: ЦОПМКП's experts (Role.COPMKP_ASSESSOR), for the teachers of its region
(«Проведение диагностических процедур …» — МОН ПК, ЦОПМКП, 003:L1493); the справка is issued by
the ЦОПМКП that diagnosed (003:L1494)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, InvalidInput
from orgstructure import access
from orgstructure.models import Organization, OrganizationKind, Role
from programmes.models import CompetencyArea
from programmes.selectors import programmes_for_areas
from workflows.core.audit import record_event

from .models import DiagnosisDeficit, DiagnosisResult, DiagnosisScore, DiagnosisSource
from .selectors import reuse_months

ENTRY_ROLES = (Role.COPMKP_ASSESSOR,)
REACH = {Role.COPMKP_ASSESSOR: access.Level.REGION}
AUDIT_CREATED = "diagnosis_entered"
AUDIT_CERTIFICATE = "diagnosis_certificate_requested"


def entering_organizations(user):
    """The ЦОПМКП organizations on whose behalf the user enters results."""
    organizations = Organization.objects.filter(kind=OrganizationKind.COPMKP).order_by("name")
    if access.is_unrestricted(user):
        return organizations
    ids = [m.organization_id for m in access.memberships_with_role(user, *ENTRY_ROLES)]
    return organizations.filter(pk__in=ids)


def can_enter(user) -> bool:
    return entering_organizations(user).exists()


def _check_actor(actor, organization, person) -> None:
    if not entering_organizations(actor).filter(pk=organization.pk).exists():
        raise ActionForbidden("Результаты диагностики вносит эксперт ЦОПМКП от имени своей организации")
    if person.organization.region_id != organization.region_id:
        raise ActionForbidden("Педагог работает в другом регионе: его результаты вносит ЦОПМКП его региона")


@transaction.atomic
def diagnosis_create(
    *,
    actor,
    organization: Organization,
    person,
    diagnosed_on: dt.date,
    instrument: str,
    scores: dict[str, Decimal],
    deficits: dict[str, list[str]],
    comment: str = "",
) -> DiagnosisResult:
    """One result entered by hand (the same rules as a row of the import)."""
    _check_actor(actor, organization, person)
    errors: dict[str, list[str]] = {}
    if diagnosed_on > timezone.localdate():
        errors.setdefault("diagnosed_on", []).append(f"Дата диагностики {diagnosed_on:%d.%m.%Y} ещё не наступила")
    if not instrument.strip():
        errors.setdefault("instrument", []).append("Укажите диагностический инструментарий")
    if not scores:
        errors.setdefault("__all__", []).append("Нет ни одного результата по областям компетенций (0–100 %)")
    for area, value in scores.items():
        if area not in CompetencyArea.values or not (0 <= value <= 100):
            errors.setdefault(f"score_{area}", []).append("Результат — от 0 до 100 %")
    if errors:
        raise InvalidInput(errors)
    if DiagnosisResult.objects.filter(person=person, diagnosed_on=diagnosed_on, instrument=instrument.strip()).exists():
        raise ActionRefused(f"Результат этого педагога от {diagnosed_on:%d.%m.%Y} по этому инструментарию уже внесён")
    try:
        with transaction.atomic():
            result = DiagnosisResult.objects.create(
                person=person,
                diagnosed_on=diagnosed_on,
                instrument=instrument.strip(),
                organization=organization,
                source=DiagnosisSource.MANUAL,
                comment=comment.strip(),
                entered_by=actor,
            )
    except IntegrityError as exc:
        raise ActionRefused("Результат этого педагога с той же датой и инструментарием уже внесён") from exc
    DiagnosisScore.objects.bulk_create(DiagnosisScore(result=result, area=a, score=v) for a, v in scores.items())
    DiagnosisDeficit.objects.bulk_create(
        DiagnosisDeficit(result=result, area=area, title=title)
        for area, titles in deficits.items()
        for title in dict.fromkeys(t.strip() for t in titles if t.strip())
    )
    record_event(
        actor=actor,
        obj=result,
        event=AUDIT_CREATED,
        comment=f"Внесён результат диагностики: {person}",
        data={"organization": organization.pk},
    )
    return result


def _person_data(person) -> dict:
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "sex": person.sex,
    }


def certificate_context(result: DiagnosisResult) -> dict:
    """The справка's data (JSON-friendly, for the issue job)."""
    person = result.person
    school = person.organization
    scores = {row.area: row.score for row in result.scores.all()}
    deficits: dict[str, list[str]] = {}
    for row in result.deficits.all():
        deficits.setdefault(row.area, []).append(row.title)
    programmes = (
        programmes_for_areas(
            areas=list(deficits),
            subject_ids=list(person.subjects.values_list("id", flat=True)),
            region_id=school.region_id,
        )[:5]
        if deficits
        else []
    )
    valid_until = result.diagnosed_on + relativedelta(months=reuse_months(school.region_id)) - dt.timedelta(days=1)
    return {
        "person": _person_data(person),
        "position": person.position,
        "organization": school.short_name or school.name,
        "municipality": school.municipality.name if school.municipality else school.region.name,
        "diagnosed_on": result.diagnosed_on.isoformat(),
        "diagnosed_by": result.organization.name,
        "instrument": result.instrument,
        "areas": [
            {"label": label, "score": str(scores[area]) if area in scores else None, "deficits": deficits.get(area, [])}
            for area, label in CompetencyArea.choices
        ],
        "programmes": [
            f"«{p.title}», {p.provider}, {p.hours} ч" + (" (в ФР ДПП)" if p.in_federal_register else "")
            for p in programmes
        ],
        "valid_until": valid_until.isoformat(),
    }


@transaction.atomic
def diagnosis_certificate_request(*, actor, result: DiagnosisResult) -> None:
    """Queue the справка (issued after commit by the documents worker; issued once per result —
    a second request returns the same document)."""
    from documents.tasks import document_issue_later

    from .documents import DIAGNOSIS_CERTIFICATE_KIND

    if not entering_organizations(actor).filter(pk=result.organization_id).exists():
        raise ActionForbidden("Справку выпускает ЦОПМКП, проводивший диагностику")
    document_issue_later(
        kind=DIAGNOSIS_CERTIFICATE_KIND,
        issuing_organization=result.organization,
        artefact=result,
        context=certificate_context(result),
        signatory=None,  # the head of the ЦОПМКП, as recorded on the organization
        issued_on=timezone.localdate(),
        actor=actor,
        person=result.person,
    )
    record_event(
        actor=actor, obj=result, event=AUDIT_CERTIFICATE, comment="Запрошена справка о результатах диагностики"
    )
