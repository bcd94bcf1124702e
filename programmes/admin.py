"""Administration of the catalogue: programmes with their areas and groups are edited here (it
is reference data, with no legal status to keep); a whole catalogue comes in through the .xlsx
import on the catalogue page."""

from django.contrib import admin

from .models import Programme, ProgrammeArea, ProgrammeGroup


class ProgrammeAreaInline(admin.TabularInline):
    model = ProgrammeArea
    extra = 0


class ProgrammeGroupInline(admin.TabularInline):
    model = ProgrammeGroup
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("title", "provider", "kind", "hours", "form", "in_federal_register", "is_active")
    list_filter = ("kind", "form", "in_federal_register", "is_active", "areas__area")
    search_fields = ("title", "federal_register_number", "provider__name", "provider__short_name")
    list_select_related = ("provider",)
    autocomplete_fields = ("provider",)
    filter_horizontal = ("subjects",)
    inlines = [ProgrammeAreaInline, ProgrammeGroupInline]
