"""Who handles a teacher's diagnosis besides the roles of DiagnosisResult.SCOPE_HANDLERS: the
methodist or РМА member assigned to the teacher's route. The ИОМ process registers a function
`user -> Q over DiagnosisResult` here (e.g. `Q(person__routes__methodist=user)`); the diagnostics
package knows nothing of routes."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

_PROVIDERS: list[Callable] = []


def register_handled_persons(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def handled_persons_condition(user) -> Q:
    condition = Q(pk__in=[])
    for provider in _PROVIDERS:
        condition |= provider(user)
    return condition
