"""The project's API plus the test flow mounted the way the site mounts a process, so that a
task page can be reversed."""

from django.urls import include, path
from viewflow.urls import Application, Site
from viewflow.workflow.flow import FlowViewset

from .flows import ReviewFlow

review_flow_viewset = FlowViewset(ReviewFlow)

site = Site(
    title="Тест",
    viewsets=[Application(title="Тест", app_name="testflows", viewsets=[review_flow_viewset])],
)

urlpatterns = [
    path("api/", include("api.urls")),
    path("", site.urls),
]
