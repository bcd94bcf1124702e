"""Celery jobs of the documents app: thin — load by id, call a service."""

import datetime as dt
import logging

from celery import Task, shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import InterfaceError, OperationalError

from .errors import DocumentError

logger = logging.getLogger(__name__)

# Worth another attempt: the database was locked, restarted or unreachable, the storage (disk,
# network share, S3 gateway) failed for a moment. Anything else is a defect or bad data.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
ISSUE_MAX_RETRIES = 8  # with the backoff below: attempts over about 20 minutes


class IssueDocumentTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The job failed for good — the retries of a transient error are used up, or an
        unexpected error (a DocumentError never gets here: the job reports it itself). Tell the
        process: the document will not come on its own. The reason names the error's type only;
        its text (paths, SQL) stays in the worker's log."""
        if isinstance(exc, TRANSIENT_ERRORS):
            reason = (
                "Документ не выпущен: сбой базы данных или хранилища файлов не устранился за "
                f"{ISSUE_MAX_RETRIES + 1} попыток ({type(exc).__name__}). Выпустите документ повторно."
            )
        else:
            reason = f"Документ не выпущен: внутренняя ошибка ({type(exc).__name__}). Сообщите администратору."
        _report_failure(kwargs, reason)


@shared_task(
    base=IssueDocumentTask,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=ISSUE_MAX_RETRIES,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
)
def issue_document(
    *,
    kind,
    organization_id,
    artefact_type_id,
    artefact_id,
    context,
    signatory,
    issued_on,
    actor_id=None,
    person_id=None,
):
    """Issue one document (enqueued by issuing.document_issue_later). Safe to retry: the
    artefact's unique constraint returns the document issued by an earlier attempt. Transient
    errors are retried with a backoff; a DocumentError (bad data, unknown signatory, broken
    template) will not heal by retrying — it is logged and announced by `document_failed`."""
    from orgstructure.models import Organization, Person

    from . import issuing

    artefact = ContentType.objects.get_for_id(artefact_type_id).get_object_for_this_type(pk=artefact_id)
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    try:
        document = issuing.document_issue(
            kind=kind,
            issuing_organization=Organization.objects.get(pk=organization_id),
            artefact=artefact,
            context=context,
            signatory=signatory,
            issued_on=dt.date.fromisoformat(issued_on),
            actor=get_user_model().objects.filter(pk=actor_id).first() if actor_id else None,
            person=person,
        )
    except DocumentError as exc:
        _report_failure(
            {"kind": kind, "artefact_type_id": artefact_type_id, "artefact_id": artefact_id, "person_id": person_id},
            str(exc),
            artefact=artefact,
            person=person,
        )
        return None
    return document.pk


def _report_failure(kwargs: dict, reason: str, artefact=None, person=None) -> None:
    """Log at error level and send `document_failed` (signals.py) outside any transaction: each
    receiver writes in a transaction of its own, and one that fails is logged without stopping
    the others — a broken receiver must not turn one lost document into a retry loop."""
    from .kinds import get_spec
    from .signals import document_failed

    kind = kwargs.get("kind")
    logger.error(
        "document %s for artefact %s/%s not issued: %s",
        kind,
        kwargs.get("artefact_type_id"),
        kwargs.get("artefact_id"),
        reason,
    )
    try:
        if artefact is None:
            artefact = ContentType.objects.get_for_id(kwargs["artefact_type_id"]).get_object_for_this_type(
                pk=kwargs["artefact_id"]
            )
        if person is None and kwargs.get("person_id"):
            from orgstructure.models import Person

            person = Person.objects.filter(pk=kwargs["person_id"]).first()
    except Exception:  # the database may be what failed; the receivers still hear of it
        logger.exception("issue_document: cannot load the artefact of the failed document")
    try:
        sender = get_spec(kind)
    except DocumentError:
        sender = None
    responses = document_failed.send_robust(
        sender=sender,
        kind=kind,
        artefact=artefact,
        artefact_type_id=kwargs.get("artefact_type_id"),
        artefact_id=kwargs.get("artefact_id"),
        person=person,
        reason=reason,
    )
    for receiver, response in responses:
        if isinstance(response, Exception):
            logger.error(
                "issue_document: the document_failed receiver %s failed: %r",
                getattr(receiver, "__qualname__", receiver),
                response,
                exc_info=(type(response), response, response.__traceback__),
            )


@shared_task(acks_late=True)
def convert_pending_pdfs(batch_size=None, max_batches=20):
    """Convert pending documents to PDF, one soffice run per batch, until none is pending (or
    `max_batches` ran — the next enqueue or the periodic scan continues)."""
    from .pdf_jobs import pdf_convert_batch

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


@shared_task
def sweep_issued_files():
    """Remove stored files that no row refers to: issued documents and every other prefix
    registered with common.uploads.storage (process evidence files) — sweep.stored_files_sweep."""
    from .sweep import stored_files_sweep

    return len(stored_files_sweep())
