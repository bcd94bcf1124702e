"""Benchmark: the analysis of a regional monitoring campaign (workflows/monitoring/analysis.py) —
every indicator of the set aggregated school → municipality → region from the accepted
submissions, with last period's values and the change, and the schools and municipalities
below target with their factors.

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/monitoring_analysis.py
    … --schools 1100 --municipalities 48 --indicators 20   (the default: a region)
    … --small                                               (24 schools: seconds, no target judged — CI)

Target (issue 12): under 2 s for every indicator of the set for the region. Not part of the test suite.
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
timings = []
for run in range(args.repeat):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        analysis = campaign_analysis(Campaign.objects.get(pk=campaign.pk))
        below = sum(len(analysis.below_target_schools(r)) + len(analysis.below_target_municipalities(r))
                    for r in analysis.results)
        timings.append(time.perf_counter() - started)
    assert len(analysis.results) == args.indicators and analysis.schools_accepted == args.schools
    print(f"   run {run + 1}: {timings[-1]:6.2f} s, {len(captured)} queries, {below} units below target listed")
best = min(timings)
print(f"   best {best:.2f} s, worst {max(timings):.2f} s (target < 2 s): {scale.verdict(best < 2.0)}")
sys.exit(0 if scale.SMALL or best < 2.0 else 1)
