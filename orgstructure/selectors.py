"""Reads of the org structure: the start page summary (through access.py), and where a role
acts for an organization (the region's and municipality's bodies), which every process asks
when it routes a step."""

from . import access
from .models import Membership, Organization, OrganizationKind, Role


def start_page_summary(user) -> dict:
    memberships = access.active_memberships(user)
    roles = []
    for membership in memberships:
        roles.append(
            {
                "role": membership.get_role_display(),
                "organization": membership.organization,
            }
        )
    return {
        "memberships": roles,
        "visible_organizations": access.visible_organizations(user).count(),
        "visible_persons": access.visible_persons(user).count(),
    }


# --- where a role acts for an organization ------------------------------------------------------------

# The regional body each regional role works in (DOMAIN.md §1.5).
REGIONAL_ROLE_BODIES = {
    Role.MINISTRY_OFFICER: OrganizationKind.MINISTRY,
    Role.MINISTRY_SIGNATORY: OrganizationKind.MINISTRY,
    Role.CNPPM_COORDINATOR: OrganizationKind.CNPPMPR,
    Role.CNPPM_METHODIST: OrganizationKind.CNPPMPR,
    Role.PD_ADMIN: OrganizationKind.CNPPMPR,
    Role.IRO_STAFF: OrganizationKind.IRO,
    Role.COPMKP_ASSESSOR: OrganizationKind.COPMKP,
}
# The municipal body each municipal role works in.
MUNICIPAL_ROLE_BODIES = {
    Role.MUNI_AUTHORITY: OrganizationKind.MUNI_AUTHORITY,
    Role.MMS_METHODIST: OrganizationKind.MMS,
}


def regional_body(region_id, kind: str) -> Organization | None:
    """The region's body of a kind (the ministry, ЦНППМПР, ЦОПМКП…): the first one registered."""
    return (
        Organization.objects.filter(region_id=region_id, kind=kind)
        .select_related("region", "parent")
        .order_by("id")
        .first()
    )


def municipal_body(municipality_id, kind: str) -> Organization | None:
    return (
        Organization.objects.filter(municipality_id=municipality_id, kind=kind)
        .select_related("region")
        .order_by("id")
        .first()
    )


def coordinator_organization(municipality_id) -> Organization | None:
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
    return municipal_body(municipality_id, OrganizationKind.MUNI_AUTHORITY)


def acting_organization(role: str, organization) -> Organization | None:
    """The organization in which `role` acts for something that belongs to `organization` (a
    teacher's school, a school itself, a regional body for region-wide artefacts): the region's
    body for a regional role, the municipality's body for a municipal one, else `organization`."""
    if organization is None:
        return None
    if role in REGIONAL_ROLE_BODIES:
        kind = REGIONAL_ROLE_BODIES[role]
        if organization.kind == kind:
            return organization
        return regional_body(organization.region_id, kind)
    if role == Role.RMA_MUNI_COORDINATOR:
        return coordinator_organization(organization.municipality_id) if organization.municipality_id else None
    if role in MUNICIPAL_ROLE_BODIES:
        kind = MUNICIPAL_ROLE_BODIES[role]
        if organization.kind == kind:
            return organization
        return municipal_body(organization.municipality_id, kind) if organization.municipality_id else None
    return organization
