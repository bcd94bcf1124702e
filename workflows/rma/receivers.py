"""What the documents app announces about РМА's documents (documents.signals), connected in
RmaConfig.ready: an issued справка goes into the application's history; a справка the worker
could not issue is recorded there too and reaches the region's ЦНППМПР coordinators."""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone

from documents.kinds import get_spec
from documents.models import IssuedDocument
from orgstructure.models import Membership, Role
from workflows.core.audit import record_event
from workflows.core.models import Notification, OutboxKind

from . import flows, links
from .documents import KINDS, REFUSAL_KIND
from .models import RmaApplication, RmaCriteriaStatement, RmaEvent, Status

logger = logging.getLogger(__name__)


def on_document_issued(sender, *, document, actor, **kwargs) -> None:
    """document_issued, in the issuing transaction: the application's history shows its справка
    (the приказ of a list is recorded by the list's own approval event). Not a transition: no
    state change."""
    if document.kind not in KINDS:
        return
    model = document.artefact_type.model_class()
    if model is RmaCriteriaStatement:  # the справка о соответствии критериям: its application's history
        application = RmaCriteriaStatement.objects.get(pk=document.artefact_id).application
    elif model is RmaApplication:
        application = document.artefact
    else:
        return
    record_event(
        actor=actor,
        obj=application,
        event=RmaEvent.DOCUMENT_ISSUED,
        comment=f"{document.title}, № {document.number or 'б/н'} от {document.issued_on:%d.%m.%Y}",
        data={"document_id": document.pk, "kind": document.kind},
    )
    if document.kind == REFUSAL_KIND and model is RmaApplication:
        _refusal_overtaken(document=document, application=application)


def _refusal_overtaken(*, document, application) -> None:
    """An уведомление об отказе whose job ran only after the candidate was admitted despite the
    criteria (the worker was behind): it is out of force at once, in the issuing transaction, and
    the history credits the one who overrode — as when the override supersedes an issued one."""
    application = RmaApplication.objects.select_related("overridden_by").get(pk=application.pk)
    if application.status == Status.REJECTED or not application.overridden_at:
        return
    IssuedDocument.objects.filter(pk=document.pk, superseded_at__isnull=True).update(superseded_at=timezone.now())
    record_event(
        actor=application.overridden_by,
        obj=application,
        event=RmaEvent.REFUSAL_SUPERSEDED,
        comment=f"Уведомление об отказе № {document.number or 'б/н'} утратило силу: допуск вопреки критериям "
        f"({application.override_reason})",
        data={"numbers": [document.number or "б/н"], "issued_after_override": True},
    )


def on_document_failed(sender, *, kind, artefact, reason, **kwargs) -> None:
    """document_failed, sent by the worker once a справка will not come (wrong data, or the
    retries of a storage or database failure used up): the application's history records it and
    the ЦНППМПР coordinators of the region get an in-app notification, in one transaction — so
    the справка is not lost silently — and a task in their inbox to issue it again (RmaDocumentFlow)."""
    if kind not in KINDS or not isinstance(artefact, RmaApplication | RmaCriteriaStatement):
        return
    statement_id = artefact.pk if isinstance(artefact, RmaCriteriaStatement) else None
    application_id = artefact.application_id if statement_id else artefact.pk
    application = RmaApplication.objects.select_related("person__organization").get(pk=application_id)
    label = get_spec(kind).label
    region_id = application.person.organization.region_id
    coordinators = list(
        Membership.objects.filter(
            role=Role.CNPPM_COORDINATOR,
            is_active=True,
            user__is_active=True,
            organization__region_id=region_id,
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    if not coordinators:
        logger.error("no ЦНППМПР coordinator in region %s to tell that %s was not issued", region_id, kind)
    try:
        url = links.application_url(application.pk)[:500]
    except NoReverseMatch:  # the worker's URLconf lacks the flow: the title still names the application
        url = ""
    with transaction.atomic():
        flows.document_retry_start(application=application, kind=kind, reason=reason, statement_id=statement_id)
        record_event(
            actor=None,
            obj=application,
            event=RmaEvent.DOCUMENT_FAILED,
            comment=f"{label}: {reason}",
            data={"kind": kind},
        )
        Notification.objects.bulk_create(
            Notification(
                user_id=user_id,
                kind=OutboxKind.DOCUMENT_FAILED,
                title=f"Документ не выпущен: «{label}» по заявке № {application.pk}"[:300],
                body=f"{application.person}. {reason}",
                url=url,
            )
            for user_id in coordinators
        )
