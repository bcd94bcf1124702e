"""The section «Анализ и управленческие решения» of MeasureFlow: its pages (analysis_views.py)."""

from django.urls import path

from workflows.core.flowkit.http import ScopedFlowViewset

from . import analysis_views


class ManagementViewset(ScopedFlowViewset):
    """«Анализ и управленческие решения»: campaigns, the analysis, the справка and the letters, the
    plan of measures, the effectiveness review (analysis_views.py)."""

    @property
    def index_path(self):
        return path("", analysis_views.index, name="index")

    @property
    def analysis_path(self):
        return path("campaigns/<int:pk>/analysis/", analysis_views.analysis_page, name="analysis")

    @property
    def management_path(self):
        return path("campaigns/<int:pk>/", analysis_views.management, name="management")

    @property
    def report_path(self):
        return path("reports/<int:pk>/", analysis_views.report_page, name="report")

    @property
    def letter_path(self):
        return path("letters/<int:pk>/", analysis_views.letter_page, name="letter")
