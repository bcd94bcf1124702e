"""Writes behind the API."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from api.authentication import token_expired, tokens_revoke
from workflows.core.audit import record_event


@transaction.atomic
def token_obtain(*, user) -> Token:
    """The user's API token (one per user); issuing it is recorded in the audit trail. While the
    token lives, the same one is returned; an expired one is replaced by a new key. Revoked by
    `token_revoke`, in the admin, by a password change or by deactivation (api/authentication.py)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and token_expired(token):
        tokens_revoke(user=user, actor=user, reason="expired")
        token = None
    if token is None:
        token, created = Token.objects.get_or_create(user=user)
        if created:
            record_event(actor=user, obj=user, event="api_token_created")
    return token


def token_revoke(*, user) -> bool:
    """The caller's own token, deleted: it stops working at once. True if there was one."""
    return tokens_revoke(user=user, actor=user, reason="revoked_by_user") > 0
