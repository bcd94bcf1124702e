"""What a process's flow says about its artefact and its steps, so the kit can route them.

`ArtefactFlow` (a mixin for `viewflow.workflow.flow.Flow`) is the base of every Profrost flow:

* the process is about one artefact (`artefact_model`; `activation.process.artifact`), read once
  per process object (`artefact_of(process)`; a step's service result is kept on the process,
  see steps.remember_artefact);
* a process is visible — its stock pages included — only with its artefact in the user's scope
  (`has_view_permission`; foreign and missing answer the same 404, see http.py);
* each human step's role is the one its `Due` declares in `deadlines`; the step is done in the
  organization where that role acts for the artefact (`artefact_organization(artefact)`: e.g. the
  applicant's school, then orgstructure.selectors.acting_organization finds the municipality's or
  the region's body for the role); when one official holds the role there the task goes straight
  to them (`.Assign(this.sole_holder)`), else to the queue of those officials only;
* `deadline_subject(task)` names what the task is about (`artefact_subject(artefact)`), for the
  inboxes, the notices and the overdue report;
* `artefact_url(artefact)` is the artefact's page, where viewflow's process page leads;
* `step_waits(step, artefact)` says why an open step cannot be done yet (a task created early for
  its tracked deadline, e.g. a report due at the period's end): its page then shows that sentence
  instead of the button (`task_offers`), the step's own check still refusing on the server.

A flow overrides the `artefact_*` hooks it needs; the rest is here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import include, path
from viewflow.urls import Viewset
from viewflow.workflow.models import Process, Task

from orgstructure import access
from orgstructure.selectors import acting_organization
from workflows.core.deadlines import with_absence_hint

from .http import guard_node_patterns
from .links import task_url
from .steps import OPEN, remember_artefact, remembered_artefact


def sole_holder(*, role: str, organization):
    """The only active user holding `role` in `organization`, or None (then the task waits in the
    queue of everyone holding it). Read with the substitution hint the new task's save needs."""
    if organization is None or not role:
        return None
    holders = list(
        with_absence_hint(
            get_user_model().objects.filter(
                is_active=True,
                memberships__role=role,
                memberships__organization=organization,
                memberships__is_active=True,
            )
        )[:2]
    )
    return holders[0] if len(holders) == 1 else None


def assignee(user_id):
    """A user about to be given a new task (read with the substitution check the task's save
    would otherwise make)."""
    if user_id is None:
        return None
    return with_absence_hint(get_user_model().objects.filter(pk=user_id)).first()


def processes_of(artefact) -> models.QuerySet:
    """Every process (of any flow) about the artefact."""
    return Process.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(type(artefact)), artifact_object_id=artefact.pk
    )


def has_process(flow_class, artefact) -> bool:
    return processes_of(artefact).filter(flow_class=flow_class).exists()


def tasked_artefacts(user, model):
    """Ids of the `model` artefacts whose processes have (or had) a task of `user` — what a user
    is appointed to act on in person, for a model's `scope_also` (orgstructure.access.Handler)."""
    return Process.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(model),
        task__owner=user,
    ).values("artifact_object_id")


def open_tasks_of(artefact) -> list[Task]:
    """The open human tasks about the artefact, oldest first."""
    return list(
        Task.objects.filter(process__in=processes_of(artefact), status__in=OPEN, flow_task_type="HUMAN")
        .select_related("process", "owner")
        .order_by("created")
    )


def tasks_for(user, artefact) -> list[Task]:
    """The open human tasks about the artefact that `user` may do now: their own, or one in a queue
    they may take (the node's `can_execute`). A page offers a button only for these — a task
    merely visible (a colleague's, a queue of another role) would answer 404 when clicked."""
    return [task for task in open_tasks_of(artefact) if task.flow_task.can_execute(user, task)]


