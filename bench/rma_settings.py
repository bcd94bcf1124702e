"""Settings of the РМА benchmarks: the embedded (dev) profile on a PostgreSQL database of their
own (created and migrated by bench/rma_common.py), Celery jobs kept in memory.

    DATABASE_URL=postgres://profrost:…@127.0.0.1:5432/profrost .venv/bin/python bench/rma_complete.py

DATABASE_URL names the server and a database to connect to for CREATE DATABASE; the benchmark
itself runs in `RMA_BENCH_DB` (default profrost_bench_rma), which it drops and recreates.
"""

import os
import tempfile
from pathlib import Path

from project.settings.dev import *  # noqa: F401,F403
from project.settings.dev import DATABASES

DEBUG = False
BENCH_DB = os.environ.get("RMA_BENCH_DB", "profrost_bench_rma")
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"] = {**DATABASES["default"], "NAME": BENCH_DB, "CONN_MAX_AGE": 0}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="profrost-bench-rma-"))
# The approval only enqueues the справки: to an in-memory broker by default, or a real one
# (RMA_BENCH_BROKER=redis://127.0.0.1:6379/15) to count the publishing too.
CELERY_BROKER_URL = os.environ.get("RMA_BENCH_BROKER", "memory://")
CELERY_TASK_ALWAYS_EAGER = False
PROFROST_DOCUMENTS_PDF = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
