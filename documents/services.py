"""Writes of the documents app: template versions, previews, issuing, PDF conversion.

Issuing in three steps, so that the number is gap-free and the row lock short:
1. validate the data, resolve the signatory and render the .docx in memory with a placeholder
   where the number goes — every error of the data or the template surfaces here, before any
   number is taken or any file written;
2. in one transaction: lock the register row, take the number, put it into the rendered bytes,
   store the file, create the IssuedDocument, advance the register, call the caller's hook (an
   audit record) — if anything fails the transaction rolls back and the stored file is removed;
3. after commit, enqueue the PDF conversion (a Celery job; never in the request).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import uuid
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string

from . import pdf
from .errors import DocumentError, TemplateValidationError
from .kinds import (
    NUMBER_TOKEN,
    PREVIEW_NUMBER,
    DocumentRequisites,
    KindSpec,
    build_context,
    get_spec,
    plain,
    resolve_signatory,
)
from .models import (
    DocumentTemplate,
    IssuedDocument,
    NumberingRegister,
    PdfStatus,
    TemplateSource,
    format_number,
)
from .rendering import contains_number_token, fill_number, render_docx, sha256_hex

logger = logging.getLogger(__name__)

BUILTIN_TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


# --- templates -------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _builtin_template(path: str, mtime_ns: int) -> tuple[bytes, str]:
    data = Path(path).read_bytes()
    return data, sha256_hex(data)


def builtin_template_bytes(spec: KindSpec) -> tuple[bytes, str]:
    path = BUILTIN_TEMPLATES_DIR / spec.template_name
    return _builtin_template(str(path), path.stat().st_mtime_ns)


_TEMPLATE_CACHE: dict[str, bytes] = {}


def template_bytes(template: DocumentTemplate) -> bytes:
    """The bytes of a template version, read once per process (keyed by content hash)."""
    data = _TEMPLATE_CACHE.get(template.sha256)
    if data is None:
        with template.file.open("rb") as handle:
            data = handle.read()
        if sha256_hex(data) != template.sha256:
            raise DocumentError(f"Файл шаблона «{template}» поврежден: контрольная сумма не совпадает")
        if len(_TEMPLATE_CACHE) > 64:
            _TEMPLATE_CACHE.clear()
        _TEMPLATE_CACHE[template.sha256] = data
    return data


def template_active(*, kind: str) -> DocumentTemplate:
    """The version issued documents of `kind` are made with now. The shipped file is registered
    as a new version when there is none yet, or when the active version is a shipped one and the
    shipped file has changed since; an uploaded version stays until another replaces it."""
    spec = get_spec(kind)
    active = DocumentTemplate.objects.filter(kind=spec.kind, is_active=True).first()
    if active is not None and active.source == TemplateSource.UPLOAD:
        return active
    data, digest = builtin_template_bytes(spec)
    if active is not None and active.sha256 == digest:
        return active
    try:
        return _template_add_version(
            kind=spec.kind, data=data, source=TemplateSource.BUILTIN, uploaded_by=None, comment=""
        )
    except IntegrityError:  # another worker registered it at the same moment
        return DocumentTemplate.objects.get(kind=spec.kind, is_active=True)


@transaction.atomic
def _template_add_version(*, kind, data: bytes, source, uploaded_by, comment) -> DocumentTemplate:
    # Lock the kind's versions so that two uploads do not pick the same number.
    list(DocumentTemplate.objects.select_for_update().filter(kind=kind).values_list("id", flat=True))
    last = DocumentTemplate.objects.filter(kind=kind).aggregate(last=Max("version"))["last"] or 0
    DocumentTemplate.objects.filter(kind=kind, is_active=True).update(is_active=False)
    template = DocumentTemplate(
        kind=kind,
        version=last + 1,
        sha256=sha256_hex(data),
        source=source,
        is_active=True,
        uploaded_by=uploaded_by,
        comment=comment,
    )
    template.file.save(f"{kind}.docx", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            template.save()
    except Exception:
        template.file.storage.delete(template.file.name)
        raise
    _TEMPLATE_CACHE[template.sha256] = data
    return template


def template_check(*, kind: str, data: bytes) -> bytes:
    """Render the candidate template with the kind's sample data; return the rendered bytes or
    raise TemplateValidationError with the reason in Russian."""
    spec = get_spec(kind)
    from .contexts import samples

    requisites = DocumentRequisites(
        organization=_SampleOrganization(),
        signatory=resolve_signatory(samples.SIGNATORY, None),
        issued_on=timezone.localdate(),
        number=NUMBER_TOKEN if spec.numbered else "",
    )
    context = build_context(spec, spec.sample(None), requisites)
    try:
        rendered = render_docx(data, context, label=spec.label)
    except DocumentError as exc:
        raise TemplateValidationError(f"Новая версия шаблона не принята: {exc}") from exc
    if spec.numbered and not contains_number_token(rendered):
        raise TemplateValidationError("Новая версия шаблона не принята: в ней нет поля номера документа {{ number }}")
    return rendered


def template_upload(*, kind: str, file, uploaded_by, comment: str = "") -> DocumentTemplate:
    """Accept a new version of a kind's template if it renders with the sample data; it becomes
    the active version. Documents issued before keep the version they were made with."""
    data = file.read() if hasattr(file, "read") else bytes(file)
    max_bytes = getattr(settings, "PROFROST_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    if len(data) > max_bytes:
        raise TemplateValidationError(f"Файл шаблона больше допустимого размера ({max_bytes // 1024 // 1024} МБ)")
    template_check(kind=kind, data=data)
    return _template_add_version(
        kind=kind, data=data, source=TemplateSource.UPLOAD, uploaded_by=uploaded_by, comment=comment
    )


class _SampleOrganization:
    """Stands in for an Organization when a template is checked with sample data."""

    pk = None
    parent_id = None
    parent = None
    name = "Министерство образования и науки Пермского края"
    email = "minobr@example.org"
    inn = "5900000000"
    head_name = ""
    head_position = ""

    def __str__(self):
        return self.name


# --- preview and issue -----------------------------------------------------------------------


def _requisites(spec, organization, signatory, issued_on, number) -> DocumentRequisites:
    return DocumentRequisites(
        organization=organization,
        signatory=resolve_signatory(signatory, organization),
        issued_on=issued_on,
        number=number if spec.numbered else "",
    )


def document_preview(*, kind: str, issuing_organization, context: dict, signatory=None, issued_on=None) -> bytes:
    """A draft: the document as it would be issued, with «____» for the number. Takes no
    number, stores nothing."""
    spec = get_spec(kind)
    template = template_active(kind=spec.kind)
    issued_on = issued_on or timezone.localdate()
    requisites = _requisites(spec, issuing_organization, signatory, issued_on, PREVIEW_NUMBER)
    full_context = build_context(spec, context, requisites)
    return render_docx(template_bytes(template), full_context, label=spec.label)


HookSpec = Callable[..., object] | str | None


def document_issue(
    *,
    kind: str,
    issuing_organization,
    artefact,
    context: dict,
    signatory,
    issued_on: dt.date,
    actor,
    person=None,
    process=None,
    on_issued: HookSpec = None,
) -> IssuedDocument:
    """Issue a document of `kind` for `artefact` (any model instance: the РМА list, an ИОМ, a
    monitoring report). Returns the existing document when this artefact already has one of
    this kind made with the active template version — a retried job issues nothing twice.

    `on_issued(document=…, actor=…)` (a callable or its dotted path) runs inside the issuing
    transaction; processes pass one that records the audit event. Raises a DocumentError
    subclass with a Russian message when the data are incomplete, the signatory is unknown or the
    template cannot be filled: then no number is consumed and no file is written."""
    spec = get_spec(kind)
    template = template_active(kind=spec.kind)
    artefact_type = ContentType.objects.get_for_model(type(artefact))
    existing = IssuedDocument.objects.filter(
        artefact_type=artefact_type, artefact_id=str(artefact.pk), kind=spec.kind, template=template
    ).first()
    if existing is not None:
        return existing

    requisites = _requisites(spec, issuing_organization, signatory, issued_on, NUMBER_TOKEN)
    full_context = build_context(spec, context, requisites)
    rendered = render_docx(template_bytes(template), full_context, label=spec.label)
    if spec.numbered and not contains_number_token(rendered):
        raise DocumentError(f"Шаблон «{template}» не выводит номер документа")
    hook = import_string(on_issued) if isinstance(on_issued, str) else on_issued

    document = IssuedDocument(
        kind=spec.kind,
        title=full_context["title"][:500],
        year=issued_on.year,
        issued_on=issued_on,
        organization=issuing_organization,
        person=person,
        signatory_name=requisites.signatory.name.full(),
        signatory_position=requisites.signatory.position[:500],
        template=template,
        artefact_type=artefact_type,
        artefact_id=str(artefact.pk),
        process_type=ContentType.objects.get_for_model(type(process)) if process is not None else None,
        process_id=str(process.pk) if process is not None else "",
        data=plain(context),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stored_name = None
    try:
        with transaction.atomic():
            register = _register_locked(spec, issuing_organization, issued_on.year) if spec.numbered else None
            final = rendered
            if register is not None:
                document.sequence = register.next_number
                document.number = format_number(register.number_format, register.next_number, issued_on.year)
                final = fill_number(rendered, document.number)
            document.sha256 = sha256_hex(final)
            document.size = len(final)
            document.file.save(_storage_name(document), ContentFile(final), save=False)
            stored_name = document.file.name
            try:
                with transaction.atomic():
                    document.save()
            except IntegrityError:
                duplicate = IssuedDocument.objects.filter(
                    artefact_type=artefact_type, artefact_id=str(artefact.pk), kind=spec.kind, template=template
                ).first()
                if duplicate is None:
                    raise
                document.file.storage.delete(stored_name)
                stored_name = None
                return duplicate
            if register is not None:
                register.next_number += 1
                register.save(update_fields=["next_number", "updated_at"])
            if hook is not None:
                hook(document=document, actor=actor)
            transaction.on_commit(lambda: pdf_enqueue(document_ids=[document.pk]))
    except BaseException:
        if stored_name:
            document.file.storage.delete(stored_name)
        raise
    return document


def _register_locked(spec: KindSpec, organization, year: int) -> NumberingRegister:
    """The register row for (organization, kind, year), locked until the transaction ends;
    created on first use with last year's format (or the configured/default one)."""
    previous = (
        NumberingRegister.objects.filter(organization=organization, kind=spec.kind, year__lt=year)
        .order_by("-year")
        .values_list("number_format", flat=True)
        .first()
    )
    configured = getattr(settings, "PROFROST_DOCUMENT_NUMBER_FORMATS", {}).get(spec.kind)
    register, _ = NumberingRegister.objects.select_for_update().get_or_create(
        organization=organization,
        kind=spec.kind,
        year=year,
        defaults={"number_format": previous or configured or spec.number_format},
    )
    return register


