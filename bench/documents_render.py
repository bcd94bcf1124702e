"""Benchmark: issue (render + number + store) N documents the way Celery workers do.

    .venv/bin/python bench/documents_render.py                 # 1,000 documents, 2 worker processes
    .venv/bin/python bench/documents_render.py --count 200 --workers 1
    .venv/bin/python bench/documents_render.py --small         # 10 documents (CI)
    DATABASE_URL=postgres://… .venv/bin/python bench/documents_render.py

Each worker process runs the body of the Celery job `documents.tasks.issue_document` (load by id,
call issuing.document_issue) — the broker round trip is left out. Half the documents are
приказы DOC-1 (6 members in the annex), half справки DOC-4a; all of one issuing organization, so
every issue takes the same register row lock. SQLite: a fresh database file in a temporary
directory (WAL, IMMEDIATE transactions, as in the embedded profile); PostgreSQL: a fresh test
database «test_<name>» created and dropped here. Files go to a temporary MEDIA_ROOT.
Prints per-document time, documents per minute and the data size.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.test")

import scale  # noqa: E402

KINDS = ("rma_list_order", "rma_certificate")


def setup(tmp: Path):
    import django
    from django.conf import settings

    settings.MEDIA_ROOT = tmp / "media"
    settings.PROFROST_DOCUMENTS_PDF = False  # measured separately: bench/documents_pdf.py
    settings.LOGGING_CONFIG = None
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database["NAME"] = str(tmp / "bench.sqlite3")
    else:
        database["NAME"] = f"test_{database['NAME']}_documents_bench"
    django.setup()
    import logging

    logging.disable(logging.WARNING)


def create_database(count: int):
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        from django.db import connections

        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            template = os.environ.get("BENCH_TEMPLATE_DB")  # bench/run_all.py: a migrated copy
            cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        connections.close_all()
    call_command("migrate", verbosity=0, interactive=False)

    from orgstructure.models import Organization, OrganizationKind, Region, Subject

    region = Region.objects.create(name="Пермский край", code="59", timezone="Asia/Yekaterinburg")
    ministry = Organization.objects.create(
        region=region,
        kind=OrganizationKind.MINISTRY,
        name="Министерство образования и науки Пермского края",
        head_name="Сидорова Нина Петровна",
        head_position="Министр",
    )
    Subject.objects.bulk_create(Subject(name=f"Предмет {n}") for n in range(count))
    artefacts = list(Subject.objects.order_by("id").values_list("id", flat=True))
    return ministry.pk, artefacts


def worker(arguments):
    organization_id, artefact_ids, worker_index = arguments
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    connections.close_all()  # never share a connection inherited over fork
    from documents.kinds import get_spec
    from documents.models import IssuedDocument
    from documents.tasks import issue_document
    from orgstructure.models import Organization, Subject

    organization = Organization.objects.get(pk=organization_id)
    subject_type = ContentType.objects.get_for_model(Subject).pk
    samples = {kind: get_spec(kind).sample(organization) for kind in KINDS}
    timings = []
    for position, artefact_id in enumerate(artefact_ids):
        kind = KINDS[(position + worker_index) % 2]
        started = time.perf_counter()
        issue_document.run(
            kind=kind,
            organization_id=organization_id,
            artefact_type_id=subject_type,
            artefact_id=artefact_id,
            context=samples[kind],
            signatory=None,
            issued_on="2024-08-30",
        )
        timings.append(time.perf_counter() - started)
    size = sum(
        IssuedDocument.objects.filter(artefact_id__in=[str(a) for a in artefact_ids]).values_list("size", flat=True)
    )
    connections.close_all()
    return timings, size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    scale.add_argument(parser)
    options = parser.parse_args()
    if scale.SMALL:
        options.count = 10

    with tempfile.TemporaryDirectory(prefix="profrost-bench-documents-") as directory:
        tmp = Path(directory)
        setup(tmp)
        from django.db import connection, connections

        organization_id, artefacts = create_database(options.count)
        vendor = connection.vendor
        connections.close_all()

        chunks = [(organization_id, artefacts[i :: options.workers], i) for i in range(options.workers)]
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(options.workers) as pool:
            results = pool.map(worker, chunks)
        elapsed = time.perf_counter() - started

        from documents.models import IssuedDocument, NumberingRegister

        timings = [t for worker_timings, _ in results for t in worker_timings]
        total_bytes = sum(size for _, size in results)
        issued = IssuedDocument.objects.count()
        numbers = sorted(
            IssuedDocument.objects.exclude(sequence=None).values_list("organization_id", "kind", "sequence")
        )
        assert issued == options.count, (issued, options.count)
        assert len(numbers) == len(set(numbers)), "duplicate numbers"
        registers = {r.kind: r.next_number - 1 for r in NumberingRegister.objects.all()}
        media_bytes = sum(p.stat().st_size for p in (tmp / "media").rglob("*") if p.is_file())

        print(f"database: {vendor}; workers: {options.workers}; CPUs: {os.cpu_count()}")
        print(f"documents issued: {issued} ({', '.join(f'{k}: {v}' for k, v in sorted(registers.items()))})")
        print(
            f"data: {total_bytes / 1024 / 1024:.1f} MiB of .docx ({total_bytes / issued / 1024:.1f} KiB each), "
            f"{media_bytes / 1024 / 1024:.1f} MiB in MEDIA_ROOT incl. templates"
        )
        print(f"wall time: {elapsed:.1f} s -> {issued / elapsed * 60:.0f} documents per minute")
        print(
            "per document (in a worker): "
            f"mean {statistics.mean(timings) * 1000:.1f} ms, median {statistics.median(timings) * 1000:.1f} ms, "
            f"p95 {sorted(timings)[int(len(timings) * 0.95)] * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms"
        )
        if vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            connections.close_all()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
