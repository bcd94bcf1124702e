from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin can search the trail but has no add, change or delete path."""

    list_display = ("occurred_at", "actor", "event", "object_repr", "from_state", "to_state")
    list_filter = ("event", "content_type")
    search_fields = ("object_repr", "comment", "request_id", "event")
    date_hierarchy = "occurred_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
