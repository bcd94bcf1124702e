"""The notification plan of one task: its due instant, the reminder and escalation instants derived
from it, and its row in the scan's queue (TaskAlarm). Used by deadlines.py (creation, extension)
and regulation.py (re-plan), which is why it sits below both."""

from __future__ import annotations

import datetime as dt

from .calendar import REMINDER_TIME, WorkCalendar, deadline_instant, local_date, local_instant, overdue_from
from .models import NO_DUE_DATE_SORT_KEY, TaskAlarm, TaskDeadline


def apply_due_at(deadline: TaskDeadline, due: dt.datetime | None, *, calendar: WorkCalendar,
                 reminder_days: int | None, escalation_after_days: int | None) -> None:
    """Set the due instant and the reminder/escalation instants derived from it; a new due date
    starts a new notification cycle (the outbox key includes the due date). Does not save."""
    deadline.reminder_days = reminder_days
    deadline.escalation_after_days = escalation_after_days
    deadline.due_at = due
    deadline.sort_due = due or NO_DUE_DATE_SORT_KEY
    if due is None:
        deadline.remind_at = deadline.escalate_at = None
        return
    due_day = local_date(due, deadline.timezone)
    deadline.remind_at = (
        local_instant(calendar.add_working_days(due_day, -reminder_days), REMINDER_TIME, deadline.timezone)
        if reminder_days
        else None
    )
    deadline.escalate_at = (
        deadline_instant(calendar.add_working_days(due_day, escalation_after_days), deadline.timezone)
        if escalation_after_days
        else None
    )


def schedule_alarm(deadline: TaskDeadline) -> None:
    """Put the task's next notification in the scan's queue (a new due date starts over from the
    reminder), or take it out when the task has no due date or is closed."""
    if not deadline.is_open or deadline.due_at is None:
        TaskAlarm.objects.filter(task_id=deadline.task_id).delete()
        return
    TaskAlarm.objects.update_or_create(
        task_id=deadline.task_id,
        defaults={
            "due_at": deadline.due_at,
            "remind_at": deadline.remind_at,
            "escalate_at": deadline.escalate_at,
            "stage": TaskAlarm.Stage.NONE,
            "next_at": deadline.remind_at or overdue_from(deadline.due_at),
        },
    )
