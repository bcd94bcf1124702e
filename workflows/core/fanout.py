"""Bulk fan-out: one process per artefact for many artefacts at once, in a constant number of
queries (issue 12: a monitoring campaign opens a submission for each of ≈ 1,100 schools).

A process app bulk-creates its artefacts (one record per school) and calls::

    fan_out(MonitoringFlow, submissions)

which writes, in one transaction, exactly the rows that `flow.start.run(...)` would write one by
one for each artefact that has no process of this flow yet:

* the viewflow Process rows (artifact set) and their start tasks (done);
* the human tasks of the start's next node (a `RoleTask`): owner = the sole active holder of the
  step's role in the step's organization where there is one (an absent official's task goes to
  their substitute, as `deadlines.on_task_pre_save` does, with its `task.substituted` event), else
  queued for the role in that organization;
* the ProcessDeadline snapshot of the regional profile (`regulation.profile_plan`, once per region) and
  the TaskDeadline and TaskAlarm rows of the human tasks (`deadlines.task_due_rule` semantics; the
  due instant computed once per (rule, region));

Idempotent by artefact: a re-run creates nothing for artefacts that already have a process of the
flow (the artefact rows are locked first, so two concurrent fan-outs of the same artefacts do not
both create). Signals are not sent per process (the kit's only receivers — the deadline rows, the
snapshot and the substitution — are done here in bulk); a flow that relies on other receivers of
`flow_started` / `task_finished` / `post_save` of tasks cannot be fanned out this way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from viewflow.workflow.fields import get_flow_ref, get_task_ref
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from orgstructure.models import Membership, Region

from .alarms import apply_due_at
from .audit import record_event
from .calendar import WorkCalendar, local_date, overdue_from
from .deadlines import OPEN_STATUSES, declared_due, task_subject
from .models import ProcessDeadline, RegulationProfile, Substitution, TaskAlarm, TaskDeadline
from .regulation import DEFAULT_TIMEZONE, profile_for, profile_plan, rule_due_at


class FanOutError(Exception):
    """The flow cannot be fanned out in bulk (its shape is not start → one human step)."""


@dataclass
class FanOutResult:
    processes: list
    tasks: list
    skipped: int


def _first_human_step(flow_class, start):
    step = start._next
    if step is None or getattr(step, "task_type", None) != "HUMAN":
        raise FanOutError("Массовый запуск: за стартом должен следовать шаг исполнителя")
    if step._owner_permission_obj or callable(step._owner_permission):
        raise FanOutError("Массовый запуск: вычисляемые права шага не поддерживаются")
    if step._on_create is not None or start._task_data or start._task_seed:
        raise FanOutError("Массовый запуск: обработчики создания шага не поддерживаются")
    return step


def _organizations(flow, step_name, artefacts):
    """The step's organization per artefact (orgstructure.selectors.acting_organizations: the
    regional and municipal bodies read in one query for all), kept on each artefact as the
    routing would keep it."""
    from orgstructure.selectors import acting_organizations

    role = flow.step_role(step_name)
    own = {artefact.pk: flow.artefact_organization(artefact) for artefact in artefacts}
    bodies = acting_organizations(role, own.values())
    result = {}
    for artefact in artefacts:
        organization = own[artefact.pk]
        body = bodies.get(organization.pk) if organization is not None else None
        result[artefact.pk] = body
        artefact.__dict__.setdefault("_flowkit_step_organizations", {})[step_name] = body
    return role, result


def _sole_holders(role, organizations):
    """{organization id: user} where exactly one active user holds the role (one query)."""
    if not role or not organizations:
        return {}
    pairs = Membership.objects.filter(
        role=role, organization_id__in={org.pk for org in organizations}, is_active=True, user__is_active=True
    ).values_list("organization_id", "user_id").distinct()
    holders = {}
    for organization_id, user_id in pairs:
        holders.setdefault(organization_id, set()).add(user_id)
    sole = {org_id: next(iter(users)) for org_id, users in holders.items() if len(users) == 1}
    users = get_user_model().objects.in_bulk(set(sole.values()))
    return {org_id: users[user_id] for org_id, user_id in sole.items()}


def _substitutions(owner_ids, now):
    """Substitutions possibly in force for the owners (the window of deadlines._substitutions_nearby),
    per absent user, in deadlines.active_substitute's order of preference."""
    if not owner_ids:
        return {}
    utc_today = now.astimezone(dt.UTC).date()
    rows = (
        Substitution.objects.filter(
            absent_id__in=owner_ids,
            is_active=True,
            starts_on__lte=utc_today + dt.timedelta(days=1),
            ends_on__gte=utc_today - dt.timedelta(days=1),
        )
        .select_related("substitute")
        .order_by("-starts_on", "-id")
    )
    by_absent = {}
    for row in rows:
        by_absent.setdefault(row.absent_id, []).append(row)
    return by_absent


