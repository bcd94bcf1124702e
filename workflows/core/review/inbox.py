"""An expert's inbox task is an ordinary human task of a small flow about their assignment
(the process's `ExpertFlow`: start → score → end), so the due date, reminders, the overdue notice
and the escalation to the coordinator come from the deadline machinery. When the review completes
at k of n, or an expert is replaced, their open task is withdrawn here: cancelled with its process,
inside the caller's transaction (its TaskDeadline closes through the task's save)."""

from __future__ import annotations

from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from workflows.core.flowkit import processes_of
from workflows.core.flowkit.steps import OPEN


def withdraw_open_tasks(artefact) -> int:
    """Cancel the open human tasks of every process about `artefact` and finish those processes.
    Returns the number of tasks withdrawn."""
    withdrawn = 0
    now = timezone.now()
    for process in processes_of(artefact).exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED]):
        for task in process.task_set.filter(status__in=OPEN):
            task.status = STATUS.CANCELED
            task.finished = now
            task.save()
            withdrawn += 1
        process.status = PROCESS.CANCELED
        process.finished = now
        process.save(update_fields=["status", "finished"])
    return withdrawn
