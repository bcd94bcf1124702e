"""Task due dates: what a flow declares, how a new human task gets its due date, and extension.

A flow declares deadlines on its nodes, by name, in one mapping::

    class MonitoringFlow(flow.Flow):
        deadlines = {
            "collect": Due(rule="monitoring.collection", role=Role.MMS_METHODIST),
            "review": Due(working_days=5, role=Role.MUNI_AUTHORITY, reminder_days=1),
        }

        def deadline_organization(self, task):          # optional: who acts on the step
            return task.process.coerced.school

        def deadline_subject(self, task):               # optional: what the task is about
            return str(task.process.coerced.school)

        def deadline_region(self, process, task):      # optional: whose regulation applies
            return process.coerced.region

`Due(rule=...)` reads the process's snapshot of the regional profile (taken by
`regulation.process_deadlines_snapshot` when the flow starts); `Due(working_days=...)` /
`Due(calendar_days=...)` are inline rules counted from the day the task arrives. A human task of
a node without a declaration still gets a `TaskDeadline` row (without a due date), so every task
shows in the inboxes and reports the same way.

`deadline_subject(task)` is asked once, when the task is created (so it should read what the flow
already holds, at most one query); its text is kept on the row (`TaskDeadline.subject`) and the
lists show it without reading the process. A flow without it leaves the subject blank.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from viewflow.workflow.fields import get_flow_ref, get_task_ref
from viewflow.workflow.models import AbstractTask

from orgstructure import access
from orgstructure.models import Region, Role

from . import clock
from .alarms import apply_due_at, schedule_alarm  # noqa: F401  (flowkit imports them from here)
from .audit import record_event
from .calendar import WorkCalendar, deadline_instant, local_date, overdue_from
from .models import DeadlineKind, ProcessDeadline, Substitution, TaskAlarm, TaskDeadline
from .regulation import DEFAULT_TIMEZONE, profile_for, rule_due_at

logger = logging.getLogger(__name__)

OPEN_STATUSES = ("NEW", "ASSIGNED", "STARTED")
HUMAN = "HUMAN"

# Roles that may extend another official's deadline inside their acting scope.
EXTEND_ROLES = (
    Role.MINISTRY_OFFICER,
    Role.MINISTRY_SIGNATORY,
    Role.CNPPM_COORDINATOR,
    Role.MUNI_AUTHORITY,
    Role.PD_ADMIN,
)


class DeadlineError(Exception):
    """A deadline operation is not allowed; the message is shown to the user."""


@dataclass(frozen=True)
class Due:
    """A node's deadline declaration. Give a profile `rule` code or one inline count. With a
    rule, `fallback_working_days` is what a region whose profile lacks that rule gets instead."""

    rule: str = ""
    working_days: int | None = None
    calendar_days: int | None = None
    reminder_days: int | None = 3
    escalation_after_days: int | None = 2
    escalation_role: str = ""
    role: str = ""
    fallback_working_days: int | None = None

    def __post_init__(self):
        given = [bool(self.rule), self.working_days is not None, self.calendar_days is not None]
        if sum(given) > 1:
            raise ValueError("Due: укажите либо rule, либо working_days, либо calendar_days")
        if self.fallback_working_days is not None and not self.rule:
            raise ValueError("Due: fallback_working_days задаётся только вместе с rule")

    def inline_rule(self) -> dict | None:
        if self.working_days is not None:
            kind, days = DeadlineKind.WORKING_DAYS, self.working_days
        elif self.rule and self.fallback_working_days is not None:
            kind, days = DeadlineKind.WORKING_DAYS, self.fallback_working_days
        elif self.calendar_days is not None:
            kind, days = DeadlineKind.CALENDAR_DAYS, self.calendar_days
        else:
            return None
        return {
            "code": "",
            "kind": kind,
            "days": days,
            "moves_to_working_day": True,
            "reminder_days": self.reminder_days,
            "escalation_after_days": self.escalation_after_days,
            "escalation_role": self.escalation_role,
        }


def declared_due(flow_task) -> Due | None:
    return (getattr(flow_task.flow_class, "deadlines", None) or {}).get(flow_task.name)


# --- creation and sync (post_save of viewflow tasks) -------------------------------------------


def _owner_membership(owner_id, role: str):
    if owner_id is None:
        return None
    from orgstructure.models import Membership

    memberships = Membership.objects.filter(user_id=owner_id, is_active=True).select_related("organization")
    if role:
        memberships = memberships.filter(role=role)
    return memberships.order_by("id").first()


def _task_context(task, due: Due | None):
    """(organization, role, region) of a new task: the flow's own answer first, then the
    assignee's membership in the declared role."""
    flow = task.flow_task.flow_class.instance
    role = due.role if due else ""
    organization = None
    if hasattr(flow, "deadline_organization"):
        organization = flow.deadline_organization(task)
    if organization is None:
        membership = _owner_membership(task.owner_id, role)
        if membership is not None:
            organization = membership.organization
            role = role or membership.role
    region = organization.region if organization is not None else None
    if region is None and hasattr(flow, "deadline_region"):
        region = flow.deadline_region(task.process, task)
    return organization, role, region


