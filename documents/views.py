"""The list of issued documents and their downloads: scoped, served as attachments with a safe
file name."""

import logging
import re

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from common.http import ascii_filename, attachment, content_disposition  # noqa: F401 - ascii_filename re-exported

from . import pdf
from .errors import UnknownKindError
from .grammar import PersonName
from .integrity import docx_intact, pdf_intact
from .kinds import get_spec
from .models import IssuedDocument, PdfStatus
from .selectors import issued_document_get, issued_document_page

integrity_log = logging.getLogger("documents.integrity")

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def download_filename(document: IssuedDocument, extension: str) -> str:
    """«Приказ № 668-ОД от 22.07.2021.docx»; a document about one person names them, so a folder
    of справки reads by whom: «Справка № 1 — Голубев М.Ю. от 30.08.2024.docx»."""
    try:
        label = get_spec(document.kind).file_label
    except UnknownKindError:  # a kind no process registers any more: still downloadable
        label = "Документ"
    number = f" № {document.number}" if document.number else ""
    person = f" — {PersonName.from_person(document.person).surname_initials()}" if document.person_id else ""
    name = f"{label}{number}{person} от {document.issued_on:%d.%m.%Y}"
    return f"{_UNSAFE.sub('-', name).strip()}.{extension}"


def _attachment(field_file, filename: str, content_type: str) -> FileResponse:
    stem, _, extension = filename.rpartition(".")
    return attachment(field_file, stem=stem, extension=extension)


@require_GET
def document_list(request):
    """«Документы»: what the user may download — a teacher their справки, a school head the
    school's documents, the ministry the region's — newest first, in keyset pages."""
    cursor = request.GET.get("after", "")
    page = issued_document_page(user=request.user, cursor=cursor)
    return render(
        request,
        "documents/issued_list.html",
        {"title": "Документы", "documents": page.documents, "next_cursor": page.next_cursor, "cursor": cursor},
    )


INTEGRITY_MESSAGE = (
    "Файл документа повреждён или подменён: он не совпадает с выпущенным, поэтому не выдаётся. "
    "Администратор получил сообщение об ошибке; обратитесь к нему."
)


@require_GET
def document_download(request, pk):
    document = issued_document_get(user=request.user, pk=pk)
    if not docx_intact(document):
        integrity_log.error(
            "issued document %s: file %s does not match its SHA-256 %s; not served to user %s",
            document.pk,
            document.file.name,
            document.sha256,
            request.user.pk,
        )
        return HttpResponse(INTEGRITY_MESSAGE, status=500, content_type="text/plain; charset=utf-8")
    return _attachment(document.file, download_filename(document, "docx"), DOCX_MIME)


# What a user reads when there is no PDF: one fixed text per status. The detailed reason (it may
# hold LibreOffice's stderr with server paths) stays in pdf_message — the worker's log and the
# admin's list of issued documents show it, the user never does.
PDF_STATUS_MESSAGES = {
    PdfStatus.PENDING: "PDF еще не готов: документ ожидает преобразования, попробуйте позже",
    PdfStatus.PROCESSING: "PDF еще не готов: документ преобразуется, попробуйте позже",
    PdfStatus.UNAVAILABLE: pdf.UNAVAILABLE_MESSAGE,
    PdfStatus.FAILED: (
        "PDF не удалось сформировать. Скачайте документ в формате .docx; "
        "причину ошибки администратор видит в журнале выпущенных документов"
    ),
}
PDF_MISSING_MESSAGE = "PDF недоступен: скачайте документ в формате .docx"
PDF_INTEGRITY_MESSAGE = (
    "Файл PDF повреждён или подменён: он не совпадает с созданным, поэтому не выдаётся. "
    "Скачайте документ в формате .docx; администратор получил сообщение об ошибке."
)


@require_GET
def document_pdf(request, pk):
    """The PDF rendition, or (409) why there is none: not ready yet, LibreOffice missing on the
    workers, or a conversion error. The .docx is always available."""
    document = issued_document_get(user=request.user, pk=pk)
    if document.pdf_status != PdfStatus.READY or not document.pdf_file:
        message = PDF_STATUS_MESSAGES.get(document.pdf_status, PDF_MISSING_MESSAGE)
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    if not pdf_intact(document):
        integrity_log.error(
            "issued document %s: PDF %s does not match its SHA-256 %s; not served to user %s",
            document.pk, document.pdf_file.name, document.pdf_sha256 or "(none)", request.user.pk,
        )
        # The administrator sees it among failed PDFs and «retry» makes it anew from the checked .docx.
        IssuedDocument.objects.filter(
            pk=document.pk, pdf_status=PdfStatus.READY, pdf_file=document.pdf_file.name
        ).update(
            pdf_status=PdfStatus.FAILED, pdf_message="Файл PDF не совпадает с созданным (SHA-256): не выдаётся",
            pdf_updated_at=timezone.now(),
        )
        return HttpResponse(PDF_INTEGRITY_MESSAGE, status=500, content_type="text/plain; charset=utf-8")
    return _attachment(document.pdf_file, download_filename(document, "pdf"), PDF_MIME)
