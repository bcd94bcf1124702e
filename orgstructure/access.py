"""What each user may see and act on — the one place that answers it.

A user acts through memberships (role × organization). Each role reaches a level of the tree
region → municipality → organization → person, one level for viewing and one for acting. A
model takes part by declaring `SCOPE_PATHS`: the lookups from it to the region, municipality,
organization and person it belongs to (a tuple of lookups where an object belongs to several,
e.g. a справка issued by a regional body about a teacher of a school: either one admits).
Every list, detail, download and API endpoint filters through `scope_queryset` or fetches
through `get_for_user_or_404`, so an object outside the user's scope answers 404 exactly like a
missing one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404

from .models import Membership, Role

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet


class Action(enum.StrEnum):
    VIEW = "view"
    ACT = "act"


class Level(enum.IntEnum):
    NONE = 0
    PERSON = 1  # only the user's own person record (and, for viewing, their own organization)
    ORGANIZATION = 2
    MUNICIPALITY = 3
    REGION = 4


@dataclass(frozen=True)
class RoleScope:
    view: Level
    act: Level


# Regional bodies see the whole region; municipal services their municipality; a school head
# their school; a teacher only themselves. Acting is never wider than viewing.
ROLE_SCOPES: dict[str, RoleScope] = {
    Role.MINISTRY_OFFICER: RoleScope(view=Level.REGION, act=Level.REGION),
    Role.MINISTRY_SIGNATORY: RoleScope(view=Level.REGION, act=Level.REGION),
    Role.CNPPM_COORDINATOR: RoleScope(view=Level.REGION, act=Level.REGION),
    Role.CNPPM_METHODIST: RoleScope(view=Level.REGION, act=Level.NONE),
    Role.IRO_STAFF: RoleScope(view=Level.REGION, act=Level.NONE),
    Role.COPMKP_ASSESSOR: RoleScope(view=Level.REGION, act=Level.NONE),
    Role.PD_ADMIN: RoleScope(view=Level.REGION, act=Level.REGION),
    Role.RMA_MEMBER: RoleScope(view=Level.MUNICIPALITY, act=Level.NONE),
    Role.RMA_MUNI_COORDINATOR: RoleScope(view=Level.MUNICIPALITY, act=Level.MUNICIPALITY),
    Role.MUNI_AUTHORITY: RoleScope(view=Level.MUNICIPALITY, act=Level.MUNICIPALITY),
    Role.MMS_METHODIST: RoleScope(view=Level.MUNICIPALITY, act=Level.MUNICIPALITY),
    Role.SCHOOL_HEAD: RoleScope(view=Level.ORGANIZATION, act=Level.ORGANIZATION),
    Role.TEACHER: RoleScope(view=Level.PERSON, act=Level.PERSON),
}

_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Handler:
    """Who handles an object that carries personal data (152-ФЗ): a model lists its handlers in
    `SCOPE_HANDLERS = {role: Handler(level, when=Q(...))}` instead of the generic matrix — only those
    roles see it, each as far as `level` reaches and only where `when` holds (e.g. a regional
    body while the object is at its step or in its register). Acting is never wider than the
    role's acting level in ROLE_SCOPES. A model may add `scope_also(user) -> Q` for what the user
    handles in person (their own application, one they filed, one they are appointed to). A model
    whose scope is another's (`SCOPE_VIA = "application"`, a foreign key) is seen exactly where
    that object is."""

    level: Level
    when: Q | None = None


def active_memberships(user) -> list[Membership]:
    """The user's active memberships, read once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_profrost_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, is_active=True).select_related("organization"))
        user._profrost_memberships = cached
    return cached


def user_roles(user) -> set[str]:
    return {membership.role for membership in active_memberships(user)}


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def memberships_with_role(user, *roles: str) -> list[Membership]:
    return [membership for membership in active_memberships(user) if membership.role in roles]