def _read_artefacts(flow_class, model, ids):
    """The artefacts with what the routing reads (`artefact_related`), locked on PostgreSQL so
    that two fan-outs of the same artefacts run one after the other."""
    rows = model._default_manager.select_related(*flow_class.artefact_related).filter(pk__in=ids).order_by("pk")
    if connection.vendor == "postgresql":
        rows = rows.select_for_update(of=("self",))
    return list(rows)


def insert_for_each(model, key: str, ids, *, source, values: dict) -> None:
    """INSERT one `model` row per id of `ids` (rows of `source`): `key` (a foreign key to `source`)
    is the id, every other column is the same in each row, `values` (fields not given get their
    defaults; `auto_now_add` gets now). The values are sent once, as their fields make them
    (`get_db_prep_save`), and copied by the database — not once per row as `bulk_create` sends
    them. No signals, no objects returned (as `bulk_create` on a table whose key is not serial)."""
    ids = list(ids)
    if not ids:
        return
    meta = model._meta
    values = dict(values)
    now = timezone.now()
    for field in meta.concrete_fields:
        if field.name in values or field.name == key or field.primary_key and field.auto_created:
            continue
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            values[field.name] = now
        elif field.has_default():
            values[field.name] = field.get_default()
        elif not field.null:
            raise ValueError(f"insert_for_each: no value for {meta.label}.{field.name}")
    fields = [meta.get_field(name) for name in values]
    params = [
        field.get_db_prep_save(value.pk if field.is_relation and hasattr(value, "_meta") else value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":  # typed, so that a NULL or a text literal lands in any column
        placeholders = [f"%s::{field.db_type(connection)}" for field in fields]
    else:
        placeholders = ["%s"] * len(fields)
    source_table, source_pk = quote(source._meta.db_table), quote(source._meta.pk.column)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({quote(meta.get_field(key).column)}, "
        f"{', '.join(quote(field.column) for field in fields)}) "
        f"SELECT s.{source_pk}, {', '.join(placeholders)} FROM {source_table} s WHERE s.{source_pk} IN "
    )
    chunk = (connection.features.max_query_params or 100_000) - len(params)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), chunk):
            part = ids[start:start + chunk]
            cursor.execute(sql + f"({', '.join(['%s'] * len(part))})", [*params, *part])


