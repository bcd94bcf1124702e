"""The viewflow site: Профрост's menu, the shared inbox/queue/archive and the start page."""

from django.urls import path
from viewflow.urls import Application, Site
from viewflow.workflow.flow import WorkflowAppViewset

from orgstructure.viewsets import OrganizationViewset, PersonViewset
from workflows.core import views as core_views
from workflows.core.flows import FLOW_VIEWSETS

from . import views


class HomeApp(Application):
    title = "Главная"
    icon = "home"
    app_name = "home"
    menu_template_name = None  # a single page: no sub-menu

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated

    @property
    def index_path(self):
        return path("", views.StartPageView.as_view(), name="index")


class TasksApp(WorkflowAppViewset):
    """Inbox, queue and archive across every registered flow, with due dates, plus the deadline
    pages (extension, reassignment, substitutes, notifications, overdue control). Reachable for
    every signed-in user, even before any process is registered. The list views are Profrost's
    own (workflows/core/views.py): keyset pages and a constant number of queries, where the
    stock viewflow lists re-read every open task of the user on each page."""

    title = "Задачи"
    icon = "assignment"
    menu_template_name = "core/tasks_menu.html"

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated

    def get_context_data(self, request):
        # The stock menu counts every open task twice per page; ours shows capped badges.
        return {}

    def _task_list(self, box):
        return core_views.TaskListView.as_view(box=box, flow_classes=self.flow_classes)

    @property
    def inbox_path(self):
        return path("inbox/", self._task_list("inbox"), name="inbox")

    @property
    def queue_path(self):
        return path("queue/", self._task_list("queue"), name="queue")

    @property
    def archive_path(self):
        return path("archive/", self._task_list("archive"), name="archive")

    @property
    def deadline_extend_path(self):
        return path(
            "deadlines/<int:task_id>/extend/", core_views.DeadlineExtendView.as_view(), name="deadline_extend"
        )

    @property
    def task_reassign_path(self):
        return path("tasks/<int:task_id>/reassign/", core_views.TaskReassignView.as_view(), name="task_reassign")

    @property
    def substitutions_path(self):
        return path("substitutions/", core_views.SubstitutionListView.as_view(), name="substitutions")

    @property
    def notifications_path(self):
        return path("notifications/", core_views.NotificationListView.as_view(), name="notifications")

    @property
    def overdue_path(self):
        return path("overdue/", core_views.OverdueReportView.as_view(), name="overdue")

    @property
    def overdue_export_path(self):
        return path("overdue/export.xlsx", core_views.OverdueExportView.as_view(), name="overdue_export")

    @property
    def notifications_read_path(self):
        return path("notifications/read/", core_views.NotificationsReadView.as_view(), name="notifications_read")


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
