"""The registry of process flows shown in the shared inbox, queue and archive.

A process gives its `FlowViewset`s to `register_process(flow_viewsets=[…])` (processes.py) from
its AppConfig.ready(); a test-only flow without a process may call `register_flow_viewset`
directly. The site (project/site.py) reads the list once, when the URLconf is built; the API
(api/selectors.py) reads it for the task lists."""

FLOW_VIEWSETS: list = []


def register_flow_viewset(viewset) -> None:
    if viewset not in FLOW_VIEWSETS:
        FLOW_VIEWSETS.append(viewset)
