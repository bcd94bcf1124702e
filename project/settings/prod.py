"""Production profile (docker compose): PostgreSQL, Redis, gunicorn behind a TLS proxy.
Every secret and host comes from the environment; `manage.py check --deploy` must be clean."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY, env, env_bool

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY: задайте случайный ключ длиной не менее 50 символов")

if not env("DJANGO_CACHE_URL"):
    # Login lockouts and API throttles count in the cache: per gunicorn worker, a memory cache
    # would multiply every limit by the number of workers.
    raise ImproperlyConfigured("DJANGO_CACHE_URL: задайте общий кэш (Redis), например redis://redis:6379/1")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
