"""Settings for the deadline benchmarks: the embedded (dev) profile plus the test-only sample flow
whose tasks the generator creates. DATABASE_URL selects PostgreSQL, as everywhere.

    DJANGO_SETTINGS_MODULE=bench.deadlines_settings DATABASE_URL=postgres://… python bench/generate_region.py
"""

from project.settings.dev import *  # noqa: F401,F403
from project.settings.dev import INSTALLED_APPS

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflows.core.sampleflow"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
