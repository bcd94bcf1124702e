"""The role registry: roles (orgstructure memberships) → Django permissions, for every process.

viewflow decides who may take a task with Django permissions (`.Permission("rma.verify_documents")`
on a node; the shared queue filters on the same permission), while Profrost grants roles through
memberships (user × role × organization). This module bridges the two without a second source of
truth: each role has one group «Роль: <название роли>», shared by every process, holding the
permissions every registered process gives that role; a user belongs to the group exactly while
they hold an active membership in the role. Which organization they act for is decided elsewhere
— by the task's organization (the queue) and by the process's permission checks (the transition).

A process registers its mapping once, from its AppConfig.ready, through `register_process(...)`
(processes.py) or `register_role_permissions(app_label, {role: (codename, …)})`; codenames are of
that app's models unless written "app_label.codename". The groups are the registry's: a
permission given to a «Роль: …» group by hand is taken away at the next synchronisation, so that
a mapping removed from the code is revoked everywhere. Give extra rights through a group of
another name.

The receivers (connected in workflows/core/apps.py) keep the groups in step: a membership saved
or deleted re-syncs its user; `migrate` re-syncs everything after each registered app's
permissions exist. Bulk loads that bypass signals (`bulk_create`) call `sync_all_role_groups()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Q

from orgstructure.models import Membership, Role

GROUP_PREFIX = "Роль: "

# app label → role → codenames of that app's permissions
_REGISTRY: dict[str, dict[str, tuple[str, ...]]] = {}


def register_role_permissions(app_label: str, mapping: Mapping[str, Iterable[str]]) -> None:
    """Declare what each role may do in the app `app_label` (replaces an earlier declaration of
    the same app). Unknown roles are a programming error and fail at start-up."""
    declared = {}
    for role, codenames in mapping.items():
        try:
            Role(role)
        except ValueError:
            raise ValueError(f"{app_label}: неизвестная роль «{role}» в правах ролей") from None
        declared[str(role)] = tuple(dict.fromkeys(codenames))
    _REGISTRY[app_label] = declared


def unregister_role_permissions(app_label: str) -> None:
    _REGISTRY.pop(app_label, None)


def registered_app_labels() -> set[str]:
    return set(_REGISTRY)


def registered_roles() -> list[str]:
    """Every role some process gives permissions to, in the order of `Role`."""
    held = {role for mapping in _REGISTRY.values() for role in mapping}
    return [role for role in Role.values if role in held]


def role_permissions(role: str) -> list[tuple[str, str]]:
    """(app label, codename) pairs the role's group should hold. A codename is of the registering
    app; "documents.view_issueddocument" names another app's permission explicitly."""
    pairs = []
    for app_label, mapping in sorted(_REGISTRY.items()):
        for codename in mapping.get(role, ()):
            pairs.append(tuple(codename.split(".", 1)) if "." in codename else (app_label, codename))
    return pairs


def role_group_name(role: str) -> str:
    return f"{GROUP_PREFIX}{Role(role).label}"


def _permission_ids(role: str) -> set[int]:
    condition = Q(pk__in=[])
    by_app: dict[str, list[str]] = {}
    for app_label, codename in role_permissions(role):
        by_app.setdefault(app_label, []).append(codename)
    for app_label, codenames in by_app.items():
        condition |= Q(content_type__app_label=app_label, codename__in=codenames)
    return set(Permission.objects.filter(condition).values_list("pk", flat=True))


def ensure_role_groups() -> dict[str, Group]:
    """Create the registered roles' groups and set each group's permissions to exactly what the
    registry gives the role (permissions not created yet — an app not migrated yet — are added by
    a later run). Groups «Роль: …» of roles no process registers any more lose their permissions.
    Idempotent; returns {role: group}."""
    groups = {}
    for role in registered_roles():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        wanted = _permission_ids(role)
        current = set(group.permissions.values_list("pk", flat=True))
        if current - wanted:
            group.permissions.remove(*(current - wanted))
        if wanted - current:
            group.permissions.add(*(wanted - current))
        groups[role] = group
    names = {group.name for group in groups.values()}
    for stale in Group.objects.filter(name__startswith=GROUP_PREFIX).exclude(name__in=names):
        stale.permissions.clear()
    return groups


def _role_groups() -> dict[str, Group]:
    names = {role: role_group_name(role) for role in registered_roles()}
    by_name = {group.name: group for group in Group.objects.filter(name__in=names.values())}
    if len(by_name) < len(names):
        return ensure_role_groups()
    return {role: by_name[name] for role, name in names.items()}


def _managed_group_ids() -> set[int]:
    """Every «Роль: …» group, registered or stale: membership in them follows the registry."""
    return set(Group.objects.filter(name__startswith=GROUP_PREFIX).values_list("pk", flat=True))


def sync_user_role_groups(user_id: int) -> None:
    """Put the user into the groups of the roles they hold (active memberships), out of the others."""
    held = set(Membership.objects.filter(user_id=user_id, is_active=True).values_list("role", flat=True))
    groups = _role_groups()
    wanted = {group.pk for role, group in groups.items() if role in held}
    through = get_user_model().groups.through
    through.objects.filter(user_id=user_id, group_id__in=_managed_group_ids() - wanted).delete()
    present = set(through.objects.filter(user_id=user_id, group_id__in=wanted).values_list("group_id", flat=True))
    through.objects.bulk_create([through(user_id=user_id, group_id=group_id) for group_id in wanted - present])


def sync_all_role_groups() -> None:
    """Bring every role group in line with the registry and the memberships (after migrate, after
    loading data in bulk). Set-based: two statements per role whatever the number of holders (a
    region's 45,000 teachers are never read into Python)."""
    groups = ensure_role_groups()
    through = get_user_model().groups.through
    for role, group in groups.items():
        holders = Membership.objects.filter(role=role, is_active=True).values("user_id")
        through.objects.filter(group_id=group.pk).exclude(user_id__in=holders).delete()
        _add_holders(through, role, group.pk)
    stale = _managed_group_ids() - {group.pk for group in groups.values()}
    if stale:
        through.objects.filter(group_id__in=stale).delete()


def _add_holders(through, role: str, group_id: int) -> None:
    """INSERT … SELECT: the role's active holders not yet in the group (the ORM has no
    insert-from-select)."""
    quote = connection.ops.quote_name
    table, membership = quote(through._meta.db_table), quote(Membership._meta.db_table)
    user, group, role_column, active = (quote(name) for name in ("user_id", "group_id", "role", "is_active"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({user}, {group}) SELECT DISTINCT m.{user}, %s FROM {membership} m "
            f"WHERE m.{role_column} = %s AND m.{active} = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {table} g WHERE g.{group} = %s AND g.{user} = m.{user})",
            [group_id, role, True, group_id],
        )


# --- receivers (connected once in workflows/core/apps.py) -------------------------------------


def on_membership_changed(sender, instance, raw=False, **kwargs):
    if raw or not _REGISTRY:
        return
    sync_user_role_groups(instance.user_id)


def on_post_migrate(sender, **kwargs):
    """After each registered process app's post_migrate (auth has created its permissions by
    then: its receiver was connected first)."""
    if getattr(sender, "label", None) in _REGISTRY:
        sync_all_role_groups()
