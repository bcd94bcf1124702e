from django.apps import AppConfig


class KitProcessConfig(AppConfig):
    """A second process built only on the kit (issue 8): installed by project/settings/test.py."""

    name = "tests.kitprocess"
    label = "kitprocess"
    verbose_name = "Отчёты школ (тестовый процесс)"

    def ready(self):
        from orgstructure.models import Role
        from workflows.core.processes import register_process

        from .flows import ReportFlow, ReportViewset

        register_process(
            self,
            title="Отчёты школ",
            flow_viewsets=[ReportViewset(ReportFlow, icon="description")],
            role_permissions={Role.MMS_METHODIST: ("review_report", "view_reportprocess")},
        )
