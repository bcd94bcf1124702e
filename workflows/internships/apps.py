from django.apps import AppConfig


class InternshipsConfig(AppConfig):
    name = "workflows.internships"
    label = "internships"
    verbose_name = "Процессы: стажировочные площадки"

    def ready(self):
        from documents.signals import document_issued
        from workflows.core.flowkit import flow_url
        from workflows.core.processes import ProcessLink, register_process

        from . import deadline_rules, documents, indicators, receivers, roles, tasks  # noqa: F401  (kinds registered)
        from .flows import DecisionFlow, ExpertFlow, InternshipsFlow, SiteReportFlow, SiteStatusFlow
        from .viewsets import ApplicationViewset, ExpertViewset

        register_process(
            self,
            title="Стажировочные и инновационные площадки",
            icon="school",
            flow_viewsets=[
                ApplicationViewset(InternshipsFlow, icon="school"),
                ExpertViewset(ExpertFlow, icon="rate_review"),
                ExpertViewset(DecisionFlow, icon="gavel"),
                ExpertViewset(SiteReportFlow, icon="assignment"),
                ExpertViewset(SiteStatusFlow, icon="verified"),
            ],
            role_permissions=roles.ROLE_PERMISSIONS,
            deadline_rules=deadline_rules.RULES,
            scans=[tasks.EXPIRY],
            indicators=indicators,
            links=[
                ProcessLink("Отбор площадок", url=lambda: flow_url(InternshipsFlow, "index")),
                ProcessLink("Реестр площадок", url=lambda: flow_url(InternshipsFlow, "register")),
            ],
        )
        from api.registry import register_api_urls

        register_api_urls("internships/", "workflows.internships.api")  # /api/v1/internships/…
        document_issued.connect(receivers.on_document_issued, dispatch_uid="internships.document_issued")
