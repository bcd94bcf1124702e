"""The issue job of the documents app — document_issue_later enqueues it after the caller's
commit, the worker issues (issuing.document_issue) — and, for Celery's autodiscovery and the beat
schedule, the other jobs under their names: convert_pending_pdfs (pdf_jobs.py) and
sweep_issued_files (sweep.py). Each job lives beside the work it does, so no module of the app
imports this one back."""

import datetime as dt
import logging

from celery import Task, shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import issuing
from .errors import DocumentError
from .pdf_jobs import convert_pending_pdfs
from .sweep import sweep_issued_files

__all__ = [
    "convert_pending_pdfs",
    "document_issue_later",
    "issue_document",
    "requeue_document_jobs",
    "sweep_issued_files",
]

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
        _finish(kwargs.get("job_id"))
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
    job_id=None,
):
    """Issue one document (enqueued by document_issue_later below). Safe to retry: the
    artefact's unique constraint returns the document issued by an earlier attempt. Transient
    errors are retried with a backoff; a DocumentError (bad data, unknown signatory, broken
    template) will not heal by retrying — it is logged and announced by `document_failed`."""
    from orgstructure.models import Organization, Person

    from .models import DocumentJob

    if job_id is not None:
        if DocumentJob.objects.filter(pk=job_id, finished_at__isnull=False).exists():
            return None  # enqueued again by the sweep while the first delivery was on its way
        DocumentJob.objects.filter(pk=job_id).update(started_at=timezone.now())
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
        _finish(job_id)
        _report_failure(
            {"kind": kind, "artefact_type_id": artefact_type_id, "artefact_id": artefact_id, "person_id": person_id},
            str(exc),
            artefact=artefact,
            person=person,
        )
        return None
    _finish(job_id)
    return document.pk


def _finish(job_id) -> None:
    from .models import DocumentJob

    if job_id is not None:
        DocumentJob.objects.filter(pk=job_id, finished_at__isnull=True).update(finished_at=timezone.now())


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
) -> None:
    """Enqueue the issue after the caller's transaction commits: the web request only
    enqueues. `context` and `signatory` must be JSON-friendly (dicts, strings, dates). The job
    retries transient errors (database, storage) with a backoff; the issued document is announced
    by `document_issued` as any other. When the document cannot be issued — a DocumentError, or
    the retries are used up — the job sends `document_failed` (signals.py) once, with a Russian
    reason, so the process can tell someone: nobody is waiting for the job otherwise."""
    from kombu.utils.json import dumps

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
    }
    from .models import DocumentJob

    job = DocumentJob.objects.create(kwargs=kwargs)
    transaction.on_commit(lambda: _enqueue(job.pk, kwargs))


# A job no worker has started within PROFROST_DOCUMENT_JOB_REQUEUE_SECONDS of being written is
# enqueued again (the broker lost it, or could not take it at commit): long enough that a busy queue
# is not flooded with copies. One started but never finished (its worker was killed and the broker
# lost the delivery) after PROFROST_DOCUMENT_JOB_RESTART_SECONDS — twice the broker's visibility
# timeout, so its own redelivery comes first. Issuing is idempotent, so a copy issues nothing twice.


def requeue_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "PROFROST_DOCUMENT_JOB_REQUEUE_SECONDS", 300))


def restart_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "PROFROST_DOCUMENT_JOB_RESTART_SECONDS", 1800))


MAX_ATTEMPTS = 5  # restarts of a job whose worker keeps dying: then it is given up and announced
KEEP_FINISHED = dt.timedelta(days=30)  # finished jobs are kept a month for the administrator


def _enqueue(job_id: int, kwargs: dict) -> bool:
    """Hand the job to the broker. A broker that is down must not turn a committed action into
    a 500: the job stays in DocumentJob and requeue_document_jobs enqueues it later. Only the
    broker's connection errors are caught — an eager job's own exception (tests) propagates."""
    from kombu.exceptions import OperationalError as BrokerUnavailable

    from .models import DocumentJob

    try:
        issue_document.delay(**kwargs, job_id=job_id)
    except BrokerUnavailable:
        logger.warning("document job %s: the broker did not take it; it will be enqueued again", job_id, exc_info=True)
        return False
    DocumentJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    return True


@shared_task
def requeue_document_jobs(limit: int = 500) -> int:
    """Enqueue again the issue jobs that would otherwise never run (beat, every few minutes):
    - the broker never took it (refused at commit) and requeue_after() has passed;
    - the broker took it but no worker started it within restart_after() (the broker lost it);
    - a worker started it and did not finish within restart_after() (the worker died and the
      broker's redelivery was lost too) — a restart, counted: after MAX_ATTEMPTS restarts the job
      is given up, finished and announced by `document_failed` like any failed issue.
    A job merely waiting in a long queue is not copied before restart_after(). Returns how many
    were handed to the broker."""
    from .models import DocumentJob

    now = timezone.now()
    DocumentJob.objects.filter(finished_at__lt=now - KEEP_FINISHED).delete()
    never_taken = Q(enqueued_at__isnull=True, started_at__isnull=True, created_at__lt=now - requeue_after())
    lost = Q(started_at__isnull=True, enqueued_at__lt=now - restart_after())
    died = Q(started_at__lt=now - restart_after())
    enqueued = 0
    for job in DocumentJob.objects.filter(finished_at__isnull=True).filter(never_taken | lost | died).order_by("id")[
        :limit
    ]:
        if job.started_at is not None:
            if job.attempts >= MAX_ATTEMPTS:
                _finish(job.pk)
                _report_failure(
                    job.kwargs,
                    f"Документ не выпущен: задание прервано {job.attempts} раз. Сообщите администратору.",
                )
                continue
            DocumentJob.objects.filter(pk=job.pk).update(started_at=None, attempts=F("attempts") + 1)
        enqueued += _enqueue(job.pk, job.kwargs)
    return enqueued
