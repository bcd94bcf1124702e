"""Reads of the documents app, always through the user's scope (orgstructure.access): a document
outside the scope answers 404 exactly like a missing one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from orgstructure.access import get_for_user_or_404, scope_queryset

from .models import IssuedDocument

PAGE_SIZE = 50


def issued_document_list(*, user):
    queryset = IssuedDocument.objects.select_related("organization")
    return scope_queryset(user, queryset)


def issued_document_get(*, user, pk) -> IssuedDocument:
    return get_for_user_or_404(user, IssuedDocument.objects.select_related("organization"), pk=pk)


@dataclass(frozen=True)
class IssuedDocumentPage:
    documents: list[IssuedDocument]
    next_cursor: str | None


def issued_document_page(*, user, cursor: str = "", page_size: int | None = None) -> IssuedDocumentPage:
    """One keyset page of the documents the user may see, newest first (date of the document,
    then id): the same two queries on any page, however long the archive. A cursor that does
    not parse starts from the beginning."""
    page_size = page_size or PAGE_SIZE
    queryset = issued_document_list(user=user).order_by("-issued_on", "-id")
    position = _decode(cursor)
    if position is not None:
        issued_on, pk = position
        queryset = queryset.filter(Q(issued_on__lt=issued_on) | Q(issued_on=issued_on, id__lt=pk))
    documents = list(queryset[: page_size + 1])
    next_cursor = None
    if len(documents) > page_size:
        documents = documents[:page_size]
        last = documents[-1]
        next_cursor = f"{last.issued_on.isoformat()}_{last.pk}"
    return IssuedDocumentPage(documents=documents, next_cursor=next_cursor)


def _decode(cursor: str) -> tuple[dt.date, int] | None:
    try:
        day, pk = cursor.split("_")
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None
