"""API of the РМА process (routed from api/v1/urls.py under /api/v1/rma/): submit an application
with its files (multipart), read its status and the reasons of a refusal, list the register
«Список РМА». Thin views: validate, call one flow entry point or selector, serialize. Scoped like
the rest of API v1 (a foreign id answers the same 404 as a missing one); errors are the shared
Russian JSON of api/exceptions.py."""

from __future__ import annotations

from django.db.models import F
from django.urls import path
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api.pagination import ApiCursorPagination
from api.v1.serializers import ErrorSerializer, ValidationErrorSerializer, id_filter
from common import uploads
from common.uploads.errors import megabytes
from orgstructure.models import Subject

from . import flows, selectors
from .models import ApplicationKind, FileKind, Status

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Требуется аутентификация")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Объект не найден или вне области доступа пользователя")
INVALID = OpenApiResponse(ValidationErrorSerializer, description="Неверные данные запроса")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Недостаточно прав для этого действия")
CONFLICT = OpenApiResponse(
    ErrorSerializer, description="Действие невозможно: например, у педагога уже есть незавершённая заявка"
)
ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)
FILE_HELP = (
    f"{uploads.labels(uploads.EVIDENCE)} (тип определяется по содержимому; файлы с макросами, сценариями, "
    f"внешними связями и вложениями не принимаются), не больше {megabytes(uploads.max_upload_bytes())} МБ"
)


# --- serializers (comments, not docstrings: docstrings become schema descriptions) ---------------


class RefusalSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="код причины: category_expired, experience_too_short, …")
    message = serializers.CharField(help_text="объяснение с фактами, на русском")


class ApplicationFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document_kind = serializers.ChoiceField(source="kind", choices=FileKind.choices)
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()


class OrderRefSerializer(serializers.Serializer):
    number = serializers.CharField()
    date = serializers.DateField()


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person_id = serializers.IntegerField()
    person_name = serializers.CharField(source="person.full_name")
    organization = serializers.CharField(source="person.organization.name")
    municipality = serializers.SerializerMethodField()
    subjects = serializers.SerializerMethodField()
    application_kind = serializers.ChoiceField(
        source="kind", choices=ApplicationKind.choices, help_text="заявление педагога или выдвижение"
    )
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    check_date = serializers.DateField(help_text="дата, на которую проверены формальные критерии")
    refusals = RefusalSerializer(many=True, help_text="причины отказа (пусто, если критерии выполнены)")
    override_reason = serializers.CharField(help_text="основание допуска вопреки критериям, если был")
    return_comment = serializers.CharField(help_text="замечания координатора при возврате на доработку")
    correction_due = serializers.DateField(allow_null=True)
    subject_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    methodical_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    order = serializers.SerializerMethodField(help_text="приказ об утверждении списка РМА, если утверждён")
    submitted_at = serializers.DateTimeField()
    files = serializers.SerializerMethodField(help_text="действующие версии приложенных документов")

    def get_municipality(self, application) -> str | None:
        municipality = application.person.organization.municipality
        return municipality.name if municipality else None

    def get_subjects(self, application) -> list[str]:
        return sorted(subject.name for subject in application.subjects.all())

    @extend_schema_field(OrderRefSerializer(allow_null=True))
    def get_order(self, application):
        rma_list = application.rma_list
        if rma_list is None or not rma_list.order_number:
            return None
        return {"number": rma_list.order_number, "date": rma_list.order_date}

    @extend_schema_field(ApplicationFileSerializer(many=True))
    def get_files(self, application):
        files = [f for f in application.files.all() if f.is_current]
        return ApplicationFileSerializer(sorted(files, key=lambda f: f.kind), many=True).data


class SubmitSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, help_text="id педагога (сам пользователь или педагог его области)")
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=Subject.objects.all(), many=True, allow_empty=False, help_text="id предметов (направлений)"
    )
    attestation_order = serializers.FileField(help_text=f"{FileKind.ATTESTATION_ORDER.label}; {FILE_HELP}")
    diploma = serializers.FileField(help_text=f"{FileKind.DIPLOMA.label}; {FILE_HELP}")
    employment_record = serializers.FileField(help_text=f"{FileKind.EMPLOYMENT_RECORD.label}; {FILE_HELP}")
    retraining = serializers.FileField(required=False, help_text=f"{FileKind.RETRAINING.label}; {FILE_HELP}")


class ApplicationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False, help_text="статус заявки")
    municipality = id_filter("id муниципального образования")


