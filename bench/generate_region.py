"""Build a region at benchmark scale for the deadline machinery.

Default scale (the issue's): 45,000 teachers, 1,100 schools, 1,000,000 task rows, of which
300,000 open and 150,000 overdue; one methodist holds 10,000 open tasks. `--small` builds one
hundredth of it (handy on SQLite; CI runs it so), as does BENCH_SCALE=small.

    export DJANGO_SETTINGS_MODULE=bench.deadlines_settings
    export DATABASE_URL=postgres://user:pass@127.0.0.1:5432/profrost_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/generate_region.py [--small]

It REPLACES every process, task, task due date, outbox row and notification in the database
(the benchmark database is its own), and the benchmark region (code "B1") with its people. On
PostgreSQL the big tables are loaded with COPY.
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.deadlines_settings")

import django  # noqa: E402
import scale  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from viewflow.workflow.fields import get_flow_ref, get_task_ref  # noqa: E402
from viewflow.workflow.models import Process, Task  # noqa: E402

from orgstructure.models import (  # noqa: E402
    Membership,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    Region,
    Role,
)
from tests.workflows.core.sampleflow.flows import SampleFlow  # noqa: E402
from workflows.core.calendar import REMINDER_TIME, WorkCalendar, deadline_instant, local_instant  # noqa: E402
from workflows.core.models import NO_DUE_DATE_SORT_KEY, TaskAlarm, TaskDeadline  # noqa: E402

REGION_CODE = "B1"
TZ = "Asia/Yekaterinburg"
MUNICIPALITIES = 30
HEAVY_USER = "bench-methodist"
ADMIN_USER = "bench-admin"
TASKS_PER_PROCESS = 4


def snils(number: int) -> str:
    digits = f"{number:09d}"
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits))
    check = total if total < 100 else 0 if total in (100, 101) else (total % 101) % 100
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {check:02d}"


_STARTED = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - _STARTED:7.1f}s] {message}", flush=True)


def wipe():
    tables = ["core_notification", "core_outboxmessage", "core_taskalarm", "core_taskdeadline", "core_processdeadline",
              "viewflow_task_previous", "viewflow_task", "viewflow_process"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
    region = Region.objects.filter(code=REGION_CODE).first()
    if region is not None:
        users = Membership.objects.filter(organization__region=region).values("user_id")
        get_user_model().objects.filter(pk__in=users).delete()
        Person.objects.filter(organization__region=region).delete()
        Organization.objects.filter(region=region, parent__isnull=False).delete()
        Organization.objects.filter(region=region).delete()
        Municipality.objects.filter(region=region).delete()
        region.delete()


def build_territory(schools: int, teachers: int):
    region = Region.objects.create(name="Бенчмарк-край", code=REGION_CODE, timezone=TZ)
    municipalities = Municipality.objects.bulk_create(
        [Municipality(region=region, name=f"Округ {i + 1:02d}") for i in range(MUNICIPALITIES)]
    )
    ministry = Organization.objects.create(region=region, kind=OrganizationKind.MINISTRY, name="Министерство (бенч)")
    mms = Organization.objects.bulk_create(
        [Organization(region=region, municipality=m, kind=OrganizationKind.MMS, name=f"ММС {m.name}")
         for m in municipalities]
    )
    authorities = Organization.objects.bulk_create(
        [Organization(region=region, municipality=m, kind=OrganizationKind.MUNI_AUTHORITY, name=f"Управление {m.name}")
         for m in municipalities]
    )
    school_rows = Organization.objects.bulk_create(
        [Organization(region=region, municipality=municipalities[i % MUNICIPALITIES], kind=OrganizationKind.SCHOOL,
                      name=f"МБОУ СОШ № {i + 1} (бенч)") for i in range(schools)],
        batch_size=2000,
    )
    log(f"territory: {MUNICIPALITIES} municipalities, {schools} schools")
    today = dt.date.today()
    Person.objects.bulk_create(
        [
            Person(organization=school_rows[i % schools], snils=snils(700_000_000 + i), last_name=f"Учителев{i}",
                   first_name="Иван", middle_name="Петрович", sex="m", birth_date=dt.date(1970 + i % 30, 1 + i % 12, 1),
                   position="учитель", employed_since=today - dt.timedelta(days=365 * (1 + i % 20)),
                   education_level="higher", specialty_experience_since=today - dt.timedelta(days=365 * (2 + i % 25)))
            for i in range(teachers)
        ],
        batch_size=5000,
    )
    log(f"teachers: {teachers}")
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bench-head-{i}", first_name="Директор", last_name=f"Школы{i}") for i in range(schools)]
        + [User(username=f"bench-mms-{i}", first_name="Методист", last_name=f"ММС{i}") for i in range(MUNICIPALITIES)]
        + [User(username=f"bench-auth-{i}", first_name="Специалист", last_name=f"Управления{i}")
           for i in range(MUNICIPALITIES)]
        + [User(username=HEAVY_USER, first_name="Методист", last_name="Загруженный"),
           User(username=ADMIN_USER, first_name="Администратор", last_name="Региона")],
        batch_size=2000,
    )
    from django.contrib.auth.hashers import make_password

    hashed = make_password("bench-Профрост-1")  # one hash for all: hashing 1,100 times takes minutes
    for user in users:
        user.password = hashed
    User.objects.bulk_update(users, ["password"], batch_size=2000)
    heads, methodists = users[:schools], users[schools:schools + MUNICIPALITIES]
    officials = users[schools + MUNICIPALITIES:schools + 2 * MUNICIPALITIES]
    heavy, admin = users[-2], users[-1]
    Membership.objects.bulk_create(
        [Membership(user=heads[i], role=Role.SCHOOL_HEAD, organization=school_rows[i]) for i in range(schools)]
        + [Membership(user=methodists[i], role=Role.MMS_METHODIST, organization=mms[i]) for i in range(MUNICIPALITIES)]
        + [Membership(user=officials[i], role=Role.MUNI_AUTHORITY, organization=authorities[i])
           for i in range(MUNICIPALITIES)]
        + [Membership(user=heavy, role=Role.MMS_METHODIST, organization=mms[0]),
           Membership(user=admin, role=Role.PD_ADMIN, organization=ministry)],
        batch_size=2000,
    )
    from django.contrib.auth.models import Permission

    permissions = Permission.objects.filter(codename__in=["can_do_sample", "view_sampleprocess"])
    heavy.user_permissions.add(*permissions)
    admin.user_permissions.add(*permissions)
    return region, school_rows, mms, heads, methodists, heavy


class Plan:
    """Due dates and the notification instants derived from them, computed once per day."""

    def __init__(self):
        self.calendar = WorkCalendar.load()
        self.cache = {}

    def for_day(self, day: dt.date):
        if day not in self.cache:
            due = deadline_instant(self.calendar.roll_forward(day), TZ)
            due_day = self.calendar.roll_forward(day)
            remind = local_instant(self.calendar.add_working_days(due_day, -3), REMINDER_TIME, TZ)
            escalate = deadline_instant(self.calendar.add_working_days(due_day, 2), TZ)
            self.cache[day] = (due, remind, escalate)
        return self.cache[day]


def task_rows(total, open_total, overdue_total, heavy_tasks, schools, mms, heads, methodists, heavy):
    """Yields (task tuple, deadline tuple) in id order. Shares: the heavy user's tasks first,
    then the other open ones (overdue first), then closed ones."""
    rng = random.Random(20260120)
    plan = Plan()
    now = timezone.now()
    today = timezone.localdate()
    collect_ref, review_ref = get_task_ref(SampleFlow.instance.collect), get_task_ref(SampleFlow.instance.review)
    flow_ref = get_flow_ref(SampleFlow)
    heavy_overdue = heavy_tasks * overdue_total // max(open_total, 1)
    for index in range(total):
        task_id = index + 1
        process_id = index // TASKS_PER_PROCESS + 1
        if index < heavy_tasks:
            owner, org, role = heavy, mms[0], Role.MMS_METHODIST
            kind = "overdue" if index < heavy_overdue else ("nodue" if index % 20 == 0 else "future")
        elif index < open_total:
            school = index % len(schools)
            owner, org, role = heads[school], schools[school], Role.SCHOOL_HEAD
            kind = "overdue" if index - heavy_tasks < overdue_total - heavy_overdue else "future"
        else:
            school = index % len(schools)
            owner, org, role = heads[school], schools[school], Role.SCHOOL_HEAD
            kind = "closed"
        created = now - dt.timedelta(days=rng.randint(1, 400), minutes=rng.randint(0, 1440))
        due = remind = escalate = None
        if kind == "overdue":
            due, remind, escalate = plan.for_day(today - dt.timedelta(days=rng.randint(1, 180)))
        elif kind == "future":
            due, remind, escalate = plan.for_day(today + dt.timedelta(days=rng.randint(1, 90)))
        elif kind == "closed":
            due, remind, escalate = plan.for_day(today - dt.timedelta(days=rng.randint(1, 700)))
        is_open = kind != "closed"
        finished = None if is_open else (due + dt.timedelta(days=rng.randint(-20, 3)))
        status = "ASSIGNED" if is_open else "DONE"
        step = collect_ref if index % 2 == 0 else review_ref
        if is_open and due is not None:
            next_action = remind if remind is not None else due
        else:
            next_action = None
        task = dict(id=task_id, process_id=process_id, flow_task=step, flow_task_type="HUMAN", status=status,
                    created=created, finished=finished, owner_id=owner.pk)
        deadline = dict(
            task_id=task_id, process_id=process_id, flow_class=flow_ref, flow_task=step, owner_id=owner.pk,
            status=status, is_open=is_open, created=created, finished=finished, due_at=due,
            sort_due=due or NO_DUE_DATE_SORT_KEY, original_due_at=due, rule_code="monitoring.collection" if due else "",
            timezone=TZ, region_id=org.region_id, municipality_id=org.municipality_id, organization_id=org.pk,
            role=role, reminder_days=3 if due else None, escalation_after_days=2 if due else None, remind_at=remind,
            escalate_at=escalate, subject=f"Школа {org.pk}: отчёт",
        )
        alarm = (
            dict(task_id=task_id, due_at=due, remind_at=remind, escalate_at=escalate, next_at=next_action)
            if next_action is not None else None
        )
        yield task, deadline, alarm, kind


PLAIN = (str, int, float, dt.datetime, dt.date, type(None))


class Loader:
    """Rows of one model as dicts of field names; every field not given takes the model's own
    default (so a field added later with a default needs no change here, and one without a
    default fails here, loudly, in CI's small run). COPY on PostgreSQL, executemany elsewhere.
    Plain values go to the driver as they are (fast); the rest as the ORM would save them."""

    def __init__(self, model):
        self.table = model._meta.db_table
        self.fields = model._meta.concrete_fields
        self.names = {field.attname for field in self.fields}
        self.rows = []

    def add(self, values: dict):
        if not values.keys() <= self.names:
            raise ValueError(f"{self.table}: no such columns {sorted(values.keys() - self.names)}")
        row = []
        for field in self.fields:
            value = values[field.attname] if field.attname in values else field.get_default()
            if isinstance(value, enum.Enum):
                value = value.value
            elif not isinstance(value, PLAIN):  # JSON, viewflow's Token…: as the ORM would save them
                value = field.get_db_prep_save(value, connection)
            row.append(value)
        self.rows.append(row)
        if len(self.rows) >= 50_000:
            self.flush()

    def flush(self):
        if not self.rows:
            return
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", self.rows)
        self.rows = []


def load_tasks(total, open_total, overdue_total, heavy_tasks, territory):
    region, schools, mms, heads, methodists, heavy = territory
    processes = Loader(Process)
    tasks = Loader(Task)
    deadlines = Loader(TaskDeadline)
    alarms = Loader(TaskAlarm)
    flow_ref = get_flow_ref(SampleFlow)
    now = timezone.now()
    counts = {"overdue": 0, "future": 0, "nodue": 0, "closed": 0}
    for index in range((total + TASKS_PER_PROCESS - 1) // TASKS_PER_PROCESS):
        processes.add(dict(id=index + 1, flow_class=flow_ref, status="NEW", created=now))
    processes.flush()
    for task, deadline, alarm, kind in task_rows(total, open_total, overdue_total, heavy_tasks, schools, mms, heads,
                                          methodists, heavy):
        tasks.add(task)
        deadlines.add(deadline)
        if alarm is not None:
            alarms.add(alarm)
        counts[kind] += 1
        if task["id"] % 200_000 == 0:
            tasks.flush()
            deadlines.flush()
            log(f"tasks: {task['id']:,}")
    tasks.flush()
    deadlines.flush()
    alarms.flush()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("viewflow_process", "viewflow_task"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            cursor.execute(
                "ANALYZE viewflow_process; ANALYZE viewflow_task; ANALYZE core_taskdeadline; ANALYZE core_taskalarm"
            )
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="one hundredth of the default scale; BENCH_SCALE=small")
    parser.add_argument("--teachers", type=int, default=45_000)
    parser.add_argument("--schools", type=int, default=1_100)
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=300_000)
    parser.add_argument("--overdue", type=int, default=150_000)
    parser.add_argument("--heavy-user-tasks", type=int, default=10_000)
    args = parser.parse_args()
    if args.small or scale.SMALL:
        for name in ("teachers", "schools", "tasks", "open", "overdue", "heavy_user_tasks"):
            setattr(args, name, max(getattr(args, name) // 100, 10))
    log(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    with transaction.atomic():
        wipe()
        log("wiped previous benchmark data")
        territory = build_territory(args.schools, args.teachers)
    with transaction.atomic():
        counts = load_tasks(args.tasks, args.open, args.overdue, args.heavy_user_tasks, territory)
    log(
        f"done: {args.tasks:,} tasks ({counts['overdue']:,} overdue, {counts['future']:,} open with a future date, "
        f"{counts['nodue']:,} open without a date, {counts['closed']:,} closed); user {HEAVY_USER} has "
        f"{args.heavy_user_tasks:,} open tasks; region admin {ADMIN_USER}"
    )


if __name__ == "__main__":
    main()
