"""Append-only audit trail shared by every process."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditImmutableError(Exception):
    """Raised on any attempt to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("Журнал аудита нельзя изменять")

    def delete(self):
        raise AuditImmutableError("Записи журнала аудита нельзя удалять")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        ).order_by("occurred_at", "id")


class AuditEvent(models.Model):
    """One state change: who, when, on what, which event, from → to, why, in which request.
    Rows are written only by `workflows.core.audit.record_event` and never updated or deleted
    (on PostgreSQL a trigger refuses UPDATE and DELETE as well)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто",
    )
    occurred_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField("объект (id)", max_length=64)
    object_repr = models.CharField("объект", max_length=300)
    event = models.CharField("событие", max_length=100)
    from_state = models.CharField("из состояния", max_length=64, blank=True)
    to_state = models.CharField("в состояние", max_length=64, blank=True)
    comment = models.TextField("комментарий", blank=True)
    request_id = models.CharField("запрос", max_length=64, blank=True)
    data = models.JSONField("данные", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "событие аудита"
        verbose_name_plural = "журнал аудита"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "occurred_at"])]
        default_permissions = ("view",)

    def __str__(self):
        transition = f" {self.from_state} → {self.to_state}" if self.from_state or self.to_state else ""
        return f"{self.occurred_at:%d.%m.%Y %H:%M} {self.event}{transition}: {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("Журнал аудита нельзя изменять")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("Записи журнала аудита нельзя удалять")
