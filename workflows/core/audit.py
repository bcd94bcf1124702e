"""The one service that writes audit events. Call it inside the transaction of the change it
records, so that the change and its audit row commit or roll back together."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent
from .request_context import current_request_id


def record_event(
    *,
    actor,
    obj,
    event: str,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        event=event,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        comment=comment,
        request_id=current_request_id(),
        data=data or {},
    )


def history(obj):
    return AuditEvent.objects.for_object(obj).select_related("actor")


def on_audited_change(sender, *, actor, obj, event, comment="", data=None, **kwargs):
    """Receiver of orgstructure.events.audited_change (and of any lower layer that announces)."""
    record_event(actor=actor, obj=obj, event=event, comment=comment, data=data)
