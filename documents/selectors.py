"""Reads of the documents app, always through the user's scope (orgstructure.access): a document
outside the scope answers 404 exactly like a missing one."""

from __future__ import annotations

from dataclasses import dataclass

from common import keyset
from orgstructure.access import get_for_user_or_404, scope_queryset

from .models import IssuedDocument

PAGE_SIZE = 50


def issued_document_list(*, user):
    queryset = IssuedDocument.objects.select_related("organization")
    return scope_queryset(user, queryset)


def issued_document_get(*, user, pk) -> IssuedDocument:
    return get_for_user_or_404(user, IssuedDocument.objects.select_related("organization", "person"), pk=pk)


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
