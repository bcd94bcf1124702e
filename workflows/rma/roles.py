"""Roles → Django permissions for the РМА flows.

viewflow decides who may take a task with Django permissions (`.Permission("rma.verify_documents")`
on a node; the shared queue filters on the same permission), while Profrost grants roles through
memberships (user × role × organization). This module bridges the two without a second source of
truth: each role has a group «Роль: <название роли>» holding the permissions of that role, and a
user belongs to the group exactly while they hold an active membership in the role. Which
organization they act for is decided elsewhere — by the task's organization (the queue) and by
permissions.py (the transition).

The group of a role is shared by every process app: another app adds its permissions to the same
group in its own `ROLE_PERMISSIONS`. [Candidate for workflows/core once a second process needs it.]
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from orgstructure.models import Membership, Role

APP_LABEL = "rma"
_APPLICATION_FLOW = "view_rmaapplicationprocess"
_LIST_FLOW = "view_rmalistprocess"
_REVIEW_FLOW = "view_rmareviewprocess"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.TEACHER: ("submit_application", _APPLICATION_FLOW),
    Role.SCHOOL_HEAD: ("submit_application", _APPLICATION_FLOW),
    Role.RMA_MUNI_COORDINATOR: (
        "submit_application",
        "verify_documents",
        "override_formal_check",
        "review_membership",
        _APPLICATION_FLOW,
        _REVIEW_FLOW,
    ),
    Role.COPMKP_ASSESSOR: ("assess_competencies", _APPLICATION_FLOW),
    Role.CNPPM_COORDINATOR: ("include_in_list", "override_formal_check", _APPLICATION_FLOW, _LIST_FLOW),
    Role.MINISTRY_OFFICER: ("prepare_list", _APPLICATION_FLOW, _LIST_FLOW),
    Role.MINISTRY_SIGNATORY: ("approve_list", _APPLICATION_FLOW, _LIST_FLOW),
}


def role_group_name(role: str) -> str:
    return f"Роль: {Role(role).label}"


def ensure_role_groups() -> dict[str, Group]:
    """Create the groups of the roles and give them this app's permissions (idempotent)."""
    groups = {}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        group.permissions.add(*Permission.objects.filter(content_type__app_label=APP_LABEL, codename__in=codenames))
        groups[role] = group
    return groups


def sync_user_role_groups(user_id: int) -> None:
    """Put the user into the groups of the roles they hold (active memberships), out of the others."""
    held = set(Membership.objects.filter(user_id=user_id, is_active=True).values_list("role", flat=True))
    names = {role: role_group_name(role) for role in ROLE_PERMISSIONS}
    groups = {group.name: group for group in Group.objects.filter(name__in=names.values())}
    if len(groups) < len(names):
        groups = {group.name: group for group in ensure_role_groups().values()}
    through = get_user_model().groups.through
    wanted = {groups[names[role]].pk for role in names if role in held}
    unwanted = {groups[names[role]].pk for role in names if role not in held}
    through.objects.filter(user_id=user_id, group_id__in=unwanted).delete()
    present = set(through.objects.filter(user_id=user_id, group_id__in=wanted).values_list("group_id", flat=True))
    through.objects.bulk_create([through(user_id=user_id, group_id=group_id) for group_id in wanted - present])


def sync_all_role_groups() -> None:
    """Bring every role group in line with the memberships (after migrate, after loading data)."""
    groups = ensure_role_groups()
    for role, group in groups.items():
        wanted = set(Membership.objects.filter(role=role, is_active=True).values_list("user_id", flat=True))
        current = set(group.user_set.values_list("id", flat=True))
        if current - wanted:
            group.user_set.remove(*(current - wanted))
        if wanted - current:
            group.user_set.add(*(wanted - current))


# --- receivers (connected in apps.py) ---------------------------------------------------------


def on_membership_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    sync_user_role_groups(instance.user_id)


def on_post_migrate(sender, **kwargs):
    sync_all_role_groups()
