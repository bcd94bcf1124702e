from django.apps import AppConfig


class InternshipsConfig(AppConfig):
    name = "workflows.internships"
    label = "internships"
    verbose_name = "Процессы: стажировочные площадки"

    def ready(self):
        from . import documents  # noqa: F401  (registers DOC-2 and DOC-4b)
