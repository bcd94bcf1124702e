"""«Справочники» → «Каталог ДПП» in the site menu (project/site.py)."""

from django.urls import path
from viewflow.urls import Viewset
from viewflow.urls.sites import AppMenuMixin

from . import views


class ProgrammeViewset(AppMenuMixin, Viewset):
    app_name = "programmes"
    title = "Каталог ДПП"
    icon = "menu_book"

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated

    @property
    def index_path(self):
        return path("", views.programme_list, name="index")

    @property
    def detail_path(self):
        return path("<int:pk>/", views.programme_detail, name="detail")

    @property
    def import_path(self):
        return path("import/", views.ImportView.as_view(), name="import")

    @property
    def import_template_path(self):
        return path("import/template.xlsx", views.import_template, name="import_template")
