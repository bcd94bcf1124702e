import pytest


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
