"""Settings of the monitoring benchmarks: the embedded (dev) profile plus the kit's test process
(tests/kitprocess: a school's report reviewed by the municipality's methodist), on a PostgreSQL
database of their own (MONITORING_BENCH_DB, dropped and created by the script)."""

import os

from project.settings.dev import *  # noqa: F401,F403
from project.settings.dev import DATABASES, INSTALLED_APPS

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "tests.kitprocess"]
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"] = {
        **DATABASES["default"],
        "NAME": os.environ.get("MONITORING_BENCH_DB", "profrost_bench_monitoring"),
        "CONN_MAX_AGE": 0,
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
