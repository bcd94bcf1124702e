"""Reads of the РМА process, always through the user's scope (orgstructure.access): an object
outside it answers 404 exactly like a missing one. Who acts on a step is the kit's
(workflows.core.flowkit.routing); the history is workflows.core.state.history_rows."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.http import Http404

from common import keyset
from documents.models import IssuedDocument
from documents.selectors import issued_document_scope
from orgstructure import access
from orgstructure.models import QualificationCategory, Region, Role

from . import permissions
from .models import (
    MEMBER_STATUSES,
    RmaApplication,
    RmaApplicationFile,
    RmaAssessmentProtocol,
    RmaCriteriaStatement,
    RmaList,
    Status,
)

REGISTER_PAGE_SIZE = 100
REGISTER_ORDERING = ("person__last_name", "person__first_name", "id")


# --- applications -----------------------------------------------------------------------------------


def _application_queryset():
    return RmaApplication.objects.select_related(
        "person__organization__municipality", "person__organization__region", "submitted_by", "rma_list"
    ).prefetch_related("subjects")


def api_application_list(*, user, status: str = "", municipality_id=None):
    queryset = access.scope_queryset(user, _application_queryset().prefetch_related("files"))
    if status:
        queryset = queryset.filter(status=status)
    if municipality_id:
        queryset = queryset.filter(person__organization__municipality_id=municipality_id)
    return queryset


def application_list(*, user, status: str = "", municipality_id=None, limit: int = 200):
    """The newest applications in scope, for the page (the API pages through all of them)."""
    queryset = api_application_list(user=user, status=status, municipality_id=municipality_id)
    return queryset.order_by("-submitted_at", "-id")[:limit]


def application_get(*, user, pk, action: access.Action = access.Action.VIEW) -> RmaApplication:
    return access.get_for_user_or_404(user, _application_queryset(), action, pk=pk)


def application_file_get(*, user, application_id, pk) -> RmaApplicationFile:
    return access.get_for_user_or_404(
        user, RmaApplicationFile.objects.select_related("application__person"), pk=pk, application_id=application_id
    )


def application_documents(*, user, application) -> list[IssuedDocument]:
    """Issued documents about the application (справка об отказе, справка о включении) and the
    приказ of its list, as far as the user may download them."""
    condition = Q(artefact_type=ContentType.objects.get_for_model(RmaApplication), artefact_id=str(application.pk))
    condition |= Q(
        artefact_type=ContentType.objects.get_for_model(RmaCriteriaStatement),
        artefact_id__in=[str(pk) for pk in application.criteria_statements.values_list("pk", flat=True)],
    )
    if application.rma_list_id and application.rma_list.order_id:
        condition |= Q(pk=application.rma_list.order_id)
    queryset = IssuedDocument.objects.filter(condition).select_related("organization")
    return list(issued_document_scope(user, queryset).order_by("issued_on", "id"))


def list_get(*, user, pk) -> RmaList:
    return access.get_for_user_or_404(user, RmaList.objects.select_related("region", "order"), pk=pk)


def list_members(rma_list):
    return (
        rma_list.applications.select_related("person__organization__municipality")
        .prefetch_related("subjects")
        .order_by("person__organization__municipality__name", "person__last_name", "id")
    )


def person_for_submission_or_404(*, user, person_id):
    """A teacher the user may file for; anyone else answers 404, like a missing id."""
    person = persons_for_submission(user=user).filter(pk=person_id).first()
    if person is None:
        raise Http404("Объект не найден")
    return person


def persons_for_submission(*, user):
    """The teachers the user may file an application for (acting scope of the submitting roles)."""
    return permissions.persons_for_submission(user)


# --- the register «Список РМА» ----------------------------------------------------------------------


def register_queryset(*, user, municipality_id=None, subject_id=None):
    """Current members in the user's scope (a flagged member stays one until the decision)."""
    queryset = RmaApplication.objects.filter(status__in=MEMBER_STATUSES).select_related(
        "person__organization__municipality", "rma_list"
    )
    # The register is what the приказ made public inside the scope (name, school, subjects), so it
    # reads by the generic matrix; the applications behind it only by their handlers.
    queryset = access.scope_queryset(user, queryset, handlers=False)
    if municipality_id:
        queryset = queryset.filter(person__organization__municipality_id=municipality_id)
    if subject_id:
        queryset = queryset.filter(subjects__id=subject_id)
    return queryset.prefetch_related("subjects").order_by(*REGISTER_ORDERING)


