"""The URL registry of the API kit: each process app adds its own `api.py` patterns under a prefix
of /api/v1/ from its AppConfig.ready, so `api/` never names a process (ARCHITECTURE: `api/`
imports no process). The URLconf reads the registry once, when it is first built — after every
app is ready — in the order the apps registered."""

from django.urls import include, path

_ROUTES: dict[str, object] = {}


def register_api_urls(prefix: str, urlconf) -> None:
    """Serve `urlconf` (a list of patterns, or a module or its dotted path, as for include())
    under /api/v1/<prefix>. A prefix taken by another urlconf is refused; the same registration
    again is a no-op (ready() runs again when a test changes INSTALLED_APPS)."""
    if not prefix.endswith("/") or prefix.startswith("/"):
        raise ValueError(f"API prefix {prefix!r} must read like «rma/»")
    if _ROUTES.get(prefix, urlconf) != urlconf:
        raise ValueError(f"API prefix {prefix!r} is already registered")
    _ROUTES[prefix] = urlconf


def api_urlpatterns() -> list:
    return [path(prefix, include(urlconf)) for prefix, urlconf in _ROUTES.items()]
