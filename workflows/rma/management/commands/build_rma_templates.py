"""`manage.py build_rma_templates`: rewrite workflows/rma/docx/rma_refusal.docx from its
layout in workflows/rma/documents.py (the committed file is what this produces)."""

from django.core.management.base import BaseCommand

from workflows.rma.documents import build_refusal_template


class Command(BaseCommand):
    help = "Пересобирает шаблон справки об отказе во включении в состав РМА"

    def handle(self, *args, **options):
        self.stdout.write(str(build_refusal_template()))
