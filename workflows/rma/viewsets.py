"""The РМА flows in the shared «Задачи» section. Stock viewflow lists every process of a flow to
anyone holding the flow's view permission (its dashboard, process list, process and task pages);
here those addresses lead to Profrost's own, scoped pages instead, and the РМА pages hang under
the flows."""

from django.urls import path
from viewflow.workflow.flow import FlowViewset

from . import links, views


class _ScopedFlowViewset(FlowViewset):
    @property
    def process_list_path(self):
        return path("flows/", views.RedirectToView.as_view(target=self._index_url), name="process_list")

    @property
    def task_list_path(self):
        return path("tasks/", views.RedirectToView.as_view(target=self._index_url), name="task_list")

    @property
    def process_detail_path(self):
        return path(
            "<int:process_pk>/",
            views.ProcessRedirectView.as_view(flow_class=self._flow_class),
            name="process_detail",
        )

    @property
    def flow_chart_path(self):
        return path(
            "<int:process_pk>/chart/",
            views.ProcessRedirectView.as_view(flow_class=self._flow_class),
            name="process_chart",
        )

    def _index_url(self):
        return links.application_list_url()


class RmaFlowViewset(_ScopedFlowViewset):
    @property
    def index_path(self):
        return path("", views.ApplicationListView.as_view(), name="index")

    @property
    def submit_path(self):
        return path("new/", views.SubmitView.as_view(), name="submit")

    @property
    def application_path(self):
        return path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application")

    @property
    def override_path(self):
        return path("applications/<int:pk>/override/", views.OverrideView.as_view(), name="override")

    @property
    def file_path(self):
        return path("applications/<int:pk>/files/<int:file_pk>/", views.FileDownloadView.as_view(), name="file")

    @property
    def register_path(self):
        return path("register/", views.RegisterView.as_view(), name="register")

    @property
    def register_export_path(self):
        return path("register/export.xlsx", views.RegisterExportView.as_view(), name="register_export")


class RmaListFlowViewset(_ScopedFlowViewset):
    @property
    def index_path(self):
        return path("", views.ListListView.as_view(), name="index")

    @property
    def list_path(self):
        return path("lists/<int:pk>/", views.ListDetailView.as_view(), name="list")

    @property
    def preview_path(self):
        return path("lists/<int:pk>/preview.docx", views.ListPreviewView.as_view(), name="preview")


class RmaReviewFlowViewset(_ScopedFlowViewset):
    @property
    def index_path(self):
        return path("", views.RedirectToView.as_view(target=links.register_url), name="index")
