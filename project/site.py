"""The viewflow site: Профрост's menu, the shared inbox/queue/archive and the start page."""

from django.urls import path
from viewflow.urls import Application, Site
from viewflow.workflow.flow import WorkflowAppViewset

from orgstructure.viewsets import OrganizationViewset, PersonViewset
from workflows.core.flows import FLOW_VIEWSETS

from . import views


class HomeApp(Application):
    title = "Главная"
    icon = "home"
    app_name = "home"

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated

    @property
    def index_path(self):
        return path("", views.StartPageView.as_view(), name="index")


class TasksApp(WorkflowAppViewset):
    """Inbox, queue and archive across every registered flow. Reachable for every signed-in
    user, even before any process is registered: each task list is filtered by viewflow to the
    tasks the user owns or may take."""

    title = "Задачи"
    icon = "assignment"

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


class DirectoryApp(Application):
    title = "Справочники"
    icon = "account_tree"
    app_name = "directory"

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


def build_site() -> Site:
    return Site(
        title="Профрост",
        primary_color="#1f4e79",
        secondary_color="#2e7d32",
        viewsets=[
            HomeApp(),
            TasksApp(flow_viewsets=list(FLOW_VIEWSETS)),
            DirectoryApp(viewsets=[OrganizationViewset(), PersonViewset()]),
        ],
    )
