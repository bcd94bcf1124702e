"""Overdue scan benchmark: the state-based scan over every task row, end to end including the
outbox writes, then a second run with nothing new. Resets the notification state first.

    DJANGO_SETTINGS_MODULE=bench.deadlines_settings DATABASE_URL=… .venv/bin/python bench/deadlines_scan.py
"""

# ruff: noqa: I001 — deadlines_common sets Django up, so it comes before the Django imports

import time

from deadlines_common import banner

from django.db import connection
from django.db.models import Count

from workflows.core.models import OutboxMessage
from workflows.core.notifications import scan_due_notifications


def reset():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_notification")
        cursor.execute("DELETE FROM core_outboxmessage")
        cursor.execute("DELETE FROM core_taskalarm")
        cursor.execute(
            "INSERT INTO core_taskalarm (task_id, due_at, remind_at, escalate_at, stage, next_at) "
            "SELECT task_id, due_at, remind_at, escalate_at, 0, COALESCE(remind_at, due_at) "
            "FROM core_taskdeadline WHERE is_open AND due_at IS NOT NULL"
        )
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE core_taskalarm")
            cursor.execute("VACUUM ANALYZE core_outboxmessage")


def main():
    reset()
    banner("Deadline scan (workflows.core.notifications.scan_due_notifications)")
    for label in ("first run", "second run (nothing new)"):
        before = OutboxMessage.objects.count()
        started = time.perf_counter()
        result = scan_due_notifications()
        elapsed = time.perf_counter() - started
        created = OutboxMessage.objects.count() - before
        print(
            f"   {label:<26} {elapsed * 1000:10.1f} ms   tasks processed {result.tasks:,} in {result.batches} "
            f"batches; new outbox rows {created:,}"
        )
    kinds = dict(OutboxMessage.objects.values_list("kind").annotate(n=Count("id")).order_by())
    print(f"   outbox by kind: {kinds}")


if __name__ == "__main__":
    main()