_UNSAFE = str.maketrans({c: "-" for c in '/\\:*?"<>| '})


def _storage_name(document: IssuedDocument) -> str:
    number = (document.number or "bn").translate(_UNSAFE)
    return f"{document.kind}-{number}-{uuid.uuid4().hex[:10]}.docx"


def document_issue_later(
    *,
    kind: str,
    issuing_organization,
    artefact,
    context: dict,
    signatory,
    issued_on: dt.date,
    actor,
    person=None,
    on_issued: str | None = None,
) -> None:
    """Enqueue the issue after the caller's transaction commits: the web request only
    enqueues. `context` and `signatory` must be JSON-friendly (dicts, strings, dates); the hook
    is given by dotted path."""
    from kombu.utils.json import dumps

    from .tasks import issue_document

    dumps({"context": context, "signatory": signatory})  # fail now, not in the worker
    kwargs = {
        "kind": kind,
        "organization_id": issuing_organization.pk,
        "artefact_type_id": ContentType.objects.get_for_model(type(artefact)).pk,
        "artefact_id": str(artefact.pk),
        "context": context,
        "signatory": signatory,
        "issued_on": issued_on.isoformat(),
        "actor_id": getattr(actor, "pk", None),
        "person_id": getattr(person, "pk", None),
        "on_issued": on_issued,
    }
    transaction.on_commit(lambda: issue_document.delay(**kwargs))


