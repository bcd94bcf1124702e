"""Brute-force guards for the token endpoint. Rates live here rather than in settings so the
endpoint is never left unthrottled; counters are kept in the default cache (per process with
the local-memory cache, shared once a shared cache is configured). They limit the pace of
requests; the lockout after repeated failures (django-axes, common/login_guard.py) comes on top.

The address is the one common.login_guard.client_ip trusts (PROFROST_TRUSTED_PROXY_COUNT),
never a client-written X-Forwarded-For."""

import hashlib

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from common.login_guard import client_ip


class TokenObtainAddressThrottle(AnonRateThrottle):
    scope = "token_obtain_address"
    rate = "30/min"

    def get_ident(self, request):
        return client_ip(request) or ""


class TokenObtainUsernameThrottle(SimpleRateThrottle):
    """Per account, whatever address the guesses come from."""

    scope = "token_obtain_username"
    rate = "10/min"

    def get_cache_key(self, request, view):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None
        ident = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
