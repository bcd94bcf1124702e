from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "workflows.monitoring"
    label = "monitoring"
    verbose_name = "Процессы: мониторинг"

    def ready(self):
        from orgstructure.models import Role
        from workflows.core.processes import register_process

        from . import documents  # noqa: F401  (registers DOC-5 and DOC-6)
        from .flows import MonitoringFlow, MonitoringViewset

        register_process(
            self,
            title="Мониторинг профессионального развития",
            flow_viewsets=[MonitoringViewset(MonitoringFlow, icon="monitoring")],
            role_permissions={
                Role.SCHOOL_HEAD: ("fill_submission", "view_submissionprocess"),
                Role.MMS_METHODIST: ("review_submission", "view_submissionprocess"),
            },
        )
