"""Shared bits of the deadline benchmarks: Django setup, timing, the data-size banner."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.deadlines_settings")

import django  # noqa: E402
from scale import SMALL  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def banner(title: str) -> None:
    from orgstructure.models import Organization, Person
    from workflows.core.models import OutboxMessage, TaskDeadline

    now = timezone.now()
    with connection.cursor() as cursor:
        version = "SQLite " + connection.Database.sqlite_version if connection.vendor == "sqlite" else ""
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0]
    print(f"== {title}")
    machine = f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}"
    print(f"   database: {version}; machine: {machine}")
    print(
        "   data: {tasks:,} task rows, {open:,} open, {overdue:,} overdue; {persons:,} teachers, {schools:,} schools; "
        "{outbox:,} outbox rows".format(
            tasks=TaskDeadline.objects.count(),
            open=TaskDeadline.objects.filter(is_open=True).count(),
            overdue=TaskDeadline.objects.filter(is_open=True, due_at__lt=now).count(),
            persons=Person.objects.count(),
            schools=Organization.objects.filter(kind="school").count(),
            outbox=OutboxMessage.objects.count(),
        )
    )


def measure(label: str, func, *, runs: int = 15, warmup: int = 2):
    """Run `func` warmup+runs times; print median and p95 in ms and the query count of one run."""
    if SMALL:
        runs, warmup = min(runs, 2), min(warmup, 1)
    for _ in range(warmup):
        func()
    times = []
    queries = None
    result = None
    for index in range(runs):
        if index == 0:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = func()
                times.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        else:
            started = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - started)
    times.sort()
    median = statistics.median(times) * 1000
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))] * 1000
    extra = f", {len(result):,} bytes" if isinstance(result, bytes | str) else ""
    print(f"   {label:<52} median {median:8.1f} ms   p95 {p95:8.1f} ms   {queries} queries{extra}")
    return median