def task_subject(task) -> str:
    """What a new task is about, by the flow's optional `deadline_subject(task)`, cut to the column."""
    flow = task.flow_task.flow_class.instance
    if not hasattr(flow, "deadline_subject"):
        return ""
    subject = " ".join(str(flow.deadline_subject(task) or "").split())
    limit = TaskDeadline._meta.get_field("subject").max_length
    return subject if len(subject) <= limit else subject[: limit - 1] + "…"


def task_due_rule(task, due: Due | None, *, region: Region | None,
                  municipality_id=None) -> tuple[dict | None, dt.datetime | None, str]:
    """(rule snapshot, due instant, timezone) for a new task."""
    if due is None:
        return None, None, region.timezone if region else DEFAULT_TIMEZONE
    if not due.rule:
        tz = region.timezone if region else DEFAULT_TIMEZONE
        rule = due.inline_rule()
        return rule, None, tz
    snapshot = ProcessDeadline.objects.filter(process_id=task.process_id, rule_code=due.rule).first()
    if snapshot is not None:
        return snapshot.rule, snapshot.due_at, snapshot.timezone
    # No snapshot (the process started before the flow declared the rule): the profile in force.
    tz = region.timezone if region else DEFAULT_TIMEZONE
    on_date = local_date(task.created, tz)
    profile = profile_for(region.code if region else None, on_date, municipality_id=municipality_id)
    rule = profile.rules.filter(code=due.rule).first() if profile else None
    if rule is None:
        fallback = due.inline_rule()
        if fallback is not None:
            logger.info("task %s: rule %s not in the region's profile, the node's fallback applies", task.pk, due.rule)
            return {**fallback, "code": due.rule}, None, tz
        logger.warning("deadline rule %s not found for task %s", due.rule, task.pk)
        return None, None, tz
    return rule.snapshot(), None, tz


def task_deadline_create(task) -> TaskDeadline:
    """The TaskDeadline row of a newly created human task."""
    due = declared_due(task.flow_task)
    organization, role, region = _task_context(task, due)
    rule, due_at, tz = task_due_rule(
        task, due, region=region, municipality_id=organization.municipality_id if organization else None
    )
    calendar = WorkCalendar.load()
    if rule is not None and due_at is None:
        due_at = rule_due_at(rule, anchor=local_date(task.created, tz), tz=tz, calendar=calendar)
    deadline = TaskDeadline(
        task=task,
        process_id=task.process_id,
        flow_class=get_flow_ref(task.flow_task.flow_class),
        flow_task=get_task_ref(task.flow_task),
        subject=task_subject(task),
        owner_id=task.owner_id,
        status=task.status,
        is_open=task.status in OPEN_STATUSES,
        created=task.created,
        finished=task.finished,
        original_due_at=due_at,
        rule_code=(rule or {}).get("code", "") or "",
        timezone=tz,
        region=region,
        municipality_id=organization.municipality_id if organization else None,
        organization=organization,
        role=role,
        escalation_role=(due.escalation_role if due else "") or (rule or {}).get("escalation_role", "") or "",
    )
    apply_due_at(
        deadline,
        due_at,
        calendar=calendar,
        reminder_days=(rule or {}).get("reminder_days"),
        escalation_after_days=(rule or {}).get("escalation_after_days"),
    )
    deadline.save(force_insert=True)
    if deadline.due_at is not None and deadline.is_open:
        TaskAlarm.objects.create(
            task_id=deadline.task_id, due_at=deadline.due_at, remind_at=deadline.remind_at,
            escalate_at=deadline.escalate_at, next_at=deadline.remind_at or overdue_from(deadline.due_at),
        )
    return deadline


def task_deadline_sync(task) -> None:
    """Copy owner and status of a saved task to its listing row (one UPDATE); a closing task also
    leaves the notification queue — in the same statement on PostgreSQL."""
    is_open = task.status in OPEN_STATUSES
    if not is_open and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CLOSE_SQL, [task.pk, task.owner_id, task.status, task.finished, task.pk])
        return
    TaskDeadline.objects.filter(task_id=task.pk).update(
        owner_id=task.owner_id,
        status=task.status,
        is_open=is_open,
        finished=task.finished,
    )
    if not is_open:
        TaskAlarm.objects.filter(task_id=task.pk).delete()


