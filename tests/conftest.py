import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_work_calendar():
    """The production calendar is cached per process; a test's overrides roll back with it."""
    from workflows.core.calendar import _forget

    _forget()
    yield
    _forget()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login-failure counters (django-axes) and API throttles live in the cache, which outlives a
    test: every test from 127.0.0.1 would share one address counter."""
    cache.clear()
    yield
    cache.clear()