def register_page(
    *, user, municipality_id=None, subject_id=None, cursor: str = "", page_size: int | None = None
) -> keyset.Page:
    """One keyset page (last name, first name, id) of the register: the same few queries on any
    page, whatever the size of the region."""
    queryset = register_queryset(user=user, municipality_id=municipality_id, subject_id=subject_id)
    return keyset.page(queryset, REGISTER_ORDERING, cursor, page_size or REGISTER_PAGE_SIZE)


def lapsed_members(*, on_date: dt.date):
    """Members whose высшая категория is no longer in force on the date (the nightly scan)."""
    return (
        RmaApplication.objects.filter(status=Status.ADMITTED)
        .filter(~Q(person__category=QualificationCategory.HIGHEST) | Q(person__category_valid_until__lt=on_date))
        .order_by("id")
    )


# --- the ведомости результатов оценки (ЦОПМКП) ---------------------------------------------------------


def issues_assessment_protocols(user) -> bool:
    """ЦОПМКП's officials (and a superuser) have the page «Ведомости оценки»."""
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or access.has_role(user, Role.COPMKP_ASSESSOR)
    )


def assessment_regions(*, user):
    """The regions whose ведомости результатов оценки the user issues: where they hold the role of
    ЦОПМКП (a superuser: every region with results)."""
    if access.is_unrestricted(user):
        return Region.objects.filter(
            pk__in=RmaApplication.objects.filter(assessed_on__isnull=False).values("person__organization__region_id")
        ).order_by("name")
    ids = {m.organization.region_id for m in access.memberships_with_role(user, Role.COPMKP_ASSESSOR)}
    return Region.objects.filter(pk__in=ids).order_by("name")


def assessment_days(*, region_id, limit: int = 100) -> list[dict]:
    """The region's assessment dates, newest first, with how many candidates were assessed, how
    many passed (both scores at or above the pass marks that applied — rules.assessment_check) and
    how many are in no ведомость yet: one query."""
    return list(
        RmaApplication.objects.filter(
            person__organization__region_id=region_id,
            assessed_on__isnull=False,
            subject_score__isnull=False,
            methodical_score__isnull=False,
        )
        .values("assessed_on")
        .annotate(
            total=Count("id"),
            passed=Count(
                "id",
                filter=Q(subject_score__gte=F("subject_pass_mark"), methodical_score__gte=F("methodical_pass_mark")),
            ),
            unreferenced=Count("id", filter=Q(assessment_reference="")),
        )
        .order_by("-assessed_on")[:limit]
    )


def assessment_protocols(*, user, region_id, limit: int = 50) -> list[tuple[RmaAssessmentProtocol, IssuedDocument]]:
    """The region's ведомости in force, newest period first, as far as the user may read them."""
    protocols = {
        str(protocol.pk): protocol
        for protocol in access.scope_queryset(user, RmaAssessmentProtocol.objects.filter(region_id=region_id))
    }
    documents = issued_document_scope(
        user,
        IssuedDocument.objects.filter(
            artefact_type=ContentType.objects.get_for_model(RmaAssessmentProtocol),
            artefact_id__in=list(protocols),
            superseded_at__isnull=True,
        ),
    ).order_by("-issued_on", "-id")[:limit]
    return [(protocols[document.artefact_id], document) for document in documents]
