"""Where a route meets the diagnostics (workflows/iom/diagnostics, issue 13 §1): the teacher's
current diagnosis — a result younger than the region's setting is reused instead of a new one —
and who besides the diagnostics' own handlers sees a teacher's results: the route's curator."""

from __future__ import annotations

from django.db.models import Q

from .diagnostics.handlers import register_handled_persons
from .diagnostics.selectors import current_diagnosis  # noqa: F401  (services read it from here)


def curated_persons(user) -> Q:
    """Diagnosis results of the teachers whose open route the user curates."""
    return Q(person__iom_routes__curator=user)


def register() -> None:
    register_handled_persons(curated_persons)
