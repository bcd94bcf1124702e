"""The list of issued documents and their downloads: scoped, served as attachments with a safe
file name."""

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import pdf
from .kinds import get_spec
from .models import IssuedDocument, PdfStatus
from .selectors import issued_document_get, issued_document_page

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def download_filename(document: IssuedDocument, extension: str) -> str:
    """«Приказ № 668-ОД от 22.07.2021.docx», «ИОМ от 30.08.2024.docx»."""
    label = get_spec(document.kind).file_label
    number = f" № {document.number}" if document.number else ""
    name = f"{label}{number} от {document.issued_on:%d.%m.%Y}"
    return f"{_UNSAFE.sub('-', name).strip()}.{extension}"


def ascii_filename(filename: str) -> str:
    """The fallback for clients without RFC 5987: transliterated, only safe ASCII left."""
    out = []
    for char in filename.replace("№", "N"):
        lower = char.lower()
        if lower in _TRANSLIT:
            latin = _TRANSLIT[lower]
            out.append(latin.capitalize() if char != lower else latin)
        else:
            out.append(char)
    text = unicodedata.normalize("NFKD", "".join(out)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")
    return text or "document"


def content_disposition(filename: str) -> str:
    return f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _attachment(field_file, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


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


@require_GET
def document_download(request, pk):
    document = issued_document_get(user=request.user, pk=pk)
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


@require_GET
def document_pdf(request, pk):
    """The PDF rendition, or (409) why there is none: not ready yet, LibreOffice missing on the
    workers, or a conversion error. The .docx is always available."""
    document = issued_document_get(user=request.user, pk=pk)
    if document.pdf_status != PdfStatus.READY or not document.pdf_file:
        message = PDF_STATUS_MESSAGES.get(document.pdf_status, PDF_MISSING_MESSAGE)
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    return _attachment(document.pdf_file, download_filename(document, "pdf"), PDF_MIME)
