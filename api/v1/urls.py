from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("persons", views.PersonViewSet, basename="person")
router.register("tasks", views.TaskViewSet, basename="task")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("auth/token/", views.TokenObtainView.as_view(), name="token-obtain"),
    path("rma/", include("workflows.rma.api")),
    *router.urls,
]