@transaction.atomic
def fan_out(flow_class, artefacts, *, start=None) -> FanOutResult:
    """Start `flow_class` for each artefact without a process of it (see the module docstring)."""
    flow = flow_class.instance
    start = start or flow_class.start
    step = _first_human_step(flow_class, start)
    ids = list(dict.fromkeys(a.pk for a in artefacts if a.pk is not None))
    if not ids:
        return FanOutResult([], [], 0)
    model = flow_class.artefact_model
    content_type = ContentType.objects.get_for_model(model)
    artefacts = _read_artefacts(flow_class, model, ids)
    existing = set(
        flow_class.process_class._default_manager.filter(
            flow_class=flow_class, artifact_content_type=content_type, artifact_object_id__in=ids
        ).values_list("artifact_object_id", flat=True)
    )
    fresh = [artefact for artefact in artefacts if artefact.pk not in existing]
    skipped = len(artefacts) - len(fresh)
    if not fresh:
        return FanOutResult([], [], skipped)

    now = timezone.now()
    calendar = WorkCalendar.load()

    # --- processes and their start tasks ------------------------------------------------------------
    processes = [
        flow_class.process_class(
            flow_class=flow_class, status=PROCESS.NEW, created=now, data={},
            artifact_content_type=content_type, artifact_object_id=artefact.pk,
        )
        for artefact in fresh
    ]
    flow_class.process_class._default_manager.bulk_create(processes)
    for process, artefact in zip(processes, fresh, strict=True):
        process._flowkit_artefact = artefact
    task_model = flow_class.task_class
    token = Token("start")
    start_tasks = [
        task_model(
            process=process, flow_task=start, flow_task_type=start.task_type, status=STATUS.DONE,
            created=now, started=now, finished=now, token=token, data={},
        )
        for process in processes
    ]
    task_model._default_manager.bulk_create(start_tasks)

    # --- the profile snapshot, once per region ---------------------------------------------------------
    regions = {}
    for process, artefact in zip(processes, fresh, strict=True):
        regions[process.pk] = flow.artefact_region(artefact)
    plans, plan_processes, snapshot_of = {}, {}, {}
    if getattr(flow, "deadlines", None):
        municipalities = {process.pk: flow.deadline_municipality(process, None) for process in processes}
        own_profiles = set(
            RegulationProfile.objects.filter(municipality_id__in=set(municipalities.values()) - {None})
            .values_list("municipality_id", flat=True)
        )
        for process in processes:
            region = regions[process.pk]
            tz = region.timezone if region is not None else DEFAULT_TIMEZONE
            municipality_id = municipalities[process.pk]
            if municipality_id not in own_profiles:
                municipality_id = None  # the region's profile (looked up once per region)
            key = (region.pk if region is not None else None, municipality_id, local_date(now, tz))
            if key not in plans:
                region_code = region.code if region is not None else ""
                profile = profile_for(region_code, key[-1], municipality_id=municipality_id)
                plans[key] = (
                    profile,
                    profile_plan(profile, start=key[-1], tz=tz, calendar=calendar) if profile is not None else [],
                    tz,
                    region.code if region is not None else "",
                )
            plan_processes.setdefault(key, []).append(process.pk)
        # One INSERT … SELECT per rule of each plan: the rule's snapshot is sent once and copied to
        # each process by the database (3,300 copies of the rule sent from here cost more than all
        # the rest of a regional fan-out).
        for key, process_ids in plan_processes.items():
            profile, plan, tz, region_code = plans[key]
            for snapshot, due in plan:
                insert_for_each(
                    ProcessDeadline, "process", process_ids, source=flow_class.process_class,
                    values=dict(rule_code=snapshot["code"], title=snapshot["title"], rule=snapshot, due_at=due,
                                profile=profile, profile_version=profile.version, region_code=region_code,
                                timezone=tz, escalation_map=profile.escalation_map or {}),
                )
                for process_id in process_ids:
                    snapshot_of[(process_id, snapshot["code"])] = (snapshot, due, tz)

    # --- the human tasks ------------------------------------------------------------------------------
    role, organizations = _organizations(flow, step.name, fresh)
    bodies = [org for org in organizations.values() if org is not None]
    holders = _sole_holders(role, bodies)
    region_of = Region.objects.in_bulk({org.region_id for org in bodies if org.region_id})
    substitutions = _substitutions({user.pk for user in holders.values()}, now)
    permission = step._owner_permission
    due = declared_due(step)

    tasks, substituted = [], []
    for process, artefact in zip(processes, fresh, strict=True):
        organization = organizations[artefact.pk]
        owner = holders.get(organization.pk) if organization is not None else None
        task = task_model(
            process=process, flow_task=step, flow_task_type=step.task_type, status=STATUS.NEW,
            created=now, token=token, data={},
        )
        if permission:
            task.owner_permission = permission
        if owner is not None:
            region = region_of.get(organization.region_id) or regions[process.pk]
            tz = region.timezone if region is not None else DEFAULT_TIMEZONE
            today = local_date(now, tz)
            substitution = next(
                (s for s in substitutions.get(owner.pk, ()) if s.starts_on <= today <= s.ends_on), None
            )
            if substitution is not None:
                owner = substitution.substitute
                substituted.append((task, substitution))
            task.owner = owner
            task.status = STATUS.ASSIGNED
        tasks.append(task)
    task_model._default_manager.bulk_create(tasks)
    through = task_model.previous.through
    through.objects.bulk_create(
        through(from_task_id=task.pk, to_task_id=start_task.pk)
        for task, start_task in zip(tasks, start_tasks, strict=True)
    )

    # --- their due-date rows and alarms -------------------------------------------------------------
    flow_ref, task_ref = get_flow_ref(flow_class), get_task_ref(step)
    due_cache = {}
    deadlines, alarms = [], {}
    for task, artefact in zip(tasks, fresh, strict=True):
        organization = organizations[artefact.pk]
        region = region_of.get(organization.region_id) if organization is not None else None
        if region is None:
            region = regions[task.process_id]
        tz = region.timezone if region is not None else DEFAULT_TIMEZONE
        rule, due_at = None, None
        if due is not None and due.rule:
            snapshot = snapshot_of.get((task.process_id, due.rule))
            if snapshot is not None:
                rule, due_at, tz = snapshot
            elif due.inline_rule() is not None:
                rule = {**due.inline_rule(), "code": due.rule}
        elif due is not None:
            rule = due.inline_rule()
        if rule is not None and due_at is None:
            key = (rule.get("code"), rule.get("kind"), rule.get("days"), tz, local_date(task.created, tz))
            if key not in due_cache:
                due_cache[key] = rule_due_at(rule, anchor=key[-1], tz=tz, calendar=calendar)
            due_at = due_cache[key]
        deadline = TaskDeadline(
            task=task, process_id=task.process_id, flow_class=flow_ref, flow_task=task_ref,
            subject=task_subject(task), owner_id=task.owner_id, status=task.status,
            is_open=task.status in OPEN_STATUSES, created=task.created, finished=task.finished,
            original_due_at=due_at, rule_code=(rule or {}).get("code", "") or "", timezone=tz,
            region=region, municipality_id=organization.municipality_id if organization else None,
            organization=organization, role=(due.role if due else "") or "",
            escalation_role=(due.escalation_role if due else "") or (rule or {}).get("escalation_role", "") or "",
        )
        apply_due_at(
            deadline, due_at, calendar=calendar,
            reminder_days=(rule or {}).get("reminder_days"),
            escalation_after_days=(rule or {}).get("escalation_after_days"),
        )
        deadlines.append(deadline)
        if deadline.due_at is not None and deadline.is_open:
            instants = (deadline.due_at, deadline.remind_at, deadline.escalate_at)
            alarms.setdefault(instants, []).append(task.pk)
    TaskDeadline.objects.bulk_create(deadlines)
    for (due_at, remind_at, escalate_at), task_ids in alarms.items():  # one INSERT … SELECT per due date
        insert_for_each(
            TaskAlarm, "task", task_ids, source=task_model,
            values=dict(due_at=due_at, remind_at=remind_at, escalate_at=escalate_at,
                        next_at=remind_at or overdue_from(due_at)),
        )
    for task, substitution in substituted:
        record_event(
            actor=None, obj=task, event="task.substituted", from_state=str(substitution.absent_id),
            to_state=str(substitution.substitute_id), comment=f"Замещение: {substitution.reason}",
            data={"substitution_id": substitution.pk},
        )
    return FanOutResult(processes, tasks, skipped)
