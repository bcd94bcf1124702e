"""The id of the request being served, so that audit rows written anywhere below a view can be
tied back to one request (and to the web server's log line carrying the same X-Request-ID)."""

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("profrost_request_id", default="")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(incoming: str | None) -> contextvars.Token:
    value = incoming if incoming and _VALID.match(incoming) else uuid.uuid4().hex
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)
