"""Administration of the kit's tables, and `ReadOnlyAdmin` for the processes' artefacts."""

from django.contrib import admin

from . import regulation
from .models import (
    AuditEvent,
    CalendarOverride,
    DeadlineRule,
    Notification,
    OutboxEmail,
    OutboxMessage,
    ProcessDeadline,
    RegulationProfile,
    Substitution,
    TaskDeadline,
)


class ReadOnlyAdminMixin:
    """For the tables whose every change goes through a service, with its audit event (a process's
    artefacts, the audit trail): the admin lists, searches and shows them, and offers no add,
    change or delete path — not even the bulk «delete selected» action."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The admin can search the trail but has no add, change or delete path."""

    list_display = ("occurred_at", "actor", "event", "object_repr", "from_state", "to_state")
    list_filter = ("event", "content_type")
    search_fields = ("object_repr", "comment", "request_id", "event")
    date_hierarchy = "occurred_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working", "reason", "updated_at")
    list_filter = ("is_working",)
    search_fields = ("reason",)
    date_hierarchy = "date"


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0
    fields = (
        "position", "code", "title", "kind", "month", "day", "end_month", "periods_per_year", "days",
        "one_off_date", "anchor", "moves_to_working_day", "reminder_days", "escalation_after_days",
        "escalation_role", "source",
    )


@admin.register(RegulationProfile)
class RegulationProfileAdmin(admin.ModelAdmin):
    """Editing a profile never moves running processes: they keep their snapshot until an
    administrator re-plans them (ProcessDeadline admin action)."""

    list_display = ("name", "region_code", "version", "valid_from", "is_default")
    list_filter = ("is_default", "region_code")
    inlines = [DeadlineRuleInline]


@admin.action(description="Перепланировать сроки по действующему профилю (с записью в журнал)")
def replan_processes(modeladmin, request, queryset):
    reason = f"Перепланирование администратором через админку ({request.user})"
    done = 0
    for process_id in sorted(set(queryset.values_list("process_id", flat=True))):
        from viewflow.workflow.models import Process

        regulation.process_deadlines_replan(
            process=Process.objects.get(pk=process_id), actor=request.user, reason=reason
        )
        done += 1
    modeladmin.message_user(request, f"Перепланировано процессов: {done}")


@admin.register(ProcessDeadline)
class ProcessDeadlineAdmin(admin.ModelAdmin):
    list_display = ("process", "rule_code", "title", "due_at", "profile_version", "replanned_at")
    list_filter = ("rule_code", "region_code")
    readonly_fields = [field.name for field in ProcessDeadline._meta.fields]
    actions = [replan_processes]

    def has_add_permission(self, request):
        return False


@admin.register(TaskDeadline)
class TaskDeadlineAdmin(admin.ModelAdmin):
    list_display = ("task_id", "flow_task", "subject", "owner", "status", "due_at", "extension_count", "organization")
    list_filter = ("is_open", "status", "rule_code")
    raw_id_fields = ("task", "process", "owner", "region", "municipality", "organization")
    readonly_fields = [field.name for field in TaskDeadline._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "task_id", "due_at", "created_at", "sent_at", "attempts", "result")
    list_filter = ("kind", ("sent_at", admin.EmptyFieldListFilter))
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """The letters of the notifications, one per recipient: failed ones are listed here (and were
    logged as errors) once their attempts ran out."""

    list_display = ("id", "address", "subject", "status", "attempts", "next_attempt_at", "sent_at", "error")
    list_filter = ("status",)
    search_fields = ("address", "subject")
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "outbox")


@admin.register(Substitution)
class SubstitutionAdmin(admin.ModelAdmin):
    """Substitutions are set through the audited service; the admin form calls it too."""

    list_display = ("absent", "substitute", "starts_on", "ends_on", "reason", "is_active")
    list_filter = ("is_active",)
    raw_id_fields = ("absent", "substitute", "created_by")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        from .assignment import substitution_save

        substitution_save(actor=request.user, substitution=obj)
