"""Flow machinery every process needs beyond stock viewflow (process apps import it from here,
never from each other):

* nodes.py — `RoleTask` (a human step of a role in an organization) and `Route` (a gateway);
* steps.py — the services of a step: conditional claim and completion, taking from the queue,
  chosen due dates, the artefact kept on the process;
* routing.py — `ArtefactFlow`: a flow about one artefact; who acts on each step, where, and who
  may see the process; which of a user's tasks a page offers as buttons (`task_offers`);
* http.py — the pages: RoleTask's, guarded stock pages of the other nodes, `ScopedFlowViewset`;
* links.py — addresses of a flow's pages.
"""

from .links import flow_url, task_action_url, task_url, urls_ready
from .nodes import RoleTask, Route, holds_task_membership
from .routing import (
    ArtefactFlow,
    TaskOffers,
    assignee,
    has_process,
    open_tasks_of,
    processes_of,
    sole_holder,
    step_waiting,
    task_offers,
    tasked_artefacts,
    tasks_for,
)
from .steps import (
    ALREADY_PROCESSED,
    CLAIMABLE,
    OPEN,
    TaskAlreadyProcessed,
    TaskUnavailable,
    remember_artefact,
    remembered_artefact,
    set_task_due_date,
    step_atomic,
    task_claim,
    task_complete,
    task_take,
)

__all__ = [
    "ALREADY_PROCESSED",
    "CLAIMABLE",
    "OPEN",
    "ArtefactFlow",
    "RoleTask",
    "Route",
    "TaskAlreadyProcessed",
    "TaskOffers",
    "TaskUnavailable",
    "assignee",
    "flow_url",
    "has_process",
    "holds_task_membership",
    "open_tasks_of",
    "processes_of",
    "remember_artefact",
    "remembered_artefact",
    "set_task_due_date",
    "sole_holder",
    "step_atomic",
    "step_waiting",
    "task_action_url",
    "task_claim",
    "task_complete",
    "task_offers",
    "task_take",
    "task_url",
    "tasked_artefacts",
    "tasks_for",
    "urls_ready",
]
