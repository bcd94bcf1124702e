"""What the documents app announces about the selection's documents (documents.signals), connected
in InternshipsConfig.ready: an issued справка on a site's status is linked to its register entry
and recorded in the site's history (in the issuing transaction)."""

from __future__ import annotations

from workflows.core.audit import record_event

from .documents import CERTIFICATE_KIND, SITE_CERTIFICATE_KIND
from .models import Internship, InternshipEvent, Site


def on_document_issued(sender, *, document, actor, **kwargs) -> None:
    if document.kind == CERTIFICATE_KIND and document.artefact_type.model_class() is Internship:
        Internship.objects.filter(pk=document.artefact_id).update(certificate=document)
        return
    if document.kind != SITE_CERTIFICATE_KIND or document.artefact_type.model_class() is not Site:
        return
    Site.objects.filter(pk=document.artefact_id).update(certificate=document)
    record_event(
        actor=actor,
        obj=document.artefact,
        event=InternshipEvent.DOCUMENT_ISSUED,
        comment=f"{document.title}, № {document.number or 'б/н'} от {document.issued_on:%d.%m.%Y}",
        data={"document_id": document.pk, "kind": document.kind},
    )
