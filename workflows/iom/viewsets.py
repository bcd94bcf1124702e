from django.urls import path

from workflows.core.flowkit.http import RedirectToView, ScopedFlowViewset

from . import views


class RouteViewset(ScopedFlowViewset):
    @property
    def index_path(self):
        return path("", views.index, name="index")

    @property
    def request_new_path(self):
        return path("requests/new/", views.request_new, name="request_new")

    @property
    def requests_path(self):
        return path("requests/", views.requests, name="requests")

    @property
    def requests_export_path(self):
        return path("requests/export.xlsx", views.requests_export, name="requests_export")

    @property
    def routes_path(self):
        return path("routes/", views.routes, name="routes")

    @property
    def routes_export_path(self):
        return path("routes/export.xlsx", views.routes_export, name="routes_export")

    @property
    def route_path(self):
        return path("routes/<int:pk>/", views.route_detail, name="route")

    @property
    def design_path(self):
        return path("routes/<int:pk>/design/", views.route_design, name="design")

    @property
    def route_document_path(self):
        return path("routes/<int:pk>/document.docx", views.route_document, name="route_document")

    @property
    def evidence_path(self):
        return path("activities/<int:pk>/evidence/", views.evidence, name="evidence")

    @property
    def my_path(self):
        return path("my/", views.my, name="my")

    @property
    def caseload_path(self):
        return path("caseload/", views.caseload, name="caseload")

    @property
    def round_table_path(self):
        return path("round-table/", views.round_table, name="round_table")

    @property
    def round_table_select_path(self):
        return path("round-table/select/", views.round_table_select, name="round_table_select")

    @property
    def top_export_path(self):
        return path("round-table/top.xlsx", views.top_export, name="top_export")


def _index_url() -> str:
    from workflows.core.flowkit import flow_url

    from .flows import RouteFlow

    return flow_url(RouteFlow, "index")


class ActivityViewset(ScopedFlowViewset):
    """The activities' tasks are in «Входящие» and on the route's page; no list of their own."""

    def index_url(self) -> str:
        return _index_url()

    @property
    def index_path(self):
        return path("", RedirectToView.as_view(target=_index_url), name="index")
