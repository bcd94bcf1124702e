"""Addresses of the РМА pages. They hang under the flows' viewsets in the shared «Задачи»
section (project/site.py), so they are reversed through the flow, whatever the site's nesting."""


def _loaded():
    """The flows learn their place in the site when the URLconf is built (project/site.py)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (building the URLconf is the point)


def _application_flow():
    from .flows import RmaFlow

    _loaded()

    return RmaFlow.instance


def _list_flow():
    from .flows import RmaListFlow

    _loaded()

    return RmaListFlow.instance


def application_list_url() -> str:
    return _application_flow().reverse("index")


def submit_url() -> str:
    return _application_flow().reverse("submit")


def application_url(pk) -> str:
    return _application_flow().reverse("application", args=[pk])


def override_url(pk) -> str:
    return _application_flow().reverse("override", args=[pk])


def file_url(application_id, pk) -> str:
    return _application_flow().reverse("file", args=[application_id, pk])


def register_url() -> str:
    return _application_flow().reverse("register")


def register_export_url() -> str:
    return _application_flow().reverse("register_export")


def list_url(pk) -> str:
    return _list_flow().reverse("list", args=[pk])


def list_preview_url(pk) -> str:
    return _list_flow().reverse("preview", args=[pk])


def lists_url() -> str:
    return _list_flow().reverse("index")


def task_url(task) -> str:
    _loaded()
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])


def task_action_url(task, action: str) -> str:
    """«execute» (the form) or «assign» (take from the queue)."""
    _loaded()
    return task.flow_task.reverse(action, args=[task.process_id, task.pk])
