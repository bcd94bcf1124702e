from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView
from viewflow.workflow.models import Task

from orgstructure import access
from orgstructure.selectors import start_page_summary


class StartPageView(TemplateView):
    """Role-aware start page: the user's roles and organizations, what waits for them, and the
    sections their roles work in."""

    template_name = "profrost/start.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(start_page_summary(user))
        context["inbox_count"] = Task.objects.filter(owner=user, status="ASSIGNED").count()
        context["is_admin"] = user.is_superuser or access.has_role(user, "pd_admin")
        return context


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
