"""Shared bits of the РМА benchmarks: a fresh PostgreSQL database, a benchmark region with one
municipal coordinator per municipality, candidates, and latency statistics."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.rma_settings")

import databases  # noqa: E402


def recreate_database() -> None:
    """Drop and create the benchmark database (before Django connects to it)."""
    url = os.environ.get("DATABASE_URL")
    if not url or not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Нужен PostgreSQL: задайте DATABASE_URL=postgres://user:pass@host:5432/db")
    databases.recreate(url, os.environ.get("RMA_BENCH_DB", "profrost_bench_rma"))


def setup(*, fresh: bool = True) -> None:
    if fresh:
        recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def banner(title: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = "PostgreSQL " + cursor.fetchone()[0]
    print(f"== {title}")
    print(
        f"   database: {version}; machine: {platform.machine()}, {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}"
    )


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def latency_line(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"   {label:<34} n={len(ms):>6}   median {statistics.median(ms):7.2f} ms   "
        f"p95 {percentile(ms, 0.95):7.2f} ms   p99 {percentile(ms, 0.99):7.2f} ms   max {max(ms):7.1f} ms"
    )


def build_region(*, municipalities: int, candidates_per_municipality: int, subjects: int = 3):
    """A region with its ministry, ЦНППМПР, ЦОПМКП and, per municipality, an education authority
    with one РМА coordinator and a school of eligible teachers. Returns a namespace."""
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from orgstructure.models import (
        EducationLevel,
        Membership,
        Municipality,
        Organization,
        OrganizationKind,
        Person,
        QualificationCategory,
        Region,
        Role,
        Subject,
    )
    from workflows.core.deadline_defaults import install_deadline_defaults
    from workflows.core.roles import sync_all_role_groups

    install_deadline_defaults()
    region = Region.objects.create(name="Бенчмарк-край", code="B9", timezone="Asia/Yekaterinburg")
    User = get_user_model()
    password = make_password("bench")

    def user(username, role, organization, last="Бенчева", first="Анна"):
        account = User.objects.create(username=username, password=password, last_name=last, first_name=first)
        Membership.objects.create(user=account, role=role, organization=organization)
        return account

    def regional(kind, name, head=""):
        return Organization.objects.create(
            region=region, kind=kind, name=name, head_name=head, head_position="Руководитель" if head else ""
        )

    ministry = regional(
        OrganizationKind.MINISTRY, "Министерство образования Бенчмарк-края", "Тарасов Андрей Викторович"
    )
    cnppmpr = regional(OrganizationKind.CNPPMPR, "ЦНППМПР Бенчмарк-края", "Субботина Елена Сергеевна")
    copmkp = regional(OrganizationKind.COPMKP, "ЦОПМКП Бенчмарк-края")
    subject_rows = [Subject.objects.get_or_create(name=f"Предмет {n}")[0] for n in range(subjects)]
    people, coordinators, schools = [], [], []
    for m in range(municipalities):
        municipality = Municipality.objects.create(region=region, name=f"Город {m + 1}")
        authority = Organization.objects.create(
            region=region,
            municipality=municipality,
            kind=OrganizationKind.MUNI_AUTHORITY,
            name=f"Управление образования {m + 1}",
        )
        school = Organization.objects.create(
            region=region, municipality=municipality, kind=OrganizationKind.SCHOOL, name=f"МАОУ «СОШ № {m + 1}»"
        )
        schools.append(school)
        coordinators.append(user(f"coord{m + 1}", Role.RMA_MUNI_COORDINATOR, authority, "Координаторова"))
        for n in range(candidates_per_municipality):
            people.append(
                Person(
                    organization=school,
                    snils=f"{m:03d}-{n // 1000:03d}-{n % 1000:03d} 00",
                    last_name=f"Кандидатова{n:05d}",
                    first_name="Мария",
                    middle_name="Ильинична",
                    sex="f",
                    birth_date=dt.date(1980, 1, 1),
                    position="учитель математики",
                    employed_since=dt.date(2010, 9, 1),
                    category=QualificationCategory.HIGHEST,
                    category_assigned_on=dt.date(2024, 1, 10),
                    category_valid_until=dt.date(2029, 1, 9),
                    education_level=EducationLevel.HIGHER,
                    education_is_pedagogical=True,
                    specialty_experience_since=dt.date(2005, 9, 1),
                )
            )
    Person.objects.bulk_create(people, batch_size=1000)
    head = user("head", Role.SCHOOL_HEAD, schools[0])
    for school in schools[1:]:
        Membership.objects.create(user=head, role=Role.SCHOOL_HEAD, organization=school)
    sync_all_role_groups()
    return SimpleNamespace(
        region=region,
        ministry=ministry,
        cnppmpr=cnppmpr,
        copmkp=copmkp,
        subjects=subject_rows,
        coordinators=coordinators,
        head=head,
        assessor=user("assessor", Role.COPMKP_ASSESSOR, copmkp),
        cnppm=user("cnppm", Role.CNPPM_COORDINATOR, cnppmpr),
        officer=user("officer", Role.MINISTRY_OFFICER, ministry),
        signatory=user("signatory", Role.MINISTRY_SIGNATORY, ministry),
    )


def files():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from common.uploads.samples import pdf

    data = pdf("benchmark")  # a real PDF: uploads are checked by their content

    return {
        kind: SimpleUploadedFile(f"{kind}.pdf", data, content_type="application/pdf")
        for kind in ("attestation_order", "diploma", "employment_record")
    }
