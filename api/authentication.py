"""API tokens that expire, can be revoked and die with the password.

A token is DRF's (one per user, `rest_framework.authtoken`), with three rules on top:
- it is refused PROFROST_API_TOKEN_LIFETIME_HOURS after it was issued (the next POST to the
  token endpoint issues a fresh one);
- it is revoked by DELETE /api/v1/auth/token/ (the caller's own) or in the admin («Токены»);
- changing the user's password, or deactivating the user, deletes it (receivers below, connected
  in api/apps.py), as Django ends the user's sessions on a password change.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from common.login_guard import LOCKED_OUT_CODE, cooloff_minutes, lockout_message
from workflows.core.audit import record_event


def token_lifetime() -> timedelta:
    return timedelta(hours=settings.PROFROST_API_TOKEN_LIFETIME_HOURS)


def token_expired(token: Token) -> bool:
    return token.created + token_lifetime() <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)  # unknown key, inactive user → 401
        if token_expired(token):
            raise exceptions.AuthenticationFailed()
        return user, token


class LoginLockedOut(exceptions.APIException):
    """Too many failed logins for this account or from this address (django-axes counts them,
    common/login_guard.py)."""

    status_code = 429
    default_code = LOCKED_OUT_CODE

    def __init__(self):
        super().__init__(lockout_message(), LOCKED_OUT_CODE)
        self.retry_after = cooloff_minutes() * 60


def tokens_revoke(*, user, actor, reason: str) -> int:
    """Deletes the user's API token; the revocation is audited. Returns how many were deleted."""
    with transaction.atomic():
        deleted, _ = Token.objects.filter(user=user).delete()
        if deleted:
            record_event(actor=actor, obj=user, event="api_token_revoked", data={"reason": reason})
    return deleted


# --- a password change or a deactivation revokes the token -----------------------------------

_REVOKE_FLAG = "_profrost_revoke_token_reason"


def remember_credential_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save of the user model: note whether this save changes the password or deactivates."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login on every sign-in: no extra query
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password:
        setattr(instance, _REVOKE_FLAG, "password_changed")
    elif before["is_active"] and not instance.is_active:
        setattr(instance, _REVOKE_FLAG, "user_deactivated")


def revoke_after_credential_change(sender, instance, raw=False, **kwargs):
    """post_save of the user model: delete the token in the same transaction as the change."""
    reason = instance.__dict__.pop(_REVOKE_FLAG, None)
    if reason and not raw:
        tokens_revoke(user=instance, actor=None, reason=reason)


def connect_receivers() -> None:
    from django.db.models.signals import post_save, pre_save

    user_model = get_user_model()
    pre_save.connect(remember_credential_change, sender=user_model, dispatch_uid="api-token-credential-change")
    post_save.connect(revoke_after_credential_change, sender=user_model, dispatch_uid="api-token-revoke")
