"""The services of a flow step, for every process:

* `task_complete` — an official's step: claim the task with a conditional UPDATE (only while the
  task is still open and unowned or owned by the user), run `perform(activation)` (the artefact's
  services), complete the task and create the next one — all in one transaction. Of two officials
  completing the same task at once exactly one wins; the other gets `TaskAlreadyProcessed`
  («Задача уже обработана»). Stock viewflow checks the status in memory and lets both through
  under its default `no_lock`.
* `task_take` — «Взять в работу» from the queue (conditional too).
* `step_atomic` — `transaction.atomic` for the artefact services a step calls (no savepoint of
  their own inside `task_complete`).
* `remember_artefact` — the artefact a step has just changed, kept on the process object so the
  routing and the next task read it without a query.
* `set_task_due_date` — a due date chosen by an official (e.g. «доработать до …») instead of the
  regulation's.
"""

from __future__ import annotations

import contextvars
import functools
import logging

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from common.errors import AlreadyProcessed, NotAvailable
from common.uploads.storage import removed_on_rollback
from workflows.core.calendar import WorkCalendar, deadline_instant
from workflows.core.deadlines import apply_due_at, schedule_alarm, task_deadline_sync
from workflows.core.models import TaskDeadline

logger = logging.getLogger(__name__)

ALREADY_PROCESSED = "Задача уже обработана"
CLAIMABLE = (STATUS.NEW, STATUS.ASSIGNED)
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class TaskAlreadyProcessed(AlreadyProcessed):
    """The task was completed (or taken) by someone else first."""

    default_message = ALREADY_PROCESSED


class TaskUnavailable(NotAvailable):
    """The task does not exist or is not this user's to do (answered as 404)."""

    default_message = "Задача не найдена"


def task_claim(*, task, user) -> Task:
    """Take an open task for completion: one conditional UPDATE, inside the caller's transaction.
    On PostgreSQL a concurrent claim of the same row waits for this transaction and then finds the
    task no longer open. Returns the task as claimed (no second read)."""
    now = timezone.now()
    claimed = (
        Task.objects.filter(pk=task.pk, status__in=CLAIMABLE)
        .filter(Q(owner__isnull=True) | Q(owner=user))
        .update(owner=user, status=STATUS.STARTED, started=now, assigned=Coalesce("assigned", now))
    )
    if claimed != 1:
        raise TaskAlreadyProcessed()
    task.owner = user
    task.status = STATUS.STARTED
    task.started = now
    task.assigned = task.assigned or now
    return task


_in_step = contextvars.ContextVar("flowkit_in_step", default=False)


def step_atomic(func):
    """`transaction.atomic` for a service a step's `perform` may call. Inside `task_complete`
    the service's block takes no savepoint of its own (two round trips less): when the service
    raises, the exception leaves `task_complete`, whose transaction rolls back as a whole — so a
    `perform` must not catch a service's exception and go on. Anywhere else: `transaction.atomic`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(savepoint=not _in_step.get()):
            return func(*args, **kwargs)

    return wrapper


def remember_artefact(process, artefact) -> None:
    """Keep the artefact a step just changed on its process object, so that the routing and the
    next task's organization read it without another query (viewflow passes the same process
    object along the chain of activations)."""
    if artefact is not None and getattr(artefact, "pk", None) == process.artifact_object_id:
        process._flowkit_artefact = artefact


def remembered_artefact(process, model):
    artefact = process.__dict__.get("_flowkit_artefact")
    return artefact if isinstance(artefact, model) else None


def _checked_for_completion(actor, task):
    """The task as read, if the actor may complete it; else the exception to answer with."""
    if task is None or task.flow_task_type != "HUMAN":
        raise TaskUnavailable()
    node = task.flow_task
    if task.status not in OPEN:
        if node.can_view_task(actor, task):
            raise TaskAlreadyProcessed()
        raise TaskUnavailable()
    if not node.can_execute(actor, task):
        raise TaskUnavailable()
    return task


def task_complete(*, actor, task_id: int, perform, task: Task | None = None):
    """Claim the task, run `perform(activation)` (the services that fire the artefact's
    transitions), complete the task and create the next ones — all in one transaction. Returns
    what `perform` returns.

    `task`: the task as the caller has just read it (with its process), e.g. the step page of
    this request — then it is not read again: the permission checks run on it and the conditional
    claim verifies that it is still open and not someone else's; only when the claim fails is
    the task read again, to answer «already processed» or 404 as from a fresh read.

    Files the step stores (common.uploads.storage.store) are removed when the step fails whole."""
    with removed_on_rollback(), transaction.atomic():
        if task is None or task.pk != task_id:
            task = _checked_for_completion(actor, Task.objects.select_related("process").filter(pk=task_id).first())
        else:
            _checked_for_completion(actor, task)
        try:
            task = task_claim(task=task, user=actor)
        except TaskAlreadyProcessed:
            _checked_for_completion(actor, Task.objects.select_related("process").filter(pk=task_id).first())
            raise
        node = task.flow_task
        activation = node.activation_class(task)
        token = _in_step.set(True)
        try:
            result = perform(activation)
        finally:
            _in_step.reset(token)
        remember_artefact(activation.process, result)
        activation.execute()
        return result


def task_take(*, task_id: int, user) -> Task:
    """«Взять в работу»: move an unowned task from the queue to the user's inbox (conditional)."""
    with transaction.atomic():
        taken = Task.objects.filter(pk=task_id, status=STATUS.NEW, owner__isnull=True).update(
            owner=user, status=STATUS.ASSIGNED, assigned=timezone.now()
        )
        if taken != 1:
            raise TaskAlreadyProcessed("Задача уже взята в работу или обработана")
        task = Task.objects.get(pk=task_id)
        task_deadline_sync(task)
        return task


def set_task_due_date(task, day) -> None:
    """Give a new task the due date an official chose (end of that day, local time, moved off a
    day off), instead of the one of the regulation."""
    if day is None:
        return
    try:
        deadline = task.deadline  # cached by deadlines.task_deadline_create on a new task
    except TaskDeadline.DoesNotExist:
        return
    calendar = WorkCalendar.load()
    due = deadline_instant(calendar.roll_forward(day), deadline.timezone)
    deadline.original_due_at = due
    apply_due_at(
        deadline,
        due,
        calendar=calendar,
        reminder_days=deadline.reminder_days,
        escalation_after_days=deadline.escalation_after_days,
    )
    deadline.save()
    schedule_alarm(deadline)
