"""Benchmark: the ranked list of a call for internship sites (issue 14) — the coordinator's page
with every reviewed application, its rating, the spread between experts and the verdict.

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/internships_ranking.py
    … --applications 200 --experts-per-application 3   (the default: 200 applications, 600 sheets)
    … --small                                            (12 applications: seconds, no target judged — CI)

The data: one call, the applications of as many schools over 20 municipalities, each scored by
three experts on the five default criteria (600 sheets, 3,000 score rows), the outcome computed by
workflows.core.review and kept on the application as the service does at completion. Timed: the
whole page through the Django test client (view, queries, template), median of --repeat runs.
Target (issue 14): under 200 ms. Not part of the test suite.
"""

# ruff: noqa: E402, I001 — Django is set up before the Django imports

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.internships_settings"

import databases
import scale

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--applications", type=int, default=200)
parser.add_argument("--experts-per-application", type=int, default=3)
parser.add_argument("--repeat", type=int, default=9)
scale.add_argument(parser)
args = parser.parse_args()
if scale.SMALL:
    args.applications, args.repeat = 12, 2

url = os.environ.get("DATABASE_URL", "")
if not url.startswith(("postgres://", "postgresql://")):
    sys.exit("Нужен PostgreSQL: задайте DATABASE_URL=postgres://user:pass@host:5432/db")
databases.recreate(url, os.environ.get("INTERNSHIPS_BENCH_DB", "profrost_bench_internships"))

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orgstructure.models import (
    EducationLevel,
    Membership,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    Region,
    Role,
    Sex,
)
from workflows.core.flowkit import flow_url
from workflows.core.review import review_outcome
from workflows.core.review.scoring import as_decimal
from workflows.internships import rules
from workflows.internships.flows import InternshipsFlow
from workflows.internships.models import Application, ApplicationStatus, Call, ExpertAssignment, ExpertScore

User = get_user_model()
rng = random.Random(14)


def build():
    region = Region.objects.create(name="Бенчмарк-край", code="59", timezone="Asia/Yekaterinburg")
    municipalities = Municipality.objects.bulk_create(
        [Municipality(region=region, name=f"Округ {n}") for n in range(20)]
    )
    cnppm = Organization.objects.create(region=region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР")
    iro = Organization.objects.create(region=region, kind=OrganizationKind.IRO, name="ИРО")
    coordinator = User.objects.create_user("coordinator", password="bench")
    Membership.objects.create(user=coordinator, role=Role.CNPPM_COORDINATOR, organization=cnppm)
    schools = Organization.objects.bulk_create(
        [
            Organization(
                region=region,
                municipality=municipalities[n % 20],
                kind=OrganizationKind.SCHOOL,
                name=f"МАОУ «СОШ № {n + 1}»",
            )
            for n in range(args.applications)
        ]
    )
    experts = Person.objects.bulk_create(
        [
            Person(
                organization=iro,
                snils=f"{n:011d}",
                last_name=f"Эксперт{n}",
                first_name="Анна",
                sex=Sex.FEMALE,
                birth_date=dt.date(1980, 1, 1),
                position="методист",
                employed_since=dt.date(2010, 9, 1),
                education_level=EducationLevel.HIGHER,
                specialty_experience_since=dt.date(2005, 9, 1),
            )
            for n in range(30)
        ]
    )
    today = dt.date.today()
    call = Call.objects.create(
        region=region,
        organizer=cnppm,
        kind="internship",
        title="Отбор стажировочных площадок",
        themes=["Медиаобразование"],
        applications_due=today,
        status_from=today + dt.timedelta(days=30),
        status_to=today + dt.timedelta(days=1125),
        criteria=list(rules.DEFAULT_CRITERIA),
        created_by=coordinator,
    )
    scheme = call.scheme()
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                organization=school,
                experience="опыт",
                resources="ресурсы",
                status=ApplicationStatus.REVIEWED,
                submitted_by=coordinator,
            )
            for school in schools
        ]
    )
    assignments, sheets_of = [], {}
    for application in applications:
        for expert in rng.sample(experts, args.experts_per_application):
            assignments.append(
                ExpertAssignment(application=application, expert=expert, status="submitted", appointed_by=coordinator)
            )
    ExpertAssignment.objects.bulk_create(assignments)
    scores = []
    for assignment in assignments:
        sheet = {}
        for criterion in scheme.criteria:
            score = None if rng.random() < 0.05 else rng.randint(3, criterion.max_score)
            sheet[criterion.code] = (score, "комментарий")
            scores.append(ExpertScore(assignment=assignment, criterion=criterion.code, score=score, comment="к"))
        sheets_of.setdefault(assignment.application_id, []).append(sheet)
    ExpertScore.objects.bulk_create(scores, batch_size=2000)
    for application in applications:
        outcome = review_outcome(scheme, sheets_of[application.pk])
        application.rating, application.spread = as_decimal(outcome.rating), as_decimal(outcome.spread)
        application.spread_flagged, application.passed = outcome.spread_flagged, outcome.passed
    Application.objects.bulk_update(applications, ["rating", "spread", "spread_flagged", "passed"], batch_size=500)
    return call, coordinator, len(assignments), len(scores)


call, coordinator, sheets, score_rows = build()
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
client = Client()
client.force_login(coordinator)
page = flow_url(InternshipsFlow, "ranking", call.pk)
response = client.get(page)  # warm: templates, URL resolver, connection
assert response.status_code == 200, response.status_code
assert response.content.count(b"<tr data-application=") == args.applications
timings = []
for _ in range(args.repeat):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(page)
        timings.append((time.perf_counter() - started) * 1000)
median = statistics.median(timings)
print(f"machine: {platform.machine()}, {os.cpu_count()} CPU; PostgreSQL {connection.pg_version // 10000}")
print(f"data: {args.applications} applications, {sheets} expert sheets, {score_rows} score rows")
print(
    f"ranked list page: median {median:.1f} ms, max {max(timings):.1f} ms over {args.repeat} runs; "
    f"{len(queries)} queries, {len(response.content) // 1024} KiB"
)
print(f"target < 200 ms: {scale.verdict(median < 200)}")
sys.exit(0 if scale.SMALL or median < 200 else 1)
