"""Reads of the documents app, always through the user's scope (orgstructure.access): a document
outside the scope answers 404 exactly like a missing one."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from common import keyset
from orgstructure.access import get_for_user_or_404, scope_queryset

from .kinds import all_specs
from .models import IssuedDocument

PAGE_SIZE = 50


def issued_document_scope(user, queryset):
    """The documents of `queryset` the user may see: by the issuer and the person it is about,
    and — for a kind that declares its `artefact_model` — only where its artefact is too (one
    subquery per such kind, no extra query)."""
    queryset = scope_queryset(user, queryset)
    for spec in all_specs():
        if not spec.artefact_model:
            continue
        model = apps.get_model(spec.artefact_model)
        visible = scope_queryset(user, model._default_manager.all()).annotate(
            artefact_key=Cast("pk", output_field=CharField())
        )
        # the artefact must be one of that model (an id alone could name a row of another table)
        own = Q(artefact_type=ContentType.objects.get_for_model(model)) & Q(
            artefact_id__in=visible.values("artefact_key")
        )
        queryset = queryset.exclude(Q(kind=spec.kind) & ~own)
    return queryset


def issued_document_list(*, user):
    return issued_document_scope(user, IssuedDocument.objects.select_related("organization"))


def issued_document_get(*, user, pk) -> IssuedDocument:
    return get_for_user_or_404(
        user, issued_document_scope(user, IssuedDocument.objects.select_related("organization", "person")), pk=pk
    )


@dataclass(frozen=True)
class IssuedDocumentPage:
    documents: list[IssuedDocument]
    next_cursor: str | None


def issued_document_page(*, user, cursor: str = "", page_size: int | None = None) -> IssuedDocumentPage:
    """One keyset page of the documents the user may see, newest first (date of the document,
    then id): the same two queries on any page, however long the archive. A cursor that does
    not parse starts from the beginning."""
    page = keyset.page(issued_document_list(user=user), ("-issued_on", "-id"), cursor, page_size or PAGE_SIZE)
    return IssuedDocumentPage(documents=page.rows, next_cursor=page.next_cursor)
