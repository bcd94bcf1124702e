from django.urls import path

from workflows.core.flowkit.http import RedirectToView, ScopedFlowViewset

from . import views


class ApplicationViewset(ScopedFlowViewset):
    @property
    def index_path(self):
        return path("", views.index, name="index")

    @property
    def call_new_path(self):
        return path("calls/new/", views.call_new, name="call_new")

    @property
    def call_path(self):
        return path("calls/<int:pk>/", views.call_detail, name="call")

    @property
    def apply_path(self):
        return path("calls/<int:pk>/apply/", views.apply, name="apply")

    @property
    def application_path(self):
        return path("applications/<int:pk>/", views.application_detail, name="application")

    @property
    def appoint_path(self):
        return path("applications/<int:pk>/experts/", views.appoint, name="appoint")

    @property
    def replace_path(self):
        return path("applications/<int:pk>/experts/<int:assignment_pk>/replace/", views.replace, name="replace")

    @property
    def ranking_path(self):
        return path("calls/<int:pk>/ranking/", views.ranking, name="ranking")

    @property
    def application_file_path(self):
        return path("applications/<int:pk>/files/<int:file_pk>/", views.application_file, name="application_file")

    @property
    def conflicts_path(self):
        return path("conflicts/", views.conflicts, name="conflicts")

    @property
    def decline_path(self):
        return path("assignments/<int:pk>/decline/", views.decline, name="decline")

    @property
    def register_path(self):
        return path("register/", views.register, name="register")

    @property
    def register_export_path(self):
        return path("register/export.xlsx", views.register_export, name="register_export")

    @property
    def register_publish_path(self):
        return path("register/publish/<int:region_pk>/", views.register_publish, name="register_publish")

    @property
    def site_path(self):
        return path("sites/<int:pk>/", views.site_detail, name="site")

    @property
    def site_certificate_path(self):
        return path("sites/<int:pk>/certificate/", views.site_certificate, name="site_certificate")

    @property
    def internship_new_path(self):
        return path("sites/<int:pk>/internships/new/", views.internship_new, name="internship_new")

    @property
    def site_change_path(self):
        return path("sites/<int:pk>/status/", views.site_change, name="site_change")

    @property
    def call_close_path(self):
        return path("calls/<int:pk>/close/", views.call_close, name="call_close")

    @property
    def decision_new_path(self):
        return path("calls/<int:pk>/decision/", views.decision_new, name="decision_new")

    @property
    def decision_preview_path(self):
        return path("decisions/<int:pk>/preview/", views.decision_preview, name="decision_preview")


def _index_url() -> str:
    from workflows.core.flowkit import flow_url

    from .flows import InternshipsFlow

    return flow_url(InternshipsFlow, "index")


class ExpertViewset(ScopedFlowViewset):
    """The experts' tasks (and the ministry's approval of a перечень) are in «Входящие»; these
    flows have no list of their own: their section leads to the selection's pages."""

    def index_url(self) -> str:
        return _index_url()

    @property
    def index_path(self):
        return path("", RedirectToView.as_view(target=_index_url), name="index")
