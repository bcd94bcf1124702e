"""The registry of process flows shown in the shared inbox, queue and archive.

Each process app appends its `FlowViewset` in its AppConfig.ready(); the site (project/site.py)
reads the list once, when the URLconf is built."""

FLOW_VIEWSETS: list = []


def register_flow_viewset(viewset) -> None:
    FLOW_VIEWSETS.append(viewset)
