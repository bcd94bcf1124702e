"""API v1: the catalogue of ДПП (programmes/), read-only. The rows come from programmes.selectors,
which scope them to the regions of the user's roles."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from api.pagination import ApiCursorPagination
from programmes import selectors
from programmes.models import CompetencyArea, ProgrammeKind, StudyForm

from .serializers import id_filter
from .views import INVALID, NOT_FOUND, UNAUTHENTICATED, ListViewSet, _validated


class ProgrammePagination(ApiCursorPagination):
    ordering = selectors.ORDERING


class ProgrammeFilterSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, max_length=200, help_text="часть наименования или номер в ФР ДПП")
    provider = id_filter("id организации-разработчика")
    area = serializers.ChoiceField(choices=CompetencyArea.choices, required=False, help_text="область компетенций")
    subject = id_filter("id предмета")
    in_federal_register = serializers.BooleanField(required=False, allow_null=True, default=None,
                                                   help_text="размещена ли в ФР ДПП")
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices, required=False, help_text="вид программы")
    active = serializers.BooleanField(required=False, default=True, help_text="только реализуемые (по умолчанию)")

    def to_selector_kwargs(self) -> dict:
        data = self.validated_data
        return {
            "q": data.get("search", ""),
            "provider_id": data.get("provider"),
            "area": data.get("area", ""),
            "subject_id": data.get("subject"),
            "in_register": data.get("in_federal_register"),
            "kind": data.get("kind", ""),
            "active_only": data.get("active", True),
        }


class ProgrammeProviderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class ProgrammeGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    seats = serializers.IntegerField(allow_null=True)
    venue = serializers.CharField()


class ProgrammeSubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    provider = ProgrammeProviderSerializer()
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices)
    hours = serializers.IntegerField()
    form = serializers.ChoiceField(choices=StudyForm.choices)
    competency_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=CompetencyArea.choices), source="area_codes",
        help_text="области компетенций (003:L1229), к дефицитам которых подбирается программа",
    )
    subjects = ProgrammeSubjectSerializer(many=True, help_text="пусто — для всех предметов")
    in_federal_register = serializers.BooleanField(help_text="размещена в ФР ДПП")
    federal_register_number = serializers.CharField()
    is_active = serializers.BooleanField(help_text="реализуется")
    groups = ProgrammeGroupSerializer(many=True, help_text="группы (потоки) с датами")


@extend_schema_view(
    list=extend_schema(
        summary="Каталог ДПП",
        tags=["Каталог ДПП"],
        parameters=[ProgrammeFilterSerializer],
        responses={200: ProgrammeSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Программа ДПП",
        tags=["Каталог ДПП"],
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: ProgrammeSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class ProgrammeViewSet(ListViewSet):
    serializer_class = ProgrammeSerializer
    pagination_class = ProgrammePagination

    def list(self, request):
        filters = _validated(ProgrammeFilterSerializer, request.query_params)
        queryset = selectors.programme_filtered(user=request.user, **filters.to_selector_kwargs())
        return self.paginated(selectors.with_details(queryset))

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(selectors.programme_get(user=request.user, pk=pk)).data)
