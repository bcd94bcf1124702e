"""The pieces of the password-guessing guard that do not belong to any one page: which address a
request comes from, which account a login attempt is for, and the Russian lockout answer.

Failed logins are counted by django-axes (settings: AXES_*) in the shared cache, per account
and per client address, for every `authenticate()` call that passes the request — the login
page, the admin's login and the API's token endpoint alike.

The client address is never taken from a header the client writes. Behind N trusted reverse
proxies (PROFROST_TRUSTED_PROXY_COUNT, 0 when the server faces clients directly) each proxy
appends the address it saw to X-Forwarded-For, so the client is the N-th entry from the right;
whatever the client put to the left of it is ignored. With no proxy, REMOTE_ADDR.
"""

import ipaddress
import math

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_OUT_CODE = "login_locked"


class LoginGuardBackend(AxesStandaloneBackend):
    """axes' guard in front of ModelBackend, for every sign-in that comes with a request. A call
    without one (`Client.login` in tests, a management command) is no HTTP attempt to count;
    axes would raise there."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the nearest trusted proxy saw it (see the module's docstring)."""
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "PROFROST_TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote_addr
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # a proxy that forwards garbage: count the proxy itself
        return remote_addr


def login_username(request, credentials: dict | None) -> str | None:
    """The account an attempt is for, as the user model matches it: «Head » and «head» are one
    account for the counter. Prefixed, so that no username can share the key of an address."""
    username = None
    if credentials:
        username = credentials.get("username")
    if username is None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        username = data.get("username") if hasattr(data, "get") else None
    if not isinstance(username, str) or not username.strip():
        return None
    return "user:" + username.strip().lower()


def cooloff_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    minutes = cooloff_minutes()
    return (
        "Слишком много неудачных попыток входа. Вход для этой учётной записи или с этого адреса "
        f"временно заблокирован, повторите через {minutes} {_minutes_word(minutes)}."
    )


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """What axes answers when it refuses a login: the login page again with the reason (429),
    JSON for the API. Each refused attempt restarts the cool-off, so «через N минут» holds."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(), "code": LOCKED_OUT_CODE}, status=status)
    else:
        # An unbound form carrying the reason: validating the posted one would authenticate again.
        form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
        form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([lockout_message()])})
        response = render(request, "registration/login.html", {"form": form}, status=status)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _minutes_word(number: int) -> str:
    if number % 10 == 1 and number % 100 != 11:
        return "минуту"
    if number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14):
        return "минуты"
    return "минут"
