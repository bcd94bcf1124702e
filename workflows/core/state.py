"""The one way an artefact's legal status changes, for every process.

An artefact (an РМА application, an ИОМ, a school's monitoring report…) keeps its status in a
protected `django_fsm.FSMField`; each `@transition` carries the regulation as `conditions` and the
role as `permission`. `fire()` is the only caller of those methods: it checks the status and the
conditions, then the actor's permission, changes the status, saves conditionally (with
`ConcurrentTransitionMixin` a concurrent change of the same row makes the save fail) and writes
the transition's audit event — in the caller's transaction, so the change and its audit row
commit or roll back together.

Events are per process `TextChoices` ("rma.verified", "Документы подтверждены"), registered once
(`register_events`) so that every history page reads their Russian labels from one place:

    class RmaEvent(models.TextChoices):
        VERIFIED = "rma.verified", "Документы подтверждены"

    fire(application, "verify", actor=user, event=RmaEvent.VERIFIED, comment=comment)
"""

from __future__ import annotations

from django.db import models
from django_fsm import ConcurrentTransition, FSMFieldMixin, can_proceed, has_transition_perm

from common.errors import ActionForbidden, ActionRefused, AlreadyProcessed

from .audit import history, record_event

CHANGED_BY_SOMEONE_ELSE = "Запись уже изменена другим пользователем: обновите страницу"

_EVENT_LABELS: dict[str, str] = {}


def register_events(choices: type[models.TextChoices]) -> type[models.TextChoices]:
    """Make a process's events known to the history pages (usable as a class decorator). A code
    registered twice with another label is a programming error."""
    for value, label in choices.choices:
        known = _EVENT_LABELS.get(value)
        if known is not None and known != label:
            raise ValueError(f"audit event {value!r} is registered twice with different labels")
        _EVENT_LABELS[value] = str(label)
    return choices


def event_label(code: str) -> str:
    return _EVENT_LABELS.get(code, code)


def status_field(model) -> models.Field:
    """The model's FSM status field (the first one, where a model has several)."""
    for field in model._meta.concrete_fields:
        if isinstance(field, FSMFieldMixin):
            return field
    raise TypeError(f"{model.__name__} has no FSMField")


def status_label(model, value: str) -> str:
    return dict(status_field(model).flatchoices).get(value, value)


def fire(
    obj,
    transition: str,
    *,
    actor,
    event: str,
    comment: str = "",
    data: dict | None = None,
    check_permission: bool = True,
    refused_message: str = "",
):
    """Fire `transition` on `obj`, save it conditionally and write its audit event. The
    permission check is skipped only for system actions (a nightly scan, the automatic check)."""
    method = getattr(obj, transition)
    field = status_field(type(obj))
    if not can_proceed(method):
        label = status_label(type(obj), getattr(obj, field.attname))
        raise ActionRefused(
            refused_message or f"Действие невозможно: статус «{label}» или условия регламента не позволяют"
        )
    if check_permission and not has_transition_perm(method, actor):
        raise ActionForbidden()
    from_state = getattr(obj, field.attname)
    method()
    try:
        obj.save()
    except ConcurrentTransition as exc:
        raise AlreadyProcessed(getattr(obj, "CHANGED_MESSAGE", CHANGED_BY_SOMEONE_ELSE)) from exc
    record_event(
        actor=actor,
        obj=obj,
        event=event,
        from_state=from_state,
        to_state=getattr(obj, field.attname),
        comment=comment,
        data=data,
    )
    return obj


def history_rows(obj) -> list[dict]:
    """The audit trail of an artefact in Russian, oldest first: each event with its label and the
    statuses by their labels (the codes stay on the event)."""
    model = type(obj)
    try:
        labels = dict(status_field(model).flatchoices)
    except TypeError:
        labels = {}
    return [
        {
            "event": event,
            "label": event_label(event.event),
            "from_label": labels.get(event.from_state, event.from_state),
            "to_label": labels.get(event.to_state, event.to_state),
        }
        for event in history(obj)
    ]
