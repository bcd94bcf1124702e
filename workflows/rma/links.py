"""Addresses of the РМА pages, reversed through the flows (workflows.core.flowkit.links)."""

from workflows.core.flowkit import flow_url
from workflows.core.flowkit import task_action_url as task_action_url
from workflows.core.flowkit import task_url as task_url

from .flows import RmaFlow, RmaListFlow


def application_list_url() -> str:
    return flow_url(RmaFlow, "index")


def submit_url() -> str:
    return flow_url(RmaFlow, "submit")


def application_url(pk) -> str:
    return flow_url(RmaFlow, "application", pk)


def override_url(pk) -> str:
    return flow_url(RmaFlow, "override", pk)


def criteria_statement_url(pk) -> str:
    return flow_url(RmaFlow, "criteria_statement", pk)


def file_url(application_id, pk) -> str:
    return flow_url(RmaFlow, "file", application_id, pk)


def register_url() -> str:
    return flow_url(RmaFlow, "register")


def assessments_url() -> str:
    return flow_url(RmaFlow, "assessments")


def register_export_url() -> str:
    return flow_url(RmaFlow, "register_export")


def list_url(pk) -> str:
    return flow_url(RmaListFlow, "list", pk)


def list_remove_url(pk, application_pk) -> str:
    return flow_url(RmaListFlow, "remove", pk, application_pk)


def list_preview_url(pk) -> str:
    return flow_url(RmaListFlow, "preview", pk)


def lists_url() -> str:
    return flow_url(RmaListFlow, "index")
