from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView

from orgstructure import access
from orgstructure.models import Role
from orgstructure.selectors import start_page_summary
from workflows.core.reports import can_view_report
from workflows.core.selectors import my_tasks_summary


class StartPageView(TemplateView):
    """Role-aware start page: what waits for the user, their roles and organizations, and the
    sections their roles work in."""

    template_name = "profrost/start.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(start_page_summary(user))
        context["tasks"] = my_tasks_summary(user)
        context["is_admin"] = user.is_superuser or access.has_role(user, Role.PD_ADMIN)
        context["sees_overdue_control"] = can_view_report(user)
        return context


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
