"""Issuing documents: previews, the issue itself, re-issues and the job that issues later.

Issuing in three steps, so that the number is gap-free and the row lock short:
1. validate the data, resolve the signatory and render the .docx in memory with a placeholder
   where the number goes — every error of the data or the template surfaces here, before any
   number is taken or any file written;
2. in one transaction: lock the register row, take the number, put it into the rendered bytes,
   store the file, create the IssuedDocument, advance the register, announce `document_issued`
   (signals.py: the process's receiver records its audit event) — if anything fails the
   transaction rolls back and the stored file is removed;
3. after commit, enqueue the PDF conversion (a Celery job; never in the request).

A caller may issue inside a transaction of its own that rolls back later; the file stored in
step 2 then outlives its row, and sweep.issued_files_sweep removes it after a grace period.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.uploads import storage as upload_storage

from .errors import DocumentError
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
from .models import IssuedDocument, ListedPerson, NumberingRegister
from .numbers import format_number
from .pdf_jobs import pdf_enqueue
from .rendering import contains_number_token, fill_number, render_docx, sha256_hex
from .signals import document_issued
from .template_versions import template_active, template_bytes


def _requisites(spec, organization, signatory, issued_on, number) -> DocumentRequisites:
    return DocumentRequisites(
        organization=organization,
        signatory=resolve_signatory(signatory, organization),
        issued_on=issued_on,
        number=number if spec.numbered else "",
    )


def document_preview(
    *, kind: str, issuing_organization, context: dict, signatory=None, issued_on=None, number: str = ""
) -> bytes:
    """A draft: the document as it would be issued, with «____» for the number. Takes no
    number, stores nothing. With `number` (a document already issued under it): a current copy
    of that document from today's data — still nothing taken or stored."""
    spec = get_spec(kind)
    template = template_active(kind=spec.kind)
    issued_on = issued_on or timezone.localdate()
    requisites = _requisites(spec, issuing_organization, signatory, issued_on, number or PREVIEW_NUMBER)
    full_context = build_context(spec, context, requisites)
    return render_docx(template_bytes(template), full_context, label=spec.label)


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
    listed=(),
    process=None,
) -> IssuedDocument:
    """Issue a document of `kind` for `artefact` (any model instance: the РМА list, an ИОМ, a
    monitoring report). Returns the existing document when this artefact already has one of
    this kind in force — whatever template version it was made with, so a retried or redelivered
    job issues nothing twice, even after a new template was uploaded meanwhile. Issuing it anew
    on purpose is document_reissue. `person` is whom the document is about (a справка); `listed`
    the people a document names (the members in a приказ's annex) — each one's school and
    municipality may then see it.

    `document_issued` (signals.py) is sent inside the issuing transaction; the process's
    receiver records the audit event. Raises a DocumentError
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
        listed=listed,
        process_type=ContentType.objects.get_for_model(type(process)) if process is not None else None,
        process_id=str(process.pk) if process is not None else "",
    )


def document_reissue(
    *,
    document: IssuedDocument,
    reason: str,
    actor,
    context: dict | None = None,
    signatory=None,
    issued_on: dt.date | None = None,
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
            listed=[row.person_id for row in old.listed.all()],
            process_type=old.process_type,
            process_id=old.process_id,
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
    listed=(),
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
            upload_storage.store(document.file, final, name=_storage_name(document))  # removed on rollback
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
            ListedPerson.objects.bulk_create(
                [
                    ListedPerson(document=document, person_id=person_id)
                    for person_id in dict.fromkeys(getattr(item, "pk", item) for item in listed)
                ]
            )
            if register is not None:
                register.next_number += 1
                register.save(update_fields=["next_number", "updated_at"])
            document_issued.send(sender=spec, document=document, actor=actor)
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
