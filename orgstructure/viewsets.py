"""Read-only directory pages (organizations, teachers), scoped through access.py: a foreign
object answers 404 exactly like a missing one. Headers and values read in Russian: viewflow
capitalises a verbose name with str.capitalize() («Снилс», «Инн»), names a foreign key without
one by its field («Municipality») and prints booleans as True/False; here they read «СНИЛС»,
«Муниципальное образование», «да»/«нет»."""

import datetime as dt

from django.db import models
from django.utils.text import capfirst
from viewflow.urls import ReadonlyModelViewset
from viewflow.views import DetailModelView, ListModelView
from viewflow.views.list import ModelFieldColumn

from . import access, privacy
from .models import Organization, Person

# Labels of fields that have no Russian verbose name of their own.
FIELD_LABELS = {
    "region": "Регион",
    "municipality": "Муниципальное образование",
    "parent": "Вышестоящая организация",
    "email": "Электронная почта",
}


def field_label(field) -> str:
    if field.name in FIELD_LABELS:
        return FIELD_LABELS[field.name]
    verbose = getattr(field, "verbose_name", None)
    if verbose is None:  # a reverse relation
        verbose = field.related_model._meta.verbose_name_plural
    return capfirst(str(verbose))


def display_value(obj, field) -> str:
    """A field's value as a page shows it: choice labels, «да»/«нет», dd.mm.yyyy, «—» when empty."""
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(obj, field.name).all()) or "—"
    value = getattr(obj, field.name)
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value)) if value not in (None, "") else "—"
    if isinstance(field, models.BooleanField):
        return "да" if value else "нет"
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


class _RussianColumn(ModelFieldColumn):
    def header(self):
        return field_label(self.model_field)

    def format_value(self, obj, value):
        if isinstance(self.model_field, models.BooleanField):
            return "да" if value else "нет"
        return super().format_value(obj, value)


class ScopedDetailView(DetailModelView):
    template_name = "orgstructure/detail.html"
    # Fields shown on the card, in order (None: every concrete field but the id and the user link).
    detail_fields: tuple[str, ...] | None = None

    def get_queryset(self):
        return access.scope_queryset(self.request.user, self.model._default_manager.all())

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated

    def get_object_data(self):
        opts = self.model._meta
        if self.detail_fields is not None:
            fields = [opts.get_field(name) for name in self.detail_fields]
        else:
            fields = [
                field
                for field in [*opts.fields, *opts.many_to_many]
                if field.name not in ("id", "user") and not field.auto_created
            ]
        for field in fields:
            yield field, field_label(field), display_value(self.object, field)


class TitledListView(ListModelView):
    """viewflow titles a list with the model's verbose_name_plural|title («Педагогические
    Работники»); Russian capitalises only the first word."""

    title = None

    def get_column_def(self, attr_name):
        column = super().get_column_def(attr_name)
        if type(column) is ModelFieldColumn:
            column.__class__ = _RussianColumn
        return column


class ScopedReadonlyViewset(ReadonlyModelViewset):
    detail_view_class = ScopedDetailView
    list_view_class = TitledListView

    def get_queryset(self, request):
        return access.scope_queryset(request.user, self.model._default_manager.all())

    def has_view_permission(self, user, obj=None):
        if not user.is_authenticated:
            return False
        return obj is None or access.can(user, obj)


class OrganizationViewset(ScopedReadonlyViewset):
    model = Organization
    title = "Организации"
    icon = "domain"
    # The short name tells 40 schools apart («МАОУ «СОШ № 7» г. Березники»); the full one is on the card.
    list_columns = ("display_name", "kind", "municipality")
    list_view_kwargs = {"title": "Организации"}
    list_filter_fields = ("kind", "municipality")
    list_search_fields = ("name", "short_name")
    detail_view_kwargs = {
        "detail_fields": (
            "name",
            "short_name",
            "kind",
            "region",
            "municipality",
            "parent",
            "inn",
            "email",
            "head_position",
            "head_name",
            "is_low_results",
        )
    }

    def display_name(self, obj):
        return obj.short_name or obj.name

    display_name.short_description = "Наименование"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality")


class PersonDetailView(ScopedDetailView):
    """A teacher's card: the personal data only for those who act on the person (privacy.py)."""

    def get_object_data(self):
        hidden = () if privacy.sees_personal_data(self.request.user, self.object) else privacy.PERSONAL_FIELDS
        return [row for row in super().get_object_data() if row[0].name not in hidden]


class PersonViewset(ScopedReadonlyViewset):
    model = Person
    detail_view_class = PersonDetailView
    title = "Педагоги"
    icon = "school"
    list_columns = ("full_name", "position", "organization", "category")
    list_view_kwargs = {"title": "Педагогические работники"}
    list_filter_fields = ("category", "education_level")
    list_search_fields = ("last_name", "first_name", "middle_name")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")
