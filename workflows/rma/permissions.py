"""Who may fire which transition of the РМА artefacts: the role, held in an organization whose
reach covers the application's territory (orgstructure.access.reaches). These are the
`permission=` callables of the @transitions in models.py; services check them before firing,
views use them to show actions.

The reach of each role follows orgstructure.access (its acting level), with one difference
written out on purpose: ЦОПМКП acts on nothing in the generic access matrix, but enters assessment
results for the whole region.
"""

from __future__ import annotations

from orgstructure import access
from orgstructure.access import Level
from orgstructure.models import Role

REACH = {Role.COPMKP_ASSESSOR: Level.REGION}

# Who may file an application: a teacher for themselves, a school head or a municipal
# coordinator for a teacher of their school / municipality (DOMAIN.md §2(d)).
SUBMIT_ROLES = (Role.TEACHER, Role.SCHOOL_HEAD, Role.RMA_MUNI_COORDINATOR)
OVERRIDE_ROLES = (Role.RMA_MUNI_COORDINATOR, Role.CNPPM_COORDINATOR)


def _over(user, roles, person) -> bool:
    return access.reaches(user, roles, person=person, reach=REACH)


# --- the permission callables of the transitions (instance, user) -> bool ----------------------


def can_submit_for(user, person) -> bool:
    return _over(user, SUBMIT_ROLES, person)


def can_override(application, user) -> bool:
    return _over(user, OVERRIDE_ROLES, application.person)


def can_request_criteria_statement(application, user) -> bool:
    """The applicant, their school head or the municipal РМА coordinator of their municipality
    asks for a справка о соответствии критериям."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or access.own_person_id(user) == application.person_id:
        return True
    return _over(user, (Role.SCHOOL_HEAD, Role.RMA_MUNI_COORDINATOR), application.person)


def can_issue_assessment_protocol(region_id, user) -> bool:
    """ЦОПМКП of the region issues the ведомость результатов оценки."""
    return access.reaches_region(user, (Role.COPMKP_ASSESSOR,), region_id=region_id)


def can_verify(application, user) -> bool:
    return _over(user, (Role.RMA_MUNI_COORDINATOR,), application.person)


def can_correct(application, user) -> bool:
    """The one who filed the application, or the teacher it is about."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.is_superuser
        or application.submitted_by_id == user.pk
        or access.own_person_id(user) == application.person_id
    )


def can_assess(application, user) -> bool:
    return _over(user, (Role.COPMKP_ASSESSOR,), application.person)


def can_include(application, user) -> bool:
    return _over(user, (Role.CNPPM_COORDINATOR,), application.person)


def can_review_membership(application, user) -> bool:
    return _over(user, (Role.RMA_MUNI_COORDINATOR,), application.person)


def _region_of(obj):
    return obj.region_id if hasattr(obj, "region_id") else obj.person.organization.region_id


def can_prepare_list(rma_list, user) -> bool:
    return access.reaches_region(user, (Role.MINISTRY_OFFICER,), region_id=_region_of(rma_list))


def can_remove_from_list(application, user) -> bool:
    """The ministry takes a candidate off its draft list before signing (officer or signatory)."""
    return access.reaches_region(
        user, (Role.MINISTRY_OFFICER, Role.MINISTRY_SIGNATORY), region_id=_region_of(application)
    )


def can_approve_list(obj, user) -> bool:
    """On the list itself and, in the same batch, on each of its applications."""
    return access.reaches_region(user, (Role.MINISTRY_SIGNATORY,), region_id=_region_of(obj))


def persons_for_submission(user):
    """The teachers the user may file an application for."""
    return access.persons_within_reach(user, SUBMIT_ROLES, reach=REACH)
