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
        from .analysis_models import MEASURE_OWNER_ROLES
        from .analysis_services import connect_receivers
        from .analysis_viewsets import ManagementViewset
        from .flows import MonitoringFlow
        from .measures_flows import MeasureFlow
        from .viewsets import MonitoringViewset

        measures = ("do_measure", "view_measureprocess")

        register_process(
            self,
            title="Мониторинг профессионального развития",
            icon="monitoring",
            flow_viewsets=[MonitoringViewset(MonitoringFlow, icon="monitoring"),
                           ManagementViewset(MeasureFlow, icon="insights")],
            links=[ProcessLink("Кампании и контроль сбора", url=lambda: flow_url(MonitoringFlow, "index"),
                               visible=selectors.sees_campaigns),
                   ProcessLink("Анализ и управленческие решения", url=lambda: flow_url(MeasureFlow, "index"),
                               visible=selectors.sees_campaigns)],
            role_permissions={
                Role.SCHOOL_HEAD: ("fill_submission", "view_submissionprocess", *measures),
                Role.MMS_METHODIST: ("review_submission", "view_submissionprocess", *measures),
                # the owners of measures of the plan (analysis_models.MEASURE_OWNER_ROLES)
                **{role: measures for role in MEASURE_OWNER_ROLES
                   if role not in (Role.SCHOOL_HEAD, Role.MMS_METHODIST)},
            },
        )
        connect_receivers()

        from api.registry import register_api_urls

        register_api_urls("monitoring/", "workflows.monitoring.api")  # /api/v1/monitoring/…
