"""Benchmark: the «Реестр ИОМ» of a region (issue 13) — a filtered page as the ЦНППМПР
coordinator sees it (every route of the region: SCOPE_HANDLERS), whole view.

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/iom_register.py
    … --routes 15000 --schools 1100   (the default: 15,000 routes of 15,000 teachers in 1,100 schools)
    … --small                          (300 routes: seconds, no target judged — CI)

The data: one region, 40 municipalities, the schools, one teacher per route with a request each,
routes spread over every status (registered ones numbered), two activities each. Timed: the page
filtered by status and municipality, and the unfiltered first page and a deep page (keyset
cursor), through the Django test client (view, queries, template), median of --repeat runs.
Target (issue 13): a filtered page under 50 ms. Also timed: the search by register number (a prefix, any case —
UPPER(number) LIKE 'P%', served by the iom_route_number_prefix index), a hit and a miss, with
the index its plan uses (EXPLAIN ANALYZE of the page's query). Not part of the test suite.
"""

# ruff: noqa: E402, I001 — Django is set up before the Django imports

import argparse
import html
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.iom_settings"

import databases
import scale

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--routes", type=int, default=15_000)
parser.add_argument("--schools", type=int, default=1_100)
parser.add_argument("--repeat", type=int, default=15)
scale.add_argument(parser)
args = parser.parse_args()
if scale.SMALL:
    args.routes, args.schools, args.repeat = 300, 30, 2

url = os.environ.get("DATABASE_URL", "")
if not url.startswith(("postgres://", "postgresql://")):
    sys.exit("Нужен PostgreSQL: задайте DATABASE_URL=postgres://user:pass@host:5432/db")
databases.recreate(url, os.environ.get("IOM_BENCH_DB", "profrost_bench_iom"))

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orgstructure.models import EducationLevel, Membership, Municipality, Organization, OrganizationKind, Person
from orgstructure.models import Region, Role, Sex
from workflows.core.flowkit import flow_url
from workflows.iom.flows import RouteFlow
from workflows.iom.models import Activity, IomRequest, Route, Status

User = get_user_model()
STATUSES = list(Status)