_CLOSE_SQL = (
    f"WITH alarm AS (DELETE FROM {TaskAlarm._meta.db_table} WHERE task_id = %s) "
    f"UPDATE {TaskDeadline._meta.db_table} SET owner_id = %s, status = %s, is_open = false, finished = %s "
    "WHERE task_id = %s"
)


def active_substitute(user_id, on_date: dt.date):
    substitution = (
        Substitution.objects.filter(
            absent_id=user_id, is_active=True, starts_on__lte=on_date, ends_on__gte=on_date
        )
        .select_related("substitute")
        .order_by("-starts_on", "-id")
        .first()
    )
    return substitution


def task_local_date(task, now: dt.datetime | None = None) -> dt.date:
    """Today in the region of a task about to be created: the same region its deadline row will
    get (the flow's organization, else the owner's membership, else the flow's region)."""
    _organization, _role, region = _task_context(task, declared_due(task.flow_task))
    return local_date(now or timezone.now(), region.timezone if region is not None else DEFAULT_TIMEZONE)


def _substitutions_nearby(now: dt.datetime):
    """Substitutions in force on a date that is "today" somewhere on Earth."""
    utc_today = now.astimezone(dt.UTC).date()
    return Substitution.objects.filter(
        is_active=True,
        starts_on__lte=utc_today + dt.timedelta(days=1),
        ends_on__gte=utc_today - dt.timedelta(days=1),
    )


ABSENCE_HINT = "profrost_may_be_absent"


def with_absence_hint(users):
    """Users annotated with whether a substitution of theirs is in force nearby (see
    on_task_pre_save). A flow that reads the assignee of a new task this way, in the transaction
    that creates the task, spares the task's save the same question as a query of its own."""
    nearby = _substitutions_nearby(timezone.now()).filter(absent_id=OuterRef("pk"))
    return users.annotate(**{ABSENCE_HINT: Exists(nearby)})


def on_task_pre_save(sender, instance, **kwargs):
    """A new task for an absent official goes to their substitute, by the date in the task's
    region (a substitution "from 11.03" has begun in Kamchatka while Moscow still has 10.03)."""
    if kwargs.get("raw") or not isinstance(instance, AbstractTask) or not instance._state.adding:
        return
    if instance.flow_task_type != HUMAN and getattr(instance.flow_task, "task_type", None) != HUMAN:
        return
    if instance.owner_id is None:
        return
    now = timezone.now()
    # One cheap question first: is any substitution of the owner in force on a date that is
    # "today" somewhere on Earth? (Answered already when the owner was read with_absence_hint.)
    # Only then is the task's region looked up.
    owner = instance._state.fields_cache.get("owner")
    hint = getattr(owner, ABSENCE_HINT, None) if owner is not None and owner.pk == instance.owner_id else None
    if hint is False:
        return
    if hint is None and not _substitutions_nearby(now).filter(absent_id=instance.owner_id).exists():
        return
    substitution = active_substitute(instance.owner_id, task_local_date(instance, now))
    if substitution is not None:
        instance._profrost_substitution = substitution
        instance.owner = substitution.substitute


def on_task_post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, AbstractTask):
        return
    if instance.flow_task_type != HUMAN:
        return
    if created:
        task_deadline_create(instance)
        substitution = getattr(instance, "_profrost_substitution", None)
        if substitution is not None:
            record_event(
                actor=None,
                obj=instance,
                event="task.substituted",
                from_state=str(substitution.absent_id),
                to_state=str(substitution.substitute_id),
                comment=f"Замещение: {substitution.reason}",
                data={"substitution_id": substitution.pk},
            )
    else:
        task_deadline_sync(instance)


def on_flow_started(sender, process, task, **kwargs):
    """Snapshot the regional profile into a process whose flow declares deadlines."""
    flow = sender.instance if hasattr(sender, "instance") else sender
    if not getattr(flow, "deadlines", None):
        return
    from .regulation import process_deadlines_snapshot

    region = municipality_id = None
    if hasattr(flow, "deadline_region"):
        region = flow.deadline_region(process, task)
    if hasattr(flow, "deadline_municipality"):
        municipality_id = flow.deadline_municipality(process, task)
    if region is None and task is not None and task.owner_id:
        membership = _owner_membership(task.owner_id, "")
        region = membership.organization.region if membership else None
    tz = region.timezone if region is not None else DEFAULT_TIMEZONE
    process_deadlines_snapshot(
        process=process, region=region, started_on=local_date(process.created, tz), municipality_id=municipality_id
    )


