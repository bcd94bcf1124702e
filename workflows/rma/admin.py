"""Administration: the region's РМА settings are edited here; applications and lists are read-only
(every change goes through services.py, with its audit event)."""

from django.contrib import admin

from .models import RmaApplication, RmaList, RmaRegionSettings


@admin.register(RmaRegionSettings)
class RmaRegionSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "region",
        "accept_pedagogical_retraining",
        "min_specialty_years",
        "subject_pass_mark",
        "methodical_pass_mark",
    )


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RmaApplication)
class RmaApplicationAdmin(_ReadOnly):
    list_display = ("id", "person", "kind", "status", "submitted_at")
    list_filter = ("status", "kind")
    search_fields = ("person__last_name", "person__snils")
    raw_id_fields = ("person",)


@admin.register(RmaList)
class RmaListAdmin(_ReadOnly):
    list_display = ("id", "region", "status", "academic_year", "order_number", "order_date")
    list_filter = ("status",)
