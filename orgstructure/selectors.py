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


def _first_per(rows, key: str) -> dict:
    """The first row (by id) for each value of `key`."""
    first: dict = {}
    for row in rows.order_by("id"):
        first.setdefault(getattr(row, key), row)
    return first


def coordinator_organizations(municipality_ids) -> dict:
    """{municipality id: where its municipal РМА coordinators work} (an education authority or a
    methodical service, 003:L799; the education authority when none is appointed yet), in at most
    two queries for any number of municipalities."""
    wanted = {pk for pk in municipality_ids if pk}
    if not wanted:
        return {}
    memberships = Membership.objects.filter(
        role=Role.RMA_MUNI_COORDINATOR, is_active=True, organization__municipality_id__in=wanted
    ).select_related("organization__region")
    found: dict = {}
    for membership in memberships.order_by("id"):
        found.setdefault(membership.organization.municipality_id, membership.organization)
    missing = wanted - found.keys()
    if missing:
        authorities = Organization.objects.filter(
            municipality_id__in=missing, kind=OrganizationKind.MUNI_AUTHORITY
        ).select_related("region")
        found.update(_first_per(authorities, "municipality_id"))
    return found


def acting_organizations(role: str, organizations) -> dict:
    """{organization id: the organization in which `role` acts for something that belongs to it}
    (a teacher's school, a school itself, a regional body for region-wide artefacts): the region's
    body for a regional role, the municipality's body for a municipal one, else the organization
    itself. At most two queries for any number of organizations (a fan-out to 1,100 schools)."""
    present = {org.pk: org for org in organizations if org is not None}
    if role == Role.RMA_MUNI_COORDINATOR:
        bodies = coordinator_organizations(org.municipality_id for org in present.values())
        return {pk: bodies.get(org.municipality_id) for pk, org in present.items()}
    if role in REGIONAL_ROLE_BODIES:
        kind, level = REGIONAL_ROLE_BODIES[role], "region_id"
    elif role in MUNICIPAL_ROLE_BODIES:
        kind, level = MUNICIPAL_ROLE_BODIES[role], "municipality_id"
    else:
        return dict(present)
    wanted = {getattr(org, level) for org in present.values() if org.kind != kind and getattr(org, level)}
    rows = Organization.objects.filter(kind=kind, **{f"{level}__in": wanted}).select_related("region", "parent")
    bodies = _first_per(rows, level) if wanted else {}
    return {pk: org if org.kind == kind else bodies.get(getattr(org, level)) for pk, org in present.items()}


def acting_organization(role: str, organization) -> Organization | None:
    """acting_organizations for one organization."""
    if organization is None:
        return None
    return acting_organizations(role, [organization]).get(organization.pk)
