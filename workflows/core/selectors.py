"""Reads over task due dates: the inbox, queue and archive pages and the unread badge.

Every list reads the one table `TaskDeadline` over a composite index and pages by keyset
(sort key, task id; `common.keyset`) — never OFFSET — so the first and the thousandth page cost the same and the
number of queries does not depend on how many tasks the user has. Counts shown in menus are
capped (`BADGE_CAP`), so they too stay cheap for an official with 10,000 open tasks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone
from viewflow.workflow.fields import get_flow_ref, import_flow_by_ref, import_task_by_ref

from common import keyset
from orgstructure import access

from .calendar import (
    WorkCalendar,
    deadline_instant,
    is_overdue,
    local_datetime,
    not_overdue_q,
    overdue_q,
    timezone_label,
)
from .models import Notification, TaskDeadline

PAGE_SIZE = 50
BADGE_CAP = 99
# The day boundary for "due soon" is taken where a day ends last in Russia (UTC+2), so that a
# task of any region due on the boundary day is counted.
WESTERNMOST_TIMEZONE = "Europe/Kaliningrad"
SOON_WORKING_DAYS = 3

BOXES = ("inbox", "queue", "archive")
FILTERS = {
    "": "Все",
    "overdue": "Просроченные",
    "soon": f"Срок в ближайшие {SOON_WORKING_DAYS} рабочих дня",
    "nodue": "Без срока",
}
SORTS = {  # key in the URL: (keyset ordering, label)
    "due": (("sort_due", "task_id"), "Срок ↑"),
    "-due": (("-sort_due", "-task_id"), "Срок ↓"),
    "created": (("created", "task_id"), "Поступление ↑"),
    "-created": (("-created", "-task_id"), "Поступление ↓"),
}


@dataclass
class TaskPage:
    rows: list[TaskDeadline]
    next_cursor: str | None
    now: dt.datetime
    soon_until: dt.datetime


def soon_boundary(now: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    today = timezone.localdate(now)
    return deadline_instant(calendar.add_working_days(today, SOON_WORKING_DAYS), WESTERNMOST_TIMEZONE)


def _queue_condition(user) -> Q:
    """Unassigned tasks the user may take: viewflow's permission on the node, narrowed to the
    user's (role, organization) pairs when the task declares whom it is for. Fails closed: a task
    without an organization shows only in the regions of the user's memberships, and one with
    neither organization nor region only to superusers."""
    if user.is_superuser:
        return Q()
    permitted = Q(task__owner_permission__isnull=True) | Q(task__owner_permission__in=user.get_all_permissions())
    memberships = access.active_memberships(user)
    mine = Q(pk__in=[])
    regions = {membership.organization.region_id for membership in memberships}
    if regions:
        mine |= Q(organization__isnull=True, region_id__in=sorted(regions))
    for membership in memberships:
        mine |= Q(organization_id=membership.organization_id, role__in=["", membership.role])
    return permitted & mine


def task_list(*, user, box: str, flow_classes, status_filter: str = "", flow_ref: str = "",
              sort: str = "due", cursor: str = "", page_size: int = PAGE_SIZE,
              calendar: WorkCalendar | None = None, now: dt.datetime | None = None) -> TaskPage:
    """One page of the user's inbox, queue or archive."""
    now = now or timezone.now()
    calendar = calendar or WorkCalendar.load()
    soon_until = soon_boundary(now, calendar)
    refs = [get_flow_ref(flow_class) for flow_class in flow_classes if flow_class.instance.has_view_permission(user)]
    if flow_ref:
        refs = [ref for ref in refs if ref == flow_ref]

    queryset = TaskDeadline.objects.filter(flow_class__in=refs)
    if box == "inbox":
        queryset = queryset.filter(owner=user, is_open=True)
    elif box == "archive":
        queryset = queryset.filter(owner=user, is_open=False)
    elif box == "queue":
        queryset = queryset.filter(status="NEW").filter(_queue_condition(user))
    else:
        raise ValueError(box)

    if status_filter == "overdue":
        queryset = queryset.filter(overdue_q(now))
    elif status_filter == "soon":
        queryset = queryset.filter(not_overdue_q(now), due_at__lte=soon_until)
    elif status_filter == "nodue":
        queryset = queryset.filter(due_at__isnull=True)

    ordering, _ = SORTS.get(sort, SORTS["due"])
    page = keyset.page(queryset, ordering, cursor, page_size)
    rows = page.rows
    for row in rows:
        decorate(row, now=now, soon_until=soon_until)
    return TaskPage(rows=rows, next_cursor=page.next_cursor, now=now, soon_until=soon_until)


