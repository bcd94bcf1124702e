"""The demo kit: what a process's `load_<process>_demo` needs to put its story in place through
the real entry points and services, idempotently.

* `demo_user(username)` / `demo_users(...)`: the demo users of orgstructure/demo.py, or a clear
  «run load_demo first» (`DemoNotLoaded`).
* `open_task(flow_class, artefact)` and `complete_open_task(actor=…, …)`: do the one open human task
  of an artefact's process as a demo user, through the same service the step views use (a
  conditional claim, the step's artefact service, the completion — flowkit.task_complete), so the
  tasks, audit trail and documents are what the UI would have made.
* `age_task(task, …)`: move a task's arrival and due date back, for an overdue demo. Only dates
  move; the task is the one the flow created, so the inbox, the overdue page and the deadline scan
  see a real overdue task.
* `DemoReport.once(label, done=…, make=…)`: run one demo step once — skipped when its marker says
  it was done (the artefact exists), else made in one transaction — and say which in the summary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task

OPEN_STATUSES = ("NEW", "ASSIGNED")


class DemoNotLoaded(Exception):
    """The demo region or its users are missing: the message tells what to run first."""


def demo_user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DemoNotLoaded(f"Нет демо-пользователя «{username}»: сначала выполните manage.py load_demo")
    return user


def demo_users(*usernames: str) -> dict:
    return {username: demo_user(username) for username in usernames}


def demo_region():
    """The demo region of orgstructure/demo.py."""
    from orgstructure.demo import REGION_CODE
    from orgstructure.models import Region

    region = Region.objects.filter(code=REGION_CODE).first()
    if region is None:
        raise DemoNotLoaded("Демо-регион не загружен: сначала выполните manage.py load_demo")
    return region


def open_task(flow_class, artefact) -> Task:
    """The one open human task of the artefact's processes of `flow_class` (an error if there is
    none or several: a demo story that lost track of its state must stop, not guess)."""
    from .flowkit import processes_of

    processes = processes_of(artefact).filter(flow_class=flow_class)
    return Task.objects.filter(process__in=processes, status__in=OPEN_STATUSES, flow_task_type="HUMAN").get()


def complete_open_task(*, actor, artefact, flow_class, perform: Callable):
    """Do the open human task of the artefact's process as `actor`, the way the task page does
    (flowkit.task_complete: conditional claim, the service, the next task; stored files removed
    if the step fails)."""
    from .flowkit import task_complete

    task = open_task(flow_class, artefact)
    return task_complete(actor=actor, task_id=task.pk, perform=perform)


def age_task(task: Task, *, arrived_days_ago: int, overdue_working_days: int, tz: str) -> None:
    """Demo history: the task arrived `arrived_days_ago` calendar days ago and its due date passed
    `overdue_working_days` working days ago (today in the time zone `tz`)."""
    from .calendar import WorkCalendar, local_date
    from .flowkit import set_task_due_date
    from .models import TaskDeadline

    arrived = timezone.now() - dt.timedelta(days=arrived_days_ago)
    Task.objects.filter(pk=task.pk).update(created=arrived)
    TaskDeadline.objects.filter(task_id=task.pk).update(created=arrived)
    today = local_date(timezone.now(), tz)
    set_task_due_date(task, WorkCalendar.load().add_working_days(today, -overdue_working_days))


@dataclass
class DemoReport:
    """What a demo load made and what it found already there."""

    title: str = ""
    what: str = ""  # «демо-заявки РМА»: what the summary says is loaded already
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    rules_created: int = 0

    def once(self, label: str, *, done: bool | Callable[[], bool], make: Callable[[], object]) -> bool:
        """Make one demo step unless `done` (a marker: the step's artefact exists) says it was made;
        the step runs in one transaction. Returns True when it was made now."""
        if done() if callable(done) else done:
            self.existing.append(label)
            return False
        with transaction.atomic():
            make()
        self.created.append(label)
        return True

    def summary(self) -> str:
        lines = [f"Правил сроков {self.title} добавлено в профиль региона: {self.rules_created}"]
        lines += [f"создано: {line}" for line in self.created]
        lines += [f"уже было: {line}" for line in self.existing]
        if not self.created:
            lines.append(f"Ничего не изменено: {self.what or 'демо-данные ' + self.title} уже загружены.")
        return "\n".join(lines)
