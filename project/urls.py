from django.contrib import admin
from django.urls import include, path
from viewflow.contrib.auth import AuthViewset

from .site import build_site
from .views import healthz

admin.site.site_header = "Профрост — администрирование"
admin.site.site_title = "Профрост"
admin.site.index_title = "Администрирование"

site = build_site()

urlpatterns = [
    path("accounts/", AuthViewset(with_profile_view=False).urls),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("healthz", healthz, name="healthz"),
    path("", site.urls),
]
