from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "workflows.monitoring"
    label = "monitoring"
    verbose_name = "Процессы: мониторинг"

    def ready(self):
        from orgstructure.models import Role
        from workflows.core.flowkit import flow_url
        from workflows.core.processes import ProcessLink, register_process

        from . import (
            documents,  # noqa: F401  (registers DOC-5 and DOC-6)
            selectors,
        )
        from .flows import MonitoringFlow
        from .viewsets import MonitoringViewset

        register_process(
            self,
            title="Мониторинг профессионального развития",
            icon="monitoring",
            flow_viewsets=[MonitoringViewset(MonitoringFlow, icon="monitoring")],
            links=[ProcessLink("Кампании и контроль сбора", url=lambda: flow_url(MonitoringFlow, "index"),
                               visible=selectors.sees_campaigns)],
            role_permissions={
                Role.SCHOOL_HEAD: ("fill_submission", "view_submissionprocess"),
                Role.MMS_METHODIST: ("review_submission", "view_submissionprocess"),
            },
        )

        from api.registry import register_api_urls

        register_api_urls("monitoring/", "workflows.monitoring.api")  # /api/v1/monitoring/…
