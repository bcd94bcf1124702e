from django.apps import AppConfig


class IomConfig(AppConfig):
    name = "workflows.iom"
    label = "iom"
    verbose_name = "Процессы: индивидуальные образовательные маршруты (ИОМ)"

    def ready(self):
        from orgstructure import access
        from orgstructure.models import Role
        from workflows.core.flowkit import flow_url
        from workflows.core.processes import ProcessLink, register_process

        from . import deadline_rules, diagnosis_link, documents, indicators, roles  # noqa: F401  (DOC-3)
        from .flows import ActivityFlow, RouteFlow
        from .viewsets import ActivityViewset, RouteViewset

        diagnosis_link.register()
        from api.registry import register_api_urls

        register_api_urls("iom/", "workflows.iom.api")  # /api/v1/iom/…

        def has(*role_names):
            return lambda user: access.has_role(user, *role_names)

        register_process(
            self,
            title="Индивидуальные образовательные маршруты (ИОМ)",
            icon="route",
            flow_viewsets=[RouteViewset(RouteFlow, icon="route"), ActivityViewset(ActivityFlow, icon="checklist")],
            role_permissions=roles.ROLE_PERMISSIONS,
            deadline_rules=deadline_rules.RULES,
            indicators=indicators,
            links=[
                ProcessLink("ИОМ", url=lambda: flow_url(RouteFlow, "index")),
                ProcessLink("Реестр ИОМ", url=lambda: flow_url(RouteFlow, "routes")),
                ProcessLink("Реестр запросов на сопровождение", url=lambda: flow_url(RouteFlow, "requests")),
                ProcessLink("Мой маршрут", url=lambda: flow_url(RouteFlow, "my"), visible=has(Role.TEACHER)),
                ProcessLink(
                    "Мои подопечные (ИОМ)",
                    url=lambda: flow_url(RouteFlow, "caseload"),
                    visible=has(Role.CNPPM_METHODIST, Role.RMA_MEMBER),
                ),
                ProcessLink(
                    "Круглый стол и ТОП тематик ИОМ",
                    url=lambda: flow_url(RouteFlow, "round_table"),
                    visible=has(Role.CNPPM_COORDINATOR),
                ),
            ],
        )
