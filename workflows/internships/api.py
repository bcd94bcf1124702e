"""API of the selection of sites (routed from the API kit's registry under /api/v1/internships/):
the calls of the user's regions, the applications in their scope (a school's system submits one,
JSON with its programmes, then adds its supporting files one by one, multipart through
common.uploads, while the application is with the ММС or back for revision), and the register of sites
(what the приказ made public: no personal data). Thin views: validate, call one flow entry point
or selector, serialize; a foreign id answers the same 404 as a missing one; errors are the shared
Russian JSON of api/exceptions.py."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.pagination import ApiCursorPagination
from api.v1.serializers import ErrorSerializer, ValidationErrorSerializer, id_filter
from common import uploads
from common.errors import ActionForbidden
from common.uploads.errors import megabytes
from orgstructure import access
from orgstructure.models import Role

from . import flows, selectors, services
from .models import ApplicationStatus, SiteKind, SiteStatus

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Требуется аутентификация")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Объект не найден или вне области доступа пользователя")
INVALID = OpenApiResponse(ValidationErrorSerializer, description="Неверные данные запроса")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Недостаточно прав для этого действия")
CONFLICT = OpenApiResponse(ErrorSerializer, description="Действие невозможно: приём заявок завершён, заявка уже подана")
ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)
FILE_HELP = (
    f"{uploads.labels(uploads.EVIDENCE)} (тип определяется по содержимому), "
    f"не больше {megabytes(uploads.max_upload_bytes())} МБ; не больше {services.MAX_FILES} файлов к заявке"
)
KIND_HELP = "вид площадки: " + ", ".join(f"{value} — {label.lower()}" for value, label in SiteKind.choices)


# --- serializers (comments, not docstrings: docstrings become schema descriptions) ---------------


class SiteCriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    weight = serializers.CharField(help_text="вес критерия (десятичное число)")
    max_score = serializers.IntegerField()


class SiteCallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text=KIND_HELP)
    themes = serializers.ListField(child=serializers.CharField())
    applications_due = serializers.DateField(help_text="приём заявок до (включительно)")
    status_from = serializers.DateField()
    status_to = serializers.DateField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    organizer = serializers.CharField(source="organizer.name")
    criteria = SiteCriterionSerializer(many=True)
    pass_threshold = serializers.DecimalField(max_digits=5, decimal_places=2)
    experts_per_application = serializers.IntegerField()
    experts_needed = serializers.IntegerField()


class SiteProgrammeSerializer(serializers.Serializer):
    theme = serializers.CharField(max_length=500)
    target_group = serializers.CharField(max_length=300)
    format = serializers.CharField(max_length=100, help_text="индивидуальная, групповая, …")
    hours = serializers.IntegerField(min_value=1, max_value=500)


class SiteApplicationFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    extension = serializers.CharField(help_text="тип, определённый по содержимому")


class SiteApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    call_id = serializers.IntegerField()
    organization_id = serializers.IntegerField()
    organization = serializers.CharField(source="organization.name")
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    experience = serializers.CharField()
    resources = serializers.CharField()
    curator = serializers.CharField()
    return_reason = serializers.CharField(help_text="что доработать, если ММС вернула заявку")
    decision_reason = serializers.CharField(help_text="основание решения комиссии, если заявка не включена")
    programmes = SiteProgrammeSerializer(many=True, source="programmes.all")
    files = SiteApplicationFileSerializer(many=True, source="files.all")
    created_at = serializers.DateTimeField()


class SiteApplicationSubmitSerializer(serializers.Serializer):
    call = serializers.IntegerField(min_value=1, help_text="id отбора")
    organization = serializers.IntegerField(
        min_value=1, required=False, help_text="id организации (если пользователь руководит несколькими)"
    )
    experience = serializers.CharField(help_text="успешный педагогический и управленческий опыт")
    resources = serializers.CharField(help_text="кадровые и материально-технические ресурсы")
    curator = serializers.CharField(required=False, allow_blank=True, max_length=300)
    programmes = SiteProgrammeSerializer(many=True, allow_empty=False)


class SiteApplicationFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=FILE_HELP)


class SiteApplicationFilterSerializer(serializers.Serializer):
    call = id_filter("id отбора")
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, required=False)


class RegisterSiteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization_id = serializers.IntegerField()
    organization = serializers.CharField(source="organization.name")
    municipality = serializers.SerializerMethodField()
    kind = serializers.CharField(help_text=KIND_HELP)
    status = serializers.ChoiceField(choices=SiteStatus.choices)
    status_from = serializers.DateField()
    status_to = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    order_number = serializers.CharField(source="order.number")
    order_date = serializers.DateField(source="order.issued_on")
    programmes = SiteProgrammeSerializer(many=True, source="application.programmes.all")
    trainees = serializers.IntegerField(source="trainees_total", allow_null=True, help_text="обучено по отчётам")

    def get_municipality(self, site) -> str | None:
        municipality = site.organization.municipality
        return municipality.name if municipality else None


class SiteRegisterFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SiteStatus.choices, required=False)


# --- views ---------------------------------------------------------------------------------------


class ByIdPagination(ApiCursorPagination):
    ordering = ("-id",)


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


TAGS = ["Стажировочные площадки"]


@extend_schema_view(
    list=extend_schema(
        summary="Отборы площадок в регионах пользователя",
        tags=TAGS,
        responses={200: SiteCallSerializer(many=True), 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Отбор площадок: сроки, критерии, проходной балл",
        tags=TAGS,
        parameters=[ID_PARAMETER],
        responses={200: SiteCallSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class CallViewSet(viewsets.GenericViewSet):
    serializer_class = SiteCallSerializer
    pagination_class = ByIdPagination

    def list(self, request):
        page = self.paginate_queryset(selectors.calls_for(request.user).order_by("-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(selectors.call_for(request.user, pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Заявки на статус площадки в области доступа пользователя",
        tags=TAGS,
        parameters=[SiteApplicationFilterSerializer],
        responses={200: SiteApplicationSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Заявка на статус площадки: статус, программы, причина возврата или решения",
        tags=TAGS,
        parameters=[ID_PARAMETER],
        responses={200: SiteApplicationSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Подать заявку школы на статус площадки",
        tags=TAGS,
        description=(
            "JSON. Подаёт руководитель организации; заявка уходит на согласование в ММС её "
            "муниципалитета. Подтверждающие документы прикладываются затем по одному: "
            "POST /api/v1/internships/applications/{id}/files/."
        ),
        request=SiteApplicationSubmitSerializer,
        responses={
            201: SiteApplicationSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    ),
)
class ApplicationViewSet(viewsets.GenericViewSet):
    serializer_class = SiteApplicationSerializer
    pagination_class = ByIdPagination

    def list(self, request):
        filters = _validated(SiteApplicationFilterSerializer, request.query_params)
        queryset = selectors.applications_for(request.user).prefetch_related("programmes", "files")
        if filters.get("call"):
            queryset = queryset.filter(call_id=filters["call"])
        if filters.get("status"):
            queryset = queryset.filter(status=filters["status"])
        page = self.paginate_queryset(queryset.order_by("-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(selectors.application_for(request.user, pk)).data)

    def create(self, request):
        data = _validated(SiteApplicationSubmitSerializer, request.data)
        call = selectors.call_for(request.user, data["call"])
        schools = [
            m.organization
            for m in access.memberships_with_role(request.user, Role.SCHOOL_HEAD)
            if m.organization.region_id == call.region_id
        ]
        if data.get("organization"):
            schools = [school for school in schools if school.pk == data["organization"]]
        if not schools:
            raise ActionForbidden("Подать заявку может руководитель организации региона отбора")
        organization = schools[0]
        application = flows.apply(
            actor=request.user,
            call=call,
            organization=organization,
            experience=data["experience"],
            resources=data["resources"],
            curator=data.get("curator", ""),
            programmes=[dict(item) for item in data["programmes"]],
        )
        application = selectors.application_for(request.user, application.pk)
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Приложить подтверждающий документ к заявке на статус площадки",
    tags=TAGS,
    description=(
        "multipart/form-data, поле file. Прикладывает руководитель организации, пока заявка на "
        "согласовании в ММС или на доработке. Файл проверяется по содержимому; ответ — заявка со "
        "списком её документов."
    ),
    parameters=[ID_PARAMETER],
    request={"multipart/form-data": SiteApplicationFileUploadSerializer},
    responses={
        201: SiteApplicationSerializer,
        400: INVALID,
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: CONFLICT,
    },
)
class ApplicationFileViewSet(viewsets.GenericViewSet):
    serializer_class = SiteApplicationSerializer
    parser_classes = (MultiPartParser,)

    def create(self, request, pk=None):
        application = selectors.application_for(request.user, pk)
        data = _validated(SiteApplicationFileUploadSerializer, request.data)
        services.application_file_add(actor=request.user, application=application, upload=data["file"])
        application = selectors.application_for(request.user, application.pk)
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Реестр площадок регионов пользователя (без персональных данных)",
        tags=TAGS,
        parameters=[SiteRegisterFilterSerializer],
        responses={200: RegisterSiteSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
)
class RegisterViewSet(viewsets.GenericViewSet):
    serializer_class = RegisterSiteSerializer
    pagination_class = ByIdPagination

    def list(self, request):
        filters = _validated(SiteRegisterFilterSerializer, request.query_params)
        queryset = selectors.register_sites(request.user, status=filters.get("status", ""))
        page = self.paginate_queryset(queryset.prefetch_related("application__programmes").order_by("-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


urlpatterns = [
    path("calls/", CallViewSet.as_view({"get": "list"}), name="internships-call-list"),
    path("calls/<int:pk>/", CallViewSet.as_view({"get": "retrieve"}), name="internships-call-detail"),
    path(
        "applications/",
        ApplicationViewSet.as_view({"get": "list", "post": "create"}),
        name="internships-application-list",
    ),
    path(
        "applications/<int:pk>/",
        ApplicationViewSet.as_view({"get": "retrieve"}),
        name="internships-application-detail",
    ),
    path(
        "applications/<int:pk>/files/",
        ApplicationFileViewSet.as_view({"post": "create"}),
        name="internships-application-files",
    ),
    path("register/", RegisterViewSet.as_view({"get": "list"}), name="internships-register"),
]
