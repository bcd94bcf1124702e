"""Administration: the region's РМА settings are edited here; applications and lists are read-only
(every change goes through services.py, with its audit event)."""

from django.contrib import admin

from workflows.core.admin import ReadOnlyAdmin

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


@admin.register(RmaApplication)
class RmaApplicationAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "kind", "status", "submitted_at")
    list_filter = ("status", "kind")
    search_fields = ("person__last_name", "person__snils")
    raw_id_fields = ("person",)


@admin.register(RmaList)
class RmaListAdmin(ReadOnlyAdmin):
    list_display = ("id", "region", "status", "academic_year", "order_number", "order_date")
    list_filter = ("status",)
