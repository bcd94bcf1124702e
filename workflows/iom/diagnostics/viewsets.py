"""«Диагностика» in the site menu (project/site.py): for those who handle diagnosis results —
ЦОПМКП, the ЦНППМПР coordinator, school heads, teachers (their own) — see DiagnosisResult's
SCOPE_HANDLERS."""

from django.urls import path
from viewflow.urls import Application

from orgstructure import access

from . import services, views
from .models import DiagnosisResult


def sees_diagnostics(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        access.is_unrestricted(user)
        or bool(access.user_roles(user) & set(DiagnosisResult.SCOPE_HANDLERS))
        or services.can_enter(user)
    )


class DiagnosticsApp(Application):
    title = "Диагностика"
    icon = "insights"
    app_name = "diagnostics"
    menu_template_name = None  # the list is the entry; its page links the rest

    def has_view_permission(self, user, obj=None):
        return sees_diagnostics(user)

    @property
    def index_path(self):
        return path("", views.result_list, name="index")

    @property
    def detail_path(self):
        return path("<int:pk>/", views.result_detail, name="detail")

    @property
    def create_path(self):
        return path("new/", views.ResultCreateView.as_view(), name="create")

    @property
    def import_path(self):
        return path("import/", views.ImportView.as_view(), name="import")

    @property
    def import_template_path(self):
        return path("import/template.xlsx", views.import_template, name="import_template")
