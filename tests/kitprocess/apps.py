from django.apps import AppConfig


class KitProcessConfig(AppConfig):
    """A second process built only on the kit (issue 8): installed by project/settings/test.py."""

    name = "tests.kitprocess"
    label = "kitprocess"
    verbose_name = "Отчёты школ (тестовый процесс)"

    def ready(self):
        from workflows.core.flows import register_flow_viewset

        from .flows import ReportFlow, ReportViewset

        register_flow_viewset(ReportViewset(ReportFlow, icon="description"))
