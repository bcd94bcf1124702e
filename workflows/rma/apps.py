from django.apps import AppConfig


class RmaConfig(AppConfig):
    name = "workflows.rma"
    label = "rma"
    verbose_name = "Процессы: региональный методический актив (РМА)"

    def ready(self):
        from workflows.core.processes import ProcessLink, register_process

        from . import deadline_rules, indicators, links, models, roles, selectors, tasks
        from .flows import RmaDocumentFlow, RmaFlow, RmaListFlow, RmaReviewFlow
        from .viewsets import RmaDocumentFlowViewset, RmaFlowViewset, RmaListFlowViewset, RmaReviewFlowViewset

        def sees_lists(user):
            return user.is_authenticated and RmaListFlow.instance.has_view_permission(user)

        models.statements_handled_by_cnppm()
        # documents.py (РМА's document kinds) is imported by register_process.
        register_process(
            self,
            title="Региональный методический актив (РМА)",
            icon="groups",
            description="Включение педагогов в РМА: заявка, проверка, оценка, приказ об утверждении списка",
            position=10,
            flow_viewsets=[
                RmaFlowViewset(RmaFlow, icon="groups"),
                RmaListFlowViewset(RmaListFlow, icon="fact_check"),
                RmaReviewFlowViewset(RmaReviewFlow, icon="manage_search"),
                RmaDocumentFlowViewset(RmaDocumentFlow, icon="report"),
            ],
            role_permissions=roles.ROLE_PERMISSIONS,
            deadline_rules=deadline_rules.RULES,
            scans=[tasks.LAPSED_CATEGORIES],
            indicators=indicators,  # IND-09 in the kit's indicator registry
            links=[
                ProcessLink("Заявки в РМА", url=lambda: links.application_list_url()),
                ProcessLink("Список РМА", url=lambda: links.register_url()),
                ProcessLink("Списки РМА (приказы)", url=lambda: links.lists_url(), visible=sees_lists),
                ProcessLink(
                    "Ведомости оценки",
                    url=lambda: links.assessments_url(),
                    visible=selectors.issues_assessment_protocols,
                ),
            ],
        )

        # The documents app announces issued and failed documents; the application's history
        # shows them, and a справка that will not come reaches the coordinators (receivers.py).
        from documents.signals import document_failed, document_issued

        from . import receivers

        document_issued.connect(receivers.on_document_issued, dispatch_uid="rma_document_issued")
        document_failed.connect(receivers.on_document_failed, dispatch_uid="rma_document_failed")

        from api.registry import register_api_urls

        register_api_urls("rma/", "workflows.rma.api")  # /api/v1/rma/…
