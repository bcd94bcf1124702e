"""Settings of the ИОМ register benchmark: the embedded (dev) profile on a PostgreSQL database of
its own (IOM_BENCH_DB, dropped and created by the script)."""

import os

from project.settings.dev import *  # noqa: F401,F403
from project.settings.dev import DATABASES

DEBUG = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"] = {
        **DATABASES["default"],
        "NAME": os.environ.get("IOM_BENCH_DB", "profrost_bench_iom"),
        "CONN_MAX_AGE": 0,
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
ALLOWED_HOSTS = ["*"]