@dataclass(frozen=True)
class TaskOffers:
    """The open tasks about an artefact that a user may do, as its page offers them: `ready` —
    (task, its page), a button each; `waiting` — (task, why not yet), a plain line each and no
    button (the flow's `step_waits`)."""

    ready: list[tuple[Task, str]] = field(default_factory=list)
    waiting: list[tuple[Task, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ready or self.waiting)


def step_waiting(task, artefact) -> str:
    """Why the task's step cannot be done yet for the artefact, or "" (its flow's `step_waits`)."""
    waits = getattr(task.flow_task.flow_class.instance, "step_waits", None)
    return waits(task.flow_task.name, artefact) if waits is not None else ""


def task_offers(user, artefact) -> TaskOffers:
    """`tasks_for` split for a page: a button for a task that can be done now, the flow's sentence
    for one that waits (a user is not offered an action that would be refused)."""
    offers = TaskOffers()
    for task in tasks_for(user, artefact):
        reason = step_waiting(task, artefact)
        if reason:
            offers.waiting.append((task, reason))
        else:
            offers.ready.append((task, task_url(task)))
    return offers


def visible_process_ids(user, flow_class, process_ids) -> set[int]:
    """Which of the flow's processes the user may open (their artefacts in the user's scope), in
    two queries whatever their number — for lists that link to process pages (the overdue report)."""
    flow = flow_class.instance
    if not flow.has_view_permission(user):
        return set()
    model = getattr(flow, "artefact_model", None)
    if model is None or access.is_unrestricted(user):
        return set(process_ids)
    pairs = list(
        Process.objects.filter(pk__in=process_ids, flow_class=flow_class).values_list("pk", "artifact_object_id")
    )
    visible = set(
        access.scope_queryset(user, model._default_manager.filter(pk__in=[a for _, a in pairs if a])).values_list(
            "pk", flat=True
        )
    )
    return {pk for pk, artefact_id in pairs if artefact_id in visible}


class ArtefactFlow:
    """Mixin for a `flow.Flow` whose processes are each about one artefact (see the module
    docstring). Class attributes: `artefact_model`; optionally `artefact_related` (select_related
    lookups for the routing reads)."""

    artefact_model: type[models.Model] | None = None
    artefact_related: tuple[str, ...] = ()

    # --- the artefact ------------------------------------------------------------------------------

    def artefact_of(self, process):
        """The artefact a process is about; read once per process object."""
        if process.artifact_object_id is None:
            return None
        artefact = remembered_artefact(process, self.artefact_model)
        if artefact is None:
            artefact = (
                self.artefact_model._default_manager.select_related(*self.artefact_related)
                .filter(pk=process.artifact_object_id)
                .first()
            )
            remember_artefact(process, artefact)
        return artefact

    def artefact_status(self, activation) -> str:
        """The artefact's status for a gateway (no query when the step before has just changed it)."""
        artefact = remembered_artefact(activation.process, self.artefact_model)
        if artefact is not None:
            return artefact.status
        return self.artefact_model._default_manager.values_list("status", flat=True).get(
            pk=activation.process.artifact_object_id
        )

    def artefact_organization(self, artefact):  # pragma: no cover - each flow says
        raise NotImplementedError

    def artefact_region(self, artefact):
        return self.artefact_organization(artefact).region

    def artefact_subject(self, artefact) -> str:
        return str(artefact)

    def artefact_url(self, artefact) -> str:
        return self.reverse("index")

    def step_waits(self, step: str, artefact) -> str:
        """Why the open `step` cannot be done yet for the artefact (a sentence in Russian for its
        page, shown instead of the button), or "" when it can. Only what the page offers: the
        step's own service still refuses on the server."""
        return ""

    # --- visibility ----------------------------------------------------------------------------------

    def has_view_permission(self, user, obj=None):
        """Stock viewflow shows a process's pages to anyone with the flow's view permission; here
        a process is visible only with its artefact in the user's scope."""
        if not super().has_view_permission(user, obj=obj):
            return False
        if obj is None:
            return True
        artefact = obj.artifact if obj.artifact_object_id is not None else None
        return access.is_unrestricted(user) if artefact is None else access.can(user, artefact)

    def _get_urls(self):
        """As viewflow's, with every node's stock pages guarded (http.guard_node_patterns)."""
        urlpatterns = Viewset._get_urls(self)
        for node in self.nodes():
            node.parent = self
            patterns, app_name, namespace = node.urls
            patterns = guard_node_patterns(type(self), node, patterns)
            urlpatterns.append(path("", include((patterns, app_name), namespace=namespace)))
        return urlpatterns

    # --- routing of the human steps --------------------------------------------------------------------

    def step_role(self, step: str) -> str:
        due = self.deadlines.get(step)
        return due.role if due else ""

    def step_organization(self, step: str, artefact):
        """Where the step's role acts for this artefact (kept per artefact object: the task's
        assignment and its due-date row both ask)."""
        cache = artefact.__dict__.setdefault("_flowkit_step_organizations", {})
        if step not in cache:
            cache[step] = acting_organization(self.step_role(step), self.artefact_organization(artefact))
        return cache[step]

    def deadline_region(self, process, task):
        artefact = self.artefact_of(process)
        return self.artefact_region(artefact) if artefact is not None else None

    def deadline_municipality(self, process, task):
        """Whose municipal regulation profile applies (if the municipality keeps one)."""
        artefact = self.artefact_of(process)
        organization = self.artefact_organization(artefact) if artefact is not None else None
        return organization.municipality_id if organization is not None else None

    def deadline_organization(self, task):
        artefact = self.artefact_of(task.process)
        return self.step_organization(task.flow_task.name, artefact) if artefact is not None else None

    def deadline_subject(self, task) -> str:
        artefact = self.artefact_of(task.process)
        return self.artefact_subject(artefact) if artefact is not None else ""

    def sole_holder(self, activation):
        """`.Assign(this.sole_holder)`: the one official of the step's role in its organization."""
        step = activation.flow_task.name
        artefact = self.artefact_of(activation.process)
        if artefact is None:
            return None
        return sole_holder(role=self.step_role(step), organization=self.step_organization(step, artefact))
