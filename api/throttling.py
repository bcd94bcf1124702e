"""Brute-force guards for the token endpoint. Rates live here rather than in settings so the
endpoint is never left unthrottled; counters are kept in the default cache (per process with
the local-memory cache, shared once a shared cache is configured)."""

import hashlib

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class TokenObtainAddressThrottle(AnonRateThrottle):
    scope = "token_obtain_address"
    rate = "30/min"


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
