"""A real Celery worker on the configured broker: memory:// in the SQLite run, Redis in CI's
PostgreSQL run. Everything else in the suite runs tasks eagerly."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from project.celery import app
from workflows.core.tasks import echo


@pytest.mark.django_db(transaction=True)
def _forget_cached_backend():
    # Celery caches the result backend per thread on first use (an earlier eager task picks the
    # disabled one); drop the cache so the configured backend is built afresh.
    app._backend_cache = None
    vars(app._local).pop("backend", None)


def test_task_round_trip_through_a_real_worker():
    previous = (app.conf.task_always_eager, app.conf.result_backend)
    app.conf.task_always_eager = False
    app.conf.result_backend = "cache+memory://"
    _forget_cached_backend()
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
            result = echo.delay("Профрост")
            assert result.get(timeout=20) == "Профрост"
    finally:
        app.conf.task_always_eager, app.conf.result_backend = previous
        _forget_cached_backend()
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
