"""Addresses of a flow's pages. Process pages hang under the flows' viewsets in the shared
«Задачи» section (project/site.py), so they are reversed through the flow, whatever the site's
nesting — which a flow learns only when the URLconf is built: these helpers build it first."""

from __future__ import annotations

from django.urls import get_resolver


def urls_ready() -> None:
    """The flows learn their place in the site when the URLconf is built (project/site.py)."""
    get_resolver().url_patterns  # noqa: B018  (building the URLconf is the point)


def flow_url(flow_class, name: str, *args) -> str:
    """The address of the page `name` of the flow's viewset (or of its nodes)."""
    urls_ready()
    return flow_class.instance.reverse(name, args=list(args) or None)


def task_url(task) -> str:
    urls_ready()
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])


def task_action_url(task, action: str) -> str:
    """«execute» (the form) or «assign» (take from the queue)."""
    urls_ready()
    return task.flow_task.reverse(action, args=[task.process_id, task.pk])
