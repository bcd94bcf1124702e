"""Reads of the РМА process, always through the user's scope (orgstructure.access): an object
outside it answers 404 exactly like a missing one. Also «who acts on a step»: the organization in
which a role does an application's task."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from viewflow.workflow.models import Process, Task

from common import keyset
from documents.models import IssuedDocument
from orgstructure import access
from orgstructure.models import Membership, Organization, OrganizationKind, QualificationCategory, Role
from workflows.core.audit import history
from workflows.core.deadlines import with_absence_hint
from workflows.core.flowkit import remember_artefact, remembered_artefact

from .models import MEMBER_STATUSES, RmaApplication, RmaApplicationFile, RmaList, Status

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
        user, RmaApplicationFile.objects.select_related("application"), pk=pk, application_id=application_id
    )


def history_of(obj) -> list:
    """The audit trail of an application or a list, oldest first, with the actors."""
    return list(history(obj))


def application_documents(*, user, application) -> list[IssuedDocument]:
    """Issued documents about the application (справка об отказе, справка о включении) and the
    приказ of its list, as far as the user may download them."""
    condition = Q(artefact_type=ContentType.objects.get_for_model(RmaApplication), artefact_id=str(application.pk))
    if application.rma_list_id and application.rma_list.order_id:
        condition |= Q(pk=application.rma_list.order_id)
    queryset = IssuedDocument.objects.filter(condition).select_related("organization")
    return list(access.scope_queryset(user, queryset).order_by("issued_on", "id"))


def application_processes(application) -> list[Process]:
    return list(
        Process.objects.filter(
            artifact_content_type=ContentType.objects.get_for_model(RmaApplication), artifact_object_id=application.pk
        ).order_by("created", "id")
    )


def open_tasks_of(application) -> list[Task]:
    processes = Process.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(RmaApplication), artifact_object_id=application.pk
    )
    return list(
        Task.objects.filter(process__in=processes, status__in=("NEW", "ASSIGNED", "STARTED"), flow_task_type="HUMAN")
        .select_related("process", "owner")
        .order_by("created")
    )


def application_of_process(process) -> RmaApplication | None:
    """The application a process is about; read once per process object (flowkit keeps the one a
    step has just changed)."""
    if process.artifact_object_id is None:
        return None
    application = remembered_artefact(process, RmaApplication)
    if application is None:
        application = (
            RmaApplication.objects.select_related("person__organization__region", "person__organization__municipality")
            .filter(pk=process.artifact_object_id)
            .first()
        )
        remember_artefact(process, application)
    return application


def list_of_process(process) -> RmaList | None:
    if process.artifact_object_id is None:
        return None
    return RmaList.objects.select_related("region").filter(pk=process.artifact_object_id).first()


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
    from orgstructure.models import Person

    from .permissions import REACH, SUBMIT_ROLES

    if user.is_superuser:
        return Person.objects.select_related("organization").order_by("last_name", "first_name", "id")
    condition = Q(pk__in=[])
    own = getattr(user, "person", None) if hasattr(user, "person") else None
    for membership in access.memberships_with_role(user, *SUBMIT_ROLES):
        level = REACH[membership.role]
        organization = membership.organization
        if level == access.Level.PERSON and own is not None:
            condition |= Q(pk=own.pk)
        elif level == access.Level.ORGANIZATION:
            condition |= Q(organization_id=organization.pk)
        elif level == access.Level.MUNICIPALITY and organization.municipality_id:
            condition |= Q(organization__municipality_id=organization.municipality_id)
    return Person.objects.filter(condition).select_related("organization").order_by("last_name", "first_name", "id")


# --- the register «Список РМА» ----------------------------------------------------------------------


def register_queryset(*, user, municipality_id=None, subject_id=None):
    """Current members in the user's scope (a flagged member stays one until the decision)."""
    queryset = RmaApplication.objects.filter(status__in=MEMBER_STATUSES).select_related(
        "person__organization__municipality", "rma_list"
    )
    queryset = access.scope_queryset(user, queryset)
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


# --- who acts on a step -----------------------------------------------------------------------------


def regional_body(region_id, kind: str) -> Organization | None:
    return Organization.objects.filter(region_id=region_id, kind=kind).select_related("region").order_by("id").first()


def coordinator_organization(municipality_id, region_id) -> Organization | None:
    """Where the municipal РМА coordinators of the municipality work (an education authority or a
    methodical service, 003:L799); the education authority when none is appointed yet."""
    membership = (
        Membership.objects.filter(
            role=Role.RMA_MUNI_COORDINATOR, is_active=True, organization__municipality_id=municipality_id
        )
        .select_related("organization__region")
        .order_by("id")
        .first()
    )
    if membership is not None:
        return membership.organization
    return (
        Organization.objects.filter(municipality_id=municipality_id, kind=OrganizationKind.MUNI_AUTHORITY)
        .select_related("region")
        .order_by("id")
        .first()
    )


def sole_holder(*, role: str, organization):
    """The only active user holding `role` in `organization`, or None (then the task waits in the
    queue of everyone holding it)."""
    if organization is None:
        return None
    holders = list(
        with_absence_hint(
            get_user_model().objects.filter(
                is_active=True,
                memberships__role=role,
                memberships__organization=organization,
                memberships__is_active=True,
            )
        )[:2]
    )
    return holders[0] if len(holders) == 1 else None


def assignee(user_id):
    """A user about to be given a new task (read with the substitution check the task's save
    would otherwise make)."""
    if user_id is None:
        return None
    return with_absence_hint(get_user_model().objects.filter(pk=user_id)).first()
