"""The flows' addresses, as Profrost answers them.

* `RoleTask` pages: a task link opens the form when the user may do the task, tells «Задача уже
  обработана» to those who may know, and answers 404 to anyone else (before anything else, on
  every method).
* Stock viewflow pages of the other nodes (start, gateways, functions, end) exist only for users
  who may see the process's artefact; anyone else gets the same 404 as for a missing id. Stock
  cancel / undo / revive / re-execute pages are not offered at all: they would change a task
  behind the artefact's back, without its transition and audit event.
* `ScopedFlowViewset`: the flow's dashboard, process list, process and chart pages lead to the
  process's own pages (its artefact's page), scoped there; the process «cancel» page is gone.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.views import View
from viewflow.workflow.flow import FlowViewset
from viewflow.workflow.models import Process, Task
from viewflow.workflow.nodes import Start

from .steps import ALREADY_PROCESSED, OPEN, TaskAlreadyProcessed, task_take

TASK_MISSING = "Задача не найдена"
PROCESS_MISSING = "Процесс не найден"
# Stock node pages that change a task outside the artefact's services.
UNSAFE_NODE_PAGES = frozenset({"cancel", "undo", "revive", "execute", "assign", "unassign"})


def task_or_404(node, process_pk, task_pk) -> Task:
    task = Task.objects.select_related("process", "owner").filter(pk=task_pk, process_id=process_pk).first()
    if task is None or task.flow_task != node:
        raise Http404(TASK_MISSING)
    return task


def already_processed(request, task, message: str = ALREADY_PROCESSED):
    return render(request, "core/task_done.html", {"title": message, "message": message, "task": task}, status=409)


class TaskIndexView(View):
    """A task link (inbox, queue, e-mail) opens the form when the user may do the task."""

    node = None

    def get(self, request, process_pk, task_pk):
        task = task_or_404(self.node, process_pk, task_pk)
        if task.status in OPEN and self.node.can_execute(request.user, task):
            return HttpResponseRedirect(self.node.reverse("execute", args=[process_pk, task_pk]))
        if self.node.can_view_task(request.user, task):
            return already_processed(request, task)
        raise Http404(TASK_MISSING)


def wrap_execute(node, origin_view):
    def view(request, process_pk, task_pk, **kwargs):
        task = task_or_404(node, process_pk, task_pk)
        if task.status not in OPEN:
            if node.can_view_task(request.user, task):
                return already_processed(request, task)
            raise Http404(TASK_MISSING)
        if not node.can_execute(request.user, task):
            raise Http404(TASK_MISSING)
        request.activation = node.activation_class(task)
        return origin_view(request, process_pk=process_pk, task_pk=task_pk, **kwargs)

    return view


def wrap_take(node):
    """«Взять в работу» (POST): move the task from the queue to the user's inbox."""

    def view(request, process_pk, task_pk, **kwargs):
        task = task_or_404(node, process_pk, task_pk)
        may_take = node.can_assign(request.user, task)
        if not may_take and not node.can_view_task(request.user, task):
            raise Http404(TASK_MISSING)
        if request.method != "POST":
            return HttpResponseRedirect(node.reverse("index", args=[process_pk, task_pk]))
        if not may_take:
            return already_processed(request, task, "Задача уже взята в работу или обработана")
        try:
            task_take(task_id=task.pk, user=request.user)
        except TaskAlreadyProcessed as exc:
            return already_processed(request, task, str(exc))
        return HttpResponseRedirect(node.reverse("execute", args=[process_pk, task_pk]))

    return view


# --- stock pages of the other nodes ---------------------------------------------------------------


def _guarded(flow_class, callback):
    """The stock page of a node, for those who may see the process (its artefact) only."""

    def view(request, *args, process_pk=None, task_pk=None, **kwargs):
        task = Task.objects.select_related("process").filter(pk=task_pk, process_id=process_pk).first()
        if task is None or task.process.flow_class is not flow_class:
            raise Http404(TASK_MISSING)
        if not flow_class.instance.has_view_permission(request.user, task.process):
            raise Http404(TASK_MISSING)
        return callback(request, *args, process_pk=process_pk, task_pk=task_pk, **kwargs)

    view.profrost_guarded = True
    return view


def guard_node_patterns(flow_class, node, patterns: list) -> list:
    """A node's URL patterns as Profrost serves them (see the module docstring). RoleTask nodes
    serve their own pages and are passed through."""
    if getattr(node, "serves_own_pages", False) or isinstance(node, Start):
        return patterns  # RoleTask: pages above; a view Start has no task yet and checks itself
    guarded = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            pattern.url_patterns[:] = guard_node_patterns(flow_class, node, list(pattern.url_patterns))
            guarded.append(pattern)
        elif isinstance(pattern, URLPattern):
            if pattern.name in UNSAFE_NODE_PAGES:
                continue
            if getattr(pattern.callback, "profrost_guarded", False):
                guarded.append(pattern)
                continue
            guarded.append(
                URLPattern(pattern.pattern, _guarded(flow_class, pattern.callback), pattern.default_args, pattern.name)
            )
        else:  # pragma: no cover - viewflow builds only these two
            guarded.append(pattern)
    return guarded


# --- process pages ----------------------------------------------------------------------------------


class ProcessRedirectView(View):
    """A process page of viewflow leads to its artefact's page (scoped there): the flow says where,
    with `artefact_url(artefact)`."""

    flow_class = None

    def get(self, request, process_pk, **kwargs):
        process = Process.objects.filter(pk=process_pk, flow_class=self.flow_class).first()
        if process is None or process.artifact_object_id is None:
            raise Http404(PROCESS_MISSING)
        flow = self.flow_class.instance
        if not flow.has_view_permission(request.user, process):
            raise Http404(PROCESS_MISSING)
        return HttpResponseRedirect(flow.artefact_url(process.artifact))


class RedirectToView(View):
    target = None

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.target())


class ScopedFlowViewset(FlowViewset):
    """A flow in the shared «Задачи» section with Profrost's pages in place of viewflow's lists
    (which show every process of a flow to anyone with the flow's view permission). A process
    app adds its own pages as `<name>_path` properties, as with any viewflow viewset; `index_url`
    is where the flow's lists lead (its own index page by default)."""

    def index_url(self) -> str:
        return self._flow_class.instance.reverse("index")

    @property
    def process_list_path(self):
        return path("flows/", RedirectToView.as_view(target=self.index_url), name="process_list")

    @property
    def task_list_path(self):
        return path("tasks/", RedirectToView.as_view(target=self.index_url), name="task_list")

    @property
    def process_detail_path(self):
        return path(
            "<int:process_pk>/", ProcessRedirectView.as_view(flow_class=self._flow_class), name="process_detail"
        )

    @property
    def flow_chart_path(self):
        return path(
            "<int:process_pk>/chart/", ProcessRedirectView.as_view(flow_class=self._flow_class), name="process_chart"
        )

    @property
    def process_cancel_path(self):
        return None