def process_page_url(flow_class, process_id) -> str:
    """The page of a process for anyone in its scope (a flow's `process_detail` leads to the
    artefact's page): where a closed task, an overdue row seen by a supervisor and an escalation
    notice link to, since the task's own page is only for the one who acts on it."""
    if flow_class is None:
        return ""
    try:
        return flow_class.instance.reverse("process_detail", args=[process_id])
    except NoReverseMatch:
        return ""


def decorate(row: TaskDeadline, *, now: dt.datetime, soon_until: dt.datetime) -> None:
    """Attach what templates show, without touching the database."""
    node = import_task_by_ref(row.flow_task)
    flow_class = import_flow_by_ref(row.flow_class)
    row.step_title = (node.task_title or node.name) if node else row.flow_task
    row.process_title = flow_class.process_title if flow_class else row.flow_class
    if row.is_open:
        row.task_url = node.reverse("index", args=[row.process_id, row.task_id]) if node else ""
    else:  # a done task has no form any more: the archive leads to what it was about
        row.task_url = process_page_url(flow_class, row.process_id)
    # Dates and times in the task's own region, labelled: a Kaliningrad deadline of 10.03 ends
    # at 00:59 on 11.03 in Moscow, the server's zone, and must still read 10.03.
    row.tz_label = timezone_label(row.timezone, now)
    row.created_local = local_datetime(row.created, row.timezone)
    row.finished_local = local_datetime(row.finished, row.timezone) if row.finished else None
    row.due_local = local_datetime(row.due_at, row.timezone) if row.due_at else None
    if row.due_at is None:
        row.due_state = "nodue"
    elif not row.is_open:
        row.due_state = "late" if row.finished and is_overdue(row.due_at, row.finished) else "done"
    elif is_overdue(row.due_at, now):
        row.due_state = "overdue"
    elif row.due_at <= soon_until:
        row.due_state = "soon"
    else:
        row.due_state = "ok"


def inbox_badge(user) -> str:
    """The open-task count for the menu, capped: "99+" rather than counting 10,000 rows."""
    count = TaskDeadline.objects.filter(owner=user, is_open=True).values("task_id")[: BADGE_CAP + 1].count()
    return f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)


def unread_badge(user) -> str:
    count = Notification.objects.filter(user=user, read_at__isnull=True).values("id")[: BADGE_CAP + 1].count()
    if count == 0:
        return ""
    return f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)


def notifications_for(user, *, limit: int = 100):
    return list(Notification.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def my_tasks_summary(user, *, now: dt.datetime | None = None) -> dict:
    """For the start page: my open tasks, how many are overdue and how many fall due within
    3 working days — each a capped count over the (owner, is_open, due) index."""
    now = now or timezone.now()
    soon_until = soon_boundary(now, WorkCalendar.load())
    mine = TaskDeadline.objects.filter(owner=user, is_open=True)

    def capped(queryset) -> str:
        count = queryset.values("task_id")[: BADGE_CAP + 1].count()
        return f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)

    return {
        "open": capped(mine),
        "overdue": capped(mine.filter(overdue_q(now))),
        "soon": capped(mine.filter(not_overdue_q(now), due_at__lte=soon_until)),
        "unread": unread_badge(user) or "0",
    }
