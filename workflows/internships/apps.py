from django.apps import AppConfig


class InternshipsConfig(AppConfig):
    name = "workflows.internships"
    label = "internships"
    verbose_name = "Процессы: стажировочные площадки"

    def ready(self):
        from workflows.core.flowkit import flow_url
        from workflows.core.processes import ProcessLink, register_process

        from . import deadline_rules, documents, roles  # noqa: F401  (documents registers DOC-2 and DOC-4b)
        from .flows import ExpertFlow, InternshipsFlow
        from .viewsets import ApplicationViewset, ExpertViewset

        register_process(
            self,
            title="Стажировочные и инновационные площадки",
            icon="school",
            flow_viewsets=[
                ApplicationViewset(InternshipsFlow, icon="school"),
                ExpertViewset(ExpertFlow, icon="rate_review"),
            ],
            role_permissions=roles.ROLE_PERMISSIONS,
            deadline_rules=deadline_rules.RULES,
            links=[ProcessLink("Отбор площадок", url=lambda: flow_url(InternshipsFlow, "index"))],
        )
