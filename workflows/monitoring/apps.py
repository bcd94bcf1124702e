from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "workflows.monitoring"
    label = "monitoring"
    verbose_name = "Процессы: мониторинг"

    def ready(self):
        from . import documents  # noqa: F401  (registers DOC-5 and DOC-6)
