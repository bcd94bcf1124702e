"""The overdue control report: overdue and due-soon steps by municipality, organization, process
and step, the oldest items, a weekly trend and the .xlsx export — always inside the viewer's
scope (access.py). Each figure is one aggregate query over the open-task partial indexes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from viewflow.workflow.fields import import_flow_by_ref, import_task_by_ref

from orgstructure import access
from orgstructure.models import Municipality, Organization, Role

from .calendar import (
    WorkCalendar,
    local_date,
    local_datetime,
    not_overdue_q,
    overdue_q,
    overdue_working_days,
    timezone_label,
)
from .models import TaskDeadline
from .selectors import process_page_url, soon_boundary

REPORT_ROLES = (
    Role.PD_ADMIN,
    Role.MINISTRY_OFFICER,
    Role.MINISTRY_SIGNATORY,
    Role.CNPPM_COORDINATOR,
    Role.MUNI_AUTHORITY,
    Role.MMS_METHODIST,
    Role.SCHOOL_HEAD,
)
STATES = {"overdue": "Просроченные", "soon": "Срок в ближайшие 3 рабочих дня", "open": "Все открытые"}
TREND_WEEKS = 12
OLDEST_LIMIT = 50
TOP_ORGANIZATIONS = 25
# The .xlsx export is assembled in memory (views.OverdueExportView): about 50,000 rows (≈ 5 MB
# of file, a few times that while building) is as much as one web request should take on.
EXPORT_LIMIT = 50_000


def can_view_report(user, *, check_permission: bool = True) -> bool:
    """Report roles (and superusers) see the overdue control; so does anyone granted
    `core.view_overdue_report`. The menu passes check_permission=False for non-staff users to keep
    its query count flat: that permission is handed out to staff accounts in the admin."""
    if not check_permission:
        return bool(
            getattr(user, "is_authenticated", False) and (user.is_superuser or access.has_role(user, *REPORT_ROLES))
        )
    return bool(
        getattr(user, "is_authenticated", False)
        # roles first: memberships are cached per request, permissions cost queries
        and (user.is_superuser or access.has_role(user, *REPORT_ROLES) or user.has_perm("core.view_overdue_report"))
    )


@dataclass
class ReportFilter:
    state: str = "overdue"
    municipality: int | None = None
    organization: int | None = None
    flow_class: str = ""
    flow_task: str = ""

    @classmethod
    def from_params(cls, params) -> ReportFilter:
        def as_int(name):
            try:
                return int(params.get(name) or 0) or None
            except ValueError:
                return None

        state = params.get("state", "overdue")
        return cls(
            state=state if state in STATES else "overdue",
            municipality=as_int("municipality"),
            organization=as_int("organization"),
            flow_class=params.get("process", "")[:255],
            flow_task=params.get("step", "")[:255],
        )

    def query(self, **changes) -> str:
        from urllib.parse import urlencode

        values = {
            "state": self.state,
            "municipality": self.municipality or "",
            "organization": self.organization or "",
            "process": self.flow_class,
            "step": self.flow_task,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v})


@dataclass
class Report:
    filter: ReportFilter
    now: dt.datetime
    totals: dict = field(default_factory=dict)
    by_municipality: list = field(default_factory=list)
    by_organization: list = field(default_factory=list)
    by_process: list = field(default_factory=list)
    by_step: list = field(default_factory=list)
    oldest: list = field(default_factory=list)
    trend: list = field(default_factory=list)


def scoped_open(user, report_filter: ReportFilter):
    """Open tasks in the user's scope, narrowed by the filter's territory/process/step."""
    queryset = access.scope_queryset(user, TaskDeadline.objects.filter(is_open=True))
    if report_filter.municipality:
        queryset = queryset.filter(municipality_id=report_filter.municipality)
    if report_filter.organization:
        queryset = queryset.filter(organization_id=report_filter.organization)
    if report_filter.flow_class:
        queryset = queryset.filter(flow_class=report_filter.flow_class)
    if report_filter.flow_task:
        queryset = queryset.filter(flow_task=report_filter.flow_task)
    return queryset


def state_condition(state: str, now: dt.datetime, soon_until: dt.datetime) -> Q:
    if state == "overdue":
        return overdue_q(now)
    if state == "soon":
        return not_overdue_q(now) & Q(due_at__lte=soon_until)
    return Q()


def _step_title(ref: str) -> str:
    node = import_task_by_ref(ref) if ref else None
    return (node.task_title or node.name) if node else ref or "—"


def _process_title(ref: str) -> str:
    flow_class = import_flow_by_ref(ref) if ref else None
    return flow_class.process_title if flow_class else ref or "—"


def build_report(user, report_filter: ReportFilter, *, now: dt.datetime | None = None) -> Report:
    now = now or timezone.now()
    soon_until = soon_boundary(now, WorkCalendar.load())
    base = scoped_open(user, report_filter)
    counts = {
        "overdue": Count("task", filter=overdue_q(now)),
        "soon": Count("task", filter=not_overdue_q(now) & Q(due_at__lte=soon_until)),
    }
    report = Report(filter=report_filter, now=now)
    # One pass over the open tasks due by the "soon" boundary, grouped by the finest key; the
    # totals and the four breakdowns are summed from it in Python (a few thousand groups at most).
    groups = list(
        base.filter(due_at__lte=soon_until)
        .values("municipality_id", "organization_id", "flow_class", "flow_task")
        .annotate(**counts, oldest=Min("due_at"))
        .order_by()
    )
    oldest = min((group["oldest"] for group in groups), default=None)
    report.totals = {
        "overdue": sum(group["overdue"] for group in groups),
        "soon": sum(group["soon"] for group in groups),
        # the oldest deadline's own zone is not at hand here; the days are counted in the server's
        "oldest_days": overdue_working_days(oldest, settings.TIME_ZONE, now) if oldest else 0,
    }

    def summed(key, limit=200):
        totals: dict = {}
        for group in groups:
            entry = totals.setdefault(group[key], {key: group[key], "overdue": 0, "soon": 0})
            entry["overdue"] += group["overdue"]
            entry["soon"] += group["soon"]
        return sorted(totals.values(), key=lambda e: (-e["overdue"], -e["soon"], str(e[key])))[:limit]

    municipalities = summed("municipality_id")
    names = dict(
        Municipality.objects.filter(pk__in=[r["municipality_id"] for r in municipalities]).values_list("pk", "name")
    )
    report.by_municipality = [
        {**row, "name": names.get(row["municipality_id"], "Региональный уровень"), "id": row["municipality_id"]}
        for row in municipalities
    ]
    organizations = summed("organization_id", TOP_ORGANIZATIONS)
    names = dict(
        Organization.objects.filter(pk__in=[r["organization_id"] for r in organizations]).values_list("pk", "name")
    )
    report.by_organization = [
        {**row, "name": names.get(row["organization_id"], "Не указана"), "id": row["organization_id"]}
        for row in organizations
    ]
    report.by_process = [{**row, "name": _process_title(row["flow_class"])} for row in summed("flow_class")]
    report.by_step = [{**row, "name": _step_title(row["flow_task"])} for row in summed("flow_task")]

    listed = base.filter(state_condition(report_filter.state, now, soon_until)).exclude(due_at__isnull=True)
    oldest = list(
        listed.select_related("owner", "organization", "municipality").order_by("due_at", "task_id")[:OLDEST_LIMIT]
    )
    openable = _openable_processes(user, oldest)
    report.oldest = [_describe(row, now, user, openable) for row in oldest]
    report.trend = weekly_trend(user, report_filter, now=now)
    return report


def _openable_processes(user, rows) -> set[int]:
    """The processes of the rows the user may open (a few queries per flow, not one per row)."""
    from .flowkit.routing import visible_process_ids

    by_flow: dict[str, list[int]] = {}
    for row in rows:
        by_flow.setdefault(row.flow_class, []).append(row.process_id)
    openable: set[int] = set()
    for ref, process_ids in by_flow.items():
        flow_class = import_flow_by_ref(ref)
        if flow_class is not None:
            openable |= visible_process_ids(user, flow_class, process_ids)
    return openable


def _describe(row: TaskDeadline, now: dt.datetime, user, openable: set[int]) -> TaskDeadline:
    node = import_task_by_ref(row.flow_task)
    row.step_title = (node.task_title or node.name) if node else row.flow_task
    row.process_title = _process_title(row.flow_class)
    # Those who watch deadlines are mostly not the ones who act: the row leads to the process's page.
    # (no link where the user may not open the process at all).
    flow_class = import_flow_by_ref(row.flow_class)
    row.task_url = process_page_url(flow_class, row.process_id) if row.process_id in openable else ""
    row.days_overdue = overdue_working_days(row.due_at, row.timezone, now)
    row.tz_label = timezone_label(row.timezone, now)
    row.due_local = local_datetime(row.due_at, row.timezone) if row.due_at else None
    row.owner_name = (row.owner.get_full_name() or row.owner.get_username()) if row.owner else "не назначен"
    return row


def weekly_trend(user, report_filter: ReportFilter, *, now: dt.datetime) -> list[dict]:
    """Deadlines violated per week over the last weeks: tasks due that week that were finished
    late or are still open past their date."""
    start = timezone.localtime(now).date() - dt.timedelta(weeks=TREND_WEEKS - 1)
    start = start - dt.timedelta(days=start.weekday())
    start_at = dt.datetime.combine(start, dt.time(), tzinfo=timezone.get_current_timezone())
    queryset = access.scope_queryset(user, TaskDeadline.objects.filter(due_at__gte=start_at, due_at__lt=now))
    if report_filter.municipality:
        queryset = queryset.filter(municipality_id=report_filter.municipality)
    if report_filter.organization:
        queryset = queryset.filter(organization_id=report_filter.organization)
    if report_filter.flow_class:
        queryset = queryset.filter(flow_class=report_filter.flow_class)
    if report_filter.flow_task:
        queryset = queryset.filter(flow_task=report_filter.flow_task)
    rows = (
        queryset.filter(Q(is_open=True) | Q(finished__gt=F("due_at")))
        .annotate(week=TruncWeek("due_at"))
        .values("week")
        .annotate(
            violated=Count("task"),
            still_open=Count("task", filter=Q(is_open=True)),
        )
    )
    by_week = {}
    for row in rows:
        week = row["week"]
        week = timezone.localtime(week).date() if isinstance(week, dt.datetime) else week
        by_week[week] = row
    trend = []
    for index in range(TREND_WEEKS):
        week = start + dt.timedelta(weeks=index)
        row = by_week.get(week, {})
        trend.append({"week": week, "violated": row.get("violated", 0), "still_open": row.get("still_open", 0)})
    return trend


def _export_queryset(user, report_filter: ReportFilter, now: dt.datetime):
    soon_until = soon_boundary(now, WorkCalendar.load())
    return scoped_open(user, report_filter).filter(state_condition(report_filter.state, now, soon_until))


def export_count(user, report_filter: ReportFilter, *, cap: int, now: dt.datetime | None = None) -> int:
    """How many rows the export would hold, counted no further than cap + 1."""
    queryset = _export_queryset(user, report_filter, now or timezone.now())
    return queryset.values("task_id")[: cap + 1].count()


def export_rows(user, report_filter: ReportFilter, *, now: dt.datetime | None = None, limit: int | None = None):
    """The tasks of the current filter, oldest deadline first, for the .xlsx export (at most
    `limit` of them)."""
    now = now or timezone.now()
    queryset = (
        _export_queryset(user, report_filter, now)
        .select_related("owner", "organization", "municipality")
        .order_by("due_at", "task_id")
    )
    if limit is not None:
        queryset = queryset[:limit]
    for row in queryset.iterator(chunk_size=2000):
        yield _describe_for_export(row, now)


def _describe_for_export(row: TaskDeadline, now: dt.datetime) -> list:
    owner = (row.owner.get_full_name() or row.owner.get_username()) if row.owner else ""
    due_local = local_date(row.due_at, row.timezone) if row.due_at else None
    return [
        row.task_id,
        row.process_id,
        _process_title(row.flow_class),
        _step_title(row.flow_task),
        row.municipality.name if row.municipality else "",
        str(row.organization) if row.organization else "",
        owner,
        dict(Role.choices).get(row.role, row.role),
        local_datetime(row.created, row.timezone),
        due_local,
        max((now - row.due_at).days, 0) if row.due_at else None,
        row.extension_count,
        timezone_label(row.timezone, now),
        row.subject,
    ]


EXPORT_HEADER = [
    "Задача",
    "Процесс №",
    "Процесс",
    "Шаг",
    "Муниципалитет",
    "Организация",
    "Исполнитель",
    "Роль",
    "Поступила (местное время)",
    "Срок",
    "Дней просрочки",
    "Продлений",
    "Часовой пояс",
    "Кого/что касается",  # last: the columns before it keep their places in existing spreadsheets
]
