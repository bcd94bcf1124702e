"""Reads of the catalogue. Programmes are public reference data (the federal register itself is
public): a signed-in user sees the programmes of the providers of every region they hold a role
in; a superuser, every region. Managing the catalogue (the import) is for the region's ИРО, whose
plan of courses it is (003:L1498), the ЦНППМПР coordinator, who develops ДПП for ФР ДПП
(003:L1497–1499), and the system administrator."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from common import keyset
from orgstructure import access
from orgstructure.models import Organization, Role

from .models import Programme, ProgrammeArea, ProgrammeGroup

MANAGER_ROLES = (Role.IRO_STAFF, Role.CNPPM_COORDINATOR, Role.PD_ADMIN)
PAGE_SIZE = 50
ORDERING = ("title", "id")


def region_ids(user) -> set[int] | None:
    """The regions whose catalogue the user reads; None: every region (a superuser)."""
    if access.is_unrestricted(user):
        return None
    return {membership.organization.region_id for membership in access.active_memberships(user)}


def managed_region_ids(user) -> set[int] | None:
    if access.is_unrestricted(user):
        return None
    return {m.organization.region_id for m in access.memberships_with_role(user, *MANAGER_ROLES)}


def can_manage(user) -> bool:
    ids = managed_region_ids(user)
    return ids is None or bool(ids)


def programme_queryset(*, user):
    regions = region_ids(user)
    queryset = Programme.objects.all()
    if regions is not None:
        queryset = queryset.filter(provider__region_id__in=regions)
    return queryset


def with_details(queryset):
    return queryset.select_related("provider").prefetch_related(
        Prefetch("areas", queryset=ProgrammeArea.objects.order_by("id")),
        "subjects",
        Prefetch("groups", queryset=ProgrammeGroup.objects.order_by("starts_on", "id")),
    )


def programme_filtered(
    *,
    user,
    q: str = "",
    provider_id=None,
    area: str = "",
    subject_id=None,
    in_register: bool | None = None,
    kind: str = "",
    active_only: bool = False,
):
    queryset = programme_queryset(user=user)
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(federal_register_number__iexact=q))
    if provider_id:
        queryset = queryset.filter(provider_id=provider_id)
    if area:
        queryset = queryset.filter(areas__area=area)
    if subject_id:
        queryset = queryset.filter(subjects__id=subject_id)
    if in_register is not None:
        queryset = queryset.filter(in_federal_register=in_register)
    if kind:
        queryset = queryset.filter(kind=kind)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset


def programme_page(*, user, cursor: str = "", size: int | None = None, **filters) -> keyset.Page:
    return keyset.page(
        with_details(programme_filtered(user=user, **filters)), ORDERING, cursor=cursor, size=size or PAGE_SIZE
    )


def programme_get(*, user, pk) -> Programme:
    """One programme the user may read; 404 like a missing one otherwise."""
    from django.http import Http404

    try:
        return with_details(programme_queryset(user=user)).get(pk=pk)
    except (Programme.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Программа не найдена") from exc


def providers(*, user):
    """The organizations that have programmes in the user's catalogue (the filter's choices)."""
    return Organization.objects.filter(pk__in=programme_queryset(user=user).values("provider_id")).order_by("name")


def programmes_for_areas(*, user=None, areas, subject_ids=(), region_id=None):
    """Active programmes addressing any of `areas`, those of the teacher's subjects (or of no
    subject) first — what ИОМ proposes for a deficit. Scoped by `user` when given, else by region."""
    queryset = Programme.objects.filter(is_active=True, areas__area__in=list(areas)).distinct()
    if user is not None:
        queryset = queryset.filter(pk__in=programme_queryset(user=user).values("pk"))
    if region_id is not None:
        queryset = queryset.filter(provider__region_id=region_id)
    if subject_ids:
        queryset = queryset.filter(Q(subjects__id__in=list(subject_ids)) | Q(subjects__isnull=True)).distinct()
    return with_details(queryset.order_by("-in_federal_register", "title", "id"))
