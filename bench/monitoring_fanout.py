"""Benchmark: opening collection for a region's schools — the bulk fan-out of the kit
(workflows/core/fanout.py): per school its artefact (bulk-created first, as a process does), its
viewflow process, the start task, the human task of the municipality's methodist (sole holder or
the ММС's queue), the profile snapshot, the due-date row and its alarm — one transaction.

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/monitoring_fanout.py
    … --schools 1100 --municipalities 48     (the default: a region)
    … --small                                (24 schools: seconds, no target judged — CI)

Target (issue 12): under 3 s for 1,100 schools. Not part of the test suite.
"""

# ruff: noqa: E402, I001 — Django is set up before the Django imports

import argparse
import os
import platform
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
parser.add_argument("--repeat", type=int, default=3, help="fan-outs timed (each into fresh artefacts)")
scale.add_argument(parser)
args = parser.parse_args()
if scale.SMALL:
    args.schools, args.municipalities, args.repeat = 24, 3, 1

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
from django.test.utils import CaptureQueriesContext

from orgstructure.models import Membership, Municipality, Organization, OrganizationKind, Region, Role
from tests.kitprocess.flows import ReportFlow
from tests.kitprocess.models import Report
from workflows.core.fanout import fan_out
from workflows.core.models import TaskAlarm, TaskDeadline


def build_region():
    region = Region.objects.create(name="Бенчмарк-край", code="66", timezone="Asia/Yekaterinburg")
    municipalities = Municipality.objects.bulk_create(
        [Municipality(region=region, name=f"Округ {n}") for n in range(args.municipalities)]
    )
    bodies = Organization.objects.bulk_create(
        [Organization(region=region, municipality=m, kind=OrganizationKind.MMS, name=f"ММС {m.name}")
         for m in municipalities]
    )
    password = make_password("bench")
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"methodist{n}", password=password) for n in range(len(bodies) + 1)]
    )
    # one methodist in each ММС (the task goes to them), two in the first (its queue)
    Membership.objects.bulk_create(
        [
            Membership(user=user, organization=body, role=Role.MMS_METHODIST)
            for user, body in zip(users[:-1], bodies, strict=True)
        ]
        + [Membership(user=users[-1], organization=bodies[0], role=Role.MMS_METHODIST)]
    )
    return list(
        Organization.objects.bulk_create(
            [Organization(region=region, municipality=municipalities[n % len(municipalities)],
                          kind=OrganizationKind.SCHOOL, name=f"СОШ № {n}") for n in range(args.schools)]
        )
    )


schools = build_region()
with connection.cursor() as cursor:
    cursor.execute("SHOW server_version")
    version = cursor.fetchone()[0]
print(f"== bulk fan-out: {args.schools} schools in {args.municipalities} municipalities")
print(f"   database: PostgreSQL {version}; machine: {platform.machine()}, {os.cpu_count()} CPU, "
      f"Python {platform.python_version()}")
timings, cpu = [], []
for run in range(args.repeat):
    reports = Report.objects.bulk_create([Report(organization=s, title=f"Мониторинг {run}") for s in schools])
    timer = Timer(connection)
    with CaptureQueriesContext(connection) as captured, timer:
        result = fan_out(ReportFlow, reports)
    timings.append(timer.wall)
    cpu.append(timer.cpu)
    assert len(result.processes) == args.schools, "every school gets its process"
    print(f"   run {run + 1}: {timer.text()}, {len(captured)} queries")
assert TaskDeadline.objects.filter(due_at__isnull=False).count() == args.schools * args.repeat
assert TaskAlarm.objects.count() == args.schools * args.repeat
again = time.perf_counter()
rerun = fan_out(ReportFlow, reports)
print(f"   re-run over the last {args.schools}: {time.perf_counter() - again:5.2f} s, "
      f"{len(rerun.processes)} created, {rerun.skipped} skipped")
best = min(timings)
print(f"   best {best:.2f} s (CPU {min(cpu):.2f} s), worst {max(timings):.2f} s (target < 3 s): "
      f"{scale.verdict(best < 3.0)}")
print(f"   load average at the end: {load_average()}")
sys.exit(0 if scale.SMALL or best < 3.0 else 1)
