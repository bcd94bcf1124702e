"""Benchmark: the collection of a regional monitoring campaign (workflows/monitoring) — opening
collection for every school of the region with the registry's values prefilled (IND-14 from the
kit, IND-09 from РМА) on MonitoringFlow itself; then, with a realistic mix of statuses, the
regional collection control page and a school's form page, each as a whole view (the HTTP
request through every middleware, the template rendered).

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/monitoring_collection.py
    … --schools 1100 --municipalities 48 --teachers 45000   (the default: a region)
    … --small                                                (24 schools: seconds, no target judged — CI)

Targets (issue 12): opening under 3 s; the regional progress page under 150 ms; a school's form
page under 100 ms. Not part of the test suite.
"""

# ruff: noqa: E402, I001 — Django is set up before the Django imports

import argparse
import cProfile
import datetime as dt
import os
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.monitoring_settings"

import databases
import scale
from monitoring_common import Timer, load_average

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--schools", type=int, default=1100)
parser.add_argument("--municipalities", type=int, default=48)
parser.add_argument("--teachers", type=int, default=45000)
parser.add_argument("--repeat", type=int, default=15, help="page requests timed (after one warm-up)")
parser.add_argument("--profile", choices=["phases", "cprofile"],
                    help="where the opening's time goes: each bulk insert and the slowest queries, or cProfile")
scale.add_argument(parser)
args = parser.parse_args()
if scale.SMALL:
    args.schools, args.municipalities, args.teachers, args.repeat = 24, 3, 400, 2

url = os.environ.get("DATABASE_URL", "")
if not url.startswith(("postgres://", "postgresql://")):
    sys.exit("Нужен PostgreSQL: задайте DATABASE_URL=postgres://user:pass@host:5432/db")
databases.recreate(url, os.environ.get("MONITORING_BENCH_DB", "profrost_bench_monitoring"))

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task

from orgstructure.models import (
    Membership, Municipality, Organization, OrganizationKind, Person, QualificationCategory, Region, Role,
)
from workflows.core.flowkit import flow_url, task_action_url
from workflows.monitoring import services
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.models import Submission, SubmissionStatus
from workflows.monitoring.opening import campaign_open

User = get_user_model()