def build():
    region = Region.objects.create(name="Бенчмарк-край", code="59", timezone="Asia/Yekaterinburg")
    municipalities = Municipality.objects.bulk_create(
        [Municipality(region=region, name=f"Округ {n}") for n in range(40)]
    )
    cnppm = Organization.objects.create(region=region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР")
    coordinator = User.objects.create_user("coordinator", password="bench")
    Membership.objects.create(user=coordinator, role=Role.CNPPM_COORDINATOR, organization=cnppm)
    methodists = [User.objects.create_user(f"methodist{n}", password="bench", last_name=f"Методист{n}")
                  for n in range(30)]
    Membership.objects.bulk_create(
        [Membership(user=m, role=Role.CNPPM_METHODIST, organization=cnppm) for m in methodists]
    )
    schools = Organization.objects.bulk_create(
        [Organization(region=region, municipality=municipalities[n % 40], kind=OrganizationKind.SCHOOL,
                      name=f"МАОУ «СОШ № {n + 1}»") for n in range(args.schools)]
    )
    persons = Person.objects.bulk_create(
        [Person(organization=schools[n % len(schools)], snils=f"{n:011d}", last_name=f"Педагогова{n}",
                first_name="Анна", sex=Sex.FEMALE, birth_date=dt.date(1985, 1, 1), position="учитель",
                employed_since=dt.date(2015, 9, 1), education_level=EducationLevel.HIGHER,
                specialty_experience_since=dt.date(2010, 9, 1)) for n in range(args.routes)],
        batch_size=2000,
    )
    requests = IomRequest.objects.bulk_create(
        [IomRequest(region=region, municipality_id=p.organization.municipality_id, organization=p.organization,
                    source="individual", topic="Формирующее оценивание", requested_by=coordinator) for p in persons],
        batch_size=2000,
    )
    today = dt.date.today()
    routes = []
    for n, (person, request) in enumerate(zip(persons, requests, strict=True)):
        status = STATUSES[n % len(STATUSES)]
        registered = status in (Status.IN_PROGRESS, Status.REPORTED, Status.COMPLETED)
        routes.append(Route(
            request=request, person=person, status=status,
            curator=methodists[n % 30] if status != Status.REQUESTED else None,
            curator_role="cnppm_methodist" if status != Status.REQUESTED else "",
            period_from=today - dt.timedelta(days=n % 200), period_to=today + dt.timedelta(days=200),
            theme=f"Тема {n % 25}", goal="цель", number=f"{n + 1}/ИОМ" if registered else "",
            registered_on=today - dt.timedelta(days=n % 300) if registered else None,
        ))
    Route.objects.bulk_create(routes, batch_size=2000)
    Activity.objects.bulk_create(
        [Activity(route=route, kind="self_study", title=f"Мероприятие {k}", hours=8, starts_on=today,
                  due_on=today + dt.timedelta(days=30), expected_result="конспект")
         for route in routes for k in range(2)],
        batch_size=5000,
    )
    return coordinator, municipalities


coordinator, municipalities = build()
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
client = Client()
client.force_login(coordinator)
base = flow_url(RouteFlow, "routes")


@dataclass
class Timing:
    """Medians over --repeat runs, in ms. `cpu` is this process's CPU time (view, template,
    middleware), `sql` the queries' time as the client waited for them; on a loaded machine the
    wall time also holds the waits for a CPU."""

    median: float
    worst: float
    cpu: float
    sql: float
    queries: int
    response: object


def timed(page) -> Timing:
    response = client.get(page)  # warm
    assert response.status_code == 200, response.status_code
    timings, cpu, sql = [], [], []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(page)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    return Timing(statistics.median(timings), max(timings), statistics.median(cpu), statistics.median(sql),
                  len(queries), response)


filtered = f"{base}?{urlencode({'status': 'in_progress', 'municipality': municipalities[5].pk})}"
filtered_page = timed(filtered)
response = filtered_page.response
rows = response.content.count(b"<tr data-route=")
first_page = timed(base)


def next_link(response) -> str:
    found = re.search(rb'id="next" href="([^"]+)"', response.content)
    return html.unescape(found.group(1).decode()) if found else ""


link = next_link(first_page.response)
for _ in range(5 if not scale.SMALL else 1):  # a few pages in
    link = next_link(client.get(f"{base}{link}")) or link
deep_page = timed(f"{base}{link}")


def number_search(number: str) -> tuple[Timing, str]:
    """The register searched by number: its timing, and how its query's plan finds the rows."""
    page = f"{base}?{urlencode({'number': number})}"
    timing = timed(page)
    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    sql = next(q["sql"] for q in queries.captured_queries if "LIKE UPPER" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = [row[0].strip() for row in cursor.fetchall()]
    by_index = [step for step in plan if "iom_route_number_prefix" in step]
    step = by_index[0] if by_index else next((step for step in plan if "number" in step), "?")
    executed = next((line for line in plan if line.startswith("Execution Time")), "")
    return timing, f"{step.removeprefix('->  ')}; {executed}"


numbered = Route.objects.exclude(number="").order_by("id").values_list("number", flat=True)
hit_number = numbered[numbered.count() // 2]
number_hit, hit_plan = number_search(hit_number.lower())
number_miss, miss_plan = number_search("99999/")
print(f"machine: {platform.machine()}, {os.cpu_count()} CPU; PostgreSQL {connection.pg_version // 10000}")
print(f"data: {args.routes} routes (every status), {args.routes * 2} activities, {args.schools} schools, "
      "40 municipalities")


def line(label: str, timing: Timing) -> str:
    return (f"{label}: median {timing.median:.1f} ms (max {timing.worst:.1f}), CPU {timing.cpu:.1f} ms, "
            f"queries {timing.sql:.1f} ms, {timing.queries} queries")


print(line(f"filtered page (status + municipality, {rows} rows, {len(response.content) // 1024} KiB)", filtered_page))
print(line("first page unfiltered", first_page))
print(line("deep page (keyset cursor)", deep_page))
print(f"number search (prefix, any case): hit «{hit_number.lower()}» median {number_hit.median:.1f} ms "
      f"(queries {number_hit.sql:.1f} ms; {hit_plan}); miss «99999/» median {number_miss.median:.1f} ms "
      f"(queries {number_miss.sql:.1f} ms; {miss_plan})")
print(f"median of {args.repeat} runs each; CPU: this process (view, template, middleware); queries: their time as "
      "the client waited for them")
print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU")
print(f"target < 50 ms: {scale.verdict(filtered_page.median < 50)}")
sys.exit(0 if scale.SMALL or filtered_page.median < 50 else 1)
