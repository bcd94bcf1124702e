"""API of the monitoring collection (under /api/v1/monitoring/): a school's system reads its form
(the indicator set, its values, what the system computed), saves a draft, attaches evidence
files and submits; a campaign's progress can be read. Thin views: validate, call one service or
flow entry point, serialize. Scoped like the rest of API v1 (a foreign id answers the same 404
as a missing one); a locked form refuses here exactly as on the page (409 with its reason), and
a double submit makes one submission (the second: 409 «Данные уже представлены»)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.pagination import ApiCursorPagination
from api.v1.serializers import ErrorSerializer, ValidationErrorSerializer
from common import uploads
from common.uploads.errors import megabytes
from common.uploads.storage import removed_on_rollback

from . import flows, selectors, services
from .models import SubmissionStatus, ValueKind

UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Требуется аутентификация")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Объект не найден или вне области доступа пользователя")
INVALID = OpenApiResponse(ValidationErrorSerializer, description="Значения не прошли проверку (все ошибки сразу)")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Недостаточно прав для этого действия")
CONFLICT = OpenApiResponse(
    ErrorSerializer, description="Действие невозможно: форма закрыта (срок истёк), ещё не открыта или данные уже "
    "представлены"
)
ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)
VALUES_HELP = (
    "{код показателя: значение}: доля — {\"numerator\": \"12\", \"denominator\": \"40\"}; число и процент — "
    "строка или число; да/нет — true/false; текст — строка. Файлы-подтверждения — отдельным запросом files/."
)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField(
        help_text="вид значения: " + ", ".join(f"{v} — {label}" for v, label in ValueKind.choices))
    required = serializers.BooleanField()
    computed = serializers.BooleanField(help_text="значение вычисляет система; изменение — только с причиной")
    target = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    target_text = serializers.CharField()
    source = serializers.CharField(help_text="строка нормативного источника")


class SubmissionListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    campaign_id = serializers.IntegerField()
    campaign = serializers.CharField(source="campaign.title")
    organization_id = serializers.IntegerField()
    organization = serializers.CharField(source="organization.name")
    status = serializers.CharField(
        help_text="статус: " + ", ".join(f"{v} — {label}" for v, label in SubmissionStatus.choices))
    status_display = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField(allow_null=True)


class SubmissionSerializer(SubmissionListSerializer):
    indicators = serializers.SerializerMethodField()
    values = serializers.JSONField(help_text=VALUES_HELP)
    computed = serializers.JSONField(help_text="значения, вычисленные системой при открытии сбора")
    corrections = serializers.JSONField(help_text="{код: причина изменения вычисленного значения}")
    warnings = serializers.ListField(child=serializers.CharField(),
                                     help_text="резкие изменения против прошлого периода (не ошибки)")
    closed_reason = serializers.SerializerMethodField(help_text="почему форма не принимает значения; пусто — принимает")
    return_reason = serializers.SerializerMethodField(help_text="что исправить, если данные возвращены")

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, submission):
        return IndicatorSerializer(submission.campaign.indicators.all(), many=True).data

    def get_closed_reason(self, submission) -> str:
        return services.input_window_error(submission)

    def get_return_reason(self, submission) -> str:
        return services.return_reason(submission)


class ValuesSerializer(serializers.Serializer):
    values = serializers.DictField(help_text=VALUES_HELP)
    corrections = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False,
                                        help_text="{код: причина изменения вычисленного значения}")


class FileSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="код показателя вида «Файл-подтверждение»")
    file = serializers.FileField(
        help_text=f"{uploads.labels(uploads.EVIDENCE)} (тип определяется по содержимому), "
        f"не больше {megabytes(uploads.max_upload_bytes())} МБ")


class TallySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    not_started = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    returned = serializers.IntegerField()
    accepted = serializers.IntegerField()
    late = serializers.IntegerField()
    completeness = serializers.FloatField(allow_null=True, help_text="доля школ, представивших данные, %")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="доля представленных в срок, %")


class MunicipalityProgressSerializer(TallySerializer):
    municipality_id = serializers.IntegerField()
    municipality = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    campaign_id = serializers.IntegerField()
    campaign = serializers.CharField()
    status = serializers.CharField()
    total = TallySerializer()
    municipalities = MunicipalityProgressSerializer(many=True)


class SubmissionPagination(ApiCursorPagination):
    ordering = ("-id",)


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _tally(tally) -> dict:
    return {name: getattr(tally, name) for name in TallySerializer().fields}


class SubmissionViewSet(viewsets.GenericViewSet):
    serializer_class = SubmissionSerializer
    pagination_class = SubmissionPagination
    parser_classes = (JSONParser,)

    def _get(self, request, pk):
        return selectors.submission_for(request.user, pk)

    @extend_schema(summary="Формы мониторинга школ в области доступа пользователя", tags=["Мониторинг"],
                   responses={200: SubmissionListSerializer(many=True), 401: UNAUTHENTICATED})
    def list(self, request):
        from orgstructure import access

        from .models import Submission

        rows = access.scope_queryset(request.user, Submission.objects.select_related("campaign", "organization"))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SubmissionListSerializer(page, many=True).data)

    @extend_schema(summary="Форма школы: показатели, значения, вычисленное системой", tags=["Мониторинг"],
                   parameters=[ID_PARAMETER], responses={200: SubmissionSerializer, 401: UNAUTHENTICATED,
                                                         404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._get(request, pk)).data)

    @extend_schema(summary="Сохранить черновик (без проверки)", tags=["Мониторинг"], parameters=[ID_PARAMETER],
                   request=ValuesSerializer,
                   responses={200: SubmissionSerializer, 400: INVALID, 401: UNAUTHENTICATED, 403: FORBIDDEN,
                              404: NOT_FOUND, 409: CONFLICT})
    def draft(self, request, pk=None):
        submission = self._get(request, pk)
        data = _validated(ValuesSerializer, request.data)
        submission = services.submission_save_draft(actor=request.user, submission=submission,
                                                    values=data["values"], corrections=data.get("corrections"))
        return Response(self.get_serializer(self._get(request, submission.pk)).data)

    @extend_schema(summary="Представить данные (проверяются целиком)", tags=["Мониторинг"],
                   parameters=[ID_PARAMETER], request=ValuesSerializer,
                   responses={200: SubmissionSerializer, 400: INVALID, 401: UNAUTHENTICATED, 403: FORBIDDEN,
                              404: NOT_FOUND, 409: CONFLICT})
    def submit(self, request, pk=None):
        submission = self._get(request, pk)
        data = _validated(ValuesSerializer, request.data)
        flows.submission_submit_step(actor=request.user, submission=submission, values=data["values"],
                                     corrections=data.get("corrections"))
        return Response(self.get_serializer(self._get(request, submission.pk)).data)

    @extend_schema(summary="Приложить файл-подтверждение к показателю", tags=["Мониторинг"],
                   parameters=[ID_PARAMETER], request={"multipart/form-data": FileSerializer},
                   responses={200: SubmissionSerializer, 400: INVALID, 401: UNAUTHENTICATED, 403: FORBIDDEN,
                              404: NOT_FOUND, 409: CONFLICT})
    def files(self, request, pk=None):
        submission = self._get(request, pk)
        data = _validated(FileSerializer, request.data)
        with removed_on_rollback():
            services.submission_attach(actor=request.user, submission=submission, code=data["code"],
                                       upload=data["file"])
        return Response(self.get_serializer(self._get(request, submission.pk)).data)


class ProgressViewSet(viewsets.GenericViewSet):
    serializer_class = ProgressSerializer

    @extend_schema(summary="Ход сбора кампании: по статусам, полнота и своевременность по муниципалитетам",
                   tags=["Мониторинг"], parameters=[ID_PARAMETER],
                   responses={200: ProgressSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        campaign = selectors.campaign_for(request.user, pk)
        progress = selectors.progress(request.user, campaign)
        return Response({
            "campaign_id": campaign.pk, "campaign": campaign.title, "status": campaign.status,
            "total": _tally(progress.total),
            "municipalities": [{"municipality_id": m.pk, "municipality": m.name, **_tally(t)}
                               for m, t in progress.municipalities],
        })


urlpatterns = [
    path("submissions/", SubmissionViewSet.as_view({"get": "list"}), name="monitoring-submission-list"),
    path("submissions/<int:pk>/", SubmissionViewSet.as_view({"get": "retrieve"}), name="monitoring-submission"),
    path("submissions/<int:pk>/draft/", SubmissionViewSet.as_view({"post": "draft"}), name="monitoring-draft"),
    path("submissions/<int:pk>/submit/", SubmissionViewSet.as_view({"post": "submit"}), name="monitoring-submit"),
    path("submissions/<int:pk>/files/",
         SubmissionViewSet.as_view({"post": "files"}, parser_classes=(MultiPartParser, FormParser)),
         name="monitoring-files"),
    path("campaigns/<int:pk>/progress/", ProgressViewSet.as_view({"get": "retrieve"}), name="monitoring-progress"),
]
