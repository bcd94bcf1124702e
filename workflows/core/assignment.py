"""Who does a task: handing it to a colleague of the same role and organization, and substitutes
for absent officials (their new tasks go to the substitute, see deadlines.on_task_pre_save).
Every change is written to the audit trail in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from viewflow.workflow.models import Task

from orgstructure import access
from orgstructure.models import Membership, Organization, Role

from .audit import record_event
from .deadlines import act_scope_condition, in_act_scope
from .models import Substitution, TaskDeadline

# Who may reassign someone else's task (besides its owner) and set substitutes, each within the
# acting scope of the role (orgstructure.access.ROLE_SCOPES).
MANAGER_ROLES = (Role.PD_ADMIN,)


class AssignmentError(Exception):
    """The reassignment or substitution is not allowed; the message is shown to the user."""


def _display(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def colleagues(deadline: TaskDeadline):
    """Active users holding the task's role in the task's organization, except its owner."""
    if not deadline.role or not deadline.organization_id:
        return get_user_model().objects.none()
    user_ids = Membership.objects.filter(
        role=deadline.role, organization_id=deadline.organization_id, is_active=True
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .exclude(pk=deadline.owner_id)
        .order_by("last_name", "first_name", "username")
    )


def with_colleagues(user, deadlines) -> set[int]:
    """The task ids among the user's own open `deadlines` that have someone to be handed to (a
    colleague holds the task's role in its organization): the inbox offers «Передать» only for
    those. One query for a whole page."""
    rows = [row for row in deadlines if row.role and row.organization_id and row.owner_id == user.pk]
    if not rows:
        return set()
    pairs = set(
        Membership.objects.filter(
            is_active=True,
            user__is_active=True,
            role__in={row.role for row in rows},
            organization_id__in={row.organization_id for row in rows},
        )
        .exclude(user_id=user.pk)
        .values_list("role", "organization_id")
        .distinct()
    )
    return {row.task_id for row in rows if (row.role, row.organization_id) in pairs}


def can_manage(user) -> bool:
    """May open the substitutions page: superusers and holders of a MANAGER_ROLES role. What a
    manager may change is limited to their acting scope (`can_reassign`, `managed_users`)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or access.has_role(user, *MANAGER_ROLES))
    )


def can_reassign(user, deadline: TaskDeadline) -> bool:
    """The task's owner may hand it over; an administrator may move the tasks of the territory
    they act on (a regional administrator: their region only); superusers any task."""
    if not getattr(user, "is_authenticated", False) or not deadline.is_open or deadline.owner_id is None:
        return False
    if deadline.owner_id == user.pk or user.is_superuser:
        return True
    return in_act_scope(user, deadline, MANAGER_ROLES)


def managed_organizations(user):
    """Organizations within the acting scope of the user's MANAGER_ROLES memberships."""
    if getattr(user, "is_superuser", False):
        return Organization.objects.all()
    return Organization.objects.filter(act_scope_condition(user, Organization, MANAGER_ROLES))


def managed_users(user):
    """Active users working (an active membership) in an organization the user manages: whom
    the user may name in a substitution."""
    user_ids = Membership.objects.filter(
        organization__in=managed_organizations(user), is_active=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)


def _managed(actor, *user_ids) -> bool:
    if actor.is_superuser:
        return True
    wanted = set(user_ids)
    return set(managed_users(actor).filter(pk__in=wanted).values_list("pk", flat=True)) == wanted


@transaction.atomic
def task_reassign(*, actor, task_id: int, colleague, reason: str) -> TaskDeadline:
    reason = (reason or "").strip()
    if not reason:
        raise AssignmentError("Укажите причину передачи")
    deadline = TaskDeadline.objects.select_for_update().filter(task_id=task_id).first()
    if deadline is None or not can_reassign(actor, deadline):
        raise AssignmentError("Задача не найдена или передача вам недоступна")
    if not colleagues(deadline).filter(pk=colleague.pk).exists():
        raise AssignmentError("Передать можно только коллеге с той же ролью в той же организации")
    task = Task.objects.get(pk=task_id)
    previous_owner = task.owner
    with task.activation() as activation:
        activation.reassign(user=colleague)
    record_event(
        actor=actor,
        obj=task,
        event="task.reassigned",
        from_state=_display(previous_owner),
        to_state=_display(colleague),
        comment=reason,
        data={"from_user_id": previous_owner.pk if previous_owner else None, "to_user_id": colleague.pk},
    )
    deadline.refresh_from_db()
    return deadline


def _check_substitution(substitution: Substitution) -> None:
    if substitution.ends_on < substitution.starts_on:
        raise AssignmentError("Дата окончания раньше даты начала")
    if substitution.absent_id == substitution.substitute_id:
        raise AssignmentError("Сотрудник не может замещать сам себя")
    shared = Membership.objects.filter(user_id=substitution.absent_id, is_active=True).values("organization_id")
    if not Membership.objects.filter(
        user_id=substitution.substitute_id, is_active=True, organization_id__in=shared
    ).exists():
        raise AssignmentError("Замещающий должен работать в той же организации")


@transaction.atomic
def substitution_save(*, actor, substitution: Substitution) -> Substitution:
    """Create or change a substitution (administrators, for the people of organizations in
    their acting scope: both the absent official and the substitute; when changing, also the
    people of the stored row)."""
    if not can_manage(actor):
        raise AssignmentError("Назначать замещения может только администратор")
    if substitution.pk is not None:
        stored = Substitution.objects.select_for_update().filter(pk=substitution.pk).first()
        if stored is None or not _managed(actor, stored.absent_id, stored.substitute_id):
            raise AssignmentError("Замещение не найдено")
    if not _managed(actor, substitution.absent_id, substitution.substitute_id):
        raise AssignmentError("Сотрудник не найден")
    _check_substitution(substitution)
    created = substitution.pk is None
    if created:
        substitution.created_by = actor
    substitution.save()
    record_event(
        actor=actor,
        obj=substitution,
        event="substitution.created" if created else "substitution.changed",
        comment=substitution.reason,
        data={
            "absent_id": substitution.absent_id,
            "substitute_id": substitution.substitute_id,
            "starts_on": substitution.starts_on.isoformat(),
            "ends_on": substitution.ends_on.isoformat(),
        },
    )
    return substitution


def substitution_create(
    *, actor, absent, substitute, starts_on: dt.date, ends_on: dt.date, reason: str
) -> Substitution:
    return substitution_save(
        actor=actor,
        substitution=Substitution(
            absent=absent, substitute=substitute, starts_on=starts_on, ends_on=ends_on, reason=reason
        ),
    )


@transaction.atomic
def substitution_cancel(*, actor, substitution_id: int) -> Substitution:
    """Cancel a substitution of an absent official of an organization in the actor's acting
    scope (the substitution is theirs: the substitute may have moved elsewhere since). Foreign
    and missing substitutions get the same answer."""
    if not can_manage(actor):
        raise AssignmentError("Отменять замещения может только администратор")
    substitution = Substitution.objects.select_for_update().filter(pk=substitution_id).first()
    if substitution is None or not _managed(actor, substitution.absent_id):
        raise AssignmentError("Замещение не найдено")
    substitution.is_active = False
    substitution.save(update_fields=["is_active"])
    record_event(actor=actor, obj=substitution, event="substitution.cancelled", comment=substitution.reason)
    return substitution
