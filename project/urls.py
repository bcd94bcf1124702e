from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
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
    # the open register of internship sites, for a region that publishes it (no personal data)
    path("open/internships/", include("workflows.internships.public")),
    # Browsers ask for /favicon.ico on pages that name no icon (Django's admin): not a 404.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("viewflow/img/favicon.png")))),
    path("", site.urls),
]
