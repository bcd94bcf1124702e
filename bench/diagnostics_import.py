"""Benchmark: ЦОПМКП's import of diagnosis results (issue 13 §1) — one .xlsx of 5,000 rows,
checked whole and written all at once (workflows/iom/diagnostics/importing.py).

    DATABASE_URL=postgres://profrost:profrost-ci@127.0.0.1:5432/profrost .venv/bin/python bench/diagnostics_import.py
    … --rows 5000 --schools 200   (the default)
    … --small                       (100 rows: seconds, no target judged — CI)

The data: a region of --schools schools with --rows teachers; the file has one row per teacher —
four in five found by СНИЛС, one in five by full name and school — with the five area scores and
one to three deficits. Timed: `diagnosis_import` from the file's bytes (the upload inspection,
reading the workbook, checking every row, finding the teachers, the writes), median of --repeat
runs, each into an empty base (the results of the run before are deleted outside the timing).
Target (issue 13): under 10 s for 5,000 rows. Not part of the test suite.

The file is written by openpyxl's write-only mode, which records no <dimension> in the sheet: on
reading, openpyxl then parses the whole sheet once more to size it (about a tenth of the CPU time
here). Excel and LibreOffice record it, so a real file reads somewhat faster than this one.
"""

# ruff: noqa: E402, I001 — Django is set up before the Django imports

import argparse
import hashlib
import io
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.diagnostics_settings"

import databases
import scale

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--rows", type=int, default=5000)
parser.add_argument("--schools", type=int, default=200)
parser.add_argument("--repeat", type=int, default=3)
scale.add_argument(parser)
args = parser.parse_args()
if scale.SMALL:
    args.rows, args.schools, args.repeat = 100, 5, 1

url = os.environ.get("DATABASE_URL", "")
if not url.startswith(("postgres://", "postgresql://")):
    sys.exit("Нужен PostgreSQL: задайте DATABASE_URL=postgres://user:pass@host:5432/db")
databases.recreate(url, os.environ.get("DIAGNOSTICS_BENCH_DB", "profrost_bench_diagnostics"))

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)

import datetime as dt

import openpyxl
from django.contrib.auth import get_user_model
from django.db import connection

from orgstructure.models import EducationLevel, Membership, Municipality, Organization, OrganizationKind, Person
from orgstructure.models import Region, Role, Sex
from programmes.models import CompetencyArea
from workflows.iom.diagnostics.importing import COLUMNS, deficit_key, diagnosis_import, score_key
from workflows.iom.diagnostics.models import DiagnosisDeficit, DiagnosisImport, DiagnosisResult, DiagnosisScore

rng = random.Random(13)


def snils(number: int) -> str:
    digits = f"{number:09d}"
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits))
    check = total if total < 100 else 0 if total in (100, 101) else total % 101 % 100
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {check:02d}"


def build():
    region = Region.objects.create(name="Бенчмарк-край", code="59", timezone="Asia/Yekaterinburg")
    municipalities = Municipality.objects.bulk_create(
        [Municipality(region=region, name=f"Округ {n}") for n in range(20)]
    )
    copmkp = Organization.objects.create(region=region, kind=OrganizationKind.COPMKP, name="ЦОПМКП")
    assessor = get_user_model().objects.create_user("copmkp", password="bench")
    Membership.objects.create(user=assessor, role=Role.COPMKP_ASSESSOR, organization=copmkp)
    schools = Organization.objects.bulk_create(
        [
            Organization(
                region=region,
                municipality=municipalities[n % 20],
                kind=OrganizationKind.SCHOOL,
                name=f"МАОУ «СОШ № {n + 1}»",
            )
            for n in range(args.schools)
        ]
    )
    persons = Person.objects.bulk_create(
        [
            Person(
                organization=schools[n % len(schools)],
                snils=snils(100_000_000 + n),
                last_name=f"Педагогова{n}",
                first_name="Анна",
                middle_name="Игоревна",
                sex=Sex.FEMALE,
                birth_date=dt.date(1985, 3, 14),
                position="учитель",
                employed_since=dt.date(2015, 9, 1),
                education_level=EducationLevel.HIGHER,
                specialty_experience_since=dt.date(2010, 9, 1),
            )
            for n in range(args.rows)
        ],
        batch_size=2000,
    )
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Диагностика")
    sheet.append([column.header for column in COLUMNS])
    on = dt.date.today() - dt.timedelta(days=10)
    for n, person in enumerate(persons):
        by_name = n % 5 == 4
        cells = {
            "snils": "" if by_name else person.snils,
            "full_name": person.full_name if by_name else "",
            "organization": person.organization.name if by_name else "",
            "diagnosed_on": on,
            "instrument": "ФОС диагностики профессиональных компетенций",
        }
        for area in CompetencyArea.values:
            cells[score_key(area)] = rng.randint(30, 99)
        for area in rng.sample(CompetencyArea.values, rng.randint(1, 3)):
            cells[deficit_key(area)] = "формирующее оценивание; проектирование урока"
        sheet.append([cells.get(column.key) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return copmkp, assessor, buffer.getvalue()


copmkp, assessor, data = build()
if os.environ.get("DIAGNOSTICS_BENCH_KEEP_FILE"):
    Path(os.environ["DIAGNOSTICS_BENCH_KEEP_FILE"]).write_bytes(data)
checksum = hashlib.sha256(data).hexdigest()
timings, cpu, queries = [], [], 0
for _ in range(args.repeat):
    DiagnosisDeficit.objects.all().delete()
    DiagnosisScore.objects.all().delete()
    DiagnosisResult.objects.all().delete()
    DiagnosisImport.objects.all().delete()
    # Queries are counted by an execute wrapper: CaptureQueriesContext would format the SQL of
    # every bulk insert with its thousands of parameters, which costs more than the insert itself.
    counted = []

    def count(execute, sql, params, many, context, counted=counted):
        counted.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = diagnosis_import(
            data=data, filename="Диагностика.xlsx", checksum=checksum, actor=assessor, organization=copmkp
        )
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    queries = len(counted)
    if not result.ok:
        sys.exit("import refused: " + "; ".join(map(str, result.errors[:5])))
assert DiagnosisResult.objects.count() == args.rows

median = statistics.median(timings)
print(f"machine: {platform.machine()}, {os.cpu_count()} CPU; PostgreSQL {connection.pg_version // 10000}")
print(
    f"data: {args.rows} rows ({args.rows // 5} by name and school), {args.schools} schools, "
    f"{DiagnosisScore.objects.count()} scores, {DiagnosisDeficit.objects.count()} deficits; file {len(data) // 1024} KB"
)
print(
    f"diagnosis_import: median {median:.2f} s of {args.repeat} ({', '.join(f'{t:.2f}' for t in timings)}), "
    f"{queries} queries"
)
print(
    f"CPU time of this process (Python side): median {statistics.median(cpu):.2f} s; "
    f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU"
)
print(f"target < 10 s: {scale.verdict(median < 10)}")
sys.exit(0 if scale.SMALL or median < 10 else 1)
