"""Read-only directory pages (organizations, teachers), scoped through access.py: a foreign
object answers 404 exactly like a missing one."""

from viewflow.urls import ReadonlyModelViewset
from viewflow.views import DetailModelView, ListModelView

from . import access, privacy
from .models import Organization, Person


class ScopedDetailView(DetailModelView):
    def get_queryset(self):
        return access.scope_queryset(self.request.user, self.model._default_manager.all())

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


class TitledListView(ListModelView):
    """viewflow titles a list with the model's verbose_name_plural|title («Педагогические
    Работники»); Russian capitalises only the first word."""

    title = None


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
    list_columns = ("name", "kind", "municipality")
    list_view_kwargs = {"title": "Организации"}
    list_filter_fields = ("kind", "municipality")
    list_search_fields = ("name", "short_name")

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