class RegisterFilterSerializer(serializers.Serializer):
    municipality = id_filter("id муниципального образования")
    subject = id_filter("id предмета")


class RegisterMemberSerializer(serializers.Serializer):
    application_id = serializers.IntegerField(source="id")
    person_id = serializers.IntegerField()
    person_name = serializers.CharField(source="person.full_name")
    position = serializers.CharField(source="person.position")
    organization = serializers.CharField(source="person.organization.name")
    municipality = serializers.SerializerMethodField()
    subjects = serializers.SerializerMethodField()
    admitted_on = serializers.DateField(allow_null=True)
    order = serializers.SerializerMethodField()
    under_review = serializers.SerializerMethodField(help_text="членство на перепроверке (истекла категория)")
    override_reason = serializers.CharField(help_text="основание допуска вопреки критериям, если был")

    def get_municipality(self, application) -> str | None:
        municipality = application.person.organization.municipality
        return municipality.name if municipality else None

    def get_subjects(self, application) -> list[str]:
        return sorted(subject.name for subject in application.subjects.all())

    @extend_schema_field(OrderRefSerializer(allow_null=True))
    def get_order(self, application):
        rma_list = application.rma_list
        if rma_list is None or not rma_list.order_number:
            return None
        return {"number": rma_list.order_number, "date": rma_list.order_date}

    def get_under_review(self, application) -> bool:
        return application.status == Status.UNDER_REVIEW


# --- views ---------------------------------------------------------------------------------------


class ApplicationPagination(ApiCursorPagination):
    ordering = ("-submitted_at", "-id")


class RegisterPagination(ApiCursorPagination):
    # DRF reads the cursor position from an attribute of the row: the last name is annotated.
    ordering = ("member_last_name", "id")


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(
        summary="Заявки в РМА в области доступа пользователя",
        tags=["РМА"],
        parameters=[ApplicationFilterSerializer],
        responses={200: ApplicationSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Заявка в РМА: статус и причины отказа",
        tags=["РМА"],
        parameters=[ID_PARAMETER],
        responses={200: ApplicationSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Подать заявку в РМА (или выдвинуть кандидата) с документами",
        tags=["РМА"],
        description=(
            "multipart/form-data. Формальные критерии проверяются сразу: при несоответствии заявка "
            "получает статус rejected с причинами (refusals) и справкой об отказе; иначе — eligible "
            "и передаётся муниципальному координатору РМА."
        ),
        request={"multipart/form-data": SubmitSerializer},
        responses={
            201: ApplicationSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    ),
)
class ApplicationViewSet(viewsets.GenericViewSet):
    serializer_class = ApplicationSerializer
    pagination_class = ApplicationPagination
    parser_classes = (MultiPartParser, FormParser)

    def list(self, request):
        filters = _validated(ApplicationFilterSerializer, request.query_params)
        queryset = selectors.api_application_list(
            user=request.user, status=filters.get("status", ""), municipality_id=filters.get("municipality")
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        application = selectors.application_get(user=request.user, pk=pk)
        return Response(self.get_serializer(application).data)

    def create(self, request):
        data = _validated(SubmitSerializer, request.data)
        person = selectors.person_for_submission_or_404(user=request.user, person_id=data["person"])
        files = {kind: data.get(kind) for kind in FileKind.values if data.get(kind)}
        # A refusal of the service (common.errors) is answered by api.exceptions: 400 / 403 / 409.
        application = flows.application_start(actor=request.user, person=person, subjects=data["subjects"], files=files)
        application = selectors.application_get(user=request.user, pk=application.pk)
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Список РМА: действующие члены в области доступа пользователя",
        tags=["РМА"],
        parameters=[RegisterFilterSerializer],
        responses={200: RegisterMemberSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
)
class RegisterViewSet(viewsets.GenericViewSet):
    serializer_class = RegisterMemberSerializer
    pagination_class = RegisterPagination

    def list(self, request):
        filters = _validated(RegisterFilterSerializer, request.query_params)
        queryset = selectors.register_queryset(
            user=request.user, municipality_id=filters.get("municipality"), subject_id=filters.get("subject")
        )
        page = self.paginate_queryset(queryset.order_by().annotate(member_last_name=F("person__last_name")))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


urlpatterns = [
    path("applications/", ApplicationViewSet.as_view({"get": "list", "post": "create"}), name="rma-application-list"),
    path("applications/<int:pk>/", ApplicationViewSet.as_view({"get": "retrieve"}), name="rma-application-detail"),
    path("register/", RegisterViewSet.as_view({"get": "list"}), name="rma-register"),
]
