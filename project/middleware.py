from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Everything but the login page redirects an anonymous visitor to the login page (viewflow
    would answer 403). The API authenticates on its own and answers 401/403 in JSON; static
    files and the health check stay open."""

    OPEN_PREFIXES = ("/api/", "/static/", "/healthz")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
