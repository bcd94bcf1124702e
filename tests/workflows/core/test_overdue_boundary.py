"""The deadline scan, the overdue report, the inbox and the start page agree on when a task is
overdue (issue 11, point 7): from 00:00:00 local time of the day after the deadline day — not at
the deadline day's last second, not a moment before midnight."""

import datetime as dt
import zoneinfo

import pytest

from workflows.core import reports, selectors
from workflows.core.calendar import deadline_instant, is_overdue
from workflows.core.models import OutboxMessage
from workflows.core.notifications import scan_due_notifications

from .conftest import bulk_open_tasks
from .sampleflow.flows import SampleFlow

PERM = zoneinfo.ZoneInfo("Asia/Yekaterinburg")  # the tasks' zone in bulk_open_tasks
DEADLINE_DAY = dt.date(2026, 3, 10)
DUE = deadline_instant(DEADLINE_DAY, PERM)
LAST_MOMENTS = {
    "23:59:59.000000": dt.datetime(2026, 3, 10, 23, 59, 59, tzinfo=PERM),
    "23:59:59.999999": dt.datetime(2026, 3, 10, 23, 59, 59, 999999, tzinfo=PERM),
}
MIDNIGHT = dt.datetime(2026, 3, 11, 0, 0, 0, tzinfo=PERM)


@pytest.fixture(autouse=True)
def _site_urls_loaded():
    """Task links are reversed through the site's URLconf, which mounts the sample flow."""
    from django.urls import reverse

    reverse("workflow:inbox")


def _views_of_overdue(user, task_id, now) -> dict:
    """What each part of the system says about one task at `now`."""
    report = reports.build_report(user, reports.ReportFilter(state="overdue"), now=now)
    inbox = selectors.task_list(user=user, box="inbox", flow_classes=[SampleFlow], status_filter="overdue", now=now)
    summary = selectors.my_tasks_summary(user, now=now)
    scanned = scan_due_notifications(now=now)
    return {
        "report": report.totals["overdue"] == 1,
        "inbox": [row.task_id for row in inbox.rows] == [task_id],
        "inbox mark": selectors.task_list(user=user, box="inbox", flow_classes=[SampleFlow], now=now).rows[0].due_state
        == "overdue",
        "start page": summary["overdue"] == "1",
        "scan": OutboxMessage.objects.filter(task_id=task_id, kind="overdue").exists() or scanned.messages > 0,
    }


def test_the_due_instant_is_the_last_second_of_the_deadline_day():
    assert DUE.astimezone(PERM) == dt.datetime(2026, 3, 10, 23, 59, 59, tzinfo=PERM)
    assert not is_overdue(DUE, LAST_MOMENTS["23:59:59.999999"])
    assert is_overdue(DUE, MIDNIGHT)


@pytest.mark.django_db
@pytest.mark.parametrize("moment", list(LAST_MOMENTS))
def test_nobody_calls_it_overdue_in_the_last_second(territory, methodist, moment):
    user, task_id = _task(territory, methodist)

    views = _views_of_overdue(user, task_id, LAST_MOMENTS[moment])

    assert views == {"report": False, "inbox": False, "inbox mark": False, "start page": False, "scan": False}


@pytest.mark.django_db
def test_everybody_calls_it_overdue_from_midnight(territory, methodist):
    user, task_id = _task(territory, methodist)

    views = _views_of_overdue(user, task_id, MIDNIGHT)

    assert views == {"report": True, "inbox": True, "inbox mark": True, "start page": True, "scan": True}


def _task(territory, methodist):
    """One open task of the sample flow due on DEADLINE_DAY, owned by the municipal methodist
    (who also reads the overdue report for the municipality)."""
    (row,) = bulk_open_tasks(methodist, 1, due_at=DUE, organization=territory["mms"])
    return methodist, row.task_id
