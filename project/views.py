from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views import View
from django.views.generic import TemplateView

from orgstructure import access
from orgstructure.models import Role
from orgstructure.selectors import start_page_summary
from workflows.core.assignment import can_manage
from workflows.core.reports import can_view_report
from workflows.core.selectors import my_tasks_summary


def visible_flows(user, flow_viewsets) -> list:
    """The process viewsets the user may open (the flow's own view permission)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [viewset for viewset in flow_viewsets if viewset.has_view_permission(user)]


def _flow_entry(viewset) -> dict:
    flow_class = viewset._flow_class
    return {
        "title": flow_class.process_title,
        "description": flow_class.process_description,
        "url": flow_class.instance.reverse("index"),
    }


def process_entries(user, flow_viewsets) -> list[dict]:
    """What «Процессы» and the start page list: each flow the user may view, then the registered
    processes' own links the user is shown (workflows.core.processes: a campaign list, a register)
    that no flow entry already leads to. A link matters where the flow does not: the regional
    coordinator who runs monitoring campaigns holds no permission on the school's submission
    process, so without its link «Кампании и контроль сбора» could not be found at all."""
    from workflows.core.processes import processes_for

    entries = [{**_flow_entry(viewset), "is_flow": True} for viewset in visible_flows(user, flow_viewsets)]
    if not getattr(user, "is_authenticated", False):
        return entries
    listed = {entry["url"] for entry in entries}
    for process, links in processes_for(user):
        for link in links:
            url = link.url()
            if url and url not in listed:
                listed.add(url)
                entries.append({"title": link.title, "url": url, "description": link.description or process.title,
                                "is_flow": False})
    return entries


class ProcessesView(View):
    """«Процессы»: the processes the user may open; with only one, its page at once."""

    flow_viewsets: list = []

    def get(self, request, *args, **kwargs):
        flows = process_entries(request.user, self.flow_viewsets)
        if len(flows) == 1:
            return HttpResponseRedirect(flows[0]["url"])
        return render(request, "profrost/processes.html", {"title": "Процессы", "flows": flows})


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def start_sections(user) -> list[dict]:
    """The sections of the site the user may open, as links: the processes first, then the
    shared pages. Built from what exists (a new process appears by registering its flow)."""
    from workflows.core.flows import FLOW_VIEWSETS

    sections = [
        {**entry, "description": "процесс"} if entry["is_flow"] else entry
        for entry in process_entries(user, FLOW_VIEWSETS)
    ]
    shared = [
        ("Входящие", "workflow:inbox", "задачи, которые ждут вашего решения", True),
        ("Очередь", "workflow:queue", "задачи вашей роли, ещё не взятые в работу", True),
        ("Контроль сроков", "workflow:overdue", "просроченные шаги и ближайшие сроки", can_view_report(user)),
        ("Замещения", "workflow:substitutions", "кто замещает отсутствующих", can_manage(user)),
        ("Документы", "documents:list", "выпущенные приказы, справки и письма", True),
        ("Организации", "directory:organization:list", "справочник организаций", True),
        ("Педагоги", "directory:person:list", "педагогические работники", True),
    ]
    for title, name, description, allowed in shared:
        url = _url(name) if allowed else ""
        if url:
            sections.append({"title": title, "url": url, "description": description})
    if user.is_staff and (user.is_superuser or access.has_role(user, Role.PD_ADMIN)):
        sections += [
            {"title": "Администрирование", "url": _url("admin:index"), "description": "справочники и настройки"},
            {"title": "Документация API", "url": "/api/docs/", "description": "для информационных систем школ"},
        ]
    return sections


class StartPageView(TemplateView):
    """Role-aware start page: what waits for the user, their roles and organizations, and the
    sections they may open."""

    template_name = "profrost/start.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(start_page_summary(user))
        context["tasks"] = my_tasks_summary(user)
        context["sections"] = start_sections(user)
        return context


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
