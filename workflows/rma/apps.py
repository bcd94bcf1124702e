from django.apps import AppConfig


class RmaConfig(AppConfig):
    name = "workflows.rma"
    label = "rma"
    verbose_name = "Процессы: региональный методический актив (РМА)"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from orgstructure.models import Membership
        from workflows.core.flows import register_flow_viewset

        from . import (
            documents,  # noqa: F401  (registers the справка об отказе kind)
            roles,
        )
        from .flows import RmaFlow, RmaListFlow, RmaReviewFlow
        from .viewsets import RmaFlowViewset, RmaListFlowViewset, RmaReviewFlowViewset

        # A role's Django permissions follow the user's memberships (roles.py).
        post_save.connect(roles.on_membership_changed, sender=Membership, dispatch_uid="rma_role_groups_save")
        post_delete.connect(roles.on_membership_changed, sender=Membership, dispatch_uid="rma_role_groups_delete")
        post_migrate.connect(roles.on_post_migrate, sender=self, dispatch_uid="rma_role_groups_migrate")

        register_flow_viewset(RmaFlowViewset(RmaFlow, icon="groups"))
        register_flow_viewset(RmaListFlowViewset(RmaListFlow, icon="fact_check"))
        register_flow_viewset(RmaReviewFlowViewset(RmaReviewFlow, icon="manage_search"))

        from api.registry import register_api_urls

        from . import indicators  # noqa: F401  (registers IND-09 in the kit's indicator registry)

        register_api_urls("rma/", "workflows.rma.api")  # /api/v1/rma/…