def build_region():
    region = Region.objects.create(name="Бенчмарк-край", code="59", timezone="Asia/Yekaterinburg")
    municipalities = Municipality.objects.bulk_create(
        [Municipality(region=region, name=f"Округ {n:02d}") for n in range(args.municipalities)])
    cnppm = Organization.objects.create(region=region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР")
    mms = Organization.objects.bulk_create(
        [Organization(region=region, municipality=m, kind=OrganizationKind.MMS, name=f"ММС {m.name}")
         for m in municipalities])
    schools = Organization.objects.bulk_create(
        [Organization(region=region, municipality=municipalities[n % len(municipalities)],
                      kind=OrganizationKind.SCHOOL, name=f"СОШ № {n}") for n in range(args.schools)])
    password = make_password("bench")
    coordinator = User.objects.create(username="cnppm", password=password)
    heads = User.objects.bulk_create([User(username=f"head{n}", password=password) for n in range(len(schools))])
    methodists = User.objects.bulk_create([User(username=f"mms{n}", password=password) for n in range(len(mms))])
    Membership.objects.bulk_create(
        [Membership(user=coordinator, organization=cnppm, role=Role.CNPPM_COORDINATOR)]
        + [Membership(user=u, organization=s, role=Role.SCHOOL_HEAD) for u, s in zip(heads, schools, strict=True)]
        + [Membership(user=u, organization=o, role=Role.MMS_METHODIST) for u, o in zip(methodists, mms, strict=True)])
    categories = [QualificationCategory.HIGHEST, QualificationCategory.FIRST, QualificationCategory.NONE]
    Person.objects.bulk_create(
        [Person(organization=schools[n % len(schools)], snils=f"{n:09d}", last_name="Педагог", first_name="Анна",
                middle_name="Бенчмарковна", birth_date=dt.date(1980, 1, 1), position="учитель",
                employed_since=dt.date(2015, 9, 1), specialty_experience_since=dt.date(2010, 9, 1),
                education_level="higher", category=categories[n % 3],
                category_assigned_on=dt.date(2025, 1, 1) if n % 3 != 2 else None,
                category_valid_until=dt.date(2030, 1, 1) if n % 3 != 2 else None)
         for n in range(args.teachers)], batch_size=5000)
    from workflows.core.roles import sync_all_role_groups

    sync_all_role_groups()
    return region, coordinator, heads


def timed_get(client, path, repeat):
    client.get(path)  # warm-up: caches, the URLconf, the templates
    timings, cpu, size, queries = [], [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            cpu_started = time.process_time()
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size, queries = len(response.content), len(captured)
    return statistics.median(timings), max(timings), queries, size, statistics.median(cpu)


region, coordinator, heads = build_region()
with connection.cursor() as cursor:
    cursor.execute("SHOW server_version")
    version = cursor.fetchone()[0]
print(f"== monitoring collection: {args.schools} schools in {args.municipalities} municipalities, "
      f"{args.teachers} teachers")
print(f"   database: PostgreSQL {version}; machine: {platform.machine()}, {os.cpu_count()} CPU, "
      f"Python {platform.python_version()}")

today = timezone.localdate()
campaign = services.campaign_create(
    actor=coordinator, region=region, title="Мониторинг (бенчмарк)", period_start=today.replace(month=1, day=1),
    period_end=today.replace(month=12, day=31), opens_on=today - dt.timedelta(days=1),
    codes=["IND-01", "IND-02", "IND-03", "IND-06", "IND-09", "IND-14", "IND-18", "IND-22"],
)
profiler = cProfile.Profile() if args.profile == "cprofile" else None
if args.profile == "phases":  # each bulk_create and each query timed, without cProfile's overhead
    from django.db.models.query import QuerySet

    phases = []
    original_bulk_create = QuerySet.bulk_create

    def timed_bulk_create(self, objs, *a, **kw):
        objs = list(objs)
        started = time.perf_counter()
        try:
            return original_bulk_create(self, objs, *a, **kw)
        finally:
            phases.append((time.perf_counter() - started, f"bulk_create {self.model.__name__} × {len(objs)}"))

    QuerySet.bulk_create = timed_bulk_create
    from workflows.monitoring import opening as opening_module

    def timed(function, label):
        def wrapper(*a, **kw):
            started = time.perf_counter()
            try:
                return function(*a, **kw)
            finally:
                phases.append((time.perf_counter() - started, label))
        return wrapper

    opening_module.prefill = timed(opening_module.prefill, "prefill from the registry")
    opening_module.fan_out = timed(opening_module.fan_out, "fan_out (whole)")
timer = Timer(connection)
with CaptureQueriesContext(connection) as captured, timer:
    if profiler:
        profiler.enable()
    opened = campaign_open(actor=coordinator, campaign=campaign)
    if profiler:
        profiler.disable()
opening = timer.wall
if args.profile == "phases":
    QuerySet.bulk_create = original_bulk_create
    for seconds, what in sorted(phases, reverse=True):
        print(f"   {seconds * 1000:8.1f} ms  {what}")
    print(f"   {sum(s for s, _ in phases) * 1000:8.1f} ms  all bulk_create")
if args.profile:
    print(f"   {sum(float(q['time']) for q in captured.captured_queries) * 1000:8.1f} ms  all queries (execute)")
if profiler:
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
if args.profile:
    for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:8]:
        print(f"   {float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}")
assert opened == args.schools
prefilled = Submission.objects.filter(campaign=campaign, computed__has_key="IND-14").count()
assert prefilled == args.schools, "every school gets IND-14 prefilled"
print(f"   opening (submissions prefilled from the registry, processes, tasks, due dates, alarms): "
      f"{timer.text()}, {len(captured)} queries (target < 3 s): {scale.verdict(opening < 3.0)}")

# What the bulk path must leave, as one-by-one starts do: each fill task its due-date row and its
# alarm, each process the profile's snapshot; and the drill's invariants hold.
from scripts.drill.invariants import check as check_invariants
from workflows.core.models import ProcessDeadline, TaskAlarm, TaskDeadline

fill_tasks = Task.objects.filter(flow_task=MonitoringFlow.fill, process__artifact_object_id__in=Submission.objects
                                 .filter(campaign=campaign).values("pk"))
assert fill_tasks.count() == args.schools
assert TaskDeadline.objects.filter(task__in=fill_tasks, due_at__isnull=False, is_open=True).count() == args.schools
assert TaskAlarm.objects.filter(task__in=fill_tasks).count() == args.schools
snapshots = ProcessDeadline.objects.filter(process__in=fill_tasks.values("process")).values("process").distinct()
assert snapshots.count() == args.schools, "every process has its profile snapshot"
violations = check_invariants()["violations"]
assert not violations, violations
print("   every fill task has its due date and alarm, every process its snapshot; drill invariants hold")

# a realistic mix: a third submitted, a sixth accepted, a sixth draft, a twelfth returned
ids = list(Submission.objects.filter(campaign=campaign).order_by("id").values_list("id", flat=True))
now = timezone.now()
for status, share in ((SubmissionStatus.SUBMITTED, 3), (SubmissionStatus.ACCEPTED, 6), (SubmissionStatus.DRAFT, 6),
                      (SubmissionStatus.RETURNED, 12)):
    chosen, ids = ids[: len(ids) // share], ids[len(ids) // share:]
    Submission.objects.filter(pk__in=chosen).update(status=status, submitted_at=now)
# The tables were empty a minute ago: without statistics the planner guesses the 1,100 rows are a
# handful and plans the page's GROUP BY badly (394 ms instead of ~40 ms, seen on a quiet machine).
# A region's tables in service hold their statistics (autovacuum analyses after a bulk insert), as
# the other benchmarks assume too.
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")

client = Client()
client.force_login(coordinator)
page = flow_url(MonitoringFlow, "control", campaign.pk)
median, worst, queries, size, cpu = timed_get(client, page, args.repeat)
print(f"   regional control page (whole view, {args.municipalities} municipalities): median {median:.1f} ms "
      f"(CPU {cpu:.1f} ms), "
      f"worst {worst:.1f} ms, {queries} queries, {size // 1024} KB (target < 150 ms): {scale.verdict(median < 150)}")
drill = Municipality.objects.filter(region=region).order_by("name").first()
median_d, worst_d, queries_d, size_d, cpu_d = timed_get(client, f"{page}?municipality={drill.pk}", args.repeat)
print(f"   drill-down to one municipality's schools: median {median_d:.1f} ms (CPU {cpu_d:.1f} ms), "
      f"worst {worst_d:.1f} ms, "
      f"{queries_d} queries, {size_d // 1024} KB")

head = heads[-1]  # its school is still not started
submission = Submission.objects.get(campaign=campaign, organization__memberships__user=head)
task = Task.objects.get(process__artifact_object_id=submission.pk, flow_task=MonitoringFlow.fill)
form_client = Client()
form_client.force_login(head)
median_f, worst_f, queries_f, size_f, cpu_f = timed_get(form_client, task_action_url(task, "execute"), args.repeat)
print(f"   a school's form page (whole view, {campaign.indicators.count()} indicators, prefilled): median "
      f"{median_f:.1f} ms (CPU {cpu_f:.1f} ms), worst {worst_f:.1f} ms, {queries_f} queries, {size_f // 1024} KB "
      f"(target < 100 ms): "
      f"{scale.verdict(median_f < 100)}")
print(f"   load average at the end: {load_average()}")
met = opening < 3.0 and median < 150 and median_f < 100
sys.exit(0 if scale.SMALL or met else 1)
