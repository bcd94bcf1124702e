"""Reads behind the API. Organizations and persons are fetched only through
orgstructure.access, so a list holds just the rows in the user's scope and a foreign id answers
the same 404 as a missing one. (They belong in orgstructure/selectors.py and
workflows/core/selectors.py once those apps want them too.)"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from orgstructure import access, privacy
from orgstructure.models import Membership, Organization, Person, QualificationCategory, Region
from workflows.core import flows as flow_registry

OPEN_TASK_STATUSES = (STATUS.ASSIGNED, STATUS.STARTED)


def today_in(region: Region) -> dt.date:
    """Dates in Профрост are the region's: a category lapses at the region's midnight."""
    return timezone.localdate(timezone=region.tzinfo)


def organization_list(
    *, user, kind: str = "", municipality_id: int | None = None, search: str = ""
) -> QuerySet:
    queryset = access.visible_organizations(user).select_related("region", "municipality")
    if kind:
        queryset = queryset.filter(kind=kind)
    if municipality_id is not None:
        queryset = queryset.filter(municipality_id=municipality_id)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    return queryset


def organization_get(*, user, organization_id) -> Organization:
    queryset = Organization.objects.select_related("region", "municipality")
    return access.get_for_user_or_404(user, queryset, pk=organization_id)


def _persons(user) -> QuerySet:
    """Visible persons, each marked whether the user may see their personal data (СНИЛС,
    e-mail) — orgstructure/privacy.py, one policy with the HTML pages, in the same query."""
    queryset = (
        access.visible_persons(user)
        .select_related("organization__region", "organization__municipality")
        .prefetch_related("subjects")
    )
    return privacy.annotate_personal_data(queryset, user)


def person_list(
    *, user, organization_id: int | None = None, category: str = "", search: str = ""
) -> QuerySet:
    queryset = _persons(user)
    if organization_id is not None:
        queryset = queryset.filter(organization_id=organization_id)
    if category:
        queryset = queryset.filter(_category_in_force(category))
    if search:
        queryset = queryset.filter(last_name__icontains=search)
    return queryset


def person_get(*, user, person_id) -> Person:
    return access.get_for_user_or_404(user, _persons(user), pk=person_id)


def _category_in_force(category: str) -> Q:
    """The category in force today (Person.category_on): a first or highest category past its
    end date counts as none. "Today" is each region's own date, hence one term per region.
    Regions are read unscoped on purpose: only their time zones are used, nothing of them
    reaches the response, and a municipal role's scope holds no Region rows."""
    lapsed = Q(pk__in=[])
    for region in Region.objects.only("id", "timezone"):
        lapsed |= Q(organization__region_id=region.pk, category_valid_until__lt=today_in(region))
    lapsed &= Q(category__in=[QualificationCategory.FIRST, QualificationCategory.HIGHEST])
    if category == QualificationCategory.NONE:
        return Q(category=QualificationCategory.NONE) | lapsed
    return Q(category=category) & ~lapsed


@dataclass(frozen=True)
class Me:
    user: AbstractBaseUser
    person: Person | None
    memberships: list[Membership]


def me_get(*, user) -> Me:
    # Through the scope like any person, so the card offered here is one /persons/{id}/ opens.
    person = access.visible_persons(user).filter(user=user).first()
    return Me(user=user, person=person, memberships=access.active_memberships(user))


def task_list(*, user, include_queue: bool = False) -> QuerySet:
    """My open tasks (assigned to me, or started by me); with `include_queue`, also the tasks I
    may take — exactly viewflow's queue over the flows registered for the site. Tasks are not
    part of the organization tree: the scope here is the owner and viewflow's permissions."""
    condition = Q(owner=user, status__in=OPEN_TASK_STATUSES)
    if include_queue:
        flow_classes = [viewset._flow_class for viewset in flow_registry.FLOW_VIEWSETS]
        if flow_classes:
            queue = Task.objects.queue(flow_classes, user)
            condition |= Q(pk__in=queue.values("pk"))
    return Task.objects.filter(condition).select_related("process")
