"""Settings shared by every profile. Everything that differs between machines comes from the
environment (see README, «Настройки»); secrets never live in the repository."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PROFROST_VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "viewflow",
    "viewflow.workflow",
    "orgstructure",
    "programmes",
    "workflows.core",
    "documents",
    "workflows.rma",
    "workflows.iom",
    "workflows.internships",
    "workflows.monitoring",
    "api",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.uploads.handlers.BodyLimitMiddleware",  # before anything reads the body (CSRF reads POST)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "workflows.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "project.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a refused login into the Russian lockout page (common/login_guard.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflows.core.context_processors.notifications",
            ],
        },
    },
]


def sqlite_database(path):
    """SQLite tuned for web, worker and beat writing at once: WAL, a busy timeout and
    IMMEDIATE transactions, otherwise «database is locked» appears under load."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def database_from_env(default_sqlite_path):
    """DATABASE_URL=postgres://user:pass@host:5432/name selects PostgreSQL; otherwise SQLite."""
    url = env("DATABASE_URL")
    if not url:
        return sqlite_database(default_sqlite_path)
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/"),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": int(env("DATABASE_CONN_MAX_AGE", "60")),
    }


DATABASES = {"default": database_from_env(VAR_DIR / "profrost.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
# The site's own stylesheet (project/static/profrost/site.css); apps keep theirs in <app>/static/.
STATICFILES_DIRS = [BASE_DIR / "project" / "static"]
WHITENOISE_AUTOREFRESH = False
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Sign-in: password guessing, client addresses, API tokens ---------------------------------
# Failed logins are counted by django-axes in the shared cache (CACHES below), per account and
# per client address; at PROFROST_LOGIN_FAILURE_LIMIT failures within the cool-off the account
# (or the address) is refused — even with the right password — until PROFROST_LOGIN_COOLOFF_MINUTES
# pass after the last attempt. An administrator lifts a lock early with
# `manage.py axes_reset_username user:<login>` or `axes_reset_ip <address>`.
AUTHENTICATION_BACKENDS = [
    "common.login_guard.LoginGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(env("PROFROST_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("PROFROST_LOGIN_COOLOFF_MINUTES", "15")))
# A success must not wipe the address's counter: an attacker with one account of their own
# would otherwise reset it between guesses at other accounts.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "common.login_guard.client_ip"
AXES_USERNAME_CALLABLE = "common.login_guard.login_username"
AXES_LOCKOUT_CALLABLE = "common.login_guard.lockout_response"
AXES_ENABLE_ADMIN = False  # the cache handler keeps no rows to show
AXES_VERBOSE = False
# How many reverse proxies in front of the server append to X-Forwarded-For: 0 when clients
# connect directly (make run), 1 behind the TLS proxy of docker-compose.yml. The client address
# for lockouts and API throttles is the N-th entry from the right; a client-written header
# never counts (common/login_guard.py).
PROFROST_TRUSTED_PROXY_COUNT = int(env("PROFROST_TRUSTED_PROXY_COUNT", "0"))
# API tokens expire this many hours after they are issued; a new one is issued on the next
# POST /api/v1/auth/token/. A password change or deactivation revokes the user's token.
PROFROST_API_TOKEN_LIFETIME_HOURS = int(env("PROFROST_API_TOKEN_LIFETIME_HOURS", "168"))

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Uploads: a file larger than this is refused with a Russian message, not truncated.
PROFROST_MAX_UPLOAD_BYTES = int(env("PROFROST_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = PROFROST_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A request body over this is answered 413 before it is read (common/uploads/handlers.py); a form
# carries at most four files (an РМА application), each at most PROFROST_MAX_UPLOAD_BYTES.
PROFROST_MAX_REQUEST_BYTES = int(env("PROFROST_MAX_REQUEST_BYTES", str(4 * PROFROST_MAX_UPLOAD_BYTES + 1024 * 1024)))
# A file past PROFROST_MAX_UPLOAD_BYTES stops being kept while it streams in; the form says so.
FILE_UPLOAD_HANDLERS = [
    "common.uploads.handlers.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 10

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(env("DJANGO_EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Профрост <noreply@profrost.local>")
# Absolute links in notification e-mails (workflows/core/notifications.py).
PROFROST_SITE_URL = env("PROFROST_SITE_URL", "http://localhost:8000")
# Deadline notifications (workflows/core/notifications.py): the local hour from which the day's
# digests go out, and the pause before an e-mail's first retry (doubling after each failure).
PROFROST_DIGEST_HOUR = int(env("PROFROST_DIGEST_HOUR", "8"))
PROFROST_EMAIL_RETRY_SECONDS = int(env("PROFROST_EMAIL_RETRY_SECONDS", "300"))

# Celery: an embedded SQLite broker by default, Redis in production (CELERY_BROKER_URL).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late a job whose worker died (kill -9, OOM) is redelivered once the broker's
# visibility timeout has passed — Redis's default is an hour. Fifteen minutes: longer than any job
# and than the longest retry countdown (documents' backoff stops at 600 s; a countdown beyond the
# timeout would be delivered twice), short enough that a crash delays a document by minutes, not
# an hour (scripts/drill/run.py kills workers and counts).
# Redis only: the embedded SQLAlchemy transport hands its options to create_engine(), which refuses
# `visibility_timeout` and the worker of `make run` dies at start.
PROFROST_BROKER_VISIBILITY_TIMEOUT = int(env("PROFROST_BROKER_VISIBILITY_TIMEOUT", "900"))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": PROFROST_BROKER_VISIBILITY_TIMEOUT}
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else {}
)
# Issue jobs (documents.models.DocumentJob) the broker never got are enqueued again after this
# many seconds; one started and never finished (its worker died and the broker lost the delivery
# — the drill saw it when Redis restarted) after twice the visibility timeout, when the broker's
# own redelivery has had its chance. The drill shortens both.
PROFROST_DOCUMENT_JOB_REQUEUE_SECONDS = int(env("PROFROST_DOCUMENT_JOB_REQUEUE_SECONDS", "300"))
PROFROST_DOCUMENT_JOB_RESTART_SECONDS = int(
    env("PROFROST_DOCUMENT_JOB_RESTART_SECONDS", str(2 * PROFROST_BROKER_VISIBILITY_TIMEOUT))
)
# Periodic jobs are declared in one place: project/celery.py (CELERY_BEAT_SCHEDULE).

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "NUM_PROXIES": PROFROST_TRUSTED_PROXY_COUNT,  # api/throttling.py asks common.login_guard anyway
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Профрост API",
    "DESCRIPTION": "API региональной системы профессионального развития педагогических работников",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "QualificationCategoryEnum": "orgstructure.models.QualificationCategory",
        "OrganizationKindEnum": "orgstructure.models.OrganizationKind",
        "ProgrammeKindEnum": "programmes.models.ProgrammeKind",
        "CompetencyAreaEnum": "programmes.models.CompetencyArea",
        "IomRouteStatusEnum": "workflows.iom.models.Status",
        "IomActivityStatusEnum": "workflows.iom.models.ActivityStatus",
    },
    # Swagger UI from the installed sidecar package: no CDN, works in a closed ministry network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# A shared cache (API throttling counters, viewflow fragments): per-process memory by default,
# Redis in production (DJANGO_CACHE_URL=redis://redis:6379/1).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("DJANGO_CACHE_URL")}
        if env("DJANGO_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

if not env("DJANGO_CACHE_URL"):
    # axes warns that a memory cache is per process: true, and harmless where one process serves
    # the logins (make run's runserver, the tests). prod.py requires DJANGO_CACHE_URL.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]

VIEWFLOW = {"AUTOCOMPLETE_LIMIT": 20}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # pymorphy3 announces loading its dictionaries at INFO on every process start.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "pymorphy3": {"level": "WARNING"}},
}
