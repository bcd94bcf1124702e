"""The PDF queue: issued documents wait as «pending»; a Celery job claims them in batches and
converts each batch with one LibreOffice run (pdf.py), so a burst of issues costs a few soffice
starts, not one per document. Never in a request."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
import uuid
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import pdf
from .models import IssuedDocument, PdfStatus

logger = logging.getLogger(__name__)
integrity_log = logging.getLogger("documents.integrity")


def pdf_enqueue(*, document_ids: list[int] | None = None) -> None:
    """Ask a worker to convert pending documents. The job converts whatever is pending in
    batches, so a burst of issues costs a few soffice starts, not one per document."""
    if not getattr(settings, "PROFROST_DOCUMENTS_PDF", True):
        return
    try:
        convert_pending_pdfs.apply_async(countdown=getattr(settings, "PROFROST_PDF_BATCH_DELAY", 2))
    except Exception:  # a broker outage must not fail the issue; the periodic scan catches up
        logger.exception("could not enqueue PDF conversion for %s", document_ids)


STALE_PROCESSING = dt.timedelta(minutes=30)


def pdf_claim_batch(*, limit: int) -> tuple[uuid.UUID, list[IssuedDocument]]:
    """Claim up to `limit` pending documents for one conversion batch (a conditional update,
    so two workers never take the same document). Documents stuck in «processing» for longer
    than STALE_PROCESSING (a crashed worker) are pending again."""
    now = timezone.now()
    IssuedDocument.objects.filter(pdf_status=PdfStatus.PROCESSING, pdf_updated_at__lt=now - STALE_PROCESSING).update(
        pdf_status=PdfStatus.PENDING, pdf_batch=None, pdf_updated_at=now
    )
    batch = uuid.uuid4()
    candidates = list(
        IssuedDocument.objects.filter(pdf_status=PdfStatus.PENDING).order_by("id").values_list("id", flat=True)[:limit]
    )
    if candidates:
        IssuedDocument.objects.filter(pk__in=candidates, pdf_status=PdfStatus.PENDING).update(
            pdf_status=PdfStatus.PROCESSING, pdf_batch=batch, pdf_updated_at=now
        )
    return batch, list(IssuedDocument.objects.filter(pdf_batch=batch, pdf_status=PdfStatus.PROCESSING))


def pdf_convert_batch(*, limit: int = 50) -> int:
    """Convert one batch of pending documents with one soffice run. Returns how many documents
    were taken (0 when nothing was pending).

    A document whose .docx cannot be read from storage, or whose PDF cannot be stored, fails
    alone — with the reason in pdf_message — and the rest of the batch goes on; nothing is left
    in «processing» to be reclaimed and fail again."""
    batch, documents = pdf_claim_batch(limit=limit)
    if not documents:
        return 0
    binary = pdf.soffice_binary()
    now = timezone.now()
    if binary is None:
        IssuedDocument.objects.filter(pdf_batch=batch).update(
            pdf_status=PdfStatus.UNAVAILABLE, pdf_message=pdf.UNAVAILABLE_MESSAGE, pdf_updated_at=now
        )
        return len(documents)
    with tempfile.TemporaryDirectory(prefix="profrost-pdf-") as workdir:
        sources: dict[Path, IssuedDocument] = {}
        for document in documents:
            source = Path(workdir) / f"{document.pk}.docx"
            try:
                with document.file.open("rb") as handle:
                    data = handle.read()
            except Exception as exc:  # any storage error fails this document only
                logger.exception("PDF: cannot read the .docx of document %s (%s)", document.pk, document.file.name)
                _pdf_fail(document, f"исходный файл .docx не прочитан из хранилища ({_describe(exc)})")
                continue
            if len(data) != document.size or hashlib.sha256(data).hexdigest() != document.sha256:
                # a PDF made from a replaced .docx would carry a valid checksum of its own
                integrity_log.error("issued document %s: file %s does not match its SHA-256 %s; not converted",
                                    document.pk, document.file.name, document.sha256)
                _pdf_fail(document, "исходный файл .docx не совпадает с выпущенным (SHA-256); PDF не сформирован")
                continue
            source.write_bytes(data)
            sources[source] = document
        if not sources:
            return len(documents)
        try:
            results = pdf.convert_to_pdf(list(sources), Path(workdir) / "out", binary=binary)
        except Exception as exc:  # soffice could not be started at all
            logger.exception("PDF: LibreOffice failed for batch %s", batch)
            for document in sources.values():
                _pdf_fail(document, f"LibreOffice не запустился ({_describe(exc)})")
            return len(documents)
        for source, document in sources.items():
            try:
                _pdf_store(document, results.get(source))
            except Exception as exc:  # any storage error fails this document only
                logger.exception("PDF: cannot store the PDF of document %s", document.pk)
                _pdf_fail(document, f"PDF не сохранен в хранилище ({_describe(exc)})")
    return len(documents)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _pdf_fail(document: IssuedDocument, reason: str) -> None:
    """FAILED with the detailed reason — for the administrator (the admin list shows it); users
    get a fixed message (views.document_pdf)."""
    logger.warning("PDF of document %s failed: %s", document.pk, reason)
    IssuedDocument.objects.filter(pk=document.pk, pdf_batch=document.pdf_batch).update(
        pdf_status=PdfStatus.FAILED,
        pdf_message=f"Ошибка преобразования в PDF: {reason}"[:500],
        pdf_updated_at=timezone.now(),
    )


def _pdf_store(document: IssuedDocument, result: pdf.ConversionResult | None) -> None:
    now = timezone.now()
    if result is None or result.pdf_path is None:
        _pdf_fail(document, (result.error if result else "") or "LibreOffice не создал PDF")
        return
    name = os.path.splitext(os.path.basename(document.file.name))[0] + ".pdf"
    data = result.pdf_path.read_bytes()
    document.pdf_file.save(name, ContentFile(data), save=False)
    try:
        updated = IssuedDocument.objects.filter(pk=document.pk, pdf_batch=document.pdf_batch).update(
            pdf_file=document.pdf_file.name, pdf_sha256=hashlib.sha256(data).hexdigest(), pdf_size=len(data),
            pdf_status=PdfStatus.READY, pdf_message="", pdf_updated_at=now
        )
    except Exception:
        document.pdf_file.storage.delete(document.pdf_file.name)
        raise
    if not updated:  # the batch was reclaimed meanwhile; the other run stores its own file
        document.pdf_file.storage.delete(document.pdf_file.name)


def pdf_retry(*, documents) -> int:
    """Put failed or unavailable PDFs back in the queue (after LibreOffice has been installed)."""
    count = IssuedDocument.objects.filter(
        pk__in=[d.pk for d in documents], pdf_status__in=[PdfStatus.FAILED, PdfStatus.UNAVAILABLE]
    ).update(pdf_status=PdfStatus.PENDING, pdf_message="", pdf_batch=None, pdf_updated_at=timezone.now())
    if count:
        transaction.on_commit(pdf_enqueue)
    return count


@shared_task(name="documents.tasks.convert_pending_pdfs", acks_late=True)
def convert_pending_pdfs(batch_size=None, max_batches=20):
    """Convert pending documents to PDF, one soffice run per batch, until none is pending (or
    `max_batches` ran — the next enqueue or the periodic scan continues)."""
    batch_size = batch_size or getattr(settings, "PROFROST_PDF_BATCH_SIZE", 50)
    total = 0
    for _ in range(max_batches):
        taken = pdf_convert_batch(limit=batch_size)
        total += taken
        if taken < batch_size:
            break
    if total:
        logger.info("converted %s document(s) to PDF", total)
    return total
