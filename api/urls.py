from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

urlpatterns = [
    path("v1/", include(("api.v1.urls", "api-v1"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Last. Only addresses ending in «/»: one without it still gets CommonMiddleware's redirect
    # to the address with the slash (APPEND_SLASH), and then this JSON 404 if that is unknown too.
    re_path(r"^.*/$", views.not_found),
]
