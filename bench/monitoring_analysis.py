"""Benchmark: the analysis of a regional monitoring campaign (workflows/monitoring/analysis.py) —
every indicator of the set aggregated school → municipality → region from the accepted
submissions, with last period's values and the change, and the schools and municipalities
below target with their factors.

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/monitoring_analysis.py
    … --schools 1100 --municipalities 48 --indicators 20   (the default: a region)
    … --small                                               (24 schools: seconds, no target judged — CI)

Then the regional аналитическая справка (DOC-5) as the worker issues it: its data from the analysis
(tables by municipality, the «зона риска», a chart per share) and documents.issuing.document_issue
(render, number, store).

Targets (issue 12): under 2 s for every indicator of the set for the region; the regional справка
rendered in the worker under 10 s. Not part of the test suite.
"""

# ruff: noqa: E402, I001 — Django is set up before the Django imports

import argparse
import datetime as dt
import os
import platform
import random
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
parser.add_argument("--indicators", type=int, default=20)
parser.add_argument("--repeat", type=int, default=3)
scale.add_argument(parser)
args = parser.parse_args()
if scale.SMALL:
    args.schools, args.municipalities, args.indicators, args.repeat = 24, 3, 6, 1

url = os.environ.get("DATABASE_URL", "")
if not url.startswith(("postgres://", "postgresql://")):
    sys.exit("Нужен PostgreSQL: задайте DATABASE_URL=postgres://user:pass@host:5432/db")
databases.recreate(url, os.environ.get("MONITORING_BENCH_DB", "profrost_bench_monitoring"))

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgstructure.models import Municipality, Organization, OrganizationKind, Region
from workflows.monitoring.analysis import campaign_analysis
from workflows.monitoring.models import Campaign, CampaignIndicator, Submission, SubmissionStatus, ValueKind

KINDS = [ValueKind.SHARE, ValueKind.SHARE, ValueKind.SHARE, ValueKind.YES_NO, ValueKind.NUMBER]
rng = random.Random(12)


def build():
    region = Region.objects.create(name="Бенчмарк-край", code="59", timezone="Asia/Yekaterinburg")
    municipalities = Municipality.objects.bulk_create(
        [Municipality(region=region, name=f"Округ {n}") for n in range(args.municipalities)])
    schools = Organization.objects.bulk_create(
        [Organization(region=region, municipality=municipalities[n % len(municipalities)],
                      kind=OrganizationKind.SCHOOL, name=f"СОШ № {n}") for n in range(args.schools)])
    official = get_user_model().objects.create(username="analyst")
    campaigns = []
    for year in (2025, 2026):
        campaign = Campaign.objects.create(
            region=region, title=f"Мониторинг {year}", created_by=official, period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31), opens_on=dt.date(year, 11, 1))
        indicators = CampaignIndicator.objects.bulk_create([
            CampaignIndicator(campaign=campaign, code=f"IND-{n + 1:02d}", title=f"Показатель {n + 1}",
                              kind=KINDS[n % len(KINDS)], target=30 if KINDS[n % len(KINDS)] != ValueKind.NUMBER
                              else None, position=n)
            for n in range(args.indicators)
        ] + [CampaignIndicator(campaign=campaign, code="NOTE", title="Комментарий", kind=ValueKind.TEXT,
                               position=99, required=False)])
        rows = []
        for school in schools:
            values = {}
            for indicator in indicators:
                if indicator.kind == ValueKind.SHARE:
                    d = rng.randint(10, 80)
                    values[indicator.code] = {"numerator": str(rng.randint(0, d)), "denominator": str(d)}
                elif indicator.kind == ValueKind.YES_NO:
                    values[indicator.code] = rng.random() < 0.6
                elif indicator.kind == ValueKind.NUMBER:
                    values[indicator.code] = str(rng.randint(0, 5))
                else:
                    values[indicator.code] = "Комментарий школы" if rng.random() < 0.2 else ""
            rows.append(Submission(campaign=campaign, organization=school, values=values,
                                   status=SubmissionStatus.ACCEPTED))
        Submission.objects.bulk_create(rows, batch_size=500)
        campaigns.append(campaign)
    return campaigns[-1]


