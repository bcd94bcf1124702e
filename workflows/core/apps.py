from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workflows.core"
    label = "core"
    verbose_name = "Процессы: общее"

    def ready(self):
        # Lower layers (orgstructure, documents) announce audited changes without importing us.
        from orgstructure.events import audited_change

        from .audit import on_audited_change

        audited_change.connect(on_audited_change, dispatch_uid="core_audited_change")
