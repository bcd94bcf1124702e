"""Who may fire which transition of the РМА artefacts: the role, held in an organization whose
reach covers the application's territory. These are the `permission=` callables of the
@transitions in models.py; services check them before firing, views use them to show actions.

The reach of each role here follows orgstructure.access (the same region → municipality →
organization → person levels), with one difference written out on purpose: ЦОПМКП acts on
nothing in the generic access matrix, but enters assessment results for the whole region.
"""

from __future__ import annotations

from orgstructure import access
from orgstructure.access import Level
from orgstructure.models import Role

REACH: dict[str, Level] = {
    Role.TEACHER: Level.PERSON,
    Role.SCHOOL_HEAD: Level.ORGANIZATION,
    Role.RMA_MUNI_COORDINATOR: Level.MUNICIPALITY,
    Role.CNPPM_COORDINATOR: Level.REGION,
    Role.COPMKP_ASSESSOR: Level.REGION,
    Role.MINISTRY_OFFICER: Level.REGION,
    Role.MINISTRY_SIGNATORY: Level.REGION,
}

# Who may file an application: a teacher for themselves, a school head or a municipal
# coordinator for a teacher of their school / municipality (DOMAIN.md §2(d)).
SUBMIT_ROLES = (Role.TEACHER, Role.SCHOOL_HEAD, Role.RMA_MUNI_COORDINATOR)
OVERRIDE_ROLES = (Role.RMA_MUNI_COORDINATOR, Role.CNPPM_COORDINATOR)


def _own_person_id(user):
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    return person.pk if person is not None else None


def holds_role_over(user, roles, *, person) -> bool:
    """Does the user hold one of `roles` in an organization whose reach covers `person` (a
    teacher, through their organization)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    organization = person.organization
    for membership in access.memberships_with_role(user, *roles):
        level = REACH.get(membership.role, Level.NONE)
        own = membership.organization
        if level == Level.REGION and own.region_id == organization.region_id:
            return True
        if level == Level.MUNICIPALITY and own.municipality_id and own.municipality_id == organization.municipality_id:
            return True
        if level == Level.ORGANIZATION and own.pk == organization.pk:
            return True
        if level == Level.PERSON and _own_person_id(user) == person.pk:
            return True
    return False


def holds_role_in_region(user, roles, *, region_id) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(m.organization.region_id == region_id for m in access.memberships_with_role(user, *roles))


# --- the permission callables of the transitions (instance, user) -> bool ----------------------


def can_submit_for(user, person) -> bool:
    return holds_role_over(user, SUBMIT_ROLES, person=person)


def can_override(application, user) -> bool:
    return holds_role_over(user, OVERRIDE_ROLES, person=application.person)


def can_verify(application, user) -> bool:
    return holds_role_over(user, (Role.RMA_MUNI_COORDINATOR,), person=application.person)


def can_correct(application, user) -> bool:
    """The one who filed the application, or the teacher it is about."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or application.submitted_by_id == user.pk or _own_person_id(user) == application.person_id


def can_assess(application, user) -> bool:
    return holds_role_over(user, (Role.COPMKP_ASSESSOR,), person=application.person)


def can_include(application, user) -> bool:
    return holds_role_over(user, (Role.CNPPM_COORDINATOR,), person=application.person)


def can_review_membership(application, user) -> bool:
    return holds_role_over(user, (Role.RMA_MUNI_COORDINATOR,), person=application.person)


def _region_of(obj):
    return obj.region_id if hasattr(obj, "region_id") else obj.person.organization.region_id


def can_prepare_list(rma_list, user) -> bool:
    return holds_role_in_region(user, (Role.MINISTRY_OFFICER,), region_id=_region_of(rma_list))


def can_approve_list(obj, user) -> bool:
    """On the list itself and, in the same batch, on each of its applications."""
    return holds_role_in_region(user, (Role.MINISTRY_SIGNATORY,), region_id=_region_of(obj))
