"""Writes of the documents app: template versions, previews, issuing, PDF conversion.

Issuing in three steps, so that the number is gap-free and the row lock short:
1. validate the data, resolve the signatory and render the .docx in memory with a placeholder
   where the number goes — every error of the data or the template surfaces here, before any
   number is taken or any file written;
2. in one transaction: lock the register row, take the number, put it into the rendered bytes,
   store the file, create the IssuedDocument, advance the register, call the caller's hook (an
   audit record) — if anything fails the transaction rolls back and the stored file is removed;
3. after commit, enqueue the PDF conversion (a Celery job; never in the request).

A caller may issue inside a transaction of its own that rolls back later; the file stored in
step 2 then outlives its row, and issued_files_sweep removes it after a grace period.
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
    ISSUED_PREFIX,
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


def _hook(spec: HookSpec):
    return import_string(spec) if isinstance(spec, str) else spec


def _current_documents(artefact_type, artefact_id: str, kind: str):
    """The artefact's document of `kind` that is in force (at most one: the unique constraint)."""
    return IssuedDocument.objects.filter(
        artefact_type=artefact_type, artefact_id=artefact_id, kind=kind, superseded_at__isnull=True
    )


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
    this kind in force — whatever template version it was made with, so a retried or redelivered
    job issues nothing twice, even after a new template was uploaded meanwhile. Issuing it anew
    on purpose is document_reissue.

    `on_issued(document=…, actor=…)` (a callable or its dotted path) runs inside the issuing
    transaction; processes pass one that records the audit event. Raises a DocumentError
    subclass with a Russian message when the data are incomplete, the signatory is unknown or the
    template cannot be filled: then no number is consumed and no file is written."""
    spec = get_spec(kind)
    artefact_type = ContentType.objects.get_for_model(type(artefact))
    existing = _current_documents(artefact_type, str(artefact.pk), spec.kind).first()
    if existing is not None:
        return existing
    return _issue(
        spec=spec,
        issuing_organization=issuing_organization,
        artefact_type=artefact_type,
        artefact_id=str(artefact.pk),
        context=context,
        signatory=signatory,
        issued_on=issued_on,
        actor=actor,
        person=person,
        process_type=ContentType.objects.get_for_model(type(process)) if process is not None else None,
        process_id=str(process.pk) if process is not None else "",
        on_issued=on_issued,
    )


def document_reissue(
    *,
    document: IssuedDocument,
    reason: str,
    actor,
    context: dict | None = None,
    signatory=None,
    issued_on: dt.date | None = None,
    on_issued: HookSpec = None,
) -> IssuedDocument:
    """Issue `document` anew on purpose — a corrected template or corrected data — under a new
    number from the register. The old document stays in the archive, marked superseded; the new
    one records which document it replaces and why. `context` defaults to the data the old
    document was made with, the date to today.

    Only the document in force can be re-issued; a second re-issue of the same document raises
    DocumentError (two officials pressing the button at once get one new document)."""
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError("Укажите причину повторного выпуска документа")
    spec = get_spec(document.kind)
    with transaction.atomic():
        old = (
            IssuedDocument.objects.select_for_update(of=("self",))
            .select_related("organization", "person")
            .get(pk=document.pk)
        )
        if old.superseded_at is not None:
            raise DocumentError(f"Документ «{old}» уже заменен: повторно выпускается только действующий документ")
        return _issue(
            spec=spec,
            issuing_organization=old.organization,
            artefact_type=old.artefact_type,
            artefact_id=old.artefact_id,
            context=old.data if context is None else context,
            signatory=signatory,
            issued_on=issued_on or timezone.localdate(),
            actor=actor,
            person=old.person,
            process_type=old.process_type,
            process_id=old.process_id,
            on_issued=on_issued,
            replaces=old,
            reason=reason[:500],
        )


def _issue(
    *,
    spec: KindSpec,
    issuing_organization,
    artefact_type,
    artefact_id: str,
    context: dict,
    signatory,
    issued_on: dt.date,
    actor,
    person,
    process_type,
    process_id: str,
    on_issued: HookSpec,
    replaces: IssuedDocument | None = None,
    reason: str = "",
) -> IssuedDocument:
    """Render, then number, store and record in one transaction (see the module docstring).

    If an outer transaction of the caller rolls back after this returns, the row and the number
    go with it but the stored file stays: issued_files_sweep removes such orphans later, and
    the random part of the stored name keeps the next document with the same number apart."""
    template = template_active(kind=spec.kind)
    requisites = _requisites(spec, issuing_organization, signatory, issued_on, NUMBER_TOKEN)
    full_context = build_context(spec, context, requisites)
    rendered = render_docx(template_bytes(template), full_context, label=spec.label)
    if spec.numbered and not contains_number_token(rendered):
        raise DocumentError(f"Шаблон «{template}» не выводит номер документа")
    hook = _hook(on_issued)

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
        artefact_id=artefact_id,
        process_type=process_type,
        process_id=process_id,
        data=plain(context),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        replaces=replaces,
        reissue_reason=reason,
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
            if replaces is not None:
                IssuedDocument.objects.filter(pk=replaces.pk).update(superseded_at=timezone.now())
            try:
                with transaction.atomic():
                    document.save()
            except IntegrityError:
                duplicate = _current_documents(artefact_type, artefact_id, spec.kind).first()
                if duplicate is None or replaces is not None:
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
    """«rma_list_order-1-ОД-<random>.docx». The random part matters: when the caller's outer
    transaction rolls back, its number is taken again by the next document while the first file
    waits for the sweep — the two must never share (or overwrite) one name in storage."""
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
    on_failed: str | None = None,
) -> None:
    """Enqueue the issue after the caller's transaction commits: the web request only
    enqueues. `context` and `signatory` must be JSON-friendly (dicts, strings, dates); the hooks
    are given by dotted path. The job retries transient errors (database, storage) with a
    backoff; when the document cannot be issued — a DocumentError, or the retries are used up —
    it calls `on_failed(artefact=…, message=…)` (a Russian message) in a transaction of its own,
    so the process can tell someone: nobody is waiting for the job otherwise."""
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
        "on_failed": on_failed,
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
                    source.write_bytes(handle.read())
            except Exception as exc:  # any storage error fails this document only
                logger.exception("PDF: cannot read the .docx of document %s (%s)", document.pk, document.file.name)
                _pdf_fail(document, f"исходный файл .docx не прочитан из хранилища ({_describe(exc)})")
                continue
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
    document.pdf_file.save(name, ContentFile(result.pdf_path.read_bytes()), save=False)
    try:
        updated = IssuedDocument.objects.filter(pk=document.pk, pdf_batch=document.pdf_batch).update(
            pdf_file=document.pdf_file.name, pdf_status=PdfStatus.READY, pdf_message="", pdf_updated_at=now
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


# --- orphaned files ----------------------------------------------------------------------------

ORPHAN_GRACE = dt.timedelta(hours=1)


def issued_files_sweep(*, grace: dt.timedelta = ORPHAN_GRACE, dry_run: bool = False) -> list[str]:
    """Delete files under the issued-documents prefix that no IssuedDocument refers to (neither
    as its .docx nor as its PDF) and that are older than `grace`. Returns their storage names.

    Such files are left when a caller issues inside its own transaction and that transaction
    rolls back after document_issue returned (workflows' list approval does so by design — one
    transaction for the whole batch): the row and its number go, the file stays. The grace
    period keeps files of transactions still open, and PDFs being stored, out of reach. Runs
    periodically (project/celery.py) and by hand: `manage.py sweep_issued_files`."""
    field = IssuedDocument._meta.get_field("file")
    storage = field.storage
    cutoff = timezone.now() - grace
    removed = []
    for directory, names in _walk(storage, ISSUED_PREFIX):
        if not names:
            continue
        prefix = f"{directory}/"
        referenced = set(IssuedDocument.objects.filter(file__startswith=prefix).values_list("file", flat=True))
        referenced |= set(IssuedDocument.objects.filter(pdf_file__startswith=prefix).values_list("pdf_file", flat=True))
        for name in names:
            path = f"{prefix}{name}"
            if path in referenced:
                continue
            try:
                modified = storage.get_modified_time(path)
            except NotImplementedError:
                logger.warning("orphan sweep: storage cannot tell the age of %s; kept", path)
                continue
            except FileNotFoundError:
                continue
            if timezone.is_naive(modified):
                modified = timezone.make_aware(modified)
            if modified > cutoff:
                continue
            if not dry_run:
                storage.delete(path)
            logger.warning(
                "orphan sweep: %s %s (no issued document refers to it; modified %s)",
                "would remove" if dry_run else "removed",
                path,
                modified.isoformat(),
            )
            removed.append(path)
    if removed:
        logger.info("orphan sweep: %s file(s) %s", len(removed), "found" if dry_run else "removed")
    return removed


def _walk(storage, top: str):
    """(directory, file names) for `top` and every directory below it, as storage names."""
    try:
        directories, files = storage.listdir(top)
    except FileNotFoundError:
        return
    yield top, files
    for directory in sorted(directories):
        yield from _walk(storage, f"{top}/{directory}")