campaign = build()
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
    cursor.execute("SHOW server_version")
    version = cursor.fetchone()[0]
print(f"== analysis: {args.schools} schools in {args.municipalities} municipalities, "
      f"{args.indicators} indicators, two periods")
print(f"   database: PostgreSQL {version}; machine: {platform.machine()}, {os.cpu_count()} CPU, "
      f"Python {platform.python_version()}")
# Wall time, and this process's CPU time (what the machine's other load does not inflate; the
# database's own work is in the wall time only).
timings, cpu = [], []
for run in range(args.repeat):
    timer = Timer(connection)
    with CaptureQueriesContext(connection) as captured, timer:
        analysis = campaign_analysis(Campaign.objects.get(pk=campaign.pk))
        below = sum(len(analysis.below_target_schools(r)) + len(analysis.below_target_municipalities(r))
                    for r in analysis.results)
    timings.append(timer.wall)
    cpu.append(timer.cpu)
    assert len(analysis.results) == args.indicators and analysis.schools_accepted == args.schools
    print(f"   run {run + 1}: {timer.text()}, {len(captured)} queries, {below} units below target listed")
best = min(timings)
print(f"   best {best:.2f} s (CPU {min(cpu):.2f} s), worst {max(timings):.2f} s (target < 2 s): "
      f"{scale.verdict(best < 2.0)}")

from django.utils import timezone

from documents.issuing import document_issue, document_preview
from orgstructure.models import Membership, Role
from workflows.monitoring.analysis_services import report_data, report_prepare
from workflows.monitoring.documents import REPORT_KIND

center = Organization.objects.create(region_id=campaign.region_id, kind=OrganizationKind.CNPPMPR,
                                     name="Центр непрерывного повышения профессионального мастерства (бенчмарк)",
                                     head_name="Иванова Мария Петровна", head_position="директор")
coordinator = get_user_model().objects.create(username="coordinator", last_name="Петрова", first_name="Анна")
Membership.objects.create(user=coordinator, organization=center, role=Role.CNPPM_COORDINATOR)
report = report_prepare(actor=coordinator, campaign=Campaign.objects.get(pk=campaign.pk))
renders, render_cpu = [], []
for run in range(args.repeat):
    cpu_started = time.process_time()
    started = time.perf_counter()
    data = report_data(report)
    built = time.perf_counter() - started
    if run == args.repeat - 1:  # the last run issues it, as the worker does (render, number, store)
        document = document_issue(kind=REPORT_KIND, issuing_organization=center, artefact=report, context=data,
                                  signatory=None, issued_on=timezone.localdate(), actor=coordinator)
        size, what = document.size, f"issued № {document.number}"
    else:  # the same render without taking a number (an issued document is immutable, one per report)
        size, what = len(document_preview(kind=REPORT_KIND, issuing_organization=center, context=data)), "preview"
    renders.append(time.perf_counter() - started)
    render_cpu.append(time.process_time() - cpu_started)
    print(f"   справка run {run + 1}: {renders[-1]:6.2f} s (CPU {render_cpu[-1]:.2f} s; data {built:.2f} s), "
          f"{size // 1024} KB, "
          f"{len(data['charts'])} charts, {len(data['breakdown'])} table rows, {what}")
best_render = min(renders)
print(f"   справка best {best_render:.2f} s (CPU {min(render_cpu):.2f} s) (target < 10 s): "
      f"{scale.verdict(best_render < 10.0)}")
print(f"   load average at the end: {load_average()}")
sys.exit(0 if scale.SMALL or (best < 2.0 and best_render < 10.0) else 1)
