"""Flow nodes every process uses beyond stock viewflow.

* `RoleTask` — a human node done by a role *in an organization*. Who may take it is the node's
  Django permission (as in viewflow) AND a membership in the role and organization recorded on the
  task's due-date row (TaskDeadline.organization/role, the same condition the shared queue uses),
  so a coordinator of Кунгур neither sees nor opens a task of Березники. Anything else answers 404.
  Its pages are Profrost's (see http.py): the stock cancel/undo/revive pages do not exist.
* `Route` — an exclusive gateway (flow.If) that costs one INSERT.
"""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from viewflow.workflow import flow
from viewflow.workflow.context import context
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_finished
from viewflow.workflow.status import STATUS

from orgstructure import access
from workflows.core.models import TaskDeadline

from . import http
from .steps import OPEN


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
    before left on the process (see steps.remember_artefact), so it needs no savepoint."""

    activation_class = RouteActivation


class RoleTask(flow.View):
    """A human step of a role in an organization (see the module docstring). Declare the role and
    the due date in the flow's `deadlines` mapping; the flow's `deadline_organization(task)` says
    in which organization the role acts for this task (flowkit.routing does it for most flows)."""

    activation_class = RoleTaskActivation
    serves_own_pages = True  # http.guard_node_patterns leaves these pages as they are
    index_view_class = None
    assign_view_class = None
    unassign_view_class = None
    # Stock cancel / undo / revive change a task behind the artefact's back (no transition, no
    # audit event): a process offers its own action where one is needed.
    cancel_view_class = None
    undo_view_class = None
    revive_view_class = None

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
        return path(f"<int:process_pk>/{self.name}/<int:task_pk>/", http.TaskIndexView.as_view(node=self), name="index")

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            http.wrap_execute(self, self.view),
            name="execute",
        )

    @property
    def assign_path(self):
        return path(f"<int:process_pk>/{self.name}/<int:task_pk>/assign/", http.wrap_take(self), name="assign")

    @property
    def unassign_path(self):
        return None

    @property
    def detail_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/detail/",
            http.TaskIndexView.as_view(node=self),
            name="detail",
        )