# --- PDF -------------------------------------------------------------------------------------


def pdf_enqueue(*, document_ids: list[int] | None = None) -> None:
    """Ask a worker to convert pending documents. The job converts whatever is pending in
    batches, so a burst of issues costs a few soffice starts, not one per document."""
    if not getattr(settings, "PROFROST_DOCUMENTS_PDF", True):
        return
    from .tasks import convert_pending_pdfs

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
    were taken (0 when nothing was pending)."""
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
        sources = []
        for document in documents:
            source = Path(workdir) / f"{document.pk}.docx"
            with document.file.open("rb") as handle:
                source.write_bytes(handle.read())
            sources.append(source)
        results = pdf.convert_to_pdf(sources, Path(workdir) / "out", binary=binary)
        for document, source in zip(documents, sources, strict=True):
            _pdf_store(document, results.get(source))
    return len(documents)


def _pdf_store(document: IssuedDocument, result: pdf.ConversionResult | None) -> None:
    now = timezone.now()
    if result is None or result.pdf_path is None:
        message = (result.error if result else "") or "LibreOffice не создал PDF"
        IssuedDocument.objects.filter(pk=document.pk, pdf_batch=document.pdf_batch).update(
            pdf_status=PdfStatus.FAILED,
            pdf_message=f"Ошибка преобразования в PDF: {message}"[:500],
            pdf_updated_at=now,
        )
        return
    name = os.path.splitext(os.path.basename(document.file.name))[0] + ".pdf"
    document.pdf_file.save(name, ContentFile(result.pdf_path.read_bytes()), save=False)
    updated = IssuedDocument.objects.filter(pk=document.pk, pdf_batch=document.pdf_batch).update(
        pdf_file=document.pdf_file.name, pdf_status=PdfStatus.READY, pdf_message="", pdf_updated_at=now
    )
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