def is_unrestricted(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def own_person(user):
    """The teacher record of the user (Person.user), or None — the one place that asks."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except (AttributeError, ObjectDoesNotExist):
        return None


def own_person_id(user):
    person = own_person(user)
    return person.pk if person is not None else None


_own_person_id = own_person_id


def lookup_condition(lookups: str | tuple[str, ...], value) -> Q:
    """Q(lookup=value), OR-ed over the lookups when a level has several."""
    if isinstance(lookups, str):
        return Q(**{lookups: value})
    condition = _NOTHING
    for lookup in lookups:
        condition |= Q(**{lookup: value})
    return condition


def _membership_condition(model, membership: Membership, level: Level, action: Action, user) -> Q:
    paths = model.SCOPE_PATHS
    organization = membership.organization
    if level == Level.REGION and "region" in paths:
        return lookup_condition(paths["region"], organization.region_id)
    if level == Level.MUNICIPALITY and "municipality" in paths:
        if organization.municipality_id is None:
            return _NOTHING
        return lookup_condition(paths["municipality"], organization.municipality_id)
    if level == Level.ORGANIZATION and "organization" in paths:
        return lookup_condition(paths["organization"], organization.pk)
    if level == Level.PERSON:
        if "person" in paths:
            person_id = _own_person_id(user)
            return lookup_condition(paths["person"], person_id) if person_id else _NOTHING
        if action == Action.VIEW and "organization" in paths:
            return lookup_condition(paths["organization"], organization.pk)
    return _NOTHING


def scope_condition(user, model, action: Action = Action.VIEW, *, handlers: bool = True) -> Q | None:
    """A Q limiting `model` to what the user may see (or act on); None means no limit.
    `handlers=False` reads a model with SCOPE_HANDLERS by the generic matrix (for what is public
    inside the scope, e.g. the register of members, never for the object's own pages)."""
    if is_unrestricted(user):
        return None
    via = getattr(model, "SCOPE_VIA", None)
    if via is not None:
        related = model._meta.get_field(via).related_model
        inner = scope_condition(user, related, action, handlers=handlers)
        return None if inner is None else Q(**{f"{via}__in": related._default_manager.filter(inner).values("pk")})
    if not hasattr(model, "SCOPE_PATHS"):
        raise TypeError(f"{model.__name__} declares no SCOPE_PATHS and cannot be scoped")
    handling = getattr(model, "SCOPE_HANDLERS", None) if handlers else None
    condition = _NOTHING
    for membership in active_memberships(user):
        scope = ROLE_SCOPES.get(membership.role)
        if scope is None:
            continue
        level = scope.view if action == Action.VIEW else scope.act
        when = None
        if handling is not None:
            handler = handling.get(membership.role)
            if handler is None:
                continue
            level, when = min(level, handler.level), handler.when
        if level == Level.NONE:
            continue
        covered = _membership_condition(model, membership, level, action, user)
        condition |= covered & when if when is not None else covered
    if handling is not None and hasattr(model, "scope_also") and getattr(user, "is_authenticated", False):
        condition |= model.scope_also(user)
    for accessor in getattr(model, "SCOPE_ALSO_VIA", ()):
        # Also visible through a related row the user may see (a document through a person it
        # lists): a subquery, so the many rows behind one object never multiply it in a page.
        relation = model._meta.get_field(accessor)
        related = relation.related_model
        inner = scope_condition(user, related, action, handlers=handlers)
        rows = related._default_manager.all() if inner is None else related._default_manager.filter(inner)
        condition |= Q(pk__in=rows.values(relation.field.name))
    return condition


def scope_queryset(user, queryset: QuerySet, action: Action = Action.VIEW, *, handlers: bool = True) -> QuerySet:
    condition = scope_condition(user, queryset.model, action, handlers=handlers)
    if condition is None:
        return queryset
    return queryset.filter(condition)


def get_for_user_or_404(user, queryset_or_model, action: Action = Action.VIEW, **lookup) -> Model:
    """Fetch one object inside the user's scope. Foreign and missing answer the same 404."""
    queryset = queryset_or_model if hasattr(queryset_or_model, "model") else queryset_or_model._default_manager.all()
    try:
        return scope_queryset(user, queryset, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Объект не найден") from exc


def can(user, obj, action: Action = Action.VIEW) -> bool:
    model = type(obj)
    return scope_queryset(user, model._default_manager.filter(pk=obj.pk), action).exists()


def visible_organizations(user, action: Action = Action.VIEW):
    from .models import Organization

    return scope_queryset(user, Organization.objects.all(), action)


def visible_persons(user, action: Action = Action.VIEW):
    from .models import Person

    return scope_queryset(user, Person.objects.all(), action)


# --- reach: does a role held somewhere cover an organization or a person? ---------------------------
#
# Processes ask "may this user act as one of these roles over that teacher / school / region?".
# By default a role reaches as far as it may act in ROLE_SCOPES; a process may read a role wider
# or narrower for its own acts (e.g. ЦОПМКП enters РМА assessment results for the whole region
# while acting on nothing in the generic matrix) by passing `reach={role: Level}`.


def _reach_of(role: str, reach: dict | None) -> Level:
    if reach is not None and role in reach:
        return reach[role]
    scope = ROLE_SCOPES.get(role)
    return scope.act if scope else Level.NONE


def _membership_covers(membership, level: Level, organization, person_id, user) -> bool:
    own = membership.organization
    if level == Level.REGION:
        return own.region_id == organization.region_id
    if level == Level.MUNICIPALITY:
        return bool(own.municipality_id) and own.municipality_id == organization.municipality_id
    if level == Level.ORGANIZATION:
        return own.pk == organization.pk
    if level == Level.PERSON:
        return person_id is not None and own_person_id(user) == person_id
    return False


def reaches(user, roles, *, organization=None, person=None, reach: dict | None = None) -> bool:
    """Does the user hold one of `roles` in an organization whose reach covers `person` (a
    teacher, through their organization) or `organization`? A superuser reaches everything."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if person is not None:
        organization = person.organization
    if organization is None:
        return False
    person_id = person.pk if person is not None else None
    return any(
        _membership_covers(membership, _reach_of(membership.role, reach), organization, person_id, user)
        for membership in memberships_with_role(user, *roles)
    )


def reaches_region(user, roles, *, region_id) -> bool:
    """Does the user hold one of `roles` anywhere in the region (for region-wide artefacts: a
    list, a campaign, a call)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(m.organization.region_id == region_id for m in memberships_with_role(user, *roles))


def persons_within_reach(user, roles, *, reach: dict | None = None):
    """The teachers the user reaches through one of `roles` (a queryset, for choosing whom to
    act for)."""
    from .models import Person

    persons = Person.objects.select_related("organization").order_by("last_name", "first_name", "id")
    if is_unrestricted(user):
        return persons
    condition = _NOTHING
    for membership in memberships_with_role(user, *roles):
        level = _reach_of(membership.role, reach)
        organization = membership.organization
        if level == Level.REGION:
            condition |= Q(organization__region_id=organization.region_id)
        elif level == Level.MUNICIPALITY and organization.municipality_id:
            condition |= Q(organization__municipality_id=organization.municipality_id)
        elif level == Level.ORGANIZATION:
            condition |= Q(organization_id=organization.pk)
        elif level == Level.PERSON:
            person_id = own_person_id(user)
            if person_id is not None:
                condition |= Q(pk=person_id)
    return persons.filter(condition)
