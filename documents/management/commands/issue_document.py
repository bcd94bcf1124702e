"""Issue a document of a kind with demo (sample) data or with data from a JSON file:

    python manage.py issue_document rma_list_order --organization 3 --sample
    python manage.py issue_document deadline_notice --organization 7 --data notice.json --pdf

The artefact of a demo document is the issuing organization itself, so running the command
again returns the document already issued (also after a new template version was uploaded)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from documents import samples
from documents.errors import DocumentError
from documents.issuing import document_issue
from documents.kinds import all_specs, get_spec
from documents.models import IssuedDocument
from documents.pdf_jobs import pdf_convert_batch
from orgstructure.models import Organization


class Command(BaseCommand):
    help = "Выпустить документ вида KIND от имени организации (с демонстрационными данными: --sample)"

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=[spec.kind for spec in all_specs()], help="вид документа (код из реестра видов)"
        )
        parser.add_argument("--organization", type=int, required=True, help="id выпускающей организации")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--sample", action="store_true", help="демонстрационные данные вида документа")
        source.add_argument("--data", help="JSON-файл с данными документа")
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="дата документа, ГГГГ-ММ-ДД")
        parser.add_argument("--pdf", action="store_true", help="сразу преобразовать в PDF (нужен LibreOffice)")

    def handle(self, *args, kind, organization, sample, data, date, pdf, **options):
        try:
            issuer = Organization.objects.get(pk=organization)
        except Organization.DoesNotExist as exc:
            raise CommandError(f"Организация с id={organization} не найдена") from exc
        spec = get_spec(kind)
        if sample:
            context = spec.sample(issuer)
        else:
            with open(data, encoding="utf-8") as handle:
                context = json.load(handle)
        signatory = None
        if not (issuer.head_name and issuer.head_position):
            signatory = samples.SIGNATORY
            self.stdout.write("У организации не заполнен руководитель: подписант — из демонстрационных данных")
        before = IssuedDocument.objects.count()
        try:
            document = document_issue(
                kind=kind,
                issuing_organization=issuer,
                artefact=issuer,
                context=context,
                signatory=signatory,
                issued_on=date or dt.date.today(),
                actor=None,
            )
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
        state = "выпущен" if IssuedDocument.objects.count() > before else "уже был выпущен ранее"
        self.stdout.write(self.style.SUCCESS(f"{document} ({state}): {document.file.path}"))
        if pdf:
            pdf_convert_batch(limit=50)
            document = IssuedDocument.objects.get(pk=document.pk)
            if document.pdf_file:
                self.stdout.write(self.style.SUCCESS(f"PDF: {document.pdf_file.path}"))
            else:
                self.stdout.write(self.style.WARNING(document.pdf_message or document.get_pdf_status_display()))
