from django.urls import path
from rest_framework.routers import SimpleRouter

from api.registry import api_urlpatterns

from . import programmes, views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("persons", views.PersonViewSet, basename="person")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("programmes", programmes.ProgrammeViewSet, basename="programme")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("auth/token/", views.TokenObtainView.as_view(), name="token-obtain"),
    *api_urlpatterns(),  # each process's own api.py, registered from its AppConfig
    *router.urls,
]
