"""The РМА flows in the shared «Задачи» section, on the kit's ScopedFlowViewset (viewflow's lists
lead to Profrost's scoped pages); the РМА pages hang under the flows."""

from django.urls import path

from workflows.core.flowkit.http import RedirectToView, ScopedFlowViewset

from . import links, views


class RmaFlowViewset(ScopedFlowViewset):
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
    def criteria_statement_path(self):
        return path(
            "applications/<int:pk>/criteria-statement/",
            views.CriteriaStatementView.as_view(),
            name="criteria_statement",
        )

    @property
    def file_path(self):
        return path("applications/<int:pk>/files/<int:file_pk>/", views.FileDownloadView.as_view(), name="file")

    @property
    def assessments_path(self):
        return path("assessments/", views.AssessmentProtocolsView.as_view(), name="assessments")

    @property
    def register_path(self):
        return path("register/", views.RegisterView.as_view(), name="register")

    @property
    def register_export_path(self):
        return path("register/export.xlsx", views.RegisterExportView.as_view(), name="register_export")


class RmaListFlowViewset(ScopedFlowViewset):
    @property
    def index_path(self):
        return path("", views.ListListView.as_view(), name="index")

    @property
    def list_path(self):
        return path("lists/<int:pk>/", views.ListDetailView.as_view(), name="list")

    @property
    def remove_path(self):
        return path("lists/<int:pk>/remove/<int:application_pk>/", views.ListRemoveView.as_view(), name="remove")

    @property
    def preview_path(self):
        return path("lists/<int:pk>/preview.docx", views.ListPreviewView.as_view(), name="preview")


class RmaReviewFlowViewset(ScopedFlowViewset):
    def index_url(self) -> str:
        return links.register_url()

    @property
    def index_path(self):
        return path("", RedirectToView.as_view(target=links.register_url), name="index")


class RmaDocumentFlowViewset(RmaReviewFlowViewset):
    """The retry of a failed справка has no list of its own: its tasks are in «Входящие»."""
