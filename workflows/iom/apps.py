from django.apps import AppConfig


class IomConfig(AppConfig):
    name = "workflows.iom"
    label = "iom"
    verbose_name = "Процессы: индивидуальные образовательные маршруты (ИОМ)"

    def ready(self):
        from . import documents  # noqa: F401  (registers DOC-3)
