"""The viewflow site: Профрост's menu, the shared inbox/queue/archive and the start page."""

from django.urls import path
from viewflow.urls import Application, Site
from viewflow.workflow.flow import WorkflowAppViewset
from viewflow.workflow.flow.viewset import NestedFlowsApp

from documents import views as document_views
from orgstructure.viewsets import OrganizationViewset, PersonViewset
from programmes.viewsets import ProgrammeViewset
from workflows.core import views as core_views
from workflows.core.flows import FLOW_VIEWSETS
from workflows.core.processes import processes_for
from workflows.iom.diagnostics.viewsets import DiagnosticsApp

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


class ProcessesApp(NestedFlowsApp):
    """«Процессы» in the «Задачи» menu: the processes the user may open, each with its own menu.
    viewflow's stock index redirects to the first flow the user may view and fails with a 500
    for a user who may view none; here the entry is shown only to those who may open at least one
    process, and its page lists them (or goes straight to the only one)."""

    title = "Процессы"

    def has_view_permission(self, user, obj=None):
        # the flows first: one permission check answers for most users on every page's menu; else
        # a process's own link (a campaign list, a register) is reason enough to show the entry
        return bool(views.visible_flows(user, self.viewsets) or processes_for(user))

    @property
    def index_path(self):
        return path("", views.ProcessesView.as_view(flow_viewsets=self.viewsets), name="index")


class TasksApp(WorkflowAppViewset):
    """Inbox, queue and archive across every registered flow, with due dates, plus the deadline
    pages (extension, reassignment, substitutes, notifications, overdue control). Reachable for
    every signed-in user, even before any process is registered. The list views are Profrost's
    own (workflows/core/views.py): keyset pages and a constant number of queries, where the
    stock viewflow lists re-read every open task of the user on each page."""

    title = "Задачи"
    icon = "assignment"
    menu_template_name = "core/tasks_menu.html"

    def __init__(self, flow_viewsets, **kwargs):
        # WorkflowAppViewset.__init__, with our «Процессы» in place of viewflow's NestedFlowsApp.
        self.flow_classes = [viewset._flow_class for viewset in flow_viewsets]
        kwargs["viewsets"] = [*kwargs.get("viewsets", []), ProcessesApp(viewsets=flow_viewsets)]
        super(WorkflowAppViewset, self).__init__(**kwargs)

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


class DocumentsApp(Application):
    """«Документы»: the issued приказы, справки and letters the user may download, inside the
    site's shell (menu, header)."""

    title = "Документы"
    icon = "description"
    app_name = "documents"
    menu_template_name = None  # a single page: no sub-menu

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated

    @property
    def index_path(self):  # what the site menu links to
        return path("", document_views.document_list, name="index")

    @property
    def list_path(self):  # the same page under the name the rest of the code reverses
        return path("", document_views.document_list, name="list")

    @property
    def download_path(self):
        return path("<int:pk>/download/", document_views.document_download, name="download")

    @property
    def pdf_path(self):
        return path("<int:pk>/pdf/", document_views.document_pdf, name="pdf")


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
            DocumentsApp(),
            DiagnosticsApp(),
            DirectoryApp(viewsets=[OrganizationViewset(), PersonViewset(), ProgrammeViewset()]),
        ],
    )
