"""Reads of the documents app, always through the user's scope (orgstructure.access): a document
outside the scope answers 404 exactly like a missing one."""

from orgstructure.access import get_for_user_or_404, scope_queryset

from .models import IssuedDocument


def issued_document_list(*, user):
    queryset = IssuedDocument.objects.select_related("organization", "template")
    return scope_queryset(user, queryset)


def issued_document_get(*, user, pk) -> IssuedDocument:
    return get_for_user_or_404(user, IssuedDocument.objects.select_related("organization"), pk=pk)