# --- extension ----------------------------------------------------------------------------------


def can_extend_deadline(user, deadline: TaskDeadline) -> bool:
    """Superusers; holders of the `core.extend_deadline` permission; officials of EXTEND_ROLES
    acting over the task's organization. Never the assignee on their own task."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if deadline.owner_id == user.pk:
        return False
    if user.has_perm("core.extend_deadline"):
        return True
    if not access.memberships_with_role(user, *EXTEND_ROLES):
        return False
    return in_act_scope(user, deadline, EXTEND_ROLES)


def in_act_scope(user, deadline: TaskDeadline, roles) -> bool:
    """Is the task's territory within the acting scope of one of the user's `roles`? Answers from
    the user's memberships (read once per request) and the row itself, without a query; a task
    without territory is in nobody's scope."""
    for membership in access.memberships_with_role(user, *roles):
        scope = access.ROLE_SCOPES.get(membership.role)
        if scope is None:
            continue
        org = membership.organization
        if scope.act == access.Level.REGION and deadline.region_id == org.region_id:
            return True
        if (
            scope.act == access.Level.MUNICIPALITY
            and org.municipality_id
            and deadline.municipality_id == org.municipality_id
        ):
            return True
        if scope.act == access.Level.ORGANIZATION and deadline.organization_id == org.pk:
            return True
    return False


def act_scope_condition(user, model, roles) -> Q:
    """A Q over `model` (by its SCOPE_PATHS) for the objects within the acting scope of the
    user's memberships in `roles` — the query counterpart of `in_act_scope`. Matches nothing when
    the user holds none of the roles; superusers are the caller's business."""
    paths = model.SCOPE_PATHS
    condition = Q(pk__in=[])
    for membership in access.memberships_with_role(user, *roles):
        scope = access.ROLE_SCOPES.get(membership.role)
        org = membership.organization
        if scope is None:
            continue
        if scope.act == access.Level.REGION and "region" in paths:
            condition |= access.lookup_condition(paths["region"], org.region_id)
        elif scope.act == access.Level.MUNICIPALITY and "municipality" in paths and org.municipality_id:
            condition |= access.lookup_condition(paths["municipality"], org.municipality_id)
        elif scope.act == access.Level.ORGANIZATION and "organization" in paths:
            condition |= access.lookup_condition(paths["organization"], org.pk)
    return condition


@transaction.atomic
def task_deadline_extend(*, actor, task_id: int, new_due_date: dt.date, reason: str) -> TaskDeadline:
    """Move an open task's due date later, with a reason; the new day is moved off a day off
    (ГК РФ ст. 193). Never to a day already past in the task's region (`clock.today`): an overdue
    task extended to yesterday would still be overdue, and the extension would only hide it.
    Audited; a new notification cycle starts for the new date."""
    reason = (reason or "").strip()
    if not reason:
        raise DeadlineError("Укажите причину продления")
    deadline = TaskDeadline.objects.select_for_update().filter(task_id=task_id).first()
    if deadline is None or not can_extend_deadline(actor, deadline):
        raise DeadlineError("Задача не найдена или продление срока вам недоступно")
    if not deadline.is_open:
        raise DeadlineError("Задача уже завершена")
    today = clock.today(deadline.timezone)
    if new_due_date < today:
        raise DeadlineError(f"Новый срок не может быть раньше сегодняшнего дня ({today:%d.%m.%Y})")
    calendar = WorkCalendar.load()
    new_day = calendar.roll_forward(new_due_date)
    new_due = deadline_instant(new_day, deadline.timezone)
    if deadline.due_at is not None and new_due <= deadline.due_at:
        raise DeadlineError("Новый срок должен быть позже текущего")
    old_due = deadline.due_at
    apply_due_at(deadline, new_due, calendar=calendar, reminder_days=deadline.reminder_days,
                 escalation_after_days=deadline.escalation_after_days)
    deadline.extension_count += 1
    if deadline.original_due_at is None:
        deadline.original_due_at = old_due
    deadline.save()
    schedule_alarm(deadline)
    record_event(
        actor=actor,
        obj=deadline,
        event="deadline.extended",
        from_state=old_due.isoformat() if old_due else "",
        to_state=new_due.isoformat(),
        comment=reason,
        data={"task_id": deadline.task_id, "new_due_date": new_day.isoformat()},
    )
    return deadline
