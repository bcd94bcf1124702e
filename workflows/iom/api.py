"""API of the ИОМ process (routed from the registry under /api/v1/iom/): requests (list, submit),
routes of the «Реестр ИОМ» (list with filters, one route with its plan), and an activity of a
registered route marked done with its evidence (multipart upload through common.uploads) or
skipped with a reason. Thin views: validate, call one flow entry point or selector, serialize.
Scoped like the pages (a foreign id answers the same 404 as a missing one); errors are the shared
Russian JSON of api/exceptions.py."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.pagination import ApiCursorPagination
from api.v1.serializers import ErrorSerializer, ValidationErrorSerializer
from common import uploads
from common.uploads.errors import megabytes
from orgstructure import access

from . import flows, selectors, services
from .models import Activity, ActivityStatus, RequestSource, Status
from .rules import ActivityKind, CompetencyArea

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Требуется аутентификация")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Объект не найден или вне области доступа пользователя")
INVALID = OpenApiResponse(ValidationErrorSerializer, description="Неверные данные запроса")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Недостаточно прав для этого действия")
CONFLICT = OpenApiResponse(ErrorSerializer, description="Действие невозможно в текущем статусе или уже выполнено")
ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)
FILE_HELP = (
    f"{uploads.labels(uploads.EVIDENCE)} (тип определяется по содержимому), "
    f"не больше {megabytes(uploads.max_upload_bytes())} МБ"
)


# --- serializers (comments, not docstrings: docstrings become schema descriptions) ---------------


class RequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.ChoiceField(choices=RequestSource.choices)
    organization = serializers.CharField(source="organization.name")
    municipality = serializers.CharField(source="municipality.name", allow_null=True, default=None)
    topic = serializers.CharField()
    teachers = serializers.IntegerField(help_text="педагогов в запросе")
    assigned = serializers.IntegerField(help_text="из них с назначенным куратором")
    created_at = serializers.DateTimeField()


class RequestSubmitSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=RequestSource.choices)
    persons = serializers.ListField(
        child=serializers.IntegerField(),
        min_length=1,
        max_length=200,
        help_text="id педагогов (у каждого — учётная запись)",
    )
    topic = serializers.CharField(max_length=5000)


class DeficitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area = serializers.ChoiceField(choices=CompetencyArea.choices)
    description = serializers.CharField()
    diagnosed = serializers.BooleanField(help_text="выявлен диагностикой: должен быть закрыт мероприятием")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    deficit = serializers.IntegerField(source="deficit_id", allow_null=True)
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField()
    programme = serializers.IntegerField(source="programme_id", allow_null=True)
    in_federal_register = serializers.BooleanField()
    hours = serializers.IntegerField()
    starts_on = serializers.DateField()
    due_on = serializers.DateField()
    expected_result = serializers.CharField()
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    done_on = serializers.DateField(allow_null=True)
    has_evidence = serializers.SerializerMethodField()
    evidence_link = serializers.CharField()
    note = serializers.CharField()
    skip_reason = serializers.CharField()

    def get_has_evidence(self, activity) -> bool:
        return bool(activity.evidence)


class RouteListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="номер в реестре ИОМ (после регистрации)")
    registered_on = serializers.DateField(allow_null=True)
    person = serializers.CharField(source="person.full_name")
    organization = serializers.CharField(source="person.organization.name")
    status = serializers.ChoiceField(choices=Status.choices)
    theme = serializers.CharField()
    period_from = serializers.DateField(allow_null=True)
    period_to = serializers.DateField(allow_null=True)
    round_table = serializers.BooleanField()


class RouteSerializer(RouteListSerializer):
    request = serializers.IntegerField(source="request_id")
    goal = serializers.CharField()
    planned_results = serializers.CharField()
    version = serializers.IntegerField(help_text="версия плана (оптимистическая блокировка при разработке)")
    result = serializers.CharField()
    deficits = DeficitSerializer(many=True)
    activities = ActivitySerializer(many=True)


class RouteFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    municipality = serializers.IntegerField(required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class ActivityMarkSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=(("done", "выполнено"), ("skip", "не выполнено")))
    done_on = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.FileField(required=False, allow_null=True, help_text=FILE_HELP)
    link = serializers.URLField(required=False, allow_blank=True, max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class RequestPagination(ApiCursorPagination):
    ordering = ("-created_at", "-id")


class RoutePagination(ApiCursorPagination):
    ordering = ("-id",)


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(
        summary="Реестр запросов на сопровождение ИОМ",
        tags=["ИОМ"],
        responses={200: RequestSerializer(many=True), 401: UNAUTHENTICATED},
    ),
    create=extend_schema(
        summary="Подать запрос на сопровождение ИОМ (педагог, школа о нескольких педагогах, муниципалитет)",
        tags=["ИОМ"],
        request=RequestSubmitSerializer,
        responses={201: RequestSerializer, 400: INVALID, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class RequestViewSet(viewsets.GenericViewSet):
    serializer_class = RequestSerializer
    pagination_class = RequestPagination

    def list(self, request):
        page = self.paginate_queryset(selectors.requests_for(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request):
        data = _validated(RequestSubmitSerializer, request.data)
        persons = services.persons_for_request(request.user, data["source"], data["persons"])
        created = flows.request_submit(actor=request.user, source=data["source"], persons=persons, topic=data["topic"])
        created = selectors.requests_for(request.user).get(pk=created.pk)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Реестр ИОМ (маршруты, которые пользователь сопровождает или согласует)",
        tags=["ИОМ"],
        parameters=[RouteFilterSerializer],
        responses={200: RouteListSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="ИОМ: дефициты, план, выполнение",
        tags=["ИОМ"],
        parameters=[ID_PARAMETER],
        responses={200: RouteSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class RouteViewSet(viewsets.GenericViewSet):
    serializer_class = RouteSerializer
    pagination_class = RoutePagination

    def list(self, request):
        filters = _validated(RouteFilterSerializer, request.query_params)
        queryset = selectors.route_register_filtered(
            request.user,
            status=filters.get("status", ""),
            municipality=filters.get("municipality", ""),
            year=filters.get("year", ""),
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(RouteListSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(selectors.route_for(request.user, pk)).data)


@extend_schema(
    summary="Отметить мероприятие ИОМ: выполнено с подтверждением (файл, ссылка или описание) или не выполнено "
    "с причиной",
    tags=["ИОМ"],
    parameters=[ID_PARAMETER],
    request={"multipart/form-data": ActivityMarkSerializer, "application/json": ActivityMarkSerializer},
    responses={200: ActivitySerializer, 400: INVALID, 401: UNAUTHENTICATED, 404: NOT_FOUND, 409: CONFLICT},
)
class ActivityMarkViewSet(viewsets.GenericViewSet):
    serializer_class = ActivitySerializer
    parser_classes = (MultiPartParser, FormParser, JSONParser)

    def create(self, request, pk=None):
        activity = get_object_or_404(
            access.scope_queryset(request.user, Activity.objects.select_related("route__person__organization__region")),
            pk=pk,
        )
        data = _validated(ActivityMarkSerializer, request.data)
        if data["decision"] == "skip":

            def perform():
                return services.activity_skip(actor=request.user, activity=activity, reason=data.get("reason", ""))
        else:

            def perform():
                return services.activity_done(
                    actor=request.user,
                    activity=activity,
                    done_on=data.get("done_on"),
                    evidence=data.get("evidence"),
                    link=data.get("link", ""),
                    note=data.get("note", ""),
                )

        flows.activity_close(actor=request.user, activity=activity, perform=perform)
        activity.refresh_from_db()
        return Response(self.get_serializer(activity).data)


urlpatterns = [
    path("requests/", RequestViewSet.as_view({"get": "list", "post": "create"}), name="iom-request-list"),
    path("routes/", RouteViewSet.as_view({"get": "list"}), name="iom-route-list"),
    path("routes/<int:pk>/", RouteViewSet.as_view({"get": "retrieve"}), name="iom-route-detail"),
    path("activities/<int:pk>/mark/", ActivityMarkViewSet.as_view({"post": "create"}), name="iom-activity-mark"),
]
