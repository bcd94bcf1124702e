"""Audit hook for the org structure. ARCHITECTURE keeps orgstructure below workflows, so it
announces a change with this signal and workflows.core (its AppConfig.ready) records the audit
event — synchronously, inside the caller's transaction, so the change and its row commit together.

Receivers get: actor (user or None), obj (the model instance), event (code), comment, data."""

from django.dispatch import Signal

audited_change = Signal()


def announce(*, actor, obj, event: str, comment: str = "", data: dict | None = None) -> None:
    audited_change.send(sender=type(obj), actor=actor, obj=obj, event=event, comment=comment, data=data or {})
