"""The processes' clock: «now» and a region's «today», read in one place so that a test can set
the day an action happens on.

Rules that depend on the day — a due date may not be moved into the past, an assessment may not
be dated in the future — ask `today(region_timezone)` (or take the day as an argument). In
production the clock is the system's (`django.utils.timezone.now`). A test that pins its dates
(the deadline tests live in January 2026) runs under `clock.set_now(instant)`:

    with clock.set_now(deadline_instant(dt.date(2026, 1, 16), "Asia/Yekaterinburg")):
        task_deadline_extend(...)

No datetime is patched: the setting is a context variable of this module, so it holds for the
code run inside the `with` block (the same thread, or the same task of an event loop) and
nowhere else.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt

from django.utils import timezone

from .calendar import local_date

_fixed: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("profrost_clock", default=None)


def now() -> dt.datetime:
    """The current instant (aware, UTC) — the system's unless a test set it."""
    return _fixed.get() or timezone.now()


def today(tz: str | dt.tzinfo) -> dt.date:
    """Today's date in a region's time zone («Asia/Yekaterinburg» for Perm)."""
    return local_date(now(), tz)


@contextlib.contextmanager
def set_now(instant: dt.datetime):
    """Run the block as if it were `instant` (an aware datetime)."""
    if timezone.is_naive(instant):
        raise ValueError("clock.set_now needs an aware datetime")
    token = _fixed.set(instant)
    try:
        yield instant
    finally:
        _fixed.reset(token)
