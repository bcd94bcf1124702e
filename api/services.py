"""Writes behind the API."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from workflows.core.audit import record_event


@transaction.atomic
def token_obtain(*, user) -> Token:
    """The user's API token; the first one issued is recorded in the audit trail. One token per
    user, valid until removed in the admin (that is how a token is revoked)."""
    token, created = Token.objects.get_or_create(user=user)
    if created:
        record_event(actor=user, obj=user, event="api_token_created")
    return token
