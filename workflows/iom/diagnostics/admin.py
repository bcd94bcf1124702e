"""Administration: the region's diagnostics setting is edited here; results are read-only (they
come in through the import or the form, each with its audit event)."""

from django.contrib import admin

from workflows.core.admin import ReadOnlyAdmin

from .models import DiagnosisImport, DiagnosisRegionSettings, DiagnosisResult


@admin.register(DiagnosisRegionSettings)
class DiagnosisRegionSettingsAdmin(admin.ModelAdmin):
    list_display = ("region", "reuse_months")


@admin.register(DiagnosisResult)
class DiagnosisResultAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "diagnosed_on", "instrument", "organization", "source")
    list_filter = ("source",)
    search_fields = ("person__last_name", "person__snils")
    raw_id_fields = ("person",)


@admin.register(DiagnosisImport)
class DiagnosisImportAdmin(ReadOnlyAdmin):
    list_display = ("id", "file_name", "rows", "organization", "loaded_by", "loaded_at")
