"""Flow machinery every process needs beyond stock viewflow (first written for РМА; process apps
import it from here, never from each other):

* `RoleTask` — a human node done by a role *in an organization*. Who may take it is the node's
  Django permission (as in viewflow) AND a membership in the role and organization recorded on the
  task's due-date row (TaskDeadline.organization/role, the same condition the shared queue uses),
  so a coordinator of Кунгур neither sees nor opens a task of Березники. Anything else answers 404.
* `task_claim` — completing a task is a conditional UPDATE (only while the task is still open and
  unowned or owned by the user). Of two officials completing the same task at once exactly one
  wins; the other gets `TaskAlreadyProcessed` («Задача уже обработана»). Stock viewflow checks
  the status in memory and lets both through under its default `no_lock`.
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
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views import View
from viewflow.workflow import flow
from viewflow.workflow.context import context
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_finished
from viewflow.workflow.status import STATUS

from orgstructure import access
from workflows.core.calendar import WorkCalendar, deadline_instant
from workflows.core.deadlines import apply_due_at, schedule_alarm, task_deadline_sync
from workflows.core.models import TaskDeadline

logger = logging.getLogger(__name__)

ALREADY_PROCESSED = "Задача уже обработана"
CLAIMABLE = (STATUS.NEW, STATUS.ASSIGNED)
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class TaskAlreadyProcessed(Exception):
    """The task was completed (or taken) by someone else first."""

    def __init__(self, message: str = ALREADY_PROCESSED):
        super().__init__(message)


class TaskUnavailable(Exception):
    """The task does not exist or is not this user's to do (answered as 404)."""


def holds_task_membership(user, task) -> bool:
    """Does the user act in the role and organization the task is for? A task with no
    organization recorded is narrowed by its permission only (as in the shared queue)."""
    if user.is_superuser:
        return True
    row = TaskDeadline.objects.filter(task_id=task.pk).values("organization_id", "role").first()
    if row is None or row["organization_id"] is None:
        return True
    return any(
        membership.organization_id == row["organization_id"] and (not row["role"] or membership.role == row["role"])
        for membership in access.active_memberships(user)
    )


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
    the task read again, to answer «already processed» or 404 as from a fresh read."""
    with transaction.atomic():
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


# --- the node and its URL wrappers ---------------------------------------------------------------


class _IndexView(View):
    """A task link (inbox, queue, e-mail) opens the form when the user may do the task."""

    node = None

    def get(self, request, process_pk, task_pk):
        task = _task_or_404(self.node, process_pk, task_pk)
        if task.status in OPEN and self.node.can_execute(request.user, task):
            return HttpResponseRedirect(self.node.reverse("execute", args=[process_pk, task_pk]))
        if self.node.can_view_task(request.user, task):
            return _already_processed(request, task)
        raise Http404("Задача не найдена")


def _task_or_404(node, process_pk, task_pk) -> Task:
    task = Task.objects.select_related("process", "owner").filter(pk=task_pk, process_id=process_pk).first()
    if task is None or task.flow_task != node:
        raise Http404("Задача не найдена")
    return task


def _already_processed(request, task, message: str = ALREADY_PROCESSED):
    return render(
        request,
        "core/task_done.html",
        {"title": message, "message": message, "task": task},
        status=409,
    )


def _wrap_execute(node, origin_view):
    def view(request, process_pk, task_pk, **kwargs):
        task = _task_or_404(node, process_pk, task_pk)
        if task.status not in OPEN:
            if node.can_view_task(request.user, task):
                return _already_processed(request, task)
            raise Http404("Задача не найдена")
        if not node.can_execute(request.user, task):
            raise Http404("Задача не найдена")
        request.activation = node.activation_class(task)
        return origin_view(request, process_pk=process_pk, task_pk=task_pk, **kwargs)

    return view


def _wrap_take(node):
    def view(request, process_pk, task_pk, **kwargs):
        task = _task_or_404(node, process_pk, task_pk)
        if request.method != "POST":
            return HttpResponseRedirect(node.reverse("index", args=[process_pk, task_pk]))
        if not node.can_assign(request.user, task):
            if node.can_view_task(request.user, task):
                return _already_processed(request, task, "Задача уже взята в работу или обработана")
            raise Http404("Задача не найдена")
        try:
            task_take(task_id=task.pk, user=request.user)
        except TaskAlreadyProcessed as exc:
            return _already_processed(request, task, str(exc))
        return HttpResponseRedirect(node.reverse("execute", args=[process_pk, task_pk]))

    return view


# What completing a claimed task changes in its row (the claim wrote owner, status, started and
# assigned): a step that sets other fields of its task saves them itself.
COMPLETE_FIELDS = ("status", "finished", "data")


class RoleTaskActivation(ViewActivation):
    @ViewActivation.status.super()
    def complete(self):
        """As viewflow's, but the UPDATE writes only what completion changes."""
        self.task.finished = timezone.now()
        self.task.save(update_fields=COMPLETE_FIELDS)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class RouteActivation(IfActivation):
    """An exclusive gateway whose condition is decided before its task row is written: one INSERT
    of a task already done, instead of viewflow's INSERT, SAVEPOINT, RELEASE and UPDATE. Under
    `propagate_exception=False` (a failed condition kept as an ERROR task) it is viewflow's own."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not context.propagate_exception:
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._condition_result = flow_task._condition(activation)
        task.status = STATUS.DONE
        task.finished = timezone.now()
        task.save()
        task.previous.add(prev_activation.task)
        task_finished.send(sender=activation.flow_class, process=activation.process, task=task)
        return activation


class Route(flow.If):
    """`flow.If` that costs one INSERT (see RouteActivation); the condition reads what the step
    before left on the process (see remember_artefact), so it needs no savepoint."""

    activation_class = RouteActivation


class RoleTask(flow.View):
    """A human step of a role in an organization (see the module docstring). Declare the role and
    the due date in the flow's `deadlines` mapping; the flow's `deadline_organization(task)` says
    in which organization the role acts for this task."""

    activation_class = RoleTaskActivation
    index_view_class = None
    assign_view_class = None
    unassign_view_class = None

    def can_assign(self, user, task) -> bool:
        return task.status == STATUS.NEW and super().can_assign(user, task) and holds_task_membership(user, task)

    def can_execute(self, user, task) -> bool:
        if not getattr(user, "is_authenticated", False) or task.status not in OPEN:
            return False
        if task.owner_id is not None:
            return task.owner_id == user.pk
        return self.can_assign(user, task)

    def can_view_task(self, user, task) -> bool:
        """May the user learn what became of the task (for the «already processed» answer)?"""
        if not getattr(user, "is_authenticated", False):
            return False
        if task.owner_id == user.pk or user.is_superuser:
            return True
        permission = task.owner_permission
        return bool(permission) and user.has_perm(permission) and holds_task_membership(user, task)

    @property
    def index_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/",
            _IndexView.as_view(node=self),
            name="index",
        )

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            _wrap_execute(self, self.view),
            name="execute",
        )

    @property
    def assign_path(self):
        return path(f"<int:process_pk>/{self.name}/<int:task_pk>/assign/", _wrap_take(self), name="assign")

    @property
    def unassign_path(self):
        return None

    @property
    def detail_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/detail/",
            _IndexView.as_view(node=self),
            name="detail",
        )
