from django.contrib import admin

from . import admin_import  # noqa: F401 (adds «Импорт кадров» to the Person changelist)
from .models import Membership, Municipality, Organization, Person, Region, Subject


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "timezone")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("region",)
    search_fields = ("name",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "municipality", "region")
    list_filter = ("kind", "region", "municipality")
    search_fields = ("name", "short_name", "inn")
    list_select_related = ("municipality", "region")
    autocomplete_fields = ("parent",)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "position", "organization", "category", "category_valid_until")
    list_filter = ("category", "education_level", "education_is_pedagogical")
    search_fields = ("last_name", "first_name", "middle_name", "snils")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization", "user")
    filter_horizontal = ("subjects",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organization", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "organization__name")
    autocomplete_fields = ("user", "organization")
