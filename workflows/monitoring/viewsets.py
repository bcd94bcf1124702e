"""The monitoring section's own pages beside the stock ones (ScopedFlowViewset)."""

from django.urls import path

from workflows.core.flowkit.http import ScopedFlowViewset

from . import views


class MonitoringViewset(ScopedFlowViewset):
    @property
    def index_path(self):
        return path("", views.index, name="index")

    @property
    def campaign_new_path(self):
        return path("campaigns/new/", views.campaign_new, name="campaign_new")

    @property
    def campaign_path(self):
        return path("campaigns/<int:pk>/", views.campaign_detail, name="campaign")

    @property
    def campaign_open_path(self):
        return path("campaigns/<int:pk>/open/", views.campaign_open_view, name="campaign_open")

    @property
    def control_path(self):
        return path("campaigns/<int:pk>/control/", views.control, name="control")

    @property
    def import_path(self):
        return path("campaigns/<int:pk>/import/", views.import_view, name="import")

    @property
    def template_path(self):
        return path("campaigns/<int:pk>/import/template.xlsx", views.import_template, name="import_template")

    @property
    def submission_path(self):
        return path("submissions/<int:pk>/", views.submission_detail, name="submission")

    @property
    def evidence_path(self):
        return path("files/<int:pk>/", views.evidence, name="evidence")
