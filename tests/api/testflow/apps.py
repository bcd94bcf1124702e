from django.apps import AppConfig


class TestFlowConfig(AppConfig):
    """Installed only inside tests (see tests/api/conftest.py, `review_flow`): viewflow stores a
    flow as «app_label/module.Class», so a flow has to live in an installed app to be stored
    and read back."""

    name = "tests.api.testflow"
    label = "api_testflow"
    default_auto_field = "django.db.models.BigAutoField"
