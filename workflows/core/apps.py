from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workflows.core"
    label = "core"
    verbose_name = "Процессы: общее"
