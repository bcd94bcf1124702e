"""Celery jobs of the documents app: thin — load by id, call a service."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
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
    on_issued=None,
):
    """Issue one document (enqueued by services.document_issue_later). Safe to retry: the
    artefact's unique constraint returns the document issued by an earlier attempt."""
    from orgstructure.models import Organization, Person

    from .services import document_issue

    artefact = ContentType.objects.get_for_id(artefact_type_id).get_object_for_this_type(pk=artefact_id)
    document = document_issue(
        kind=kind,
        issuing_organization=Organization.objects.get(pk=organization_id),
        artefact=artefact,
        context=context,
        signatory=signatory,
        issued_on=dt.date.fromisoformat(issued_on),
        actor=get_user_model().objects.filter(pk=actor_id).first() if actor_id else None,
        person=Person.objects.filter(pk=person_id).first() if person_id else None,
        on_issued=on_issued,
    )
    return document.pk


@shared_task(acks_late=True)
def convert_pending_pdfs(batch_size=None, max_batches=20):
    """Convert pending documents to PDF, one soffice run per batch, until none is pending (or
    `max_batches` ran — the next enqueue or the periodic scan continues)."""
    from .services import pdf_convert_batch

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
