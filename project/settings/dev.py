"""Embedded profile for `make run`: SQLite, SQLite-backed Celery broker, e-mail to files.

DEBUG is off unless a developer asks for it (DJANGO_DEBUG=true make run): `make run` may be
reached by others on the network, and Django's debug pages show the URL list and exception
text. Static files are served by WhiteNoise straight from the apps (no collectstatic), with or
without DEBUG."""

from .base import *  # noqa: F401,F403
from .base import env, env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["*"]

from .base import EMAIL_FILE_PATH, MEDIA_ROOT, STATIC_ROOT, VAR_DIR  # noqa: E402

for _directory in (VAR_DIR, MEDIA_ROOT, EMAIL_FILE_PATH, STATIC_ROOT):
    _directory.mkdir(parents=True, exist_ok=True)
